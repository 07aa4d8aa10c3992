/* The command language (ui_cmd) and the session behind it (ui_session):
 * words and quoting, the command table, answers and errors, moving the
 * cursor, settings, re-runs, export and tab completion. */
#include "config.h"

#include "check_suites.h"

#include "ui/ui_cmd.h"
#include "ui/ui_course.h"
#include "ui/ui_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

/* Three jobs joined: short, and every view has something to show. */
static const char prog_join3[] =
        "use futures::future;\n"
        "use std::time::Duration;\n"
        "\n"
        "async fn job(n: u64) {\n"
        "    println!(\"job {n} begins\");\n"
        "    tokio::time::sleep(Duration::from_secs(1)).await;\n"
        "    println!(\"job {n} is over\");\n"
        "}\n"
        "\n"
        "#[tokio::main]\n"
        "async fn main() {\n"
        "    let mut jobs = Vec::new();\n"
        "    for n in 1..=3 {\n"
        "        jobs.push(job(n));\n"
        "    }\n"
        "    future::join_all(jobs).await;\n"
        "}\n";

/* 600 threads alive at once: fine on a laptop, too many for the
 * playground. */
static const char prog_threads[] =
        "use std::thread;\n"
        "use std::time::Duration;\n"
        "fn main() {\n"
        "    let mut hs = Vec::new();\n"
        "    for i in 0..600 {\n"
        "        hs.push(thread::spawn(move || {\n"
        "            thread::sleep(Duration::from_secs(1));\n"
        "            i\n"
        "        }));\n"
        "    }\n"
        "    for h in hs {\n"
        "        h.join().unwrap();\n"
        "    }\n"
        "    println!(\"all done\");\n"
        "}\n";

/* ---- a session and an env whose answers land in a string ---------------- */

/* Answers are copied out of the stream (whose buffer moves as it grows),
 * and the last few are kept so that two can be compared. */
enum { FIX_KEEP = 4 };

typedef struct fix {
	ui_session *s;
	ui_cmd_env env;
	char *text;
	size_t len;
	char *kept[FIX_KEEP];
	unsigned next;
} fix;

static void
fix_init(fix *f, const char *src)
{
	memset(f, 0, sizeof *f);
	sim_options o;
	sim_options_default(&o);
	o.max_instructions = 20000000;
	f->s = ui_session_new(&o);
	ck_assert_ptr_nonnull(f->s);
	f->env.session = f->s;
	f->env.out = open_memstream(&f->text, &f->len);
	ck_assert_ptr_nonnull(f->env.out);
	if (src)
		ck_assert_int_eq(
		        ui_session_load_text(f->s, "prog.rs", src, strlen(src)),
		        UI_SESSION_OK);
}

/* Runs one line and returns its whole answer (valid until the next). */
static const char *
fix_do(fix *f, const char *line, ui_cmd_result want)
{
	fflush(f->env.out);
	size_t before = f->len;
	ui_cmd_result r = ui_cmd_exec(&f->env, line);
	fflush(f->env.out);
	ck_assert_msg(r == want, "'%s' gave %d, not %d: %s", line, (int)r,
	              (int)want, f->text + before);
	char **slot = &f->kept[f->next++ % FIX_KEEP];
	free(*slot);
	*slot = strdup(f->text + before);
	ck_assert_ptr_nonnull(*slot);
	return *slot;
}

static void
fix_free(fix *f)
{
	fclose(f->env.out);
	free(f->text);
	for (int i = 0; i < FIX_KEEP; i++)
		free(f->kept[i]);
	ui_session_free(f->s);
}

#define assert_has(text, part)                                                 \
	ck_assert_msg(strstr((text), (part)) != NULL,                          \
	              "expected \"%s\" in:\n%s", (part), (text))

/* ---- words -------------------------------------------------------------- */

static void
assert_words(const char *line, int n, const char *const *want)
{
	ui_cmd_args a;
	char err[128];
	ck_assert_msg(ui_cmd_split(line, &a, err, sizeof err) == 0, "%s: %s",
	              line, err);
	ck_assert_int_eq(a.argc, n);
	for (int i = 0; i < n; i++)
		ck_assert_str_eq(a.argv[i], want[i]);
	ck_assert_ptr_null(a.argv[n]);
	ui_cmd_args_free(&a);
}

START_TEST(test_split_words)
{
	assert_words("goto 12", 2, (const char *const[]){"goto", "12"});
	assert_words("  next\t 3  \n", 2, (const char *const[]){"next", "3"});
	assert_words("run \"my program.rs\"", 2,
	             (const char *const[]){"run", "my program.rs"});
	assert_words("run 'it''s.rs'", 2,
	             (const char *const[]){"run", "its.rs"});
	assert_words("run \"say \\\"hi\\\" \\\\ now\"", 2,
	             (const char *const[]){"run", "say \"hi\" \\ now"});
	assert_words("run a\\ b.rs", 2, (const char *const[]){"run", "a b.rs"});
	assert_words("run 'a \\ b'", 2, (const char *const[]){"run", "a \\ b"});
	assert_words("export json \"\"", 3,
	             (const char *const[]){"export", "json", ""});
	assert_words("run dir/\"x y\"z.rs", 2,
	             (const char *const[]){"run", "dir/x yz.rs"});
	assert_words("", 0, NULL);
	assert_words("   ", 0, NULL);
	assert_words("# a comment: next 10", 0, NULL);
	assert_words("  #indented comment", 0, NULL);
	/* Only a first word starting with # makes a comment. */
	assert_words("state #3", 2, (const char *const[]){"state", "#3"});
}
END_TEST

START_TEST(test_split_errors)
{
	ui_cmd_args a;
	char err[128];
	ck_assert_int_eq(ui_cmd_split("run \"my prog.rs", &a, err, sizeof err),
	                 -1);
	ck_assert_ptr_nonnull(strstr(err, "not closed"));
	ck_assert_int_eq(a.argc, 0);
	ck_assert_int_eq(ui_cmd_split("run 'x", &a, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "'"));
}
END_TEST

START_TEST(test_quote_round_trip)
{
	static const char *const words[] = {
	        "plain.rs",    "my program.rs", "say \"hi\"",
	        "back\\slash", "it's",          "",
	        "tab\there",
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		char q[128], line[160];
		ui_cmd_quote(words[i], q, sizeof q);
		snprintf(line, sizeof line, "run %s", q);
		assert_words(line, 2, (const char *const[]){"run", words[i]});
	}
	char q[32];
	ck_assert_uint_eq(ui_cmd_quote("plain.rs", q, sizeof q), 8);
	ck_assert_str_eq(q, "plain.rs");
	ui_cmd_quote("a b", q, sizeof q);
	ck_assert_str_eq(q, "\"a b\"");
}
END_TEST

/* ---- the table ---------------------------------------------------------- */

START_TEST(test_table)
{
	size_t n;
	const ui_cmd_entry *t = ui_cmd_table(&n);
	ck_assert_uint_ge(n, 20);
	static const char *const must[] = {
	        "run",     "goto",     "step",   "next",    "prev",
	        "first",   "last",     "speed",  "profile", "export",
	        "lints",   "help",     "quit",   "where",   "futures",
	        "threads", "executor", "output", "source",  "state",
	        "lesson",  "program",  "edit",   "check",   "hint",
	        "reset",   "solution",
	};
	for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
		ck_assert_msg(ui_cmd_find(must[i]) != NULL, "no command %s",
		              must[i]);
	for (size_t i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(t[i].fn);
		ck_assert_ptr_nonnull(t[i].args);
		ck_assert(t[i].help && *t[i].help);
		/* One line, no final period (help adds it). */
		ck_assert_ptr_null(strchr(t[i].help, '\n'));
		ck_assert(t[i].help[strlen(t[i].help) - 1] != '.');
		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(t[i].name, t[j].name);
	}
	ck_assert_ptr_null(ui_cmd_find("Goto"));
	ck_assert_ptr_null(ui_cmd_find("go"));
}
END_TEST

