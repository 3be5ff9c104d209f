/*
 * Unit tests of targeting_core.c: the knapsack against brute force, the
 * known answers of the issue (knapsack 220, isotonic examples of
 * scikit-learn's tests, libsvm's Platt A/B), uplift metrics by hand, and
 * the three text readers.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tap.h"
#include "alloc_count.h"
#include "json_core.h"
#include "targeting_core.h"

/* a small deterministic generator (xorshift) */
static uint64_t rng = 88172645463325252ULL;
static double
urand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double) (rng >> 11) / 9007199254740992.0;
}

static tp_item
item(int64_t id, double p, double value, double cost)
{
	tp_item		it = {id, p, value, cost, 0, 0};

	tp_item_init(&it);
	return it;
}

/* best total ev over all subsets with cost <= budget */
static double
brute(const tp_item *it, size_t n, double budget)
{
	double		best = 0;
	uint32_t	m;

	for (m = 0; m < (1u << n); m++)
	{
		double		c = 0,
					v = 0;
		size_t		i;

		for (i = 0; i < n; i++)
			if (m & (1u << i))
			{
				c += it[i].cost;
				v += it[i].ev;
			}
		if (c <= budget && v > best)
			best = v;
	}
	return best;
}

static void
test_knapsack(void)
{
	tp_item		it[24];
	tp_result	r;
	int			trial;
	int			exact_ok = 0,
				heur_ok = 0,
				heur_n = 0;

	/* the example: values 60/100/120, costs 10/20/30, budget 50 */
	it[0] = item(1, 1, 70, 10);	/* ev 60 */
	it[1] = item(2, 1, 120, 20);	/* ev 100 */
	it[2] = item(3, 1, 150, 30);	/* ev 120 */
	ok(tp_solve(it, 3, 50, TP_DP_MAX_CELLS, &r, t_alloc, t_free, NULL), "solve");
	is_double(r.total_ev, 220, 0, "knapsack optimum 220");
	ok(r.exact, "exact");
	is_int(r.nchosen, 2, "two chosen");
	is_double(r.upper_bound, 240, 1e-15, "LP bound 60 + 100 + 120 * 20/30 = 240");
	is_int(live, 0, "no leak");
	/* without the DP: greedy 160 loses to... the best single 120? no: greedy 160 */
	it[0] = item(1, 1, 70, 10);
	it[1] = item(2, 1, 120, 20);
	it[2] = item(3, 1, 150, 30);
	ok(tp_solve(it, 3, 50, 0, &r, t_alloc, t_free, NULL), "solve without DP");
	is_double(r.total_ev, 160, 0, "greedy alone picks 160");
	ok(!r.exact, "not exact");
	/* the best single wins over greedy */
	it[0] = item(1, 1, 2, 1);	/* ev 1, ratio 1 */
	it[1] = item(2, 1, 190, 100);	/* ev 90, ratio 0.9 */
	ok(tp_solve(it, 2, 100, 0, &r, t_alloc, t_free, NULL), "solve");
	is_double(r.total_ev, 90, 0, "best single 90 beats greedy 1");
	is_int(r.nchosen, 1, "one chosen");
	is_int(it[0].id, 2, "it is candidate 2");
	/* fractional costs in cents are solved exactly */
	it[0] = item(1, 0.5, 100, 10.25);
	it[1] = item(2, 0.5, 90, 10.5);
	it[2] = item(3, 0.5, 80, 10.75);
	ok(tp_solve(it, 3, 21.25, TP_DP_MAX_CELLS, &r, t_alloc, t_free, NULL), "cents");
	ok(r.exact && r.nchosen == 2, "cents: exact, two chosen");
	/* zero-cost candidates are always taken; all fit: exact without DP */
	it[0] = item(1, 0.1, 10, 0);
	it[1] = item(2, 0.5, 10, 1);
	ok(tp_solve(it, 2, 1, 0, &r, t_alloc, t_free, NULL), "zero cost");
	ok(r.exact && r.nchosen == 2 && r.total_cost == 1, "zero cost: both, exact");
	/* empty */
	ok(tp_solve(it, 0, 1, 0, &r, t_alloc, t_free, NULL) && r.nchosen == 0 && r.exact, "empty");
	/* out of memory: false and nothing leaked */
	it[0] = item(1, 1, 70, 10);
	it[1] = item(2, 1, 120, 20);
	it[2] = item(3, 1, 150, 30);
	fail_after = 2;
	ok(!tp_solve(it, 3, 50, TP_DP_MAX_CELLS, &r, t_alloc, t_free, NULL), "alloc failure");
	fail_after = -1;
	is_int(live, 0, "no leak after failure");

	/* random instances up to 20 candidates against brute force */
	for (trial = 0; trial < 300; trial++)
	{
		size_t		n = 1 + trial % 20,
					i;
		double		budget = floor(urand() * 60 * n / 2),
					want,
					got;
		tp_item		copy[24];

		for (i = 0; i < n; i++)
		{
			double		cost = floor(urand() * 60);
			double		p = urand();

			/* some cost in cents, some unprofitable */
			if (trial % 3 == 0)
				cost += floor(urand() * 100) / 100;
			it[i] = item((int64_t) i, p, urand() * 200, cost);
		}
		/* only the candidates with ev > 0 and cost <= budget go in */
		{
			size_t		m = 0;

			for (i = 0; i < n; i++)
				if (it[i].ev > 0 && it[i].cost <= budget)
					copy[m++] = it[i];
			want = brute(copy, m, budget);
			tp_solve(copy, m, budget, TP_DP_MAX_CELLS, &r, t_alloc, t_free, NULL);
			got = r.total_ev;
			if (r.exact && fabs(got - want) <= 1e-9 * fmax(1, want) && r.total_cost <= budget &&
				r.upper_bound >= want - 1e-9)
				exact_ok++;
			/* the heuristic: never below half the optimum, never above the bound */
			{
				size_t		k = 0;

				for (i = 0; i < n; i++)
					if (it[i].ev > 0 && it[i].cost <= budget)
						copy[k++] = it[i];
				tp_solve(copy, k, budget, 0, &r, t_alloc, t_free, NULL);
				heur_n++;
				if (r.total_ev >= want / 2 - 1e-9 && r.total_ev <= want + 1e-9 &&
					r.upper_bound >= want - 1e-9 && r.total_cost <= budget)
					heur_ok++;
			}
		}
	}
	is_int(exact_ok, 300, "DP equals brute force on 300 random instances (1 to 20 candidates)");
	is_int(heur_ok, heur_n, "greedy/single >= half the optimum, LP bound >= optimum");
	is_int(live, 0, "no leak");
}

