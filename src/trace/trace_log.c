#include "config.h"

#include "trace/trace_log.h"
#include "trace/trace_lint.h"

#include <stdlib.h>
#include <string.h>

/* Events live in fixed-size chunks rather than one doubling array: a
 * 15-million-event run would otherwise copy hundreds of megabytes on each
 * doubling and briefly need twice its size, which alone would break the
 * 400-bytes-per-future budget. 8192 events are 192 KiB per chunk. */
#define TRACE_CHUNK_SHIFT 13
#define TRACE_CHUNK_EVENTS ((size_t)1 << TRACE_CHUNK_SHIFT)
#define TRACE_CHUNK_MASK (TRACE_CHUNK_EVENTS - 1)

/* Interning does not dedupe in general (names like "foo(123456)" are
 * unique), but a small direct-mapped cache catches the short strings a run
 * repeats a million times ("sleep(1s)", "n", "Pending") for the price of a
 * hash. A miss simply overwrites the slot. */
#define TRACE_CACHE_SLOTS 1024
#define TRACE_CACHE_MAXLEN 32

_Static_assert(sizeof(trace_event) == 24, "trace_event must stay 24 bytes");

struct trace_log {
	trace_mode mode;
	int feeding; /* inside trace_lint_feed: nested emits are not fed */
	struct trace_lint *lints;
	uint64_t count;

	trace_event **chunks;
	size_t nchunks;
	size_t chunks_cap;
	size_t stored;

	/* Strings are stored NUL-terminated, one after another; offs[id] is
	 * where string id starts. String 0 is the empty string at offset 0. */
	char *strs;
	size_t strs_len;
	size_t strs_cap;
	uint32_t *offs;
	size_t nstrs;
	size_t offs_cap;
	uint32_t cache[TRACE_CACHE_SLOTS];
};

trace_log *
trace_log_new(trace_mode mode)
{
	trace_log *log = calloc(1, sizeof *log);
	if (log == NULL)
		return NULL;
	log->mode = mode;
	if (mode == TRACE_FULL) {
		log->strs = malloc(256);
		log->offs = malloc(64 * sizeof *log->offs);
		if (log->strs == NULL || log->offs == NULL) {
			trace_log_free(log);
			return NULL;
		}
		log->strs_cap = 256;
		log->offs_cap = 64;
		log->strs[0] = '\0';
		log->strs_len = 1;
		log->offs[0] = 0;
		log->nstrs = 1;
	}
	return log;
}

void
trace_log_free(trace_log *log)
{
	if (log == NULL)
		return;
	for (size_t i = 0; i < log->nchunks; i++)
		free(log->chunks[i]);
	free(log->chunks);
	free(log->strs);
	free(log->offs);
	free(log);
}

trace_mode
trace_log_mode(const trace_log *log)
{
	return log->mode;
}

static uint32_t
trace_log_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* Grows *buf (of element size elem) to hold at least need elements. */
static int
trace_log_grow(void **buf, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return -1;
		ncap *= 2;
	}
	void *p = realloc(*buf, ncap * elem);
	if (p == NULL)
		return -1;
	*buf = p;
	*cap = ncap;
	return 0;
}

uint32_t
trace_log_intern(trace_log *log, const char *s, size_t len)
{
	if (log->mode != TRACE_FULL || len == 0)
		return 0;
	uint32_t *slot = NULL;
	if (len <= TRACE_CACHE_MAXLEN) {
		slot = &log->cache[trace_log_hash(s, len) % TRACE_CACHE_SLOTS];
		size_t have;
		const char *old = trace_log_string(log, *slot, &have);
		if (*slot != 0 && have == len && memcmp(old, s, len) == 0)
			return *slot;
	}
	/* Offsets are 32-bit to keep the table small; 4 GiB of names is far
	 * beyond any budget, so refusing beyond that is no loss. */
	if (log->nstrs >= UINT32_MAX || len > UINT32_MAX - 1 ||
	    log->strs_len > UINT32_MAX - 1 - len)
		return 0;
	if (trace_log_grow((void **)&log->strs, &log->strs_cap,
	                   log->strs_len + len + 1, 1) != 0 ||
	    trace_log_grow((void **)&log->offs, &log->offs_cap, log->nstrs + 1,
	                   sizeof *log->offs) != 0)
		return 0;
	uint32_t id = (uint32_t)log->nstrs++;
	log->offs[id] = (uint32_t)log->strs_len;
	memcpy(log->strs + log->strs_len, s, len);
	log->strs_len += len;
	log->strs[log->strs_len++] = '\0';
	if (slot != NULL)
		*slot = id;
	return id;
}

const char *
trace_log_string(const trace_log *log, uint32_t id, size_t *len)
{
	if (id == 0 || id >= log->nstrs) {
		if (len != NULL)
			*len = 0;
		return "";
	}
	size_t start = log->offs[id];
	size_t end = id + 1 < log->nstrs ? log->offs[id + 1] : log->strs_len;
	if (len != NULL)
		*len = end - start - 1;
	return log->strs + start;
}

static int
trace_log_store(trace_log *log, const trace_event *ev)
{
	size_t off = log->stored & TRACE_CHUNK_MASK;
	if (off == 0 && log->stored >> TRACE_CHUNK_SHIFT == log->nchunks) {
		if (trace_log_grow((void **)&log->chunks, &log->chunks_cap,
		                   log->nchunks + 1, sizeof *log->chunks) != 0)
			return -1;
		trace_event *c = malloc(TRACE_CHUNK_EVENTS * sizeof *c);
		if (c == NULL)
			return -1;
		log->chunks[log->nchunks++] = c;
	}
	log->chunks[log->stored >> TRACE_CHUNK_SHIFT][off] = *ev;
	log->stored++;
	return 0;
}

int
trace_log_emit(trace_log *log, const trace_event *ev)
{
	if (ev->kind >= TRACE_KIND_COUNT)
		return -1;
	int feed = log->lints != NULL && !log->feeding;
	int rc = 0;
	/* The end of the run runs the end-of-run lints first, so that their
	 * TRACE_LINT events come before TRACE_RUN_END, which stays last. */
	if (feed && ev->kind == TRACE_RUN_END) {
		log->feeding = 1;
		rc = trace_lint_feed(log->lints, log, ev, log->count);
		log->feeding = 0;
		feed = 0;
	}
	if (log->mode == TRACE_FULL && trace_log_store(log, ev) != 0)
		return -1;
	uint64_t seq = log->count++;
	if (feed) {
		log->feeding = 1;
		rc = trace_lint_feed(log->lints, log, ev, seq);
		log->feeding = 0;
	}
	return rc;
}

void
trace_log_set_lints(trace_log *log, struct trace_lint *lints)
{
	log->lints = lints;
}

struct trace_lint *
trace_log_lints(const trace_log *log)
{
	return log->lints;
}

uint64_t
trace_log_count(const trace_log *log)
{
	return log->count;
}

size_t
trace_log_stored(const trace_log *log)
{
	return log->stored;
}

const trace_event *
trace_log_at(const trace_log *log, size_t i)
{
	if (i >= log->stored)
		return NULL;
	return &log->chunks[i >> TRACE_CHUNK_SHIFT][i & TRACE_CHUNK_MASK];
}

size_t
trace_log_bytes(const trace_log *log)
{
	return sizeof *log +
	       log->nchunks * TRACE_CHUNK_EVENTS * sizeof(trace_event) +
	       log->chunks_cap * sizeof *log->chunks + log->strs_cap +
	       log->offs_cap * sizeof *log->offs;
}
