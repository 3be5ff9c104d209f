/*
 * json_core.h — a small pull reader for the JSON text forms of b2btarget's
 * summary types.  Plain C (no postgres.h): unit-tested and fuzzed alone.
 *
 * It allocates nothing.  The caller walks its fixed schema:
 *
 *     bj_reader r;
 *     bj_init(&r, text);
 *     if (!bj_begin_object(&r)) ...
 *     while (bj_next_key(&r, key, sizeof key, &more) && more) {
 *         if (strcmp(key, "count") == 0) bj_int64(&r, &n); ...
 *     }
 *     bj_finish(&r);   // only whitespace may follow
 *
 * Every function returns false on the first error and leaves a message in
 * r.err (with the byte offset); later calls then keep failing, so a caller
 * may check r.failed once at the end.
 */
#ifndef B2B_JSON_CORE_H
#define B2B_JSON_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BJ_ERR_SIZE 160			/* r.err, the message with its position */

typedef struct bj_reader
{
	const char *s;
	size_t		len;
	size_t		pos;
	int			depth;
	bool		failed;
	bool		need_comma[64];	/* per nesting level: an element was read */
	char		err[BJ_ERR_SIZE];
} bj_reader;

extern void bj_init(bj_reader *r, const char *s, size_t len);
#if defined(__GNUC__)
#define BJ_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define BJ_PRINTF(a, b)
#endif
extern bool bj_fail(bj_reader *r, const char *fmt,...) BJ_PRINTF(2, 3);
extern void bj_skip_ws(bj_reader *r);
/* Next non-space character without consuming it, or 0 at the end. */
extern char bj_peek(bj_reader *r);

extern bool bj_begin_object(bj_reader *r);
/*
 * Reads the next key of the current object (and the ':' after it).  Sets
 * *more = false (and consumes the '}') when the object ends.
 */
extern bool bj_next_key(bj_reader *r, char *key, size_t keysz, bool *more);

/*
 * For a fixed schema: the index of key in keys[0..nkeys), marked in
 * seen[]; -1 (and the reader fails) for an unknown or a duplicate key.
 */
extern int	bj_key_index(bj_reader *r, const char *key,
						 const char *const *keys, int nkeys, bool *seen);

extern bool bj_begin_array(bj_reader *r);
/* Before each element: *more = false (and ']' consumed) when the array ends. */
extern bool bj_next_elem(bj_reader *r, bool *more);

/* Scalars. */
extern bool bj_string(bj_reader *r, char *buf, size_t bufsz);
extern bool bj_number(bj_reader *r, double *out);	/* finite JSON number, or
													 * "NaN"/"Infinity" strings
													 * when allow_special */
extern bool bj_number_special(bj_reader *r, double *out);
extern bool bj_int64(bj_reader *r, int64_t *out);	/* integral, no fraction */
extern bool bj_bool(bj_reader *r, bool *out);
extern bool bj_null(bj_reader *r);	/* consumes null if present; true if it was */
extern bool bj_skip_value(bj_reader *r);	/* any value, for errors on unknown keys */

/* True when only whitespace remains; otherwise fails. */
extern bool bj_finish(bj_reader *r);

/*
 * bj_finish for a fixed schema read with bj_key_index: then also fails with
 * "missing key" for the first of keys[0..nrequired) not in seen[].
 */
extern bool bj_finish_keys(bj_reader *r, const char *const *keys,
						   int nrequired, const bool *seen);

#endif