static void
test_isotonic(void)
{
	double		x[8],
				y[8],
				w[8],
				ox[8],
				oy[8];
	double		y1[] = {3, 7, 5, 9, 8, 7, 10};
	double		want1[] = {3, 6, 6, 8, 8, 8, 10};
	double		x2[] = {1, 1, 2, 3, 4, 5};
	double		y2[] = {1, 2, 3, 4, 5, 6};
	double		want2[] = {1.5, 1.5, 3, 4, 5, 6};
	size_t		i,
				k;

	for (i = 0; i < 7; i++)
	{
		x[i] = (double) i;
		w[i] = 1;
	}
	k = cal_isotonic_fit(x, y1, w, 7, ox, oy, t_alloc, t_free);
	{
		/* fitted at each x: interpolate without the clamp */
		double		got[7];
		size_t		j;

		for (i = 0; i < 7; i++)
		{
			got[i] = NAN;
			for (j = 0; j < k; j++)
				if (ox[j] == x[i])
					got[i] = oy[j];
			if (isnan(got[i]))
			{
				for (j = 0; j + 1 < k && !(ox[j] <= x[i] && x[i] < ox[j + 1]); j++)
					;
				got[i] = oy[j] + (oy[j + 1] - oy[j]) * (x[i] - ox[j]) / (ox[j + 1] - ox[j]);
			}
		}
		for (i = 0; i < 7; i++)
			is_double(got[i], want1[i], 1e-15, "isotonic [3,7,5,9,8,7,10] at %zu", i);
	}
	is_int(k, 6, "interior points equal to both neighbours dropped (x = 4 only)");
	for (i = 0; i < 6; i++)
		w[i] = 1;
	k = cal_isotonic_fit(x2, y2, w, 6, ox, oy, t_alloc, t_free);
	is_int(k, 5, "ties pooled: 5 distinct x");
	for (i = 0; i < 6; i++)
	{
		size_t		j;

		for (j = 0; j < k && ox[j] != x2[i]; j++)
			;
		is_double(j < k ? oy[j] : NAN, want2[i], 1e-15, "ties example at %zu", i);
	}
	/* 0/1 labels: rates clamp nothing; clipping outside the range */
	{
		double		xs[] = {0.1, 0.2, 0.3, 0.4};
		double		ys[] = {0, 1, 0, 1};
		double		ws[] = {1, 1, 1, 1};

		k = cal_isotonic_fit(xs, ys, ws, 4, ox, oy, t_alloc, t_free);
		is_double(cal_isotonic_predict(ox, oy, k, -5), 0, 0, "clipped below");
		is_double(cal_isotonic_predict(ox, oy, k, 5), 1, 0, "clipped above");
		is_double(cal_isotonic_predict(ox, oy, k, 0.25), 0.5, 1e-15, "pooled middle");
		is_double(cal_isotonic_predict(ox, oy, k, 0.35), 0.75, 1e-15, "interpolated");
	}
	(void) y;
	is_int(live, 0, "no leak");
}

