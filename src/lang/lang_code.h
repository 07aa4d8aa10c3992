/* lang_code — the compiled form of a program: bytecode and static facts.
 *
 * Contract: lang_compile.c produces a lang_program; the simulator executes it
 * and views read its static parts (functions, await points, the locals live
 * at each, positions). A program is immutable once compiled.
 *
 * The machine is a stack machine. Each function has `nslots` slots: the first
 * `nparams` hold the arguments (for closures and async blocks: the captured
 * values first, then the arguments), the rest are locals and temporaries,
 * then an operand stack of at most `max_stack` values. An async fn or async
 * block never runs when called: calling it creates a future that owns such a
 * frame, and polling the future runs the frame until it returns (Ready) or an
 * OP_AWAIT's child is Pending (the frame is kept, ip on that OP_AWAIT).
 *
 * Builtin functions, methods and macros are named in tables here (so the
 * compiler can resolve paths without knowing the simulator); the simulator
 * implements them in tables indexed by the same enums (sim_lib.c).
 */
#ifndef ASYNC_TUTORIAL_LANG_LANG_CODE_H
#define ASYNC_TUTORIAL_LANG_LANG_CODE_H

#include <stddef.h>
#include <stdint.h>

#include "lang/lang_diag.h"

/* Integer types. LANG_IT_INFER is an integer literal whose type nothing
 * fixed yet. Arithmetic on two such values panics on i32 overflow (Rust's
 * default) while both fit i32, and on i64 overflow otherwise; meeting a
 * typed value gives it that type (see the man page). */
typedef enum lang_itype {
	LANG_IT_NONE, /* not an integer */
	LANG_IT_INFER,
	LANG_IT_I8,
	LANG_IT_I16,
	LANG_IT_I32,
	LANG_IT_I64,
	LANG_IT_I128,
	LANG_IT_ISIZE,
	LANG_IT_U8,
	LANG_IT_U16,
	LANG_IT_U32,
	LANG_IT_U64,
	LANG_IT_U128,
	LANG_IT_USIZE,
	LANG_IT_F32, /* casts and annotations to floats */
	LANG_IT_F64,
	LANG_IT_COUNT
} lang_itype;

/* "u64" -> LANG_IT_U64; LANG_IT_NONE if the text names no number type. */
lang_itype
lang_itype_from_name(const char *name);

const char *
lang_itype_name(lang_itype t);

#define lang_itype_signed(t) ((t) >= LANG_IT_INFER && (t) <= LANG_IT_ISIZE)
#define lang_itype_is_int(t) ((t) >= LANG_IT_INFER && (t) <= LANG_IT_USIZE)

typedef enum lang_opcode {
	OP_NOP,
	OP_CONST,      /* push consts[arg] */
	OP_UNIT,       /* push () */
	OP_BOOL,       /* push bool x */
	OP_INT,        /* push integer arg (sign-extended if y&1), type x */
	OP_LOAD,       /* push slot arg */
	OP_STORE,      /* pop into slot arg */
	OP_POP,        /* drop top */
	OP_DUP,        /* duplicate top */
	OP_NEG,        /* unary minus */
	OP_NOT,        /* ! on bool or integer */
	OP_BINARY,     /* x: lang_binop; pops b then a, pushes a OP b */
	OP_CAST,       /* x: lang_itype target (ints and floats) */
	OP_COERCE,     /* x: lang_itype: give an untyped integer its type */
	OP_JUMP,       /* ip = arg */
	OP_JUMP_FALSE, /* pop; if false ip = arg */
	OP_CALL,       /* call funcs[arg] with x args */
	OP_CALL_VALUE, /* callee below x args: a closure or fn value */
	OP_BUILTIN,    /* builtin arg with x args (lang_builtin) */
	OP_METHOD,     /* method arg on receiver below x args (lang_method) */
	OP_RET,        /* return top */
	OP_FUNC,       /* push funcs[arg] as a value */
	OP_CLOSURE,    /* closure of funcs[arg] capturing x values */
	OP_ASYNC_CALL, /* future for async fn funcs[arg] with x args */
	OP_ASYNC_BLOCK,/* future for async block funcs[arg] capturing x */
	OP_TUPLE,      /* tuple of arg values */
	OP_VEC,        /* Vec of arg values */
	OP_VEC_REPEAT, /* vec![value; count] */
	OP_RANGE,      /* x: LANG_RANGE_* flags; pops end/start as flagged */
	OP_FIELD,      /* tuple field arg */
	OP_INDEX,      /* container[index] */
	OP_INDEX_SET,  /* container[index] = value (pops all three) */
	OP_UNPACK,     /* tuple of exactly arg elements -> arg values */
	OP_ITER,       /* turn top into an iterator */
	OP_ITER_NEXT,  /* push next item of the iterator on top, or pop it and
	                  ip = arg when it is exhausted */
	OP_AWAIT,      /* poll the future on top; arg: await point index */
	OP_FORMAT,     /* formats[arg] with x args -> String */
	OP_PRINT,      /* pop a string; x: 1 stdout, 2 stderr */
	OP_PANIC,      /* pop a string and panic with it */
	OP_JOIN,       /* tokio::join! of x futures -> future of a tuple */
	OP_STMT,       /* a statement starts here (source line events) */
	OP_CLEAR,      /* drop the value in slot arg (end of its scope) */
	OP_BOX,        /* wrap the top value in a new cell */
	OP_UNBOX,      /* replace a cell on top with (a copy of) its value */
	OP_CELL_SET,   /* pop a cell, then a value, and store it in the cell */
	OP_COUNT
} lang_opcode;

