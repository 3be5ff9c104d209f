/*
 * out_buf.h — a bj_writer (src/json_core.h) into a malloc'd buffer, for the
 * unit tests and fuzz targets: they print a value with the core's own
 * writer and read it back.  Doubles as "%.17g" (exact, not shortest: the
 * server's output is shortest-exact, which reads back the same).
 */
#ifndef B2B_OUT_BUF_H
#define B2B_OUT_BUF_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_core.h"

typedef struct out_buf
{
	char	   *s;				/* NUL-terminated */
	size_t		len;
	size_t		cap;
	bj_writer	w;
} out_buf;

static void
out_buf_put(void *arg, const char *s, size_t len)
{
	out_buf    *b = (out_buf *) arg;

	if (b->len + len + 1 > b->cap)
	{
		b->cap = 2 * b->cap + len + 1;
		b->s = (char *) realloc(b->s, b->cap);
		if (b->s == NULL)
			abort();
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

static void
out_buf_put_double(void *arg, double v)
{
	char		tmp[40];

	if (isnan(v))
		snprintf(tmp, sizeof(tmp), "NaN");
	else if (isinf(v))
		snprintf(tmp, sizeof(tmp), v > 0 ? "Infinity" : "-Infinity");
	else
		snprintf(tmp, sizeof(tmp), "%.17g", v);
	out_buf_put(arg, tmp, strlen(tmp));
}

/* An empty buffer; its writer is &b->w. */
static inline void
out_buf_init(out_buf *b)
{
	b->cap = 256;
	b->len = 0;
	b->s = (char *) malloc(b->cap);
	if (b->s == NULL)
		abort();
	b->s[0] = '\0';
	b->w.put = out_buf_put;
	b->w.put_double = out_buf_put_double;
	b->w.arg = b;
}

static inline void
out_buf_free(out_buf *b)
{
	free(b->s);
	b->s = NULL;
}

#endif