static void
test_platt(void)
{
	double		f[] = {-4, 1, 5};
	int64_t		rows[] = {1, 1, 1};
	int64_t		pos[] = {0, 0, 1};
	double		a,
				b;

	cal_platt_fit(f, rows, pos, 3, &a, &b);
	is_double(a, -0.20261354391187855, 1e-6, "Platt A on [5, -4, 1] / [1, 0, 0]");
	is_double(b, 0.6523631498001051, 1e-6, "Platt B");
	ok(fabs(a - -0.20261354391187855) < 1e-6 && fabs(b - 0.6523631498001051) < 1e-6,
	   "A and B to 1e-6 absolute");
	is_double(cal_platt_predict(a, b, 5), 1 / (1 + exp(a * 5 + b)), 1e-15, "predict");
	is_double(cal_platt_predict(1, 0, 1000), 0, 0, "no overflow: large z");
	is_double(cal_platt_predict(-1, 0, 1000), 1, 0, "no overflow: small z");
}

static void
test_curve(void)
{
	/* descending groups: 0.9 (2 rows, 2 pos), 0.5 (1, 0), 0.1 (1, 0), 0.05 (1, 1) */
	double		s[] = {0.9, 0.5, 0.1, 0.05};
	int64_t		r[] = {2, 1, 1, 1};
	int64_t		p[] = {2, 0, 0, 1};
	int64_t		br[10],
				bp[10];
	double		bs[10],
				e[11];

	cal_curve_bins(s, r, p, 4, 10, 0, br, bp, bs, e);
	/* 0.1 is on the edge: it goes to the first bin, as np.searchsorted left */
	ok(br[0] == 2 && bp[0] == 1 && br[4] == 1 && br[8] == 2 && bp[8] == 2, "uniform bins");
	cal_curve_bins(s, r, p, 4, 2, 1, br, bp, bs, e);
	/* quantile edges of [0.05, 0.1, 0.5, 0.9, 0.9]: 0.05, 0.5, 0.9 */
	ok(br[0] == 3 && br[1] == 2, "quantile bins");
	is_double(e[1], 0.5, 0, "median edge");
}

