/* ui_lab — the `lab` command: real threads and real futures on this
 * machine, printed for people and for scripts.
 *
 * Contract: ui_lab_main parses `lab threads|futures|compare|limits` and
 * its options, runs the lab (src/lab/, which measures and returns data),
 * and prints: sentences and charts on stdout, progress on stderr when it
 * is a terminal, errors on stderr. Every run ends with the `lab:` line of
 * lab_run_format_line on stdout. It installs a SIGINT handler for the
 * length of a run, so Ctrl-C stops early and the run still reports (a
 * second Ctrl-C ends the program at once).
 *
 * Exit status: 0 the lab ran (whatever it found, a failed spawn
 * included), 1 it was refused as unsafe for this machine or could not
 * start, 2 the command line was wrong, 130 Ctrl-C stopped it.
 */
#ifndef ASYNC_TUTORIAL_UI_UI_LAB_H
#define ASYNC_TUTORIAL_UI_UI_LAB_H

#include <stdio.h>

/* How the caller lays out one row of help: "  LEFT   HELP (default: D)". */
typedef void (*ui_lab_help_row)(FILE *out, const char *left,
                                const char *help, const char *dflt);

/* Runs `lab`; argv[0] is "lab". Returns the exit status. */
int
ui_lab_main(int argc, char **argv, ui_lab_help_row row);

/* The lab's subcommands and options, for --help. */
void
ui_lab_print_options(FILE *out, ui_lab_help_row row);

#endif
