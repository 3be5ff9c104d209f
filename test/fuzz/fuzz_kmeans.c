/*
 * fuzz_kmeans.c — fuzz the kmeans_model text reader (km_parse,
 * kmeans_core.c).
 *
 *   SECONDS_EACH=60 bash test/fuzz/run.sh fuzz_kmeans
 *
 * Properties: no crash, leak or sanitizer report on any input; a value
 * that parses passes its check, and printed as the output function prints
 * it (numbers with 17 significant digits) it parses back to the same
 * fields.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_core.h"
#include "kmeans_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *const fuzz_seeds[] = {
	"{\"version\": 1, \"state\": \"model\", \"k\": 2, \"dimensions\": 2, \"scale\": \"none\", \"rows\": 8, \"skipped\": 0, \"iterations\": 2, \"converged\": true, \"objective\": 0.375, \"simple_silhouette\": 0.9625409140501879, \"mean\": [0.5, 0.5], \"sd\": [0.4330127018922193, 0.5], \"centroids\": [[0.125, 0], [0.875, 1]], \"members\": [4, 4]}",
	"{\"version\": 1, \"state\": \"pending\", \"k\": 2, \"dimensions\": 2, \"scale\": \"zscore\", \"rows\": 0, \"skipped\": 0, \"iterations\": 0, \"converged\": false, \"objective\": \"NaN\", \"simple_silhouette\": \"NaN\", \"mean\": [0, 0], \"sd\": [0, 0], \"centroids\": [[0, 0], [1, 1]], \"members\": [0, 0], \"accumulators\": [0, 0, 0, 0, 0, 0, 0, 0, \"Infinity\", \"Infinity\", \"-Infinity\", \"-Infinity\"]}",
	"{\"version\": 1, \"state\": \"pass\", \"k\": 1, \"dimensions\": 1, \"scale\": \"none\", \"rows\": 2, \"skipped\": 1, \"iterations\": 0, \"converged\": false, \"objective\": \"NaN\", \"simple_silhouette\": \"NaN\", \"mean\": [1], \"sd\": [1], \"centroids\": [[0]], \"members\": [0], \"accumulators\": [3, 0, 2, 5, 0, 0, 0, 4, 0, 2]}",
	"{\"version\": 1, \"state\": \"model\", \"k\": 1, \"dimensions\": 1, \"scale\": \"none\", \"rows\": 1, \"skipped\": 0, \"iterations\": 1, \"converged\": true, \"objective\": 0, \"simple_silhouette\": \"NaN\", \"mean\": [0], \"sd\": [0], \"centroids\": [[0, 1]], \"members\": [1]}",
	"{\"version\": 1, \"state\": \"evaluation\", \"k\": 1}",
	NULL
};

typedef struct out_buf
{
	char	   *s;
	size_t		len;
	size_t		cap;
} out_buf;

static void
put(void *ctx, const char *s, size_t len)
{
	out_buf    *b = ctx;

	if (b->len + len + 1 > b->cap)
	{
		b->cap = 2 * (b->len + len + 1);
		b->s = realloc(b->s, b->cap);
		if (b->s == NULL)
			abort();
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

static void
putf(void *ctx, double v)
{
	char		tmp[40];

	snprintf(tmp, sizeof tmp, "%.17g", v);
	put(ctx, tmp, strlen(tmp));
}

static bool
same_double(double a, double b)
{
	return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0 || (a == 0 && b == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	km_fields	f,
				g;
	char		err[BJ_ERR_SIZE];
	out_buf		b = {NULL, 0, 0};
	size_t		n,
				i;

	if (km_parse((const char *) data, size, &f, malloc, free, err, sizeof err) != NULL)
		return 0;
	if (km_fields_problem(&f) != NULL)
		abort();
	km_write_json(&f, put, putf, &b);
	if (km_parse(b.s, b.len, &g, malloc, free, err, sizeof err) != NULL)
		abort();
	n = km_data_len(f.k, f.d, f.flags);
	if (g.k != f.k || g.d != f.d || g.flags != f.flags || g.rows != f.rows ||
		g.skipped != f.skipped || g.iterations != f.iterations ||
		!same_double(g.objective, f.objective) || !same_double(g.silhouette, f.silhouette))
		abort();
	for (i = 0; i < n; i++)
		if (!same_double(f.data[i], g.data[i]))
			abort();
	free(f.data);
	free(g.data);
	free(b.s);
	return 0;
}
