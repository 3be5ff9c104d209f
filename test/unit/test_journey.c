/* test_journey.c — unit tests of journey_core.c. */
#include "tap.h"
#include "journey_core.h"

static JStay
pt(int64_t t, int stage)
{
	JStay		s = {t, t, 1, stage, 0};

	return s;
}

static JStay
rg(int64_t a, int64_t b, int64_t n, int stage)
{
	JStay		s = {a, b, n, stage, 0};

	return s;
}

static int
level(const int *stages, const int64_t *ts, int n, int64_t window, int modes)
{
	JPoint		ev[64];
	int			i;

	for (i = 0; i < n; i++)
	{
		ev[i].ts = ts[i];
		ev[i].stage = stages[i];
		ev[i].count = 1;
	}
	jpoints_sort(ev, n);
	return window_funnel_level(ev, n, window, modes, 7);
}

int
main(void)
{
	/* sort + normalize of points: identical points merge, others stay */
	{
		JStay		a[] = {pt(5, 2), pt(1, 1), pt(5, 1), pt(1, 1), pt(3, 1)};
		size_t		n = 5;

		jstays_sort(a, n);
		is_int(jstays_normalize(a, &n, false), JN_OK, "normalize points");
		is_int(n, 4, "identical points merged");
		is_int(a[0].events, 2, "merged count");
		is_int(a[2].entered * 10 + a[2].stage, 51, "equal ts: lower stage first");
		ok(jstays_check(a, n) == NULL, "normalized list passes the check");
		is_int(jstays_normalize(a, &n, true), JN_OK, "coalesce");
		is_int(n, 2, "coalesced into two stays");
		is_int(a[0].last, 5, "stay ends at its last event");
		is_int(a[0].events, 4, "stay counts its events");
	}
	/* ranges: same-stage overlap merges, another stage inside is ambiguous */
	{
		JStay		a[] = {rg(1, 10, 3, 1), rg(5, 12, 3, 1), pt(20, 2)};
		size_t		n = 3;

		is_int(jstays_normalize(a, &n, false), JN_OK, "overlapping ranges of one stage");
		is_int(n, 2, "merged");
		is_int(a[0].last, 12, "merged range end");
	}
	{
		JStay		a[] = {rg(1, 10, 3, 1), pt(5, 2)};
		size_t		n = 2;

		is_int(jstays_normalize(a, &n, false), JN_AMBIGUOUS, "another stage inside a range");
	}
	{
		JStay		a[] = {rg(1, 10, 3, 2), pt(10, 1)};
		size_t		n = 2;

		is_int(jstays_normalize(a, &n, false), JN_AMBIGUOUS, "lower stage at a range's last instant");
	}
	{
		JStay		a[] = {rg(1, 10, 3, 2), pt(10, 3)};
		size_t		n = 2;

		is_int(jstays_normalize(a, &n, false), JN_OK, "higher stage at a range's last instant follows it");
	}
	{
		JStay		a[] = {rg(1, 10, INT64_MAX, 1), pt(10, 1)};
		size_t		n = 2;

		is_int(jstays_normalize(a, &n, false), JN_OVERFLOW, "event count overflow");
	}
	/* check */
	{
		JStay		bad1[] = {pt(1, 8)};
		JStay		bad2[] = {rg(5, 1, 2, 1)};
		JStay		bad3[] = {rg(1, 5, 1, 1)};
		JStay		bad4[] = {pt(5, 1), pt(1, 2)};
		JStay		bad5[] = {pt(5, 1), pt(5, 1)};

		ok(jstays_check(bad1, 1) != NULL, "stage out of range rejected");
		ok(jstays_check(bad2, 1) != NULL, "negative duration rejected");
		ok(jstays_check(bad3, 1) != NULL, "single event with a duration rejected");
		ok(jstays_check(bad4, 2) != NULL, "unsorted rejected");
		ok(jstays_check(bad5, 2) != NULL, "duplicate point rejected");
	}
	/* the accessors' one-pass check */
	{
		JStay		good[] = {rg(1, 4, 2, 1), pt(4, 2), pt(4, 3), rg(6, 9, 5, 1)};
		JStay		same[] = {pt(1, 1), pt(3, 1)};
		JStay		back[] = {pt(4, 2), pt(4, 1)};
		JStay		bad1[] = {pt(1, 0)};
		JStay		bad2[] = {rg(1, 5, 1, 1)};
		JStay		bad3[] = {rg(5, 1, 2, 1)};
		JStay		over[] = {rg(1, 5, 2, 1), pt(3, 2)};

		ok(jstays_plain(good, 4, 0, 100), "plain list accepted");
		ok(jstays_plain(good, 0, 0, 100), "empty list accepted");
		ok(jstays_check(same, 2) == NULL && !jstays_plain(same, 2, 0, 100), "adjacent stays of one stage need coalescing");
		ok(!jstays_plain(back, 2, 0, 100), "equal instant, lower stage after higher rejected");
		ok(!jstays_plain(bad1, 1, 0, 100), "stage 0 rejected");
		ok(!jstays_plain(bad2, 1, 0, 100), "single event with a duration rejected");
		ok(!jstays_plain(bad3, 1, 0, 100), "negative duration rejected");
		ok(!jstays_plain(over, 2, 0, 100), "overlap rejected");
		ok(!jstays_plain(good, 4, 2, 100), "instant below the range rejected");
		ok(!jstays_plain(good, 4, 0, 9), "instant at the range end rejected");
	}
	/* windowFunnel, default mode */
	{
		int			s[] = {1, 2, 3, 4};
		int64_t		t[] = {0, 1, 2, 3};

		is_int(level(s, t, 4, 10, 0), 4, "chain in window");
		is_int(level(s, t, 4, 2, 0), 3, "last step out of window");
	}
	{
		/* A B D C: default mode finds A B C; strict_order stops at D */
		int			s[] = {1, 2, 4, 3};
		int64_t		t[] = {0, 1, 2, 3};

		is_int(level(s, t, 4, 100, 0), 3, "default skips other events");
		is_int(level(s, t, 4, 100, WF_STRICT_ORDER), 2, "strict_order stops at an intervening event");
		is_int(level(s, t, 4, 100, WF_STRICT_ORDER | WF_ALLOW_REENTRY), 2, "allow_reentry still stops at a step ahead");
	}
	{
		/* A B A C (issue 21): strict_order stops at the second A */
		int			s[] = {1, 2, 1, 3};
		int64_t		t[] = {1, 2, 3, 4};

		is_int(level(s, t, 4, 100, 0), 3, "default: A B A C");
		is_int(level(s, t, 4, 100, WF_STRICT_ORDER), 2, "strict_order: an earlier stage after progress ends the search");
		is_int(level(s, t, 4, 100, WF_STRICT_ORDER | WF_ALLOW_REENTRY), 3, "allow_reentry: the earlier stage re-enters");
	}
	{
		/* A A B B C C: a repeat at the level reached is no violation */
		int			s[] = {1, 1, 2, 2, 3, 3};
		int64_t		t[] = {1, 2, 3, 4, 5, 6};

		is_int(level(s, t, 6, 100, WF_STRICT_ORDER), 3, "strict_order: A A B B C C");
	}
	{
		/* A B C A B C D */
		int			s[] = {1, 2, 3, 1, 2, 3, 4};
		int64_t		t[] = {1, 2, 3, 4, 5, 6, 7};

		is_int(level(s, t, 7, 100, WF_STRICT_ORDER), 3, "strict_order: A B C A B C D");
		is_int(level(s, t, 7, 100, WF_STRICT_ORDER | WF_ALLOW_REENTRY), 4, "allow_reentry: A B C A B C D");
	}
	{
		/* A B C B D: strict_deduplication stops at the repeated B */
		int			s[] = {1, 2, 3, 2, 4};
		int64_t		t[] = {0, 1, 2, 3, 4};

		is_int(level(s, t, 5, 100, 0), 4, "default ignores a repeat");
		is_int(level(s, t, 5, 100, WF_STRICT_DEDUPLICATION), 3, "strict_deduplication stops at a repeat");
	}
	{
		/* equal timestamps: strict_increase needs strictly later steps */
		int			s[] = {2, 1, 3};
		int64_t		t[] = {5, 5, 6};

		is_int(level(s, t, 3, 100, 0), 3, "equal ts: sorted by stage");
		is_int(level(s, t, 3, 100, WF_STRICT_INCREASE), 1, "strict_increase rejects an equal-time step");
	}
	{
		/* a later awareness restarts the chain within the window */
		int			s[] = {1, 1, 2, 3};
		int64_t		t[] = {0, 90, 95, 100};

		is_int(level(s, t, 4, 20, 0), 3, "latest chain start is used");
		is_int(level(s, t, 4, 5, 0), 2, "window from the chain's first event");
	}
	{
		int			s[] = {2, 3};
		int64_t		t[] = {0, 1};

		is_int(level(s, t, 2, 100, 0), 0, "no awareness: level 0");
	}
	/* both sorts order like the comparators, small (insertion) and large (qsort) */
	{
		static const int sizes[] = {2, 7, 32, 33, 200};
		unsigned	seed = 12345;
		int			z;

		for (z = 0; z < 5; z++)
		{
			JStay		a[200];
			JPoint		e[200];
			int			n = sizes[z],
						i,
						bad = 0;

			for (i = 0; i < n; i++)
			{
				seed = seed * 1103515245u + 12345u;
				a[i] = pt((seed >> 16) % 17, 1 + (seed >> 8) % 7);
				a[i].last += (seed >> 4) % 3;
				e[i].ts = a[i].entered;
				e[i].stage = a[i].stage;
				e[i].count = 1;
			}
			jstays_sort(a, n);
			jpoints_sort(e, n);
			for (i = 1; i < n; i++)
				bad += jstay_cmp(&a[i - 1], &a[i]) > 0 || jpoint_cmp(&e[i - 1], &e[i]) > 0;
			is_int(bad, 0, "random %d entries sorted", n);
			/* every third event and the rest, each sorted, merge back */
			{
				JPoint		h[200];
				JPoint		r[200];
				int			na = 0,
							nb = 0;

				for (i = 0; i < n; i++)
				{
					if (i % 3 == 0)
						h[na++] = e[i];
					else
						r[nb++] = e[i];
				}
				jpoints_merge_into(h, na, r, nb);
				bad = 0;
				for (i = 0; i < n; i++)
					bad += jpoint_cmp(&h[i], &e[i]) != 0;
				is_int(bad, 0, "merge of %d + %d sorted points", na, nb);
			}
		}
	}
	is_int(window_funnel_mode_parse(" Strict_Order ", 14), WF_STRICT_ORDER, "mode parse");
	is_int(window_funnel_mode_parse("strict", 6), 0, "unknown mode");
	is_int(window_funnel_mode_parse("allow_reentry", 13), WF_ALLOW_REENTRY, "mode parse allow_reentry");
	return tap_done();
}