START_TEST(test_suggest)
{
	ck_assert_str_eq(ui_cmd_suggest("gto"), "goto");
	ck_assert_str_eq(ui_cmd_suggest("nxet"), "next");
	ck_assert_str_eq(ui_cmd_suggest("futurs"), "futures");
	ck_assert_str_eq(ui_cmd_suggest("exec"), "executor");
	ck_assert_str_eq(ui_cmd_suggest("thread"), "threads");
	ck_assert_str_eq(ui_cmd_suggest("q"), "quit");
	ck_assert_ptr_null(ui_cmd_suggest("xyzzy"));
	ck_assert_ptr_null(ui_cmd_suggest("frobnicate"));
}
END_TEST

/* ---- the session -------------------------------------------------------- */

START_TEST(test_session_load_text)
{
	ui_session *s = ui_session_new(NULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(ui_session_loaded(s), 0);
	ck_assert_ptr_null(ui_session_view(s));
	ck_assert_int_eq(ui_session_exit_status(s), -1);
	ck_assert_int_eq(ui_session_load_text(s, "prog.rs", prog_join3,
	                                      strlen(prog_join3)),
	                 UI_SESSION_OK);
	ck_assert_int_eq(ui_session_loaded(s), 1);
	ck_assert_str_eq(ui_session_name(s), "prog.rs");
	ck_assert_int_eq(ui_session_exit_status(s), 0);
	ck_assert_str_eq(ui_session_error(s), "");
	size_t len;
	const char *out = ui_session_output(s, &len);
	ck_assert_str_eq(out, "job 1 begins\njob 2 begins\njob 3 begins\n"
	                      "job 1 is over\njob 2 is over\njob 3 is over\n");
	ck_assert_uint_eq(len, strlen(out));
	trace_view *v = ui_session_view(s);
	ck_assert_ptr_nonnull(v);
	/* A new run opens paused at the first tick. */
	ck_assert_uint_eq(trace_view_cursor(v), 0);
	ck_assert_uint_gt(trace_view_events(v), 20);
	ck_assert_ptr_nonnull(ui_session_program(s));
	ck_assert_ptr_nonnull(ui_session_log(s));
	ck_assert_uint_eq(ui_session_source(s).len, strlen(prog_join3));
	ck_assert_str_eq(ui_session_options(s)->profile->name, "playground");
	ui_session_free(s);
}
END_TEST

START_TEST(test_session_failed_loads_keep_the_program)
{
	ui_session *s = ui_session_new(NULL);
	ck_assert_int_eq(ui_session_load_text(s, "good.rs", prog_join3,
	                                      strlen(prog_join3)),
	                 UI_SESSION_OK);
	trace_view_seek(ui_session_view(s), 7);

	ui_session_status st = ui_session_load(s, "/nonexistent/x.rs");
	ck_assert_int_eq(st, UI_SESSION_UNREADABLE);
	ck_assert_int_eq(ui_session_exit_code(st), 2);
	ck_assert_ptr_nonnull(strstr(ui_session_error(s), "cannot open"));
	ck_assert_ptr_nonnull(strstr(ui_session_error(s), "/nonexistent/x.rs"));
	ck_assert_str_eq(ui_session_name(s), "good.rs");
	ck_assert_uint_eq(trace_view_cursor(ui_session_view(s)), 7);

	static const char bad[] = "fn main() {\n    frobnicate();\n}\n";
	st = ui_session_load_text(s, "bad.rs", bad, strlen(bad));
	ck_assert_int_eq(st, UI_SESSION_COMPILE_ERROR);
	ck_assert_int_eq(ui_session_exit_code(st), 3);
	ck_assert_uint_ge(ui_session_diags(s)->nerrors, 1);
	ck_assert_uint_ge(ui_session_diags(s)->items[0].pos.line, 1);
	ck_assert_str_eq(ui_session_attempt_source(s).name, "bad.rs");
	ck_assert_uint_eq(ui_session_attempt_source(s).len, strlen(bad));
	ck_assert_str_eq(ui_session_name(s), "good.rs");
	ck_assert_uint_eq(trace_view_cursor(ui_session_view(s)), 7);

	/* A directory opens but cannot be read as a program. */
	st = ui_session_load(s, ".");
	ck_assert_int_eq(st, UI_SESSION_UNREADABLE);
	ck_assert_str_eq(ui_session_name(s), "good.rs");
	ui_session_free(s);
}
END_TEST

START_TEST(test_session_rerun_profile)
{
	ui_session *s = ui_session_new(NULL);
	ck_assert_int_eq(ui_session_rerun(s), UI_SESSION_NOTHING_LOADED);
	ck_assert_int_eq(ui_session_load_text(s, "t.rs", prog_threads,
	                                      strlen(prog_threads)),
	                 UI_SESSION_OK);
	/* The playground cannot spawn 300 threads. */
	ck_assert_int_eq(ui_session_exit_status(s), 101);
	trace_view_last(ui_session_view(s));

	sim_options o = *ui_session_options(s);
	o.profile = sim_profile_find("laptop");
	ui_session_set_options(s, &o);
	ui_session_set_step(s, TRACE_VIEW_STEP_POLL);
	ui_session_set_speed(s, 5);
	ck_assert_int_eq(ui_session_rerun(s), UI_SESSION_OK);
	ck_assert_int_eq(ui_session_exit_status(s), 0);
	ck_assert_str_eq(ui_session_options(s)->profile->name, "laptop");
	/* At the end before, at the end after; view settings kept. */
	trace_view *v = ui_session_view(s);
	ck_assert_uint_eq(trace_view_cursor(v), trace_view_events(v));
	ck_assert_int_eq(ui_session_step(s), TRACE_VIEW_STEP_POLL);
	ck_assert_uint_eq(ui_session_speed(s), 5);
	size_t len;
	ck_assert_str_eq(ui_session_output(s, &len), "all done\n");
	ui_session_free(s);
}
END_TEST

START_TEST(test_session_lints)
{
	static const char blocking[] =
	        "use std::time::Duration;\n"
	        "#[tokio::main]\n"
	        "async fn main() {\n"
	        "    std::thread::sleep(Duration::from_millis(5));\n"
	        "}\n";
	ui_session *s = ui_session_new(NULL);
	ck_assert_int_eq(
	        ui_session_load_text(s, "b.rs", blocking, strlen(blocking)),
	        UI_SESSION_OK);
	ck_assert_ptr_nonnull(trace_lint_hit_of(ui_session_lints(s),
	                                        TRACE_LINT_BLOCKING_IN_ASYNC));
	ck_assert_int_eq(ui_session_set_lint(s, "no-such-lint", 0), -1);
	ck_assert_int_eq(ui_session_set_lint(s, "blocking-in-async", 0), 0);
	ck_assert_int_eq(ui_session_lint_on(s, TRACE_LINT_BLOCKING_IN_ASYNC),
	                 0);
	ck_assert_int_eq(ui_session_rerun(s), UI_SESSION_OK);
	ck_assert_ptr_null(trace_lint_hit_of(ui_session_lints(s),
	                                     TRACE_LINT_BLOCKING_IN_ASYNC));
	ui_session_free(s);
}
END_TEST

START_TEST(test_session_speeds)
{
	size_t n = ui_session_speed_count();
	ck_assert_uint_ge(n, 5);
	ck_assert_str_eq(ui_session_speed_name(0), "0.25x");
	ck_assert_str_eq(ui_session_speed_name(n - 1), "64x");
	ck_assert_ptr_null(ui_session_speed_name(n));
	int one = ui_session_speed_parse("1x");
	ck_assert_int_ge(one, 0);
	ck_assert_uint_eq(ui_session_speed_period_us((size_t)one), 500000);
	ck_assert_int_eq(ui_session_speed_parse("1"), one);
	ck_assert_int_eq(ui_session_speed_parse("1.0"), one);
	ck_assert_int_eq(ui_session_speed_parse("1\xc3\x97"), one);
	ck_assert_int_eq(ui_session_speed_parse("0.25"), 0);
	ck_assert_int_eq(ui_session_speed_parse(".25x"), 0);
	ck_assert_int_eq(ui_session_speed_parse("1/4"), 0);
	ck_assert_int_eq(ui_session_speed_parse("64X"), (int)n - 1);
	ck_assert_int_eq(ui_session_speed_parse("3x"), -1);
	ck_assert_int_eq(ui_session_speed_parse("0"), -1);
	ck_assert_int_eq(ui_session_speed_parse("128x"), -1);
	ck_assert_int_eq(ui_session_speed_parse("fast"), -1);
	ck_assert_int_eq(ui_session_speed_parse(""), -1);
	ck_assert_int_eq(ui_session_speed_parse("x"), -1);
	/* Each step faster halves the period. */
	for (size_t i = 1; i < n; i++)
		ck_assert_uint_le(ui_session_speed_period_us(i) * 2,
		                  ui_session_speed_period_us(i - 1) + 1);

	ui_session *s = ui_session_new(NULL);
	ck_assert_uint_eq(ui_session_speed(s), (size_t)one);
	while (ui_session_faster(s))
		;
	ck_assert_uint_eq(ui_session_speed(s), n - 1);
	ck_assert_int_eq(ui_session_faster(s), 0);
	while (ui_session_slower(s))
		;
	ck_assert_uint_eq(ui_session_speed(s), 0);
	ui_session_set_speed(s, n + 3);
	ck_assert_uint_eq(ui_session_speed(s), 0);
	ck_assert_int_eq(ui_session_step(s), TRACE_VIEW_STEP_EVENT);
	ui_session_cycle_step(s);
	ck_assert_int_eq(ui_session_step(s), TRACE_VIEW_STEP_POLL);
	ui_session_cycle_step(s);
	ui_session_cycle_step(s);
	ck_assert_int_eq(ui_session_step(s), TRACE_VIEW_STEP_EVENT);
	ui_session_free(s);
}
END_TEST

START_TEST(test_session_export_json)
{
	char dir[] = "/tmp/check-ui-cmd.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/trace.json", dir);
	ui_session *s = ui_session_new(NULL);
	ck_assert_int_eq(ui_session_export_json(s, path),
	                 UI_SESSION_NOTHING_LOADED);
	ck_assert_int_eq(ui_session_load_text(s, "prog.rs", prog_join3,
	                                      strlen(prog_join3)),
	                 UI_SESSION_OK);
	ck_assert_int_eq(ui_session_export_json(s, path), UI_SESSION_OK);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	char head[32] = "";
	ck_assert_ptr_nonnull(fgets(head, sizeof head, f));
	fclose(f);
	ck_assert_ptr_nonnull(strstr(head, "traceEvents"));
	unlink(path);

	ck_assert_int_eq(ui_session_export_json(s, "/nonexistent/dir/t.json"),
	                 UI_SESSION_WRITE_FAILED);
	ck_assert_ptr_nonnull(strstr(ui_session_error(s), "cannot write"));
	if (access("/dev/full", W_OK) == 0) {
		ck_assert_int_eq(ui_session_export_json(s, "/dev/full"),
		                 UI_SESSION_WRITE_FAILED);
		ck_assert_ptr_nonnull(
		        strstr(ui_session_error(s), "could not finish"));
	}
	ui_session_free(s);
	rmdir(dir);
}
END_TEST

