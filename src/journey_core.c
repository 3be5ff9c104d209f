/*
 * journey_core.c — journey run lists and the windowFunnel level search.
 */
#include "journey_core.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_core.h"
#include "stage_core.h"

static int
jstay_qcmp(const void *a, const void *b)
{
	return jstay_cmp((const JStay *) a, (const JStay *) b);
}

void
jstays_sort(JStay *a, size_t n)
{
	size_t		i;

	/* Usually already sorted (events arrive in time order): check first. */
	for (i = 1; i < n; i++)
		if (jstay_cmp(&a[i - 1], &a[i]) > 0)
			break;
	if (i >= n)
		return;
	if (n > 32)
	{
		qsort(a, n, sizeof(JStay), jstay_qcmp);
		return;
	}
	/* a journey rarely has many entries: insertion sort from the first miss */
	for (; i < n; i++)
	{
		JStay		x = a[i];
		size_t		k = i;

		while (k > 0 && jstay_cmp(&a[k - 1], &x) > 0)
		{
			a[k] = a[k - 1];
			k--;
		}
		a[k] = x;
	}
}

/*
 * Backward in-place merge: fill a from its end, so nothing is overwritten
 * before it is read and no buffer is needed.
 */
void
jpoints_merge_into(JPoint *a, size_t na, const JPoint *b, size_t nb)
{
	size_t		out = na + nb;

	while (nb > 0)
	{
		if (na > 0 && jpoint_cmp(&a[na - 1], &b[nb - 1]) > 0)
			a[--out] = a[--na];
		else
			a[--out] = b[--nb];
	}
}

/* (t1, s1) <= (t2, s2) lexicographically */
static bool
key_le(int64_t t1, int s1, int64_t t2, int s2)
{
	return t1 < t2 || (t1 == t2 && s1 <= s2);
}

int
jstays_normalize(JStay *a, size_t *n, bool coalesce)
{
	size_t		out = 0;
	size_t		i;

	for (i = 0; i < *n; i++)
	{
		JStay	   *q = &a[i];

		if (out > 0)
		{
			JStay	   *p = &a[out - 1];
			bool		overlaps = key_le(q->entered, q->stage, p->last, p->stage);

			if (overlaps && q->stage != p->stage)
				return JN_AMBIGUOUS;
			if (overlaps || (coalesce && q->stage == p->stage))
			{
				if (q->events > INT64_MAX - p->events)
					return JN_OVERFLOW;
				p->events += q->events;
				if (q->last > p->last)
					p->last = q->last;
				continue;
			}
		}
		a[out++] = *q;
	}
	*n = out;
	return JN_OK;
}

const char *
jstays_check(const JStay *a, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		const JStay *q = &a[i];

		if (q->stage < 1 || q->stage > 7)
			return "stage out of range";
		if (q->reserved != 0)
			return "reserved field is not zero";
		if (q->events < 1)
			return "event count below 1";
		if (q->last < q->entered)
			return "negative duration (last event before entry)";
		if (q->events == 1 && q->last != q->entered)
			return "a single event with a duration";
		if (i > 0 && key_le(q->entered, q->stage, a[i - 1].last, a[i - 1].stage))
			return "stays are not in time order or overlap";
	}
	return NULL;
}

bool
jstays_plain(const JStay *a, size_t n, int64_t lo, int64_t hi)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		const JStay *q = &a[i];

		if (q->stage < 1 || q->stage > 7 || q->reserved != 0 || q->events < 1 ||
			q->entered < lo || q->last >= hi || q->last < q->entered ||
			(q->events == 1 && q->last != q->entered))
			return false;
		/* strictly after the previous stay, and of another stage */
		if (i > 0 && (q->stage == a[i - 1].stage || q->entered < a[i - 1].last ||
					  (q->entered == a[i - 1].last && q->stage <= a[i - 1].stage)))
			return false;
	}
	return true;
}

/* ---- windowFunnel ---- */