enum { LANG_RANGE_START = 1, LANG_RANGE_END = 2, LANG_RANGE_INCLUSIVE = 4 };

typedef enum lang_binop {
	LANG_BIN_ADD,
	LANG_BIN_SUB,
	LANG_BIN_MUL,
	LANG_BIN_DIV,
	LANG_BIN_REM,
	LANG_BIN_BITAND,
	LANG_BIN_BITOR,
	LANG_BIN_BITXOR,
	LANG_BIN_SHL,
	LANG_BIN_SHR,
	LANG_BIN_EQ,
	LANG_BIN_NE,
	LANG_BIN_LT,
	LANG_BIN_LE,
	LANG_BIN_GT,
	LANG_BIN_GE,
	LANG_BIN_COUNT
} lang_binop;

typedef struct lang_instr {
	uint8_t op;
	uint8_t x;
	uint16_t y;
	uint32_t arg;
} lang_instr;

typedef enum lang_const_kind {
	LANG_CONST_INT,
	LANG_CONST_FLOAT,
	LANG_CONST_STR,
	LANG_CONST_CHAR /* u: the code point */
} lang_const_kind;

typedef struct lang_const {
	lang_const_kind kind;
	lang_itype itype;
	uint64_t u;
	double f;
	char *s;
	size_t len;
} lang_const;

/* One piece of a compiled format string. */
typedef struct lang_fmt_piece {
	const char *text; /* literal text (kind LIT) */
	size_t len;
	uint8_t is_arg;
	uint8_t arg;       /* argument index */
	uint8_t debug;     /* {:?} */
	uint8_t alternate; /* {:#?} and {:#x} */
	uint8_t align;     /* 0 none, '<', '>', '^' */
	uint8_t sign;      /* 0 or '+' */
	uint8_t zero;      /* {:05} */
	uint8_t radix;     /* 0 decimal, 'x', 'X', 'b', 'o', 'e' */
	uint32_t fill;     /* code point, default ' ' */
	int32_t width;     /* -1 none */
	int32_t precision; /* -1 none */
} lang_fmt_piece;

typedef struct lang_format {
	lang_fmt_piece *pieces;
	uint32_t npieces;
	uint32_t nargs;
} lang_format;

/* A local variable as the views show it. */
typedef struct lang_local {
	const char *name;
	uint32_t slot;
} lang_local;

/* An .await in an async fn/block: the state the future is in while it waits
 * there, and the locals that live across it. */
/* An await point and the locals its future keeps alive across it: the
 * captured values, then the latest locals declared, in the order they
 * were declared; at most LANG_AWAIT_LIVE_MAX of them, so that a function
 * of thousands of `let x = f().await;` does not take memory (and trace
 * events) growing with the square of its length. */
enum { LANG_AWAIT_LIVE_MAX = 64 };

typedef struct lang_await_point {
	lang_pos pos;
	lang_local *live;
	uint32_t nlive;
} lang_await_point;

typedef enum lang_func_kind {
	LANG_FUNC_FN,
	LANG_FUNC_ASYNC_FN,
	LANG_FUNC_CLOSURE,
	LANG_FUNC_ASYNC_BLOCK
} lang_func_kind;