/* ---- commands ----------------------------------------------------------- */

START_TEST(test_cmd_nothing_loaded)
{
	fix f;
	fix_init(&f, NULL);
	assert_has(fix_do(&f, "where", UI_CMD_ERROR), "No program is loaded");
	assert_has(fix_do(&f, "next", UI_CMD_ERROR), "run FILE");
	assert_has(fix_do(&f, "profile laptop", UI_CMD_OK), "next program");
	ck_assert_str_eq(ui_session_options(f.s)->profile->name, "laptop");
	ck_assert(f.env.changed & UI_CMD_CHANGED_SETTINGS);
	assert_has(fix_do(&f, "export json x.json", UI_CMD_ERROR),
	           "No program");
	assert_has(fix_do(&f, "help", UI_CMD_OK), "goto TICK | TIME");
	ck_assert_str_eq(fix_do(&f, "", UI_CMD_EMPTY), "");
	ck_assert_str_eq(fix_do(&f, "# next 3", UI_CMD_EMPTY), "");
	fix_do(&f, "quit", UI_CMD_QUIT);
	fix_do(&f, "exit", UI_CMD_QUIT);
	fix_free(&f);
}
END_TEST

START_TEST(test_cmd_mistakes)
{
	fix f;
	fix_init(&f, prog_join3);
	const char *a = fix_do(&f, "gto 3", UI_CMD_ERROR);
	assert_has(a, "There is no command 'gto'");
	assert_has(a, "Did you mean 'goto'?");
	assert_has(fix_do(&f, "frobnicate", UI_CMD_ERROR), "'help'");
	ck_assert_ptr_null(
	        strstr(fix_do(&f, "frobnicate", UI_CMD_ERROR), "Did you mean"));
	assert_has(fix_do(&f, "run \"x.rs", UI_CMD_ERROR), "not closed");
	assert_has(fix_do(&f, "goto", UI_CMD_ERROR), "goto 1.5s");
	assert_has(fix_do(&f, "goto soon", UI_CMD_ERROR),
	           "neither a tick nor a time");
	assert_has(fix_do(&f, "goto 1.5", UI_CMD_ERROR), "with its unit");
	assert_has(fix_do(&f, "goto 99999", UI_CMD_ERROR), "give 0 to");
	assert_has(fix_do(&f, "goto 50s", UI_CMD_ERROR), "The run ends at");
	assert_has(fix_do(&f, "next 0", UI_CMD_ERROR), "from 1 up");
	assert_has(fix_do(&f, "next -2", UI_CMD_ERROR), "not a number");
	assert_has(fix_do(&f, "next 1 2", UI_CMD_ERROR), "Too many words");
	assert_has(fix_do(&f, "step sideways", UI_CMD_ERROR),
	           "event, poll or instant");
	assert_has(fix_do(&f, "step polls", UI_CMD_ERROR), "'poll'?");
	assert_has(fix_do(&f, "speed 3x", UI_CMD_ERROR), "0.25x");
	assert_has(fix_do(&f, "profile lapto", UI_CMD_ERROR),
	           "Did you mean 'laptop'?");
	assert_has(fix_do(&f, "export csv t.csv", UI_CMD_ERROR), "json");
	assert_has(fix_do(&f, "export json", UI_CMD_ERROR), "Which file");
	assert_has(fix_do(&f, "where now", UI_CMD_ERROR), "no arguments");
	assert_has(fix_do(&f, "futures lots", UI_CMD_ERROR), "or all");
	assert_has(fix_do(&f, "state", UI_CMD_ERROR), "Which future?");
	assert_has(fix_do(&f, "state nobody", UI_CMD_ERROR),
	           "no future 'nobody'");
	assert_has(fix_do(&f, "help nothing", UI_CMD_ERROR),
	           "no command 'nothing'");
	assert_has(fix_do(&f, "run", UI_CMD_ERROR), "Which program?");
	assert_has(fix_do(&f, "run a.rs b.rs", UI_CMD_ERROR), "quotes");
	a = fix_do(&f, "run /nonexistent/x.rs", UI_CMD_ERROR);
	assert_has(a, "Cannot open '/nonexistent/x.rs'");
	assert_has(a, "Still showing prog.rs");
	/* A name with control characters is echoed escaped. */
	a = fix_do(&f, "gt\x1b[2J", UI_CMD_ERROR);
	ck_assert_ptr_null(strchr(a, '\x1b'));
	/* None of that moved the cursor or changed anything. */
	ck_assert_uint_eq(trace_view_cursor(ui_session_view(f.s)), 0);
	ck_assert_int_eq(ui_session_step(f.s), TRACE_VIEW_STEP_EVENT);
	fix_free(&f);
}
END_TEST

