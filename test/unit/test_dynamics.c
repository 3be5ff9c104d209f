/*
 * test_dynamics.c — unit tests of dynamics_core.c (stage transitions, the
 * absorbing chain) and survival_core.c (Kaplan–Meier, log-log interval,
 * Aalen–Johansen, text readers).
 */
#include <stdlib.h>

#include "dynamics_core.h"
#include "json_core.h"
#include "survival_core.h"
#include "tap.h"

#define DAY INT64_C(86400000000)

static void
stays(JStay *s, const int *stage, int n)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		s[i].entered = s[i].last = i * DAY;
		s[i].events = 1;
		s[i].stage = stage[i];
		s[i].reserved = 0;
	}
}

static void
test_walk(void)
{
	/* drunkard's walk: 2,3,4 transient; lost and purchase absorb */
	static const int j1[] = {2, 3, 4, 5};
	static const int j2[] = {4, 3, 2};
	JStay		s[4];
	DynTable	t;
	DynChain	c;

	memset(&t, 0, sizeof(t));
	stays(s, j1, 4);
	is_int(dyn_add_journey(&t, s, 4, true, 30 * DAY, true, 100 * DAY), DYN_OK, "walk 1 added");
	stays(s, j2, 3);
	is_int(dyn_add_journey(&t, s, 3, true, 30 * DAY, true, 100 * DAY), DYN_OK, "walk 2 added");
	is_int(t.cell[1][DYN_LOST].moves, 1, "consideration lost once");
	is_int(t.cell[4][DYN_OPEN].moves, 1, "purchase stays open");
	ok(dyn_check(&t) == NULL, "table consistent");
	dyn_chain(&t, 5, &c);
	is_double(c.N[1][1], 1.5, 1e-12, "N[c][c] = 1.5");
	is_double(c.N[1][2], 1.0, 1e-12, "N[c][e] = 1");
	is_double(c.N[1][3], 0.5, 1e-12, "N[c][d] = 0.5");
	is_double(c.N[2][2], 2.0, 1e-12, "N[e][e] = 2");
	is_double(c.N[3][1], 0.5, 1e-12, "N[d][c] = 0.5");
	is_double(c.moves_all[1], 3, 1e-12, "expected steps from c = 3");
	is_double(c.moves_all[2], 4, 1e-12, "expected steps from e = 4");
	is_double(c.moves_all[3], 3, 1e-12, "expected steps from d = 3");
	is_double(c.reach[1], 0.25, 1e-12, "absorbed at purchase from c = 0.25");
	is_double(c.lost[1], 0.75, 1e-12, "absorbed at lost from c = 0.75");
	is_double(c.reach[2], 0.5, 1e-12, "from e = 0.5");
	is_double(c.reach[3], 0.75, 1e-12, "from d = 0.75");
	is_double(c.moves_to[1], 5, 1e-12, "moves to purchase given reached, from c = 5");
	is_double(c.moves_to[3], 7.0 / 3, 1e-12, "from d = 7/3");
	is_double(c.time_to[2], 4.0 * DAY, 1e-12, "time from e = 4 days (a day a move)");
	ok(!c.has_data[0] && isnan(c.reach[0]), "awareness has no data");

	/* stuck: a loop that never absorbs */
	{
		static const int loop[] = {2, 3, 2, 3};
		DynTable	u;

		memset(&u, 0, sizeof(u));
		stays(s, loop, 4);
		dyn_add_journey(&u, s, 4, false, 0, false, 0);
		dyn_chain(&u, 5, &c);
		ok(c.stuck[1] && c.stuck[2], "loop stages are stuck");
		is_double(c.reach[1], 0, 0, "stuck reach = 0");
		ok(isnan(c.moves_to[1]), "stuck moves_to undefined");
	}
}

