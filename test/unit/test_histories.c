/* Unit tests of histories_core.c (no server): the canonical order, the
 * in-place merge of an unsorted tail, the checks and the text form. */
#include <stdlib.h>

#include "tap.h"
#include "out_buf.h"
#include "bgnbd_core.h"
#include "histories_core.h"

#define NE 20000
static rh_entry buf[2 * NE];
static rh_entry ref[2 * NE];

static unsigned long long rng = 88172645463325252ULL;

static unsigned
next_u(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned) (rng % n);
}

static rh_entry
bg_entry(unsigned spread)
{
	rh_entry	e;
	double		T = 10 + next_u(spread);

	e.v[0] = next_u(4);
	e.v[1] = e.v[0] == 0 ? 0 : 1 + next_u((unsigned) T);
	if (e.v[1] > T)
		e.v[1] = T;
	e.v[2] = T;
	e.n = 1 + next_u(3);
	return e;
}

/* The brute-force reference: sort everything, add up equal neighbours. */
static size_t
brute(rh_entry *e, size_t n)
{
	size_t		i,
				k = 0;

	qsort(e, n, sizeof(rh_entry), rh_cmp);
	for (i = 0; i < n; i++)
		if (k > 0 && rh_cmp(&e[k - 1], &e[i]) == 0)
			e[k - 1].n += e[i].n;
		else
			e[k++] = e[i];
	return k;
}

static bool
same(const rh_entry *a, const rh_entry *b, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (rh_cmp(&a[i], &b[i]) != 0 || a[i].n != b[i].n)
			return false;
	return true;
}