START_TEST(test_cmd_moves)
{
	fix f;
	fix_init(&f, prog_join3);
	trace_view *v = ui_session_view(f.s);
	size_t n = trace_view_events(v);

	const char *a = fix_do(&f, "next", UI_CMD_OK);
	ck_assert_uint_eq(trace_view_cursor(v), 1);
	ck_assert(f.env.changed & UI_CMD_CHANGED_CURSOR);
	assert_has(a, "Tick 1 of ");
	fix_do(&f, "next 4", UI_CMD_OK);
	ck_assert_uint_eq(trace_view_cursor(v), 5);
	fix_do(&f, "prev 2", UI_CMD_OK);
	ck_assert_uint_eq(trace_view_cursor(v), 3);
	fix_do(&f, "goto 10", UI_CMD_OK);
	ck_assert_uint_eq(trace_view_cursor(v), 10);
	fix_do(&f, "last", UI_CMD_OK);
	ck_assert_uint_eq(trace_view_cursor(v), n);
	assert_has(fix_do(&f, "next", UI_CMD_OK), "Already at the last tick");
	ck_assert_int_eq(f.env.changed & UI_CMD_CHANGED_CURSOR, 0);
	fix_do(&f, "first", UI_CMD_OK);
	ck_assert_uint_eq(trace_view_cursor(v), 0);
	assert_has(fix_do(&f, "prev", UI_CMD_OK), "Already at the first");
	assert_has(fix_do(&f, "next 100000", UI_CMD_OK), "Reached the last");
	ck_assert_uint_eq(trace_view_cursor(v), n);

	/* Times: the first cursor whose clock reaches it. */
	fix_do(&f, "goto 1s", UI_CMD_OK);
	ck_assert_uint_ge(trace_view_now(v), 1000000000u);
	size_t c = trace_view_cursor(v);
	fix_do(&f, "goto 1000 ms", UI_CMD_OK);
	ck_assert_uint_eq(trace_view_cursor(v), c);
	fix_do(&f, "goto 1.0 s", UI_CMD_OK);
	ck_assert_uint_eq(trace_view_cursor(v), c);
	fix_do(&f, "goto 1000000us", UI_CMD_OK);
	ck_assert_uint_eq(trace_view_cursor(v), c);
	fix_do(&f, "goto 1\xc2\xb5s", UI_CMD_OK);
	ck_assert_uint_lt(trace_view_cursor(v), c);
	fix_do(&f, "goto 0s", UI_CMD_OK);
	ck_assert_uint_eq(trace_view_cursor(v), 0);

	/* Poll steps: goto counts ticks in that size, as where shows them. */
	assert_has(fix_do(&f, "step poll", UI_CMD_OK), "The step size is poll");
	ck_assert_int_eq(ui_session_step(f.s), TRACE_VIEW_STEP_POLL);
	ck_assert(f.env.changed & UI_CMD_CHANGED_SETTINGS);
	fix_do(&f, "goto 4", UI_CMD_OK);
	uint64_t i, m;
	trace_view_tick(v, TRACE_VIEW_STEP_POLL, &i, &m);
	ck_assert_uint_eq(i, 4);
	size_t at4 = trace_view_cursor(v);
	fix_do(&f, "first", UI_CMD_OK);
	fix_do(&f, "next 4", UI_CMD_OK);
	ck_assert_uint_eq(trace_view_cursor(v), at4);
	const trace_event *e = trace_log_at(ui_session_log(f.s), at4 - 1);
	ck_assert(e->kind == TRACE_POLL_BEGIN || e->kind == TRACE_POLL_END);
	a = fix_do(&f, "where", UI_CMD_OK);
	assert_has(a, "Tick 4 of ");
	assert_has(a, "counting poll steps");

	/* Quiet moves answer nothing on success (the visualizer's screen
	 * shows it), but still say when nothing moved. */
	f.env.quiet_moves = 1;
	ck_assert_str_eq(fix_do(&f, "next", UI_CMD_OK), "");
	fix_do(&f, "last", UI_CMD_OK);
	assert_has(fix_do(&f, "next", UI_CMD_OK), "Already at the last");
	fix_free(&f);
}
END_TEST

START_TEST(test_cmd_looking)
{
	fix f;
	fix_init(&f, prog_join3);
	fix_do(&f, "goto 0.5s", UI_CMD_OK);

	const char *a = fix_do(&f, "futures", UI_CMD_OK);
	assert_has(a, "futures exist at this tick");
	assert_has(a, "#1 main(): pending");
	assert_has(a, "job(2)");
	assert_has(a, "waiting for timer at 1.0");
	a = fix_do(&f, "futures 2", UI_CMD_OK);
	assert_has(a, "more rows not shown");

	a = fix_do(&f, "threads", UI_CMD_OK);
	assert_has(a, "thread 0 main: blocked");
	assert_has(a, "parked until");

	a = fix_do(&f, "executor", UI_CMD_OK);
	assert_has(a, "Run queue: empty.");
	assert_has(a, "Timers (3 armed, soonest first): sleep(1s)");

	a = fix_do(&f, "output", UI_CMD_OK);
	ck_assert_str_eq(a, "job 1 begins\njob 2 begins\njob 3 begins\n");
	a = fix_do(&f, "output 1", UI_CMD_OK);
	assert_has(a, "2 earlier lines not shown");
	assert_has(a, "job 3 begins\n");

	a = fix_do(&f, "source", UI_CMD_OK);
	assert_has(a, "Line 16, on thread main");
	assert_has(a, "16 |     future::join_all(jobs).await;");

	a = fix_do(&f, "state job(2)", UI_CMD_OK);
	assert_has(a, "job(2) (#3) is the future of job; it is pending.");
	assert_has(a, "> Await1: the .await on line 6");
	assert_has(a, "n = 2");
	ck_assert_str_eq(a, fix_do(&f, "state 3", UI_CMD_OK));
	ck_assert_str_eq(a, fix_do(&f, "state #3", UI_CMD_OK));
	f.env.selected = 3;
	ck_assert_str_eq(a, fix_do(&f, "state", UI_CMD_OK));
	assert_has(fix_do(&f, "state join_all[3]", UI_CMD_ERROR),
	           "not an async fn");

	a = fix_do(&f, "lints", UI_CMD_OK);
	assert_has(a, "No lints so far.");

	a = fix_do(&f, "where", UI_CMD_OK);
	assert_has(a, "(event ");
	assert_has(a, "in prog.rs).\n");

	fix_do(&f, "first", UI_CMD_OK);
	assert_has(fix_do(&f, "output", UI_CMD_OK), "printed nothing yet");
	assert_has(fix_do(&f, "futures", UI_CMD_OK), "No future exists yet");
	assert_has(fix_do(&f, "source", UI_CMD_OK), "No line");
	assert_has(fix_do(&f, "executor", UI_CMD_OK), "no waker has fired");
	fix_do(&f, "last", UI_CMD_OK);
	assert_has(fix_do(&f, "where", UI_CMD_OK), "end of the run");
	assert_has(fix_do(&f, "info", UI_CMD_OK), "finished normally");
	fix_free(&f);
}
END_TEST

