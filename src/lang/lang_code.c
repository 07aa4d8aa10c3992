#include "config.h"

#include "lang/lang_code.h"

#include <string.h>

static const char *const itype_names[LANG_IT_COUNT] = {
	[LANG_IT_NONE] = "",       [LANG_IT_INFER] = "{integer}",
	[LANG_IT_I8] = "i8",       [LANG_IT_I16] = "i16",
	[LANG_IT_I32] = "i32",     [LANG_IT_I64] = "i64",
	[LANG_IT_I128] = "i128",   [LANG_IT_ISIZE] = "isize",
	[LANG_IT_U8] = "u8",       [LANG_IT_U16] = "u16",
	[LANG_IT_U32] = "u32",     [LANG_IT_U64] = "u64",
	[LANG_IT_U128] = "u128",   [LANG_IT_USIZE] = "usize",
	[LANG_IT_F32] = "f32",     [LANG_IT_F64] = "f64",
};

lang_itype
lang_itype_from_name(const char *name)
{
	for (int t = LANG_IT_I8; t < LANG_IT_COUNT; t++)
		if (strcmp(name, itype_names[t]) == 0)
			return (lang_itype)t;
	return LANG_IT_NONE;
}

const char *
lang_itype_name(lang_itype t)
{
	return t < LANG_IT_COUNT ? itype_names[t] : "";
}

/* Paths are the canonical ones; `use` declarations map short names onto
 * them in the compiler. Items re-exported by several paths list each. */
const lang_builtin_info lang_builtins[LANG_B_COUNT] = {
	[LANG_B_DURATION_FROM_SECS] = {"std::time::Duration::from_secs", 1, 0, 0},
	[LANG_B_DURATION_FROM_MILLIS] = {"std::time::Duration::from_millis", 1, 0, 0},
	[LANG_B_DURATION_FROM_MICROS] = {"std::time::Duration::from_micros", 1, 0, 0},
	[LANG_B_DURATION_FROM_NANOS] = {"std::time::Duration::from_nanos", 1, 0, 0},
	[LANG_B_DURATION_FROM_SECS_F64] = {"std::time::Duration::from_secs_f64", 1, 0, 0},
	[LANG_B_INSTANT_NOW] = {"std::time::Instant::now", 0, 0, 0},
	[LANG_B_THREAD_SPAWN] = {"std::thread::spawn", 1, 0, 0},
	[LANG_B_THREAD_SLEEP] = {"std::thread::sleep", 1, 0, 0},
	[LANG_B_TOKIO_SLEEP] = {"tokio::time::sleep", 1, 0, 0},
	[LANG_B_TOKIO_SPAWN] = {"tokio::spawn", 1, 0, 0},
	[LANG_B_TOKIO_YIELD_NOW] = {"tokio::task::yield_now", 0, 0, 0},
	[LANG_B_JOIN_ALL] = {"futures::future::join_all", 1, 0, 0},
	[LANG_B_VEC_NEW] = {"Vec::new", 0, 0, 1},
	[LANG_B_VEC_WITH_CAPACITY] = {"Vec::with_capacity", 1, 0, 1},
	[LANG_B_STRING_FROM] = {"String::from", 1, 0, 1},
	[LANG_B_STRING_NEW] = {"String::new", 0, 0, 1},
	[LANG_B_OK] = {"Ok", 1, 0, 1},
	[LANG_B_ERR] = {"Err", 1, 0, 1},
	[LANG_B_SOME] = {"Some", 1, 0, 1},
	[LANG_B_NONE] = {"None", 0, 1, 1},
};

int
lang_builtin_find(const char *path)
{
	for (int i = 0; i < LANG_B_COUNT; i++)
		if (strcmp(lang_builtins[i].path, path) == 0)
			return i;
	return -1;
}