int
main(void)
{
	unsigned	spreads[3] = {3, 40, 100000};
	int			si;
	char		err[BJ_ERR_SIZE];
	bool		overflow;
	rh_set		s;
	size_t		n,
				ns,
				i;

	/* merging tails into a sorted prefix equals sorting everything at once */
	for (si = 0; si < 3; si++)
	{
		size_t		total = 0,
					nref;
		bool		ok_all = true;

		ns = 0;
		for (i = 0; i < 8; i++)
		{
			size_t		np = 1 + next_u(i == 0 ? 10 : 2000),
						j;

			for (j = 0; j < np; j++)
				ref[total + j] = buf[ns + j] = bg_entry(spreads[si]);
			total += np;
			ns = rh_normalize(buf, ns, np, &overflow);
			ok_all = ok_all && ns != (size_t) -1 && !overflow;
			s.kind = REPEAT_BGNBD;
			s.skipped = 0;
			s.nsorted = ns;
			s.npending = 0;
			s.e = buf;
			ok_all = ok_all && rh_problem(&s) == NULL;
		}
		nref = brute(ref, total);
		ok(ok_all, "spread %u: every merged state is valid and sorted", spreads[si]);
		is_int(ns, nref, "spread %u: as many distinct histories as the brute force", spreads[si]);
		ok(same(buf, ref, nref), "spread %u: the same histories and counts", spreads[si]);
	}

	/* duplicates across the prefix and the tail, and within the tail */
	buf[0] = (rh_entry) {{0, 0, 10}, 2};
	buf[1] = (rh_entry) {{1, 5, 10}, 1};
	buf[2] = (rh_entry) {{1, 5, 10}, 3};
	buf[3] = (rh_entry) {{0, 0, 10}, 1};
	buf[4] = (rh_entry) {{0, 0, 9}, 1};
	buf[5] = (rh_entry) {{1, 5, 10}, 1};
	n = rh_normalize(buf, 2, 4, &overflow);
	is_int(n, 3, "prefix + tail: 3 distinct histories");
	ok(buf[0].v[2] == 9 && buf[0].n == 1 && buf[1].v[2] == 10 && buf[1].n == 3 && buf[2].v[0] == 1 && buf[2].n == 5,
	   "prefix + tail: counts added, in order");
	is_int(rh_normalize(buf, 3, 0, &overflow), 3, "an empty tail changes nothing");

	/* count overflow */
	buf[0] = (rh_entry) {{1, 5, 10}, INT64_MAX};
	buf[1] = (rh_entry) {{1, 5, 10}, 1};
	ok(rh_normalize(buf, 1, 1, &overflow) == (size_t) -1 && overflow, "a count overflow is reported");
	buf[0] = (rh_entry) {{1, 5, 10}, INT64_MAX};
	buf[1] = (rh_entry) {{1, 5, 10}, 1};
	ok(rh_normalize(buf, 0, 2, &overflow) == (size_t) -1 && overflow, "a count overflow within the tail is reported");
	{
		int64_t		t;

		buf[0] = (rh_entry) {{1, 5, 10}, INT64_MAX};
		buf[1] = (rh_entry) {{2, 5, 10}, 1};
		ok(!rh_total(buf, 2, &t), "rh_total: overflow");
		buf[0].n = 40;
		ok(rh_total(buf, 2, &t) && t == 41, "rh_total: 41");
	}

	/* entry checks */
	{
		rh_entry	e = {{1, 5, 10}, 1};

		ok(rh_entry_problem(REPEAT_BGNBD, &e) == NULL, "a valid BG/NBD history");
		e.v[1] = 11;
		ok(rh_entry_problem(REPEAT_BGNBD, &e) != NULL, "recency > T");
		e.v[1] = 5;
		e.n = 0;
		ok(rh_entry_problem(REPEAT_BGNBD, &e) != NULL, "count 0");
		e = (rh_entry) {{-0.0, 0, 10}, 1};
		ok(rh_entry_problem(REPEAT_BGNBD, &e) != NULL, "-0");
		e = (rh_entry) {{2, 9.5, 0}, 1};
		ok(rh_entry_problem(REPEAT_GG, &e) == NULL, "a valid Gamma-Gamma history");
		e.v[0] = 0;
		ok(rh_entry_problem(REPEAT_GG, &e) != NULL, "Gamma-Gamma frequency 0");
		e = (rh_entry) {{2, 9.5, 1}, 1};
		ok(rh_entry_problem(REPEAT_GG, &e) != NULL, "Gamma-Gamma with a third value");
		ok(rh_entry_problem(7, &e) != NULL, "unknown kind");
	}
	buf[0] = (rh_entry) {{1, 5, 10}, 1};
	buf[1] = (rh_entry) {{0, 0, 10}, 1};
	s = (rh_set) {REPEAT_BGNBD, 0, 2, 0, buf};
	ok(rh_problem(&s) != NULL, "rh_problem: prefix out of order");
	s = (rh_set) {REPEAT_BGNBD, 0, 0, 2, buf};
	ok(rh_problem(&s) == NULL, "rh_problem: a tail in any order");
	s = (rh_set) {REPEAT_BGNBD, -1, 0, 0, buf};
	ok(rh_problem(&s) != NULL, "rh_problem: negative skipped");

	/* the text form round-trips exactly */
	{
		const char *txt = "{\"version\": 1, \"kind\": \"bgnbd\", \"skipped\": 4, \"histories\": [[0,0,30,3],[1,2.5,30,1],[2,10,31,2]]}";
		out_buf	ob;
		rh_set		t;

		ok(rh_parse(txt, strlen(txt), &s, err, sizeof err) == NULL, "parse a BG/NBD value");
		is_int(s.nsorted, 3, "3 histories");
		is_int(s.skipped, 4, "skipped 4");
		out_buf_init(&ob);
		rh_write(&ob.w, &s);
		is_str(ob.s, txt, "written back the same");
		ok(rh_parse(ob.s, ob.len, &t, err, sizeof err) == NULL && t.nsorted == 3 && same(s.e, t.e, 3), "and read again");
		free(t.e);
		free(s.e);
		out_buf_free(&ob);

		/* a large random value: write, read, the same entries */
		ns = 0;
		for (i = 0; i < NE; i++)
			buf[i] = bg_entry(100000);
		ns = rh_normalize(buf, 0, NE, &overflow);
		for (i = 0; i < ns; i++)
			buf[i].v[1] = buf[i].v[0] == 0 ? 0 : buf[i].v[1] / 7.0 > buf[i].v[2] ? buf[i].v[2] : buf[i].v[1] / 7.0;
		ns = rh_normalize(buf, 0, ns, &overflow);
		s = (rh_set) {REPEAT_BGNBD, 12, ns, 0, buf};
		ok(rh_problem(&s) == NULL, "random value is valid");
		out_buf_init(&ob);
		rh_write(&ob.w, &s);
		ok(rh_parse(ob.s, ob.len, &t, err, sizeof err) == NULL && t.nsorted == ns && same(buf, t.e, ns) && t.skipped == 12,
		   "%zu random histories round-trip exactly", ns);
		free(t.e);
		out_buf_free(&ob);
	}
	{
		const char *gg = "{ \"kind\": \"gamma_gamma\", \"version\": 1, \"skipped\": 0, \"histories\": [[1, 9.99, 2], [3, 1e2, 1]]}";

		ok(rh_parse(gg, strlen(gg), &s, err, sizeof err) == NULL && s.kind == REPEAT_GG && s.nsorted == 2 &&
		   s.e[1].v[1] == 100 && s.e[1].v[2] == 0, "parse a Gamma-Gamma value");
		free(s.e);
	}
	{
		static const char *const bad[] = {
			"{\"version\": 1, \"kind\": \"bgnbd\", \"skipped\": 0, \"histories\": [[1,5,10,1],[0,0,10,1]]}",
			"{\"version\": 1, \"kind\": \"bgnbd\", \"skipped\": 0, \"histories\": [[1,5,10,1],[1,5,10,1]]}",
			"{\"version\": 1, \"kind\": \"bgnbd\", \"skipped\": 0, \"histories\": [[1,5,10]]}",
			"{\"version\": 1, \"kind\": \"bgnbd\", \"skipped\": 0, \"histories\": [[1,5,10,1,1]]}",
			"{\"version\": 1, \"kind\": \"bgnbd\", \"skipped\": 0, \"histories\": [[1,5,10,0]]}",
			"{\"version\": 1, \"kind\": \"bgnbd\", \"skipped\": 0, \"histories\": [[1,5,10,1.5]]}",
			"{\"version\": 1, \"kind\": \"bgnbd\", \"skipped\": 0, \"histories\": [[1,11,10,1]]}",
			"{\"version\": 1, \"kind\": \"bgnbd\", \"skipped\": 0, \"histories\": [[1,5,10,9223372036854775807],[2,5,10,1]]}",
			"{\"version\": 1, \"histories\": [], \"kind\": \"bgnbd\", \"skipped\": 0}",
			"{\"version\": 2, \"kind\": \"bgnbd\", \"skipped\": 0, \"histories\": []}",
			"{\"version\": 1, \"kind\": \"gamma\", \"skipped\": 0, \"histories\": []}",
			"{\"version\": 1, \"kind\": \"gamma_gamma\", \"skipped\": 0, \"histories\": [[0,5,1]]}",
			"{\"version\": 1, \"kind\": \"bgnbd\", \"skipped\": -3, \"histories\": []}",
			"{\"version\": 1, \"kind\": \"bgnbd\", \"skipped\": 0}",
			"{\"version\": 1, \"kind\": \"bgnbd\", \"skipped\": 0, \"histories\": []",
			"",
			NULL
		};

		for (i = 0; bad[i]; i++)
		{
			s.e = NULL;
			ok(rh_parse(bad[i], strlen(bad[i]), &s, err, sizeof err) != NULL && s.e == NULL,
			   "rejected (%s): %.60s", err, bad[i]);
		}
	}
	return tap_done();
}