START_TEST(test_cmd_settings)
{
	fix f;
	fix_init(&f, prog_threads);
	assert_has(fix_do(&f, "info", UI_CMD_OK), "panicked");
	assert_has(fix_do(&f, "profile", UI_CMD_OK),
	           "The profile is playground");
	ck_assert_int_eq(f.env.changed, 0);
	const char *a = fix_do(&f, "profile laptop", UI_CMD_OK);
	assert_has(a, "Ran prog.rs on the laptop profile");
	assert_has(a, "finished normally");
	ck_assert(f.env.changed & UI_CMD_CHANGED_RUN);
	ck_assert_int_eq(ui_session_exit_status(f.s), 0);

	assert_has(fix_do(&f, "speed", UI_CMD_OK),
	           "Speed 1x: playing moves 2 steps");
	assert_has(fix_do(&f, "speed 4x", UI_CMD_OK),
	           "Speed 4x: playing moves 8 steps");
	ck_assert_str_eq(ui_session_speed_name(ui_session_speed(f.s)), "4x");
	assert_has(fix_do(&f, "speed 1/4", UI_CMD_OK),
	           "one step every 2 seconds");
	assert_has(fix_do(&f, "step", UI_CMD_OK), "The step size is event");
	fix_do(&f, "step instant", UI_CMD_OK);
	ck_assert_int_eq(ui_session_step(f.s), TRACE_VIEW_STEP_INSTANT);
	assert_has(fix_do(&f, "help goto", UI_CMD_OK), "Example: goto");
	fix_free(&f);
}
END_TEST

START_TEST(test_cmd_run_and_export_files)
{
	char dir[] = "/tmp/check-ui-cmd.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[160], line[256];
	snprintf(path, sizeof path, "%s/my prog.rs", dir);
	FILE *p = fopen(path, "w");
	ck_assert_ptr_nonnull(p);
	fputs(prog_join3, p);
	fclose(p);

	fix f;
	fix_init(&f, NULL);
	snprintf(line, sizeof line, "run \"%s\"", path);
	const char *a = fix_do(&f, line, UI_CMD_OK);
	assert_has(a, "Ran ");
	assert_has(a, "my prog.rs on the playground profile");
	assert_has(a, "Tick 0 of ");
	ck_assert(f.env.changed & UI_CMD_CHANGED_RUN);
	ck_assert_str_eq(ui_session_name(f.s), path);

	snprintf(line, sizeof line, "export json '%s/the trace.json'", dir);
	assert_has(fix_do(&f, line, UI_CMD_OK), "Wrote the trace");
	snprintf(path, sizeof path, "%s/the trace.json", dir);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_gt(st.st_size, 100);
	unlink(path);

	/* A program that does not compile: rustc-style errors, and the old
	 * program stays. */
	snprintf(path, sizeof path, "%s/bad.rs", dir);
	p = fopen(path, "w");
	fputs("fn main() {\n    frobnicate();\n}\n", p);
	fclose(p);
	snprintf(line, sizeof line, "run %s", path);
	a = fix_do(&f, line, UI_CMD_ERROR);
	assert_has(a, "bad.rs:2:5: error:");
	assert_has(a, "frobnicate");
	assert_has(a, "Still showing");
	ck_assert_int_eq(f.env.changed, 0);
	unlink(path);
	snprintf(path, sizeof path, "%s/my prog.rs", dir);
	unlink(path);
	rmdir(dir);
	fix_free(&f);
}
END_TEST

/* ---- lessons ------------------------------------------------------------ */

/* A course in the source tree: tests/course/good, tests/course/broken or
 * lessons, under $TOP_SRCDIR as make check sets it ("." by hand from the
 * top of the tree). */
static void
course_path(char *buf, size_t size, const char *which)
{
	const char *top = getenv("TOP_SRCDIR");
	snprintf(buf, size, "%s/%s", top && *top ? top : ".", which);
}

START_TEST(test_cmd_lesson)
{
	fix f;
	fix_init(&f, NULL);
	char dir[1024];
	assert_has(fix_do(&f, "lesson 1", UI_CMD_ERROR), "No course is known");
	course_path(dir, sizeof dir, "tests/course/good");
	ck_assert_int_eq(ui_session_set_course_dir(f.s, dir), 0);
	ck_assert_str_eq(ui_session_course_dir(f.s), dir);

	/* Alone, it lists the course and changes nothing. */
	const char *a = fix_do(&f, "lesson", UI_CMD_OK);
	assert_has(a, "   1  01-blocking-sleep  A sleep that blocks\n");
	assert_has(a, "   2  02-await-in-loop   Awaiting in a loop\n");
	ck_assert_int_eq(f.env.changed, 0);
	ck_assert(!ui_session_loaded(f.s));

	/* By number: the lesson's program, on the lesson's profile, paused
	 * at its start. */
	fix_do(&f, "profile laptop", UI_CMD_OK);
	a = fix_do(&f, "lesson 2", UI_CMD_OK);
	assert_has(a, "Lesson 2 of 2: Awaiting in a loop.\n");
	assert_has(a, "Ran await-in-loop.rs on the playground profile");
	assert_has(a, "Tick 0 of ");
	ck_assert_str_eq(ui_session_name(f.s), "await-in-loop.rs");
	ck_assert_str_eq(ui_session_options(f.s)->profile->name, "playground");
	ck_assert_uint_eq(trace_view_cursor(ui_session_view(f.s)), 0);
	ck_assert(f.env.changed & UI_CMD_CHANGED_RUN);
	ck_assert(f.env.changed & UI_CMD_CHANGED_SETTINGS);

	/* By id, and by file name with or without .md. */
	assert_has(fix_do(&f, "lesson blocking-sleep", UI_CMD_OK),
	           "Lesson 1 of 2");
	ck_assert_str_eq(ui_session_name(f.s), "blocking-sleep.rs");
	assert_has(fix_do(&f, "lesson 02-await-in-loop", UI_CMD_OK),
	           "Lesson 2 of 2");
	assert_has(fix_do(&f, "lesson 01-blocking-sleep.md", UI_CMD_OK),
	           "Lesson 1 of 2");

	/* Mistakes leave the program shown as it was. */
	a = fix_do(&f, "lesson 3", UI_CMD_ERROR);
	assert_has(a, "There is no lesson '3'.");
	assert_has(a, "numbered 1 to 2");
	assert_has(fix_do(&f, "lesson 0", UI_CMD_ERROR), "no lesson '0'");
	assert_has(fix_do(&f, "lesson blocking-slep", UI_CMD_ERROR),
	           "Did you mean 'blocking-sleep'?");
	assert_has(fix_do(&f, "lesson 1 2", UI_CMD_ERROR), "one lesson");
	course_path(dir, sizeof dir, "tests/course/broken");
	ck_assert_int_eq(ui_session_set_course_dir(f.s, dir), 0);
	a = fix_do(&f, "lesson 2", UI_CMD_ERROR);
	assert_has(a, "Lesson 2 (02-form.md) has problems");
	assert_has(a, "02-form.md:");
	ck_assert_int_eq(ui_session_set_course_dir(f.s, "/nonexistent/c"), 0);
	assert_has(fix_do(&f, "lesson 1", UI_CMD_ERROR),
	           "The course in '/nonexistent/c' cannot be opened");
	ck_assert_str_eq(ui_session_name(f.s), "blocking-sleep.rs");
	ck_assert_int_eq(f.env.changed, 0);

	/* The course that comes with the program, as the brief's example. */
	course_path(dir, sizeof dir, "lessons");
	ck_assert_int_eq(ui_session_set_course_dir(f.s, dir), 0);
	assert_has(fix_do(&f, "lesson 5", UI_CMD_OK), "Lesson 5 of ");
	ck_assert_str_eq(ui_session_name(f.s), "join-all.rs");
	ck_assert_int_eq(ui_session_set_course_dir(f.s, NULL), 0);
	ck_assert_ptr_null(ui_session_course_dir(f.s));
	fix_free(&f);
}
END_TEST