static int
jpoint_qcmp(const void *a, const void *b)
{
	return jpoint_cmp((const JPoint *) a, (const JPoint *) b);
}

void
jpoints_sort(JPoint *a, size_t n)
{
	size_t		i;

	for (i = 1; i < n; i++)
		if (jpoint_cmp(&a[i - 1], &a[i]) > 0)
			break;
	if (i >= n)
		return;
	if (n > 32)
	{
		qsort(a, n, sizeof(JPoint), jpoint_qcmp);
		return;
	}
	for (; i < n; i++)
	{
		JPoint		x = a[i];
		size_t		k = i;

		while (k > 0 && jpoint_cmp(&a[k - 1], &x) > 0)
		{
			a[k] = a[k - 1];
			k--;
		}
		a[k] = x;
	}
}

int
window_funnel_level(const JPoint *ev, size_t n, int64_t window, int modes,
					int nlevels)
{
	/* per level: the chain's first timestamp and the level's latest one */
	int64_t		first[32];
	int64_t		prev[32];
	bool		set[32];
	bool		started = false;
	size_t		i;
	int			l;

	if (nlevels < 1 || nlevels > 32)
		return 0;
	memset(set, 0, sizeof(set));
	for (i = 0; i < n; i++)
	{
		int64_t		ts = ev[i].ts;
		int			idx = ev[i].stage - 1;

		if (idx < 0 || idx >= nlevels)
			continue;
		if (idx == 0)
		{
			first[0] = prev[0] = ts;
			set[0] = true;
			started = true;
		}
		else if ((modes & WF_STRICT_DEDUPLICATION) && set[idx])
			break;				/* a repeated step ends the search */
		else if ((modes & WF_STRICT_ORDER) && started && !set[idx - 1])
		{
			/* a step out of order ends the search at the first gap */
			for (l = 0; l < nlevels; l++)
				if (!set[l])
					return l;
		}
		else if (set[idx - 1])
		{
			/* ts <= first + window, without overflowing */
			bool		ok = ts - first[idx - 1] <= window;

			if (modes & WF_STRICT_INCREASE)
				ok = ok && prev[idx - 1] < ts;
			if (ok)
			{
				first[idx] = first[idx - 1];
				prev[idx] = ts;
				set[idx] = true;
				if (idx + 1 == nlevels)
					return nlevels;
			}
		}
	}
	for (l = nlevels; l > 0; l--)
		if (set[l - 1])
			return l;
	return 0;
}

int
window_funnel_mode_parse(const char *s, size_t len)
{
	static const struct
	{
		const char *name;
		int			flag;
	}			modes[] = {
		{"strict_deduplication", WF_STRICT_DEDUPLICATION},
		{"strict_order", WF_STRICT_ORDER},
		{"strict_increase", WF_STRICT_INCREASE},
	};
	size_t		i;

	while (len > 0 && isspace((unsigned char) *s))
		s++, len--;
	while (len > 0 && isspace((unsigned char) s[len - 1]))
		len--;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
	{
		size_t		k;

		if (strlen(modes[i].name) != len)
			continue;
		for (k = 0; k < len; k++)
			if (tolower((unsigned char) s[k]) != modes[i].name[k])
				break;
		if (k == len)
			return modes[i].flag;
	}
	return 0;
}

/* ---- text input ---- */

