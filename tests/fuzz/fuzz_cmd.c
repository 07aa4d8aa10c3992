/* Fuzz target: the `shell` command language. The input is split into
 * lines, like a script piped into `async-tutorial shell`; each line is
 * split into words, and run against a session that has a small program
 * loaded, so that the commands have a trace to move around in. The
 * session is new for each input, so that a crash found replays alone.
 *
 * Two commands are split but not run: `run` and `export`, because their
 * argument is a file name, and a fuzzer that reads /dev/zero or writes
 * over files of the machine it runs on tests the machine, not us. */
#include "config.h"

#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_cmd.h"
#include "ui/ui_session.h"

/* Three jobs joined, and a thread: every view has something to show. */
static const char fuzz_prog[] =
	"use futures::future;\n"
	"use std::time::Duration;\n"
	"\n"
	"async fn job(n: u64) {\n"
	"    println!(\"job {n} begins\");\n"
	"    tokio::time::sleep(Duration::from_secs(n)).await;\n"
	"    println!(\"job {n} is over\");\n"
	"}\n"
	"\n"
	"#[tokio::main]\n"
	"async fn main() {\n"
	"    let h = std::thread::spawn(|| 7);\n"
	"    let mut jobs = Vec::new();\n"
	"    for n in 1..=3 {\n"
	"        jobs.push(job(n));\n"
	"    }\n"
	"    future::join_all(jobs).await;\n"
	"    println!(\"{}\", h.join().unwrap());\n"
	"}\n";

/* Most lines a single input runs: enough for any sequence that matters,
 * few enough that an input of newlines stays fast. */
enum { FUZZ_MAX_LINES = 64 };

static int
fuzz_allowed(const char *line)
{
	ui_cmd_args a;
	char err[256];
	if (ui_cmd_split(line, &a, err, sizeof err) != 0)
		return 1; /* the error answer is worth running */
	int ok = a.argc == 0 || (strcmp(a.argv[0], "run") != 0 &&
				 strcmp(a.argv[0], "export") != 0);
	ui_cmd_args_free(&a);
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	sim_options opt;
	sim_options_default(&opt);
	opt.max_instructions = 200000;
	ui_session *s = ui_session_new(&opt);
	FILE *out = fopen("/dev/null", "w");
	if (!s || !out ||
	    ui_session_load_text(s, "prog.rs", fuzz_prog, strlen(fuzz_prog)) !=
		    UI_SESSION_OK)
		abort();
	ui_cmd_env env = {0};
	env.session = s;
	env.out = out;
	env.selected = 2;

	/* Lines end at a newline; a NUL inside one ends it early, as it
	 * would for the shell reading it with the C library. */
	char *line = text;
	for (int n = 0; n < FUZZ_MAX_LINES && line <= text + size; n++) {
		char *nl = memchr(line, '\n', (size_t)(text + size - line));
		if (nl)
			*nl = '\0';
		if (fuzz_allowed(line) &&
		    ui_cmd_exec(&env, line) == UI_CMD_QUIT)
			break;
		if (!nl)
			break;
		line = nl + 1;
	}

	/* Completion reads the same words: complete the whole input too. */
	ui_cmd_completion c;
	size_t len = strlen(text);
	if (ui_cmd_complete(s, text, len, &c) == 0) {
		free(ui_cmd_completion_text(&c));
		ui_cmd_completion_free(&c);
	}

	fclose(out);
	ui_session_free(s);
	free(text);
	return 0;
}