/* ---- completion --------------------------------------------------------- */

/* Completes `line` (cursor at its end); returns the replacement text and
 * leaves the candidates in *c. */
static char *
complete(const ui_session *s, const char *line, ui_cmd_completion *c)
{
	ck_assert_int_eq(ui_cmd_complete(s, line, strlen(line), c), 0);
	return ui_cmd_completion_text(c);
}

START_TEST(test_complete_words)
{
	ui_cmd_completion c;
	char *t = complete(NULL, "ne", &c);
	ck_assert_uint_eq(c.count, 1);
	ck_assert_uint_eq(c.start, 0);
	ck_assert_str_eq(t, "next ");
	free(t);
	ui_cmd_completion_free(&c);

	t = complete(NULL, "st", &c);
	ck_assert_uint_eq(c.count, 2);
	ck_assert_str_eq(c.names[0], "state");
	ck_assert_str_eq(c.names[1], "step");
	ck_assert_str_eq(t, "st");
	free(t);
	ui_cmd_completion_free(&c);

	t = complete(NULL, "", &c);
	size_t n;
	ui_cmd_table(&n);
	ck_assert_uint_eq(c.count, n);
	free(t);
	ui_cmd_completion_free(&c);

	t = complete(NULL, "  step p", &c);
	ck_assert_uint_eq(c.start, 7);
	ck_assert_str_eq(t, "poll ");
	free(t);
	ui_cmd_completion_free(&c);

	t = complete(NULL, "step ", &c);
	ck_assert_uint_eq(c.count, 3);
	ck_assert_uint_eq(c.start, 5);
	free(t);
	ui_cmd_completion_free(&c);

	t = complete(NULL, "profile l", &c);
	ck_assert_str_eq(t, "laptop ");
	free(t);
	ui_cmd_completion_free(&c);

	t = complete(NULL, "export j", &c);
	ck_assert_str_eq(t, "json ");
	free(t);
	ui_cmd_completion_free(&c);

	t = complete(NULL, "speed 6", &c);
	ck_assert_str_eq(t, "64x ");
	free(t);
	ui_cmd_completion_free(&c);

	t = complete(NULL, "help ex", &c);
	ck_assert_uint_eq(c.count, 3); /* executor, exit, export */
	ck_assert_str_eq(t, "ex");
	free(t);
	ui_cmd_completion_free(&c);

	/* Nothing to complete after a command's last argument. */
	t = complete(NULL, "next 3 ", &c);
	ck_assert_uint_eq(c.count, 0);
	ck_assert_ptr_null(t);
	ui_cmd_completion_free(&c);
	t = complete(NULL, "frobnicate x", &c);
	ck_assert_uint_eq(c.count, 0);
	ui_cmd_completion_free(&c);
}
END_TEST

START_TEST(test_complete_files)
{
	char dir[] = "/tmp/check-ui-cmd.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[160];
	static const char *const files[] = {"my prog.rs", "my other.rs",
	                                    "notes.txt", ".hidden.rs"};
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		FILE *p = fopen(path, "w");
		ck_assert_ptr_nonnull(p);
		fclose(p);
	}
	snprintf(path, sizeof path, "%s/sub dir", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(chdir(dir), 0);

	ui_cmd_completion c;
	/* run: .rs files and directories, not hidden ones. */
	char *t = complete(NULL, "run ", &c);
	ck_assert_uint_eq(c.count, 3);
	ck_assert_str_eq(c.names[0], "my other.rs");
	ck_assert_str_eq(c.names[1], "my prog.rs");
	ck_assert_str_eq(c.names[2], "sub dir/");
	free(t);
	ui_cmd_completion_free(&c);

	t = complete(NULL, "run my", &c);
	ck_assert_uint_eq(c.count, 2);
	ck_assert_str_eq(t, "\"my ");
	free(t);
	ui_cmd_completion_free(&c);

	/* Inside an open quote, the completion keeps it and closes it. */
	t = complete(NULL, "run \"my p", &c);
	ck_assert_uint_eq(c.count, 1);
	ck_assert_uint_eq(c.start, 4);
	ck_assert_int_eq(c.quote, '"');
	ck_assert_str_eq(t, "\"my prog.rs\" ");
	free(t);
	ui_cmd_completion_free(&c);

	t = complete(NULL, "run my\\ p", &c);
	ck_assert_str_eq(t, "\"my prog.rs\" ");
	free(t);
	ui_cmd_completion_free(&c);

	/* A directory: no closing quote and no space, to go on inside. */
	t = complete(NULL, "run su", &c);
	ck_assert_str_eq(t, "\"sub dir/");
	free(t);
	ui_cmd_completion_free(&c);

	t = complete(NULL, "run .h", &c);
	ck_assert_str_eq(t, ".hidden.rs ");
	free(t);
	ui_cmd_completion_free(&c);

	/* export json: every file. */
	t = complete(NULL, "export json no", &c);
	ck_assert_str_eq(t, "notes.txt ");
	free(t);
	ui_cmd_completion_free(&c);

	t = complete(NULL, "run /nonexistent/dir/x", &c);
	ck_assert_uint_eq(c.count, 0);
	ui_cmd_completion_free(&c);

	for (size_t i = 0; i < 4; i++)
		unlink(files[i]);
	rmdir("sub dir");
	ck_assert_int_eq(chdir("/"), 0);
	rmdir(dir);
}
END_TEST