static void
test_table_text(void)
{
	DynTable	t,
				u;
	char		buf[DYN_TEXT_MAX];
	char		err[BJ_ERR_SIZE];
	size_t		k;
	static const char *bad[] = {
		"{\"journeys\": 1}",
		"{\"journeys\": -1, \"moves\": []}",
		"{\"journeys\": 1, \"moves\": [{\"from\": \"decision\", \"to\": \"decision\", \"moves\": 1, \"dwell_us\": 0}]}",
		"{\"journeys\": 1, \"moves\": [{\"from\": \"decision\", \"to\": \"lost\", \"moves\": 1, \"dwell_us\": 01}]}",
		"{\"journeys\": 1, \"moves\": [{\"from\": \"decision\", \"to\": \"lost\", \"moves\": 1, \"dwell_us\": 1.5}]}",
		"{\"journeys\": 1, \"moves\": [{\"from\": \"decision\", \"to\": \"lost\", \"moves\": 1}]}",
		"{\"journeys\": 1, \"moves\": [{\"from\": \"Decision\", \"to\": \"lost\", \"moves\": 1, \"dwell_us\": 1}]}",
		NULL
	};
	int			i;

	memset(&t, 0, sizeof(t));
	t.journeys = 3;
	t.cell[3][DYN_OPEN].moves = INT64_MAX;
	t.cell[3][DYN_OPEN].dwell_hi = INT64_MAX;
	t.cell[3][DYN_OPEN].dwell_lo = UINT64_MAX;
	t.cell[0][1].moves = 2;
	t.cell[0][1].dwell_lo = 7;
	k = dyn_format(&t, buf, sizeof(buf));
	ok(k > 0, "formatted: %s", buf);
	ok(dyn_parse(buf, k, &u, err, sizeof(err)) == NULL && memcmp(&t, &u, sizeof(t)) == 0, "round trip with 2^127 - 1");
	ok(dyn_add_table(&u, &t) == DYN_OVERFLOW, "adding overflows");
	for (i = 0; bad[i]; i++)
		ok(dyn_parse(bad[i], strlen(bad[i]), &u, err, sizeof(err)) != NULL, "rejects %s (%s)", bad[i], err);
}

static void
test_km(void)
{
	/* lifelines' example: 5,6,6,2.5,4,4 days, events 1,0,0,1,1,1 */
	SPoint		p[] = {
		{5 * DAY, 1, 0, 1}, {6 * DAY, 0, 0, 1}, {6 * DAY, 0, 0, 1},
		{5 * DAY / 2, 1, 0, 1}, {4 * DAY, 1, 0, 1}, {4 * DAY, 1, 0, 1}
	};
	size_t		n = 6;
	KmIter		it;
	KmRow		r;
	int64_t		med;
	double		lo,
				hi,
				v;

	spoints_sort(p, n);
	ok(spoints_coalesce(p, &n) && n == 4, "coalesced to 4 points");
	ok(spoints_check(p, n, 1) == NULL, "checked");
	{
		SPoint		key = {4 * DAY, 1, 0, 0};

		is_int(spoints_find(p, n, &key), 1, "found 4 days");
	}
	km_begin(&it, p, n);
	ok(km_next(&it, &r) && r.at_risk == 6 && r.events == 1, "2.5 days: 6 at risk, 1 event");
	is_double(r.survival, 5.0 / 6, 1e-15, "S(2.5) = 5/6");
	ok(km_next(&it, &r) && r.at_risk == 5 && r.events == 2, "4 days: 5 at risk, 2 events");
	is_double(r.survival, 0.5, 1e-15, "S(4) = 1/2");
	v = 1.0 / (6 * 5) + 2.0 / (5 * 3);
	is_double(r.var, v, 1e-15, "Greenwood V(4)");
	lo = exp(-exp(log(-log(0.5)) + SURV_Z95 * sqrt(v) / -log(0.5)));
	hi = exp(-exp(log(-log(0.5)) - SURV_Z95 * sqrt(v) / -log(0.5)));
	is_double(r.lower, lo, 1e-14, "log-log lower at 4 days");
	is_double(r.upper, hi, 1e-14, "log-log upper at 4 days");
	ok(km_next(&it, &r) && km_next(&it, &r) && r.censored == 2 && r.at_risk == 2, "6 days: 2 censored of 2");
	ok(!km_next(&it, &r), "done");
	ok(km_median(p, n, &med) && med == 4 * DAY, "median 4 days");
	is_double(km_survival_at(p, n, 3 * DAY), 5.0 / 6, 1e-15, "S(3 days)");
	km_loglog(1.0, 0, SURV_Z95, &lo, &hi);
	ok(lo == 1 && hi == 1, "bounds 1 at S = 1");
	km_loglog(0.0, 0, SURV_Z95, &lo, &hi);
	ok(lo == 0 && hi == 0, "bounds 0 at S = 0");
}