static void
test_uplift(void)
{
	/*
	 * Rows (score, treated, converted): (3,1,1) (2,1,0) (2,0,0) (1,0,1)
	 * (1,1,1) (0,0,0).  Qini: x 1: 1 - 0 = 1; x 3: 1 - 0 * 2/1 = 1;
	 * x 5: 2 - 1 * 3/2 = 0.5; x 6: 2 - 1 * 3/3 = 1.
	 */
	double		score[] = {3, 2, 1, 0};
	int64_t		nt[] = {1, 1, 1, 0},
				yt[] = {1, 0, 1, 0},
				nc[] = {0, 1, 1, 1},
				yc[] = {0, 0, 1, 0};
	up_groups	u = {4, score, nt, yt, nc, yc};
	int64_t		bnt[3],
				byt[3],
				bnc[3],
				byc[3];
	double		bq[3];
	double		area,
				perfect,
				base;

	/* area: (1-0)(1+0)/2 + (3-1)(1+1)/2 + (5-3)(1+0.5)/2 + (6-5)(0.5+1)/2 */
	area = 0.5 + 2 + 1.5 + 0.75;
	/*
	 * perfect (negative effects): TR (2) first: x 2 y 2; then TN+CN (1+2):
	 * x 5, y 2 - 0 = 2; then CR (1): x 6, y 2 - 1 * 3/3 = 1.
	 */
	perfect = 2 * 2 / 2.0 + 3 * (2 + 2) / 2.0 + 1 * (2 + 1) / 2.0;
	base = 6 * 1 / 2.0;
	is_double(up_qini_auc(&u), (area - base) / (perfect - base), 1e-15, "qini by hand");
	/* uplift at k = 0.5: top 3 rows: treated 1/2, control 0/1 */
	is_double(up_at_k(&u, 0.5, 0), 0.5, 1e-15, "uplift@0.5 overall");
	/* by group: top int(3 * 0.5) = 1 treated (1/1), 1 control (0/1) */
	is_double(up_at_k(&u, 0.5, 1), 1, 1e-15, "uplift@0.5 by group");
	/* k cutting the tie group at score 2: top 2 rows = score 3 + half of score 2 */
	is_double(up_at_k(&u, 2.0 / 6 + 1e-9, 0), 1 / 1.5 - 0 / 0.5, 1e-12, "tie group in proportion");
	ok(isnan(up_at_k(&u, 0.1, 0)), "no control row in the top: NaN");
	up_buckets(&u, 3, bnt, byt, bnc, byc, bq);
	ok(bnt[0] == 2 && bnc[0] == 1 && bnt[1] == 1 && bnc[1] == 1 && bnt[2] == 0 && bnc[2] == 1,
	   "buckets: ties whole in the bucket of their first row");
	is_double(bq[2], 1, 1e-15, "cumulative qini at the end");
	{
		/* uplift curve by hand: points x 1: (1/1 - 0) * 1 = 1; x 3: (1/2 - 0/1) * 3 = 1.5;
		 * x 5: (2/3 - 1/2) * 5 = 5/6; x 6: (2/3 - 1/3) * 6 = 2 */
		double		ua = 0.5 + 2 * (1 + 1.5) / 2 + 2 * (1.5 + 5.0 / 6) / 2 + 1 * (5.0 / 6 + 2) / 2;
		/*
		 * perfect: cr 1 > tn 1? no: summand = treatment: TR (2), CN (2), TN (1), CR (1):
		 * x 2: (2/2 - 0) * 2 = 2; x 4: (1 - 0/2) * 4 = 4; x 5: (2/3 - 0) * 5 = 10/3;
		 * x 6: (2/3 - 1/3) * 6 = 2
		 */
		double		up = 2 * 2 / 2.0 + 2 * (2 + 4) / 2.0 + 1 * (4 + 10.0 / 3) / 2 + 1 * (10.0 / 3 + 2) / 2;
		double		ub = 6 * 2 / 2.0;

		is_double(up_uplift_auc(&u), (ua - ub) / (up - ub), 1e-14, "uplift auc by hand");
	}
}

static const char *
parse_plan(const char *s)
{
	static char err[BJ_ERR_SIZE];
	tp_plan		p;
	const char *r = tp_plan_parse(s, strlen(s), 1000, &p, t_alloc, t_free, err, sizeof(err));

	if (r == NULL)
		t_free(p.items);
	return r;
}

static const char *
parse_cal(const char *s)
{
	static char err[BJ_ERR_SIZE];
	cal_model	m;
	const char *r = cal_model_parse(s, strlen(s), 1000, &m, t_alloc, t_free, err, sizeof(err));

	if (r == NULL && m.x)
	{
		t_free(m.x);
		t_free(m.y);
	}
	return r;
}

static const char *
parse_up(const char *s)
{
	static char err[BJ_ERR_SIZE];
	up_groups	u;
	const char *r = up_parse(s, strlen(s), 1000, &u, t_alloc, t_free, err, sizeof(err));

	if (r == NULL)
		up_free(&u, t_free);
	return r;
}