typedef struct lang_func {
	const char *name; /* "foo", "main", "{closure}", "{async block}" */
	lang_func_kind kind;
	lang_pos pos;
	uint32_t ncaptures; /* closures and async blocks */
	uint32_t nparams;   /* not counting captures */
	uint32_t nslots;    /* captures + params + locals + temporaries */
	uint32_t max_stack;
	uint8_t *param_itype; /* coercion of untyped integer arguments */
	uint8_t ret_itype;
	lang_instr *code;
	lang_pos *pos_of; /* source position of each instruction */
	uint32_t ncode;
	lang_await_point *awaits; /* index 0 is await point 1 */
	uint32_t nawaits;
	uint32_t *capture_slot;   /* where each captured value goes */
} lang_func;

typedef enum lang_runtime {
	LANG_RT_NONE,          /* plain fn main */
	LANG_RT_TOKIO,         /* #[tokio::main] */
	LANG_RT_TOKIO_CURRENT  /* #[tokio::main(flavor = "current_thread")] */
} lang_runtime;

struct lang_program {
	lang_func *funcs;
	uint32_t nfuncs;
	uint32_t main_func;
	lang_runtime runtime;
	lang_const *consts;
	uint32_t nconsts;
	lang_format *formats;
	uint32_t nformats;
	char *source; /* a copy of the text, for views */
	size_t source_len;
	void *arena;  /* owns the names and tables above */
};

/* Builtin functions, reached by path. */
typedef enum lang_builtin {
	LANG_B_DURATION_FROM_SECS,
	LANG_B_DURATION_FROM_MILLIS,
	LANG_B_DURATION_FROM_MICROS,
	LANG_B_DURATION_FROM_NANOS,
	LANG_B_DURATION_FROM_SECS_F64,
	LANG_B_INSTANT_NOW,
	LANG_B_THREAD_SPAWN,
	LANG_B_THREAD_SLEEP,
	LANG_B_TOKIO_SLEEP,
	LANG_B_TOKIO_SPAWN,
	LANG_B_TOKIO_YIELD_NOW,
	LANG_B_JOIN_ALL,
	LANG_B_VEC_NEW,
	LANG_B_VEC_WITH_CAPACITY,
	LANG_B_STRING_FROM,
	LANG_B_STRING_NEW,
	LANG_B_OK,
	LANG_B_ERR,
	LANG_B_SOME,
	LANG_B_NONE, /* a value, not a call: compiled as a 0-argument call */
	LANG_B_COUNT
} lang_builtin;

typedef struct lang_builtin_info {
	const char *path;   /* full path, e.g. "std::thread::spawn" */
	int nargs;          /* -1: any */
	uint8_t is_value;   /* `None`: used without a call */
	uint8_t in_prelude; /* usable without a `use` (Vec, String, Ok...) */
} lang_builtin_info;

extern const lang_builtin_info lang_builtins[LANG_B_COUNT];

/* Builtin methods, resolved at run time on the receiver's value. */
typedef enum lang_method {
	LANG_M_LEN,
	LANG_M_IS_EMPTY,
	LANG_M_PUSH,
	LANG_M_POP,
	LANG_M_ITER,
	LANG_M_INTO_ITER,
	LANG_M_REV,
	LANG_M_UNWRAP,
	LANG_M_EXPECT,
	LANG_M_UNWRAP_OR,
	LANG_M_IS_OK,
	LANG_M_IS_ERR,
	LANG_M_IS_SOME,
	LANG_M_IS_NONE,
	LANG_M_JOIN,
	LANG_M_AS_SECS_F64,
	LANG_M_AS_SECS,
	LANG_M_AS_MILLIS,
	LANG_M_AS_MICROS,
	LANG_M_AS_NANOS,
	LANG_M_ELAPSED,
	LANG_M_DURATION_SINCE,
	LANG_M_TO_STRING,
	LANG_M_CLONE,
	LANG_M_POW,
	LANG_M_ABS,
	LANG_M_MIN,
	LANG_M_MAX,
	LANG_M_CONTAINS,
	LANG_M_SQRT,
	LANG_M_CLEAR,
	LANG_M_TRY_FAILED, /* the `?` operator's test: Err or None */
	LANG_M_COUNT
} lang_method;

extern const char *const lang_method_names[LANG_M_COUNT];

/* -1 if `name` is no builtin method. */
int
lang_method_find(const char *name);

/* -1 if no builtin has that full path. */
int
lang_builtin_find(const char *path);

const char *
lang_opcode_name(lang_opcode op);

const char *
lang_binop_symbol(lang_binop op);

#endif