static void
test_aj(void)
{
	/* durations 1..6, outcomes censored,1,1,2,2,censored */
	SPoint		p[] = {
		{1 * DAY, 0, 0, 1}, {2 * DAY, 1, 0, 1}, {3 * DAY, 1, 0, 1},
		{4 * DAY, 2, 0, 1}, {5 * DAY, 2, 0, 1}, {6 * DAY, 0, 0, 1}
	};
	AjIter		it;
	int64_t		t,
				risk;

	aj_begin(&it, p, 6, 2);
	while (aj_next(&it, &t, &risk))
		;
	is_double(it.inc[1], 0.4, 1e-15, "incidence of 2 at 6 = 0.4");
	is_double(it.inc[0], 0.4, 1e-15, "incidence of 1 at 6 = 0.4");
}

static void
test_surv_text(void)
{
	SText	   *t = malloc(sizeof(SText));
	char		err[BJ_ERR_SIZE];
	const char *ok1 = "{\"points\": [[1, 2, 0], [5, 0, 3]], \"skipped\": 4}";
	const char *ok2 = "{\"outcomes\": [\"lost\", \"won\"], \"points\": [[1, 1, 0, 2]]}";
	static const char *bad[] = {
		"{\"points\": [[1, 1, 0], [1, 0, 1]]}",
		"{\"points\": [[1, 0, 0]]}",
		"{\"points\": [[1, 1]]}",
		"{\"points\": [[-1, 1, 0]]}",
		"{\"points\": [[1, 9223372036854775807, 1]]}",
		"{\"outcomes\": [\"won\", \"lost\"], \"points\": []}",
		"{\"outcomes\": [\"\"], \"points\": []}",
		"{\"points\": [], \"outcomes\": []}",
		NULL
	};
	int			i;

	ok(surv_parse(ok1, strlen(ok1), false, 100, t, malloc, free, err, sizeof(err)) == NULL &&
	   t->n == 2 && t->skipped == 4 && t->points[0].outcome == 1 && t->points[0].count == 2 &&
	   t->points[1].outcome == 0 && t->points[1].count == 3, "survival text read");
	free(t->points);
	ok(surv_parse(ok2, strlen(ok2), true, 100, t, malloc, free, err, sizeof(err)) == NULL &&
	   t->noutcomes == 2 && t->n == 2 && strcmp(t->names[1], "won") == 0 &&
	   t->points[1].outcome == 2 && t->points[1].count == 2, "cumulative incidence text read");
	free(t->points);
	ok(surv_parse(ok1, strlen(ok1), false, 1, t, malloc, free, err, sizeof(err)) != NULL, "max points enforced");
	for (i = 0; bad[i]; i++)
	{
		bool		cif = strstr(bad[i], "outcomes") != NULL;

		ok(surv_parse(bad[i], strlen(bad[i]), cif, 100, t, malloc, free, err, sizeof(err)) != NULL,
		   "rejects %s (%s)", bad[i], err);
	}
	{
		char		q[64];

		surv_json_string("a\"b\\c\td", q);
		is_str(q, "\"a\\\"b\\\\c\\u0009d\"", "JSON string escaped");
	}
	free(t);
}

int
main(void)
{
	test_walk();
	test_table_text();
	test_km();
	test_aj();
	test_surv_text();
	printf("1..%d\n", tap_n);
	return tap_done();
}
