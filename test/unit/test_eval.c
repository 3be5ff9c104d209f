/* Unit tests of eval_core.c and the pooling rule of propensity_core.c. */
#include <stdlib.h>

#include "tap.h"
#include "eval_core.h"
#include "propensity_core.h"

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y;
}

int
main(void)
{
	enum
	{
		N = 20000
	};
	static double a[N],
				b[N],
				tmp[N];
	static double score[2 * N];
	static int64_t rows[2 * N],
				pos[2 * N];
	unsigned	seed = 777;
	int			i,
				same = 1;

	/* radix sort against qsort: signs, magnitudes, duplicates, -0 */
	for (i = 0; i < N; i++)
	{
		seed = seed * 1103515245u + 12345u;
		switch (i % 5)
		{
			case 0:
				a[i] = ((int) (seed >> 16) % 2000 - 1000) / 7.0;
				break;
			case 1:
				a[i] = ldexp((seed >> 8) / 16777216.0, (int) (seed % 200) - 100) * ((seed & 1) ? -1 : 1);
				break;
			case 2:
				a[i] = (seed % 3) - 1.0;	/* many ties */
				break;
			case 3:
				a[i] = (seed & 1) ? -0.0 : 0.0;
				break;
			default:
				a[i] = (seed & 2) ? 1e300 : -1e-300;
		}
		b[i] = a[i] == 0 ? 0.0 : a[i];
	}
	ev_sort(a, N, tmp);
	qsort(b, N, sizeof(double), cmp_double);
	for (i = 0; i < N; i++)
		if (a[i] != b[i])
			same = 0;
	ok(same, "radix sort equals qsort on %d mixed doubles", N);
	{
		int			neg0 = 0;

		for (i = 0; i < N; i++)
			neg0 += (a[i] == 0 && signbit(a[i]));
		is_int(neg0, 0, "-0 comes out as 0");
	}

	/* AUC: positives 0.9, 0.5, 0.5; negatives 0.5, 0.1 -> 5/6 */
	{
		double		p[3] = {0.5, 0.5, 0.9};
		double		n[2] = {0.1, 0.5};
		size_t		g;

		is_double(ev_auc_sorted(p, 3, n, 2), 5.0 / 6.0, 1e-15, "AUC with a tie counted half");
		ok(isnan(ev_auc_sorted(p, 3, n, 0)), "AUC undefined without negatives");
		ok(isnan(ev_auc_sorted(p, 0, n, 2)), "AUC undefined without positives");
		g = ev_groups(p, 3, n, 2, score, rows, pos);
		is_int(g, 3, "three distinct scores");
		ok(score[0] == 0.9 && score[1] == 0.5 && score[2] == 0.1, "groups descend");
		ok(rows[1] == 3 && pos[1] == 2 && rows[2] == 1 && pos[2] == 0, "group counts");
		is_double(ev_auc_groups(rows, pos, g), 5.0 / 6.0, 1e-15, "AUC from groups");
	}
	{
		double		p[2] = {1, 2};
		double		n[2] = {3, 4};

		is_double(ev_auc_sorted(p, 2, n, 2), 0, 0, "AUC 0 when every negative ranks higher");
		is_double(ev_auc_sorted(n, 2, p, 2), 1, 0, "AUC 1 when every positive ranks higher");
	}

	/* AUC by pairs on random data with ties */
	{
		static double ps[500],
					ns[700];
		double		pairs = 0;
		int			j;

		for (i = 0; i < 500; i++)
		{
			seed = seed * 1103515245u + 12345u;
			ps[i] = (seed >> 16) % 50 + 5;
		}
		for (i = 0; i < 700; i++)
		{
			seed = seed * 1103515245u + 12345u;
			ns[i] = (seed >> 16) % 50;
		}
		for (i = 0; i < 500; i++)
			for (j = 0; j < 700; j++)
				pairs += ps[i] > ns[j] ? 1 : ps[i] == ns[j] ? 0.5 : 0;
		ev_sort(ps, 500, tmp);
		ev_sort(ns, 700, tmp);
		is_double(ev_auc_sorted(ps, 500, ns, 700), pairs / (500.0 * 700.0), 1e-15, "AUC equals the pair count");
	}

	/* lift buckets: a tie group goes whole into the bucket of its first row */
	{
		double		s[4] = {9, 7, 5, 1};
		int64_t		r[4] = {2, 5, 2, 1};
		int64_t		ps[4] = {2, 3, 0, 0};
		int64_t		br[5],
					bp[5];
		double		mn[5],
					mx[5];

		/* n = 10, 5 buckets of 2: ranks 0 | 2-6 | 7-8 | 9 */
		ev_lift_buckets(s, r, ps, 4, 5, br, bp, mn, mx);
		ok(br[0] == 2 && br[1] == 5 && br[2] == 0 && br[3] == 2 && br[4] == 1,
		   "bucket rows %lld %lld %lld %lld %lld", (long long) br[0], (long long) br[1],
		   (long long) br[2], (long long) br[3], (long long) br[4]);
		ok(bp[0] == 2 && bp[1] == 3 && bp[3] == 0, "bucket positives");
		ok(mx[1] == 7 && mn[1] == 7 && isnan(mn[2]), "bucket score ranges");
		ev_lift_buckets(s, r, ps, 4, 1, br, bp, mn, mx);
		ok(br[0] == 10 && bp[0] == 5 && mx[0] == 9 && mn[0] == 1, "one bucket holds everything");
	}

	is_double(ev_log_loss_term(0.8, 1), -log(0.8), 1e-15, "log loss of a hit");
	is_double(ev_log_loss_term(0.8, 0), -log(0.2), 1e-14, "log loss of a miss");
	is_double(ev_log_loss_term(0.0, 1), -log(EV_LOGLOSS_EPS), 1e-15, "p = 0 is clamped");
	is_double(ev_log_loss_term(1.0, 0), -log1p(-(1 - EV_LOGLOSS_EPS)), 1e-15, "p = 1 is clamped");

	is_double(prop_pool_logit(0.0), prop_logit(1e-12), 0, "pooling clamps 0 to 1e-12");
	is_double(prop_pool_logit(1.0), prop_logit(1 - 1e-12), 0, "pooling clamps 1 to 1 - 1e-12");
	is_double(prop_pool_logit(0.25), -log(3.0), 1e-15, "pooling logit inside the range");
	return tap_done();
}
