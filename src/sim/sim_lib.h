/* sim_lib — the standard library pieces a simulated program can call.
 *
 * Contract: builtin functions (Duration::from_secs, thread::spawn,
 * tokio::spawn, join_all, ...) and methods (len, push, unwrap, join,
 * elapsed, ...) are implemented in tables indexed by lang_builtin and
 * lang_method (lang_code.h), so adding one is an entry in each table. The
 * entry points are declared in sim_vm.h (sim_lib_builtin, sim_lib_method),
 * because they work on the simulator's inside.
 */
#ifndef ASYNC_TUTORIAL_SIM_SIM_LIB_H
#define ASYNC_TUTORIAL_SIM_SIM_LIB_H

#include "lang/lang_code.h"

/* Number of arguments a method takes (not counting the receiver); -1 if it
 * varies. */
int
sim_lib_method_arity(lang_method m);

#endif