/* Read one stay object into *st; false when the reader failed. */
static bool
jr_read_stay(bj_reader *r, JStay *st, jr_parse_ts_fn parse_ts, void *ts_arg)
{
	bool		has[4] = {false};
	char		key[32];
	char		val[64];
	bool		more;

	if (!bj_begin_object(r))
		return false;
	while (bj_next_key(r, key, sizeof(key), &more) && more)
	{
		if (strcmp(key, "stage") == 0 && !has[0])
		{
			has[0] = true;
			if (bj_string(r, val, sizeof(val)))
			{
				st->stage = stage_parse(val, strlen(val));
				if (st->stage == 0 || strcmp(val, stage_name(st->stage)) != 0)
					bj_fail(r, "unknown stage \"%s\"", val);
			}
		}
		else if ((strcmp(key, "entered") == 0 && !has[1]) ||
				 (strcmp(key, "last") == 0 && !has[2]))
		{
			bool		entered = key[0] == 'e';

			has[entered ? 1 : 2] = true;
			if (bj_string(r, val, sizeof(val)) &&
				!parse_ts(val, strlen(val), entered ? &st->entered : &st->last,
						  ts_arg))
				bj_fail(r, "bad timestamp \"%s\"", val);
		}
		else if (strcmp(key, "events") == 0 && !has[3])
		{
			has[3] = true;
			bj_int64(r, &st->events);
		}
		else
			bj_fail(r, "unknown or repeated key \"%s\"", key);
		if (r->failed)
			return false;
	}
	if (r->failed)
		return false;
	if (!has[0] || !has[1] || !has[2] || !has[3])
		return bj_fail(r, "a stay needs stage, entered, last and events");
	return true;
}

const char *
journey_parse(const char *str, size_t len, size_t max_stays,
			  jr_parse_ts_fn parse_ts, void *ts_arg, JText *t,
			  jr_alloc_fn alloc, jr_free_fn dealloc, char *err, size_t errsz)
{
	bj_reader	r;
	char		key[32];
	bool		more;
	bool		seen_stays = false,
				seen_skipped = false;
	int64_t		skipped = 0;
	size_t		n = 0,
				cap = 8;
	JStay	   *stays;
	const char *problem;

	memset(t, 0, sizeof(*t));
	stays = alloc(sizeof(JStay) * cap);
	if (stays == NULL)
		return "out of memory";
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		if (strcmp(key, "stays") == 0 && !seen_stays)
		{
			seen_stays = true;
			if (!bj_begin_array(&r))
				break;
			while (bj_next_elem(&r, &more) && more)
			{
				JStay		st = {0};

				if (!jr_read_stay(&r, &st, parse_ts, ts_arg))
					break;
				if (n >= max_stays)
				{
					bj_fail(&r, "too many stays");
					break;
				}
				if (n == cap)
				{
					size_t		newcap = cap > max_stays / 2 ? max_stays : cap * 2;
					JStay	   *bigger = alloc(sizeof(JStay) * newcap);

					if (bigger == NULL)
					{
						dealloc(stays);
						return "out of memory";
					}
					memcpy(bigger, stays, sizeof(JStay) * n);
					dealloc(stays);
					stays = bigger;
					cap = newcap;
				}
				stays[n++] = st;
			}
		}
		else if (strcmp(key, "skipped") == 0 && !seen_skipped)
		{
			seen_skipped = true;
			if (bj_int64(&r, &skipped) && skipped < 0)
				bj_fail(&r, "negative skipped count");
		}
		else
			bj_fail(&r, "unknown or repeated key \"%s\"", key);
		if (r.failed)
			break;
	}
	bj_finish(&r);
	if (!r.failed && !seen_stays)
		bj_fail(&r, "missing key \"stays\"");
	if (!r.failed && (problem = jstays_check(stays, n)) != NULL)
		bj_fail(&r, "%s", problem);
	if (r.failed)
	{
		dealloc(stays);
		snprintf(err, errsz, "%s", r.err);
		return err;
	}
	t->stays = stays;
	t->n = n;
	t->skipped = skipped;
	return NULL;
}

int
jstays_first_reached(const JStay *s, int n, int stage)
{
	int			i;

	for (i = 0; i < n; i++)
		if (s[i].stage >= stage)
			return i;
	return -1;
}

bool
jstays_time_to(const JStay *s, int n, int from, int to, int64_t *us)
{
	int			a = jstays_first_reached(s, n, from);
	int			b = jstays_first_reached(s, n, to);

	if (a < 0 || b < 0)
		return false;
	*us = s[b].entered - s[a].entered;
	return true;
}