START_TEST(test_complete_futures)
{
	fix f;
	fix_init(&f, prog_join3);
	ui_cmd_completion c;
	/* Nothing exists at the first tick. */
	char *t = complete(f.s, "state j", &c);
	ck_assert_uint_eq(c.count, 0);
	ui_cmd_completion_free(&c);
	fix_do(&f, "last", UI_CMD_OK);
	/* Only async fn and block futures: they have state machines. */
	t = complete(f.s, "state j", &c);
	ck_assert_uint_eq(c.count, 3);
	ck_assert_str_eq(c.names[0], "job(1)");
	ck_assert_str_eq(t, "job(");
	free(t);
	ui_cmd_completion_free(&c);
	fix_free(&f);
}
END_TEST

START_TEST(test_complete_lessons)
{
	fix f;
	fix_init(&f, NULL);
	ui_cmd_completion c;
	/* No course known, or no session: nothing to offer. */
	char *t = complete(f.s, "lesson ", &c);
	ck_assert_uint_eq(c.count, 0);
	ui_cmd_completion_free(&c);
	t = complete(NULL, "lesson ", &c);
	ck_assert_uint_eq(c.count, 0);
	ui_cmd_completion_free(&c);

	t = complete(f.s, "les", &c);
	ck_assert_str_eq(t, "lesson ");
	free(t);
	ui_cmd_completion_free(&c);

	char dir[1024];
	course_path(dir, sizeof dir, "tests/course/good");
	ck_assert_int_eq(ui_session_set_course_dir(f.s, dir), 0);
	/* Nothing typed: the whole course, by file name. */
	t = complete(f.s, "lesson ", &c);
	ck_assert_uint_eq(c.count, 2);
	ck_assert_uint_eq(c.start, 7);
	ck_assert_str_eq(c.names[0], "01-blocking-sleep");
	ck_assert_str_eq(c.names[1], "02-await-in-loop");
	ck_assert_str_eq(t, "0");
	free(t);
	ui_cmd_completion_free(&c);
	/* Each way of naming a lesson finishes as it was begun. */
	t = complete(f.s, "lesson 02", &c);
	ck_assert_str_eq(t, "02-await-in-loop ");
	free(t);
	ui_cmd_completion_free(&c);
	t = complete(f.s, "lesson aw", &c);
	ck_assert_str_eq(t, "await-in-loop ");
	free(t);
	ui_cmd_completion_free(&c);
	t = complete(f.s, "lesson 2", &c);
	ck_assert_str_eq(t, "2 ");
	free(t);
	ui_cmd_completion_free(&c);
	t = complete(f.s, "lesson x", &c);
	ck_assert_uint_eq(c.count, 0);
	ui_cmd_completion_free(&c);
	t = complete(f.s, "lesson 1 ", &c);
	ck_assert_uint_eq(c.count, 0);
	ui_cmd_completion_free(&c);

	course_path(dir, sizeof dir, "lessons");
	ck_assert_int_eq(ui_session_set_course_dir(f.s, dir), 0);
	t = complete(f.s, "lesson 05", &c);
	ck_assert_str_eq(t, "05-join-all ");
	free(t);
	ui_cmd_completion_free(&c);
	t = complete(f.s, "lesson jo", &c);
	ck_assert_str_eq(t, "join-all ");
	free(t);
	ui_cmd_completion_free(&c);
	fix_free(&f);
}
END_TEST

/* ---- the open lesson: variants and the exercise -------------------------- */

START_TEST(test_cmd_program)
{
	fix f;
	fix_init(&f, NULL);
	assert_has(fix_do(&f, "program 2", UI_CMD_ERROR), "No lesson is open");
	char dir[1024];
	course_path(dir, sizeof dir, "tests/course/visual");
	ck_assert_int_eq(ui_session_set_course_dir(f.s, dir), 0);
	fix_do(&f, "lesson 1", UI_CMD_OK);
	ck_assert(f.env.changed & UI_CMD_CHANGED_LESSON);
	size_t index, program;
	const lesson *l = ui_session_lesson(f.s, &index, &program);
	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(index, 0);
	ck_assert_int_eq((int)program, ui_course_program_number(l, 1));
	ck_assert_uint_eq(ui_course_program_count(l), 2);

	/* Alone, it lists the programs and marks the one running. */
	const char *a = fix_do(&f, "program", UI_CMD_OK);
	assert_has(a, "> 1  the lesson's program");
	assert_has(a, "  2  variant together");
	ck_assert_uint_eq(f.env.changed, 0);

	/* By number or by name: the variant runs, the lesson stays. */
	a = fix_do(&f, "program 2", UI_CMD_OK);
	assert_has(a, "Variant 2 of the lesson (together).");
	assert_has(a, "Ran two-sleeps-variant-2.rs");
	ck_assert(f.env.changed & UI_CMD_CHANGED_RUN);
	ck_assert_ptr_eq(ui_session_lesson(f.s, NULL, &program), l);
	ck_assert_int_eq((int)program, ui_course_program_number(l, 2));
	fix_do(&f, "program 1", UI_CMD_OK);
	ck_assert_str_eq(ui_session_name(f.s), "two-sleeps.rs");
	assert_has(fix_do(&f, "program together", UI_CMD_OK), "Variant 2");
	assert_has(fix_do(&f, "program 3", UI_CMD_ERROR),
	           "This lesson has no program '3'; its programs are "
	           "numbered 1 to 2");
	assert_has(fix_do(&f, "program 1 2", UI_CMD_ERROR), "Too many words");

	/* Another lesson replaces it; a file of one's own closes it. */
	fix_do(&f, "lesson 2", UI_CMD_OK);
	ck_assert_uint_eq(ui_course_program_count(
	                          ui_session_lesson(f.s, &index, NULL)),
	                  1);
	ck_assert_uint_eq(index, 1);
	char path[1100];
	course_path(path, sizeof path, "tests/programs/join_all_10.rs");
	char line[1200];
	snprintf(line, sizeof line, "run '%s'", path);
	fix_do(&f, line, UI_CMD_OK);
	ck_assert(f.env.changed & UI_CMD_CHANGED_LESSON);
	ck_assert_ptr_null(ui_session_lesson(f.s, NULL, NULL));
	fix_free(&f);
}
END_TEST

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* A learner's editor: the first time it leaves a typo, then it makes
 * the fix the exercise asks for. */
static int
fake_editor(void *ctx, const char *path, char *err, size_t errsize)
{
	int *calls = ctx;
	static const char typo[] = "fn main( {\n";
	static const char fixed[] =
	        "use futures::future;\n"
	        "use std::time::Duration;\n"
	        "async fn job(n: u64) {\n"
	        "    tokio::time::sleep(Duration::from_millis(500)).await;\n"
	        "    println!(\"job {n} is over\");\n"
	        "}\n"
	        "#[tokio::main]\n"
	        "async fn main() {\n"
	        "    future::join_all(vec![job(1), job(2)]).await;\n"
	        "}\n";
	FILE *fp = fopen(path, "w");
	if (!fp || fputs((*calls)++ ? fixed : typo, fp) < 0 ||
	    fclose(fp) != 0) {
		snprintf(err, errsize, "cannot write %s", path);
		return -1;
	}
	return 0;
}

