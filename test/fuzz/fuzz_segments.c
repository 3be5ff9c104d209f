/*
 * Fuzz target: rfm and segment text, exact quantile selection and
 * value-tier cut points (segments_core.c).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "segments_core.h"

const char *const fuzz_seeds[] = {
	"5-4-3", "543", " 1-1-1 ", "6-1-1", "5-5", "5-4-3-2", "Can't Lose Them",
	"at-risk", "CHAMPIONS", "hibernating", "\x01\x02\x03\x04\x05\x06\x07\x08\x09", NULL
};

static int
cmpd(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);
	int			code = 0,
				seg;
	size_t		n = size,
				i;
	double	   *x,
			   *y;
	double		total = 0;
	static const double q[4] = {0.2, 0.4, 0.6, 0.8};
	double		out[4];

	memcpy(s, data, size);
	s[size] = '\0';
	if (rfm_parse(s, size, &code) == RFM_PARSE_OK)
	{
		char		buf[8];
		int			back = 0;

		if (!rfm_code_valid(code))
			abort();
		rfm_format(code, buf);
		if (rfm_parse(buf, strlen(buf), &back) != RFM_PARSE_OK || back != code)
			abort();
		if (segment_of_rf(RFM_R(code), RFM_F(code)) < 1)
			abort();
	}
	seg = segment_parse(s, size);
	if (seg < 0 || seg > B2B_NSEGMENTS)
		abort();
	free(s);

	/* every byte is a value (few distinct: many ties) */
	if (n == 0)
		return 0;
	x = malloc(n * sizeof(double));
	y = malloc(n * sizeof(double));
	for (i = 0; i < n; i++)
	{
		x[i] = y[i] = (double) (data[i] % 37);
		total += x[i];
	}
	qsort(y, n, sizeof(double), cmpd);
	quantiles_select(x, n, q, 4, out);
	for (i = 0; i < 4; i++)
	{
		double		pos = q[i] * (double) (n - 1);
		size_t		a = (size_t) floor(pos),
					b = (size_t) ceil(pos);
		double		want = a == b ? y[a] : y[a] + (pos - (double) a) * (y[b] - y[a]);

		if (out[i] != want)
			abort();
	}
	if (total > 0)
	{
		double		a = value_tier_cut(x, n, total, 0.80);
		double		b = value_tier_cut(x, n, total, 0.95);
		double		above = 0;

		if (!(a > 0) || b > a)
			abort();
		/* the values above the A cut bring less than 80% */
		for (i = 0; i < n; i++)
			if (y[i] > a)
				above += y[i];
		if (!(above < 0.80 * total))
			abort();
	}
	free(x);
	free(y);
	return 0;
}