static void
test_readers(void)
{
	is_str(parse_plan("{\"version\": 1, \"budget\": 50, \"candidates\": 3, \"exact\": true, \"upper_bound\": 240, \"ids\": [2, 3], \"p\": [1, 1], \"value\": [120, 150], \"cost\": [20, 30]}"),
		   NULL, "plan parses");
	is_str(parse_plan("{\"version\": 1, \"budget\": 40, \"candidates\": 3, \"exact\": true, \"upper_bound\": 240, \"ids\": [2, 3], \"p\": [1, 1], \"value\": [120, 150], \"cost\": [20, 30]}"),
		   "the chosen cost more than the budget", "plan over budget");
	is_str(parse_plan("{\"version\": 1, \"budget\": 50, \"candidates\": 3, \"exact\": true, \"upper_bound\": 240, \"ids\": [2], \"p\": [1, 1], \"value\": [120, 150], \"cost\": [20, 30]}"),
		   "\"ids\", \"p\", \"value\" and \"cost\" differ in length at character 145", "plan lengths");
	ok(parse_plan("{\"version\": 2}") != NULL, "plan version");
	is_str(parse_plan("{\"version\": 1, \"budget\": 50, \"candidates\": 3, \"exact\": true, \"upper_bound\": 240, \"ids\": [2], \"p\": [0.1], \"value\": [10], \"cost\": [20]}"),
		   "every chosen candidate has a positive expected value", "plan negative ev");
	is_str(parse_cal("{\"version\": 1, \"method\": \"platt\", \"rows\": 3, \"positives\": 1, \"a\": -0.2, \"b\": 0.65}"), NULL, "platt parses");
	is_str(parse_cal("{\"version\": 1, \"method\": \"isotonic\", \"rows\": 3, \"positives\": 1, \"x\": [1, 2], \"y\": [0, 1]}"), NULL, "isotonic parses");
	is_str(parse_cal("{\"version\": 1, \"method\": \"isotonic\", \"rows\": 3, \"positives\": 1, \"x\": [2, 1], \"y\": [0, 1]}"), "x must be strictly increasing", "isotonic order");
	is_str(parse_cal("{\"version\": 1, \"method\": \"isotonic\", \"rows\": 3, \"positives\": 1, \"x\": [1, 2], \"y\": [1, 0]}"), "y must be non-decreasing", "isotonic y order");
	ok(parse_cal("{\"version\": 1, \"method\": \"platt\", \"rows\": 3, \"positives\": 1, \"a\": 1}") != NULL, "platt without b");
	ok(parse_cal("{\"version\": 1, \"method\": \"bogus\", \"rows\": 3, \"positives\": 1}") != NULL, "bad method");
	is_str(parse_cal("{\"version\": 1, \"method\": \"platt\", \"rows\": 3, \"positives\": 3, \"a\": 1, \"b\": 0}"), "rows and positives need 0 < positives < rows", "one class");
	is_str(parse_up("{\"version\": 1, \"scores\": [2, 1], \"treated\": [1, 0], \"treated_conversions\": [1, 0], \"control\": [0, 1], \"control_conversions\": [0, 0]}"), NULL, "uplift parses");
	is_str(parse_up("{\"version\": 1, \"scores\": [1, 2], \"treated\": [1, 0], \"treated_conversions\": [1, 0], \"control\": [0, 1], \"control_conversions\": [0, 0]}"), "scores must be distinct and in descending order", "uplift order");
	ok(parse_up("{\"version\": 1, \"scores\": [2], \"treated\": [0], \"treated_conversions\": [0], \"control\": [0], \"control_conversions\": [0]}") != NULL, "uplift empty group");
	ok(parse_up("{\"version\": 1, \"scores\": [2], \"treated\": [1], \"treated_conversions\": [2], \"control\": [0], \"control_conversions\": [0]}") != NULL, "uplift conversions > rows");
	/* every allocation failure is reported, nothing leaks */
	{
		int			k,
					fails = 0;

		for (k = 0; k < 12; k++)
		{
			fail_after = k;
			if (parse_up("{\"version\": 1, \"scores\": [2, 1], \"treated\": [1, 0], \"treated_conversions\": [1, 0], \"control\": [0, 1], \"control_conversions\": [0, 0]}") != NULL)
				fails++;
			fail_after = k;
			if (parse_plan("{\"version\": 1, \"budget\": 50, \"candidates\": 3, \"exact\": true, \"upper_bound\": 240, \"ids\": [2, 3], \"p\": [1, 1], \"value\": [120, 150], \"cost\": [20, 30]}") != NULL)
				fails++;
			fail_after = k;
			if (parse_cal("{\"version\": 1, \"method\": \"isotonic\", \"rows\": 3, \"positives\": 1, \"x\": [1, 2], \"y\": [0, 1]}") != NULL)
				fails++;
		}
		fail_after = -1;
		ok(fails > 0, "allocation failures reported");
	}
	is_int(live, 0, "no leak in the readers");
}

int
main(void)
{
	test_knapsack();
	test_isotonic();
	test_platt();
	test_curve();
	test_uplift();
	test_readers();
	return tap_done();
}
