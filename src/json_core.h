/*
 * json_core.h — a small pull reader and a writer for the JSON text forms of
 * b2btarget's summary types.  Plain C (no postgres.h): unit-tested and
 * fuzzed alone.  See doc/design.md §3.
 *
 * The reader allocates nothing.  Every reader walks a fixed schema with a
 * key table per object, required keys first:
 *
 *     static const char *const keys[] = {"count", "cuts", "note"};
 *     bj_reader r;
 *     bool seen[3] = {false}, more;
 *     char key[32];
 *
 *     bj_init(&r, str, len);              // len bytes, no NUL needed
 *     bj_begin_object(&r);
 *     while (bj_next_key(&r, key, sizeof key, &more) && more) {
 *         switch (bj_key_index(&r, key, keys, 3, seen)) {  // unknown or
 *             case 0: bj_int64(&r, &n); break;             // duplicate key:
 *             case 1: ...; break;                          // fails, -1
 *         }
 *         if (r.failed) break;
 *     }
 *     bj_finish_keys(&r, keys, 2, seen);  // trailing text, missing key
 *
 * (a nested object ends with bj_require_keys instead of bj_finish_keys).
 * Every function returns false on the first error and leaves a message in
 * r.err (with the character position); later calls then keep failing, so a
 * caller may check r.failed once at the end.
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
/* A finite JSON number (NaN, Infinity and out-of-range values fail). */
extern bool bj_number(bj_reader *r, double *out);
/* bj_number, or the strings "NaN", "Infinity", "-Infinity". */
extern bool bj_number_special(bj_reader *r, double *out);
extern bool bj_int64(bj_reader *r, int64_t *out);	/* integral, no fraction */
extern bool bj_bool(bj_reader *r, bool *out);
extern bool bj_null(bj_reader *r);	/* consumes null if present; true if it was */
extern bool bj_skip_value(bj_reader *r);	/* any value, for errors on unknown keys */

/* True when only whitespace remains; otherwise fails. */
extern bool bj_finish(bj_reader *r);

/*
 * After a fixed-schema object read with bj_key_index (its '}' consumed):
 * fails with "missing key" for the first of keys[0..nrequired) not in
 * seen[] (the required keys come first in keys[]).
 */
extern bool bj_require_keys(bj_reader *r, const char *const *keys,
							int nrequired, const bool *seen);

/* bj_finish, then bj_require_keys: the end of a top-level object. */
extern bool bj_finish_keys(bj_reader *r, const char *const *keys,
						   int nrequired, const bool *seen);

/* ---------------------------------------------------------------------
 * Writing.  Each core writes its own text form through a bj_writer, so the
 * type's output function and the fuzz targets print with the same code:
 *
 *     bj_writer w;
 *     b2b_json_writer(&w, &buf);         // glue: appends to a StringInfo
 *     funnel_write(&w, reached);
 *
 * put appends len bytes; put_double appends the shortest text that reads
 * back as the same double ("NaN", "Infinity", "-Infinity" bare).  The glue's
 * put_double is PostgreSQL's shortest-exact float8 output; the unit tests
 * and fuzz targets use test/unit/out_buf.h ("%.17g").
 * --------------------------------------------------------------------- */

typedef struct bj_writer
{
	void		(*put) (void *arg, const char *s, size_t len);
	void		(*put_double) (void *arg, double v);
	void	   *arg;
} bj_writer;

/* Literal text. */
extern void bj_put(const bj_writer *w, const char *s);
/* Formatted text (at most 255 bytes a call). */
extern void bj_putf(const bj_writer *w, const char *fmt,...) BJ_PRINTF(2, 3);
extern void bj_put_double(const bj_writer *w, double v);
/* A JSON array of doubles: [a, b, ...]. */
extern void bj_put_doubles(const bj_writer *w, const double *v, size_t n);
/* A JSON array of int64s. */
extern void bj_put_int64s(const bj_writer *w, const int64_t *v, size_t n);
/* s as a JSON string, escaped as PostgreSQL's escape_json does. */
extern void bj_put_string(const bj_writer *w, const char *s);

#endif