START_TEST(test_cmd_exercise)
{
	const char *base = getenv("TMPDIR");
	char tmpl[512];
	snprintf(tmpl, sizeof tmpl, "%s/check-ui-cmd.XXXXXX",
	         base && *base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	char state[600], data[600];
	snprintf(state, sizeof state, "%s/state", tmpl);
	snprintf(data, sizeof data, "%s/data", tmpl);
	setenv("XDG_STATE_HOME", state, 1);
	setenv("XDG_DATA_HOME", data, 1);

	fix f;
	fix_init(&f, NULL);
	assert_has(fix_do(&f, "check", UI_CMD_ERROR), "No lesson is open");
	char dir[1024];
	course_path(dir, sizeof dir, "tests/course/visual");
	ck_assert_int_eq(ui_session_set_course_dir(f.s, dir), 0);
	fix_do(&f, "lesson 2", UI_CMD_OK);
	assert_has(fix_do(&f, "hint", UI_CMD_ERROR),
	           "This lesson has no exercise.");
	fix_do(&f, "lesson 1", UI_CMD_OK);
	const lesson *l = ui_session_lesson(f.s, NULL, NULL);

	/* Hints one at a time; the solution waits for two failed checks. */
	assert_has(fix_do(&f, "hint", UI_CMD_OK),
	           "Hint 1 of 2: std::thread::sleep blocks");
	assert_has(fix_do(&f, "solution", UI_CMD_ERROR),
	           "The solution opens after 2 more failed checks");
	const char *a = fix_do(&f, "check", UI_CMD_OK);
	assert_has(a, "Checking your code, ");
	assert_has(a, "[ ] the program takes at most 0.6 s of virtual time");
	assert_has(a, "0 of 2 goals met. 'hint' gives a hint.");
	/* What was checked is what the screen runs now. */
	ck_assert(f.env.changed & UI_CMD_CHANGED_RUN);
	size_t program;
	ck_assert_ptr_eq(ui_session_lesson(f.s, NULL, &program), l);
	ck_assert_uint_eq(program, l->nprograms);
	assert_has(ui_session_name(f.s), "two-sleeps.rs");
	assert_has(fix_do(&f, "solution", UI_CMD_ERROR), "after 1 more failed "
	                                                 "check;");
	assert_has(fix_do(&f, "check", UI_CMD_OK),
	           "If you are stuck, 'solution' shows an answer.");
	a = fix_do(&f, "solution", UI_CMD_OK);
	assert_has(a, "One solution (yours may differ");
	assert_has(a, "tokio::time::sleep(Duration::from_millis(500)).await;");
	assert_has(fix_do(&f, "hint", UI_CMD_OK), "Hint 2 of 2");
	assert_has(fix_do(&f, "hint", UI_CMD_OK), "That was the last hint.");

	/* Without an editor hook, edit says what to do instead. */
	assert_has(fix_do(&f, "edit", UI_CMD_ERROR), "with any editor");
	int calls = 0;
	f.env.edit = fake_editor;
	f.env.edit_ctx = &calls;
	/* A typo: the compiler says where, the code is kept, and check
	 * says it does not compile (a failed try, as on the command
	 * line). */
	a = fix_do(&f, "edit", UI_CMD_OK);
	ck_assert_int_eq(calls, 1);
	assert_has(a, "error");
	assert_has(a, "Your code is saved; 'edit' opens it again.");
	assert_has(fix_do(&f, "check", UI_CMD_OK),
	           "Your code does not compile yet");
	a = fix_do(&f, "edit", UI_CMD_OK);
	ck_assert_int_eq(calls, 2);
	assert_has(a, "Running your code, ");
	assert_has(a, "'check' checks it against the goals.");
	ck_assert(f.env.changed & UI_CMD_CHANGED_RUN);
	assert_has(fix_do(&f, "check", UI_CMD_OK),
	           "Well done: every goal is met. Lesson 1 is done");
	assert_has(fix_do(&f, "reset", UI_CMD_OK),
	           "holds the starting code again; your version is kept as ");
	assert_has(fix_do(&f, "reset now", UI_CMD_ERROR), "takes no arguments");

	/* It was all saved, as the command line would have saved it. */
	char err[256];
	ui_course *c = ui_session_course(f.s, err, sizeof err);
	ck_assert_ptr_nonnull(c);
	const lesson_exercise_progress *xp =
	        lesson_progress_exercise_get(c->progress, "two-sleeps", 0);
	ck_assert_ptr_nonnull(xp);
	ck_assert_uint_eq(xp->tries, 3);
	ck_assert_uint_eq(xp->hints, 2);
	ck_assert_int_eq(xp->passed, 1);
	ck_assert_int_eq(xp->solution_seen, 1);
	ck_assert(lesson_progress_done(c->progress, "two-sleeps"));
	fix_free(&f);
	nftw(tmpl, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}
END_TEST

START_TEST(test_complete_program)
{
	fix f;
	fix_init(&f, NULL);
	ui_cmd_completion c;
	char *t = complete(f.s, "program ", &c);
	ck_assert_uint_eq(c.count, 0); /* no lesson open */
	ui_cmd_completion_free(&c);
	char dir[1024];
	course_path(dir, sizeof dir, "tests/course/visual");
	ck_assert_int_eq(ui_session_set_course_dir(f.s, dir), 0);
	fix_do(&f, "lesson 1", UI_CMD_OK);
	t = complete(f.s, "program ", &c);
	ck_assert_uint_eq(c.count, 3);
	ck_assert_str_eq(c.names[0], "1");
	ck_assert_str_eq(c.names[1], "2");
	ck_assert_str_eq(c.names[2], "together");
	free(t);
	ui_cmd_completion_free(&c);
	t = complete(f.s, "program t", &c);
	ck_assert_str_eq(t, "together ");
	free(t);
	ui_cmd_completion_free(&c);
	fix_free(&f);
}
END_TEST

Suite *
suite_ui_cmd(void)
{
	Suite *s = suite_create("ui_cmd");
	TCase *words = tcase_create("words");
	tcase_add_test(words, test_split_words);
	tcase_add_test(words, test_split_errors);
	tcase_add_test(words, test_quote_round_trip);
	tcase_add_test(words, test_table);
	tcase_add_test(words, test_suggest);
	suite_add_tcase(s, words);

	TCase *session = tcase_create("session");
	tcase_set_timeout(session, 30);
	tcase_add_test(session, test_session_load_text);
	tcase_add_test(session, test_session_failed_loads_keep_the_program);
	tcase_add_test(session, test_session_rerun_profile);
	tcase_add_test(session, test_session_lints);
	tcase_add_test(session, test_session_speeds);
	tcase_add_test(session, test_session_export_json);
	suite_add_tcase(s, session);

	TCase *cmds = tcase_create("commands");
	tcase_set_timeout(cmds, 30);
	tcase_add_test(cmds, test_cmd_nothing_loaded);
	tcase_add_test(cmds, test_cmd_mistakes);
	tcase_add_test(cmds, test_cmd_moves);
	tcase_add_test(cmds, test_cmd_looking);
	tcase_add_test(cmds, test_cmd_settings);
	tcase_add_test(cmds, test_cmd_run_and_export_files);
	tcase_add_test(cmds, test_cmd_lesson);
	tcase_add_test(cmds, test_cmd_program);
	tcase_add_test(cmds, test_cmd_exercise);
	suite_add_tcase(s, cmds);

	TCase *comp = tcase_create("completion");
	tcase_add_test(comp, test_complete_words);
	tcase_add_test(comp, test_complete_files);
	tcase_add_test(comp, test_complete_futures);
	tcase_add_test(comp, test_complete_lessons);
	tcase_add_test(comp, test_complete_program);
	suite_add_tcase(s, comp);
	return s;
}