const char *const lang_method_names[LANG_M_COUNT] = {
	[LANG_M_LEN] = "len",
	[LANG_M_IS_EMPTY] = "is_empty",
	[LANG_M_PUSH] = "push",
	[LANG_M_POP] = "pop",
	[LANG_M_ITER] = "iter",
	[LANG_M_INTO_ITER] = "into_iter",
	[LANG_M_REV] = "rev",
	[LANG_M_UNWRAP] = "unwrap",
	[LANG_M_EXPECT] = "expect",
	[LANG_M_UNWRAP_OR] = "unwrap_or",
	[LANG_M_IS_OK] = "is_ok",
	[LANG_M_IS_ERR] = "is_err",
	[LANG_M_IS_SOME] = "is_some",
	[LANG_M_IS_NONE] = "is_none",
	[LANG_M_JOIN] = "join",
	[LANG_M_AS_SECS_F64] = "as_secs_f64",
	[LANG_M_AS_SECS] = "as_secs",
	[LANG_M_AS_MILLIS] = "as_millis",
	[LANG_M_AS_MICROS] = "as_micros",
	[LANG_M_AS_NANOS] = "as_nanos",
	[LANG_M_ELAPSED] = "elapsed",
	[LANG_M_DURATION_SINCE] = "duration_since",
	[LANG_M_TO_STRING] = "to_string",
	[LANG_M_CLONE] = "clone",
	[LANG_M_POW] = "pow",
	[LANG_M_ABS] = "abs",
	[LANG_M_MIN] = "min",
	[LANG_M_MAX] = "max",
	[LANG_M_CONTAINS] = "contains",
	[LANG_M_SQRT] = "sqrt",
	[LANG_M_CLEAR] = "clear",
	/* Not a name a program can write: only `?` uses it. */
	[LANG_M_TRY_FAILED] = "?",
};

int
lang_method_find(const char *name)
{
	for (int i = 0; i < LANG_M_COUNT; i++)
		if (strcmp(lang_method_names[i], name) == 0)
			return i;
	return -1;
}

static const char *const opcode_names[OP_COUNT] = {
	[OP_NOP] = "nop",           [OP_CONST] = "const",
	[OP_UNIT] = "unit",         [OP_BOOL] = "bool",
	[OP_INT] = "int",           [OP_LOAD] = "load",
	[OP_STORE] = "store",       [OP_POP] = "pop",
	[OP_DUP] = "dup",           [OP_NEG] = "neg",
	[OP_NOT] = "not",           [OP_BINARY] = "binary",
	[OP_CAST] = "cast",         [OP_COERCE] = "coerce",
	[OP_JUMP] = "jump",         [OP_JUMP_FALSE] = "jump_false",
	[OP_CALL] = "call",         [OP_CALL_VALUE] = "call_value",
	[OP_BUILTIN] = "builtin",   [OP_METHOD] = "method",
	[OP_RET] = "ret",           [OP_FUNC] = "func",
	[OP_CLOSURE] = "closure",   [OP_ASYNC_CALL] = "async_call",
	[OP_ASYNC_BLOCK] = "async_block", [OP_TUPLE] = "tuple",
	[OP_VEC] = "vec",           [OP_VEC_REPEAT] = "vec_repeat",
	[OP_RANGE] = "range",       [OP_FIELD] = "field",
	[OP_INDEX] = "index",       [OP_INDEX_SET] = "index_set",
	[OP_UNPACK] = "unpack",     [OP_ITER] = "iter",
	[OP_ITER_NEXT] = "iter_next", [OP_AWAIT] = "await",
	[OP_FORMAT] = "format",     [OP_PRINT] = "print",
	[OP_PANIC] = "panic",       [OP_JOIN] = "join",
	[OP_STMT] = "stmt",         [OP_CLEAR] = "clear",
	[OP_BOX] = "box",           [OP_UNBOX] = "unbox",
	[OP_CELL_SET] = "cell_set",
};

const char *
lang_opcode_name(lang_opcode op)
{
	return op < OP_COUNT && opcode_names[op] ? opcode_names[op] : "?";
}

static const char *const binop_symbols[LANG_BIN_COUNT] = {
	"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>",
	"==", "!=", "<", "<=", ">", ">=",
};

const char *
lang_binop_symbol(lang_binop op)
{
	return op < LANG_BIN_COUNT ? binop_symbols[op] : "?";
}
