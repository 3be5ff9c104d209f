/* Unit tests of segments_core.c. */
#include <stdlib.h>

#include "tap.h"
#include "segments_core.h"

static int
cmpd(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/* percentile_cont on a sorted copy: the reference. */
static double
ref_quantile(const double *sorted, size_t n, double q)
{
	double		pos = q * (double) (n - 1);
	long long	a = (long long) floor(pos),
				b = (long long) ceil(pos);

	if (a == b)
		return sorted[a];
	return sorted[a] + (pos - (double) a) * (sorted[b] - sorted[a]);
}

/* Brute-force tier cut: smallest v with sum(x > v) < share * total. */
static double
ref_cut(const double *sorted, size_t n, double total, double share)
{
	size_t		i = n;
	double		above = 0;
	double		best = 0;

	/* walk distinct values from the largest down */
	while (i > 0)
	{
		double		v = sorted[i - 1];
		double		grp = 0;

		if (above < share * total)
			best = v;
		else
			break;
		while (i > 0 && sorted[i - 1] == v)
			grp += sorted[--i];
		above += grp;
	}
	return best;
}

static unsigned long long rs = 88172645463325252ULL;
static unsigned long long
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

int
main(void)
{
	int			code = 0;
	char		buf[8];
	int			r,
				f,
				s,
				trial;
	int			cells[B2B_NSEGMENTS + 1] = {0};
	static const double q[4] = {0.2, 0.4, 0.6, 0.8};

	/* rfm text */
	ok(rfm_parse("5-4-3", 5, &code) == RFM_PARSE_OK && code == 543, "5-4-3");
	ok(rfm_parse(" 543 ", 5, &code) == RFM_PARSE_OK && code == 543, "543 with spaces");
	ok(rfm_parse("1-1-1", 5, &code) == RFM_PARSE_OK && code == RFM_MIN_CODE, "1-1-1");
	is_int(rfm_parse("6-1-1", 5, &code), RFM_PARSE_RANGE, "6-1-1 out of range");
	is_int(rfm_parse("0-3-3", 5, &code), RFM_PARSE_RANGE, "0-3-3 out of range");
	is_int(rfm_parse("909", 3, &code), RFM_PARSE_RANGE, "909 out of range");
	is_int(rfm_parse("5-5", 3, &code), RFM_PARSE_SYNTAX, "5-5");
	is_int(rfm_parse("abc", 3, &code), RFM_PARSE_SYNTAX, "abc");
	is_int(rfm_parse("5-4-3-2", 7, &code), RFM_PARSE_SYNTAX, "5-4-3-2");
	is_int(rfm_parse("54-3", 4, &code), RFM_PARSE_SYNTAX, "54-3");
	is_int(rfm_parse("5-43", 4, &code), RFM_PARSE_SYNTAX, "5-43");
	is_int(rfm_parse("5--43", 5, &code), RFM_PARSE_SYNTAX, "5--43");
	is_int(rfm_parse("", 0, &code), RFM_PARSE_SYNTAX, "empty");
	is_int(rfm_parse("   ", 3, &code), RFM_PARSE_SYNTAX, "blank");
	rfm_format(254, buf);
	is_str(buf, "2-5-4", "format");
	ok(!rfm_code_valid(0) && !rfm_code_valid(556) && !rfm_code_valid(160) &&
	   !rfm_code_valid(501) && rfm_code_valid(555), "code validity");

	/* all 25 R x F cells map to exactly one segment, and the rules agree */
	for (r = 1; r <= 5; r++)
		for (f = 1; f <= 5; f++)
		{
			int			hits = 0;

			for (s = 1; s <= B2B_NSEGMENTS; s++)
			{
				int			a,
							b,
							c,
							d;

				segment_rule(s, &a, &b, &c, &d);
				if (r >= a && r <= b && f >= c && f <= d)
					hits++;
			}
			ok(hits == 1 && segment_of_rf(r, f) > 0, "cell R%d F%d in exactly one segment", r, f);
			cells[segment_of_rf(r, f)]++;
		}
	for (s = 1; s <= B2B_NSEGMENTS; s++)
		ok(cells[s] > 0 && segment_action_text(s) != NULL, "segment %s is used", segment_name(s));
	is_int(segment_of_rf(5, 5), 1, "5-5 champions");
	is_int(segment_of_rf(1, 1), B2B_NSEGMENTS, "1-1 hibernating");
	is_int(segment_of_rf(0, 1), 0, "R 0 refused");
	is_int(segment_parse("Can't Lose Them", 15), 9, "Can't Lose Them");
	is_int(segment_parse("at-risk", 7), 8, "at-risk");
	is_int(segment_parse("CHAMPIONS", 9), 1, "CHAMPIONS");
	is_int(segment_parse("champion", 8), 0, "champion is not a segment");
	is_int(segment_parse("a_very_long_text_that_is_not_a_segment_name", 43), 0, "long text");

	/* quantiles: selection equals sort + interpolation, with heavy ties */
	for (trial = 0; trial < 300; trial++)
	{
		size_t		n = 1 + rnd() % (trial < 100 ? 20 : 5000);
		int			distinct = 1 + (int) (rnd() % (trial % 3 == 0 ? 3 : 1000));
		double	   *x = malloc(n * sizeof(double));
		double	   *y = malloc(n * sizeof(double));
		double		out[4];
		size_t		i;
		int			k,
					good = 1;

		for (i = 0; i < n; i++)
			x[i] = y[i] = (double) (rnd() % distinct) * 0.37 - 5;
		quantiles_select(x, n, q, 4, out);
		qsort(y, n, sizeof(double), cmpd);
		for (k = 0; k < 4; k++)
			if (out[k] != ref_quantile(y, n, q[k]))
				good = 0;
		/* x is a permutation of the input */
		qsort(x, n, sizeof(double), cmpd);
		for (i = 0; i < n; i++)
			if (x[i] != y[i])
				good = 0;
		if (trial % 30 == 0 || !good)
			ok(good, "quantiles of %zu values (%d distinct), trial %d", n, distinct, trial);
		if (!good)
			break;
		free(x);
		free(y);
	}
	{
		double		one = 42,
					out[4];

		quantiles_select(&one, 1, q, 4, out);
		ok(out[0] == 42 && out[3] == 42, "quantiles of one value");
	}
	{
		/* sorted and reverse-sorted inputs of 200,000 values */
		size_t		n = 200000,
					i;
		double	   *x = malloc(n * sizeof(double));
		double		out[4];

		for (i = 0; i < n; i++)
			x[i] = (double) i;
		quantiles_select(x, n, q, 4, out);
		ok(out[0] == 0.2 * 199999 && out[3] == 0.8 * 199999, "sorted input");
		for (i = 0; i < n; i++)
			x[i] = (double) (n - i);
		quantiles_select(x, n, q, 4, out);
		is_double(out[1], 1 + 0.4 * 199999, 1e-15, "reverse-sorted input");
		free(x);
	}

	/* value tier cuts against the brute force */
	for (trial = 0; trial < 200; trial++)
	{
		size_t		n = 1 + rnd() % (trial < 50 ? 10 : 3000);
		int			distinct = 1 + (int) (rnd() % (trial % 2 ? 5 : 10000));
		double	   *x = malloc(n * sizeof(double));
		double	   *y = malloc(n * sizeof(double));
		double		total = 0;
		size_t		i;
		int			good = 1;

		for (i = 0; i < n; i++)
		{
			x[i] = y[i] = (double) (rnd() % distinct) * (double) (rnd() % 7);
			total += x[i];
		}
		qsort(y, n, sizeof(double), cmpd);
		if (total > 0)
		{
			double		a = value_tier_cut(x, n, total, 0.80);
			double		b = value_tier_cut(x, n, total, 0.95);

			good = a == ref_cut(y, n, total, 0.80) && b == ref_cut(y, n, total, 0.95) && b <= a;
		}
		if (trial % 20 == 0 || !good)
			ok(good, "tier cuts of %zu values, trial %d", n, trial);
		free(x);
		free(y);
		if (!good)
			break;
	}
	{
		/* one whale brings 90%: it alone is tier A */
		double		x[4] = {90, 4, 3, 3};

		is_double(value_tier_cut(x, 4, 100, 0.80), 90, 0, "whale alone is A");
		is_double(value_tier_cut(x, 4, 100, 0.95), 3, 0, "the 3s straddle 95%%: B reaches them");
	}
	return tap_done();
}
