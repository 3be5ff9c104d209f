/* Unit tests of sketch_core.c (no server): bucket bounds, quantiles,
 * tiers, AUC of score buckets and the text readers. */
#include <stdlib.h>

#include "tap.h"
#include "sketch_core.h"

#define NV 5000
static double vals[NV];
static int64_t cnt[4096];
static double sums[4096];

static int
cmp(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y;
}

int
main(void)
{
	double		alphas[3] = {0.001, 0.01, 0.1};
	int			ai,
				i;
	char		err[160];

	/* every bucket value is within alpha of the values it stands for */
	for (ai = 0; ai < 3; ai++)
	{
		double		a = alphas[ai],
					g = qs_gamma(a),
					inv = 1 / log(g),
					worst = 0;

		for (i = 0; i < 100000; i++)
		{
			double		x = exp((i - 50000) * 0.0137);
			double		v = qs_bucket_value(qs_index(x, inv), g);

			if (fabs(v - x) / x > worst)
				worst = fabs(v - x) / x;
		}
		ok(worst <= a * (1 + 1e-9), "bucket values within %g (worst %.6g)", a, worst);
	}

	/* quantiles of a sketch of positive values against the sorted values */
	{
		double		a = 0.01,
					g = qs_gamma(a),
					inv = 1 / log(g);
		qs_dim		d = {0};
		int32_t		lo = 1 << 30,
					hi = -(1 << 30);
		double		q[5] = {0, 0.2, 0.5, 0.8, 1};
		bool		within = true;

		for (i = 0; i < NV; i++)
		{
			vals[i] = exp(sin(i * 1.7) * 6) + (i % 3);
			if (qs_index(vals[i], inv) < lo)
				lo = qs_index(vals[i], inv);
			if (qs_index(vals[i], inv) > hi)
				hi = qs_index(vals[i], inv);
		}
		ok(hi - lo < 4096, "bucket range fits the test arrays (%d)", hi - lo + 1);
		d.pos.lo = lo;
		d.pos.n = hi - lo + 1;
		d.pos.count = cnt;
		d.pos.sum = sums;
		d.min = d.max = vals[0];
		for (i = 0; i < NV; i++)
		{
			int32_t		j = qs_index(vals[i], inv) - lo;

			cnt[j]++;
			sums[j] += vals[i];
			d.count++;
			d.sum += vals[i];
			if (vals[i] < d.min)
				d.min = vals[i];
			if (vals[i] > d.max)
				d.max = vals[i];
		}
		qsort(vals, NV, sizeof(double), cmp);
		for (i = 0; i < 5; i++)
		{
			double		h = q[i] * (NV - 1);
			double		xlo = vals[(int) floor(h)],
						xhi = vals[(int) ceil(h)];
			double		exact = xlo + (h - floor(h)) * (xhi - xlo);
			double		est = qs_quantile(&d, g, q[i]);

			if (!(fabs(est - exact) <= a * (1 + 1e-9) * fmax(fabs(xlo), fabs(xhi))))
				within = false;
		}
		ok(within, "percentile_cont from the sketch within its bound");
		is_double(qs_quantile(&d, g, 0), vals[0], 0, "q = 0 is the exact min");
		is_double(qs_quantile(&d, g, 1), vals[NV - 1], 0, "q = 1 is the exact max");
		{
			double		ac,
						bc,
						value[3];
			int64_t		cust[3];

			qs_tiers(&d, g, 0.8, 0.95, &ac, &bc, cust, value);
			ok(ac >= bc && bc > 0, "tier cuts ordered");
			is_int(cust[0] + cust[1] + cust[2], NV, "every customer in a tier");
			is_double(value[0] + value[1] + value[2], d.sum, 1e-12, "every value in a tier");
		}
	}

	/* AUC of score buckets */
	{
		int64_t		pos[5] = {1, 1, 0, 0, 0},
					neg[5] = {1, 0, 0, 0, 1};
		double		bound,
					auc = sh_auc(pos, neg, 4, &bound);

		is_double(auc, 0.375, 1e-15, "AUC of buckets, ties half: (0.5 + 1) / 4");
		is_double(bound, 0.125, 1e-15, "error bound: 1 mixed pair / (2 * 2 * 2)");
		is_int(sh_bucket(0.125, 4), 1, "0.125 at resolution 4 rounds half up to bucket 1");
		is_int(sh_bucket(0.001 * 7, 1000), 7, "3-decimal scores land on their bucket");
		is_int(sh_bucket(1, 1000), 1000, "score 1 is the top bucket");
		pos[0] = 0;
		pos[1] = 0;
		auc = sh_auc(pos, neg, 4, &bound);
		ok(isnan(auc) && isnan(bound), "one class: NaN");
	}

	/* text readers */
	{
		qs_sketch	s;
		sh_hist		h;
		const char *t1 = "{\"version\": 1, \"kind\": \"values\", \"relative_accuracy\": 0.01, \"dims\": [{\"count\": 4, \"zeros\": 1, \"sum\": 7.5, \"min\": 0, \"max\": 5, \"positive\": {\"offset\": 0, \"counts\": [1, 0, 2], \"sums\": [1, 0, 6.5]}, \"negative\": {\"offset\": 0, \"counts\": [], \"sums\": []}}]}";
		const char *t2 = "{\"version\": 1, \"kind\": \"durations\", \"relative_accuracy\": 0.01, \"from\": \"awareness\", \"to\": \"purchase\", \"journeys\": 3, \"sum_us\": \"170141183460469231731687303715884105\", \"dims\": [{\"count\": 1, \"zeros\": 0, \"sum\": 1e15, \"min\": 1e15, \"max\": 1e15, \"positive\": {\"offset\": 1727, \"counts\": [1], \"sums\": [1e15]}, \"negative\": {\"offset\": 0, \"counts\": [], \"sums\": []}}]}";
		char		buf[48];

		is_str(qs_parse(t1, strlen(t1), &s, malloc, free, err, sizeof(err)), NULL, "a sketch of values parses");
		is_int(s.dim[0].pos.n, 3, "three buckets");
		qs_free(&s, free);
		is_str(qs_parse(t2, strlen(t2), &s, malloc, free, err, sizeof(err)), NULL, "a sketch of durations parses");
		qs_int128_text(s.sum_us, buf);
		is_str(buf, "170141183460469231731687303715884105", "int128 sum round-trips");
		qs_free(&s, free);
		ok(qs_parse("{\"version\": 1, \"kind\": \"values\"}", 32, &s, malloc, free, err, sizeof(err)) != NULL,
		   "missing keys rejected");
		is_str(sh_parse("{\"version\": 1, \"resolution\": 4, \"buckets\": [[0, 1, 1], [4, 0, 1]]}", 66,
						&h, malloc, free, err, sizeof(err)), NULL, "a histogram parses");
		is_int(h.neg[4], 1, "bucket 4 negatives");
		sh_free(&h, free);
		ok(sh_parse("{\"version\": 1, \"resolution\": 4, \"buckets\": [[0, 1]]}", 53,
					&h, malloc, free, err, sizeof(err)) != NULL, "a short bucket is rejected");
	}
	return tap_done();
}
