/*
 * survival_core.c — Kaplan–Meier, Greenwood log-log interval, Aalen–Johansen
 * and the text form of survival and cumulative incidence.  See
 * survival_core.h.
 */
#include "survival_core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_core.h"

static int
spoint_qcmp(const void *a, const void *b)
{
	return spoint_cmp((const SPoint *) a, (const SPoint *) b);
}

void
spoints_sort(SPoint *a, size_t n)
{
	size_t		i;

	for (i = 1; i < n; i++)
		if (spoint_cmp(&a[i - 1], &a[i]) > 0)
			break;
	if (i < n)
		qsort(a, n, sizeof(SPoint), spoint_qcmp);
}

bool
spoints_coalesce(SPoint *a, size_t *n)
{
	size_t		i,
				k = 0;

	for (i = 0; i < *n; i++)
	{
		if (k > 0 && spoint_cmp(&a[k - 1], &a[i]) == 0)
		{
			if (a[k - 1].count > INT64_MAX - a[i].count)
				return false;
			a[k - 1].count += a[i].count;
		}
		else
			a[k++] = a[i];
	}
	*n = k;
	return true;
}

long
spoints_find(const SPoint *a, size_t n, const SPoint *key)
{
	size_t		lo = 0,
				hi = n;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		int			c = spoint_cmp(&a[mid], key);

		if (c == 0)
			return (long) mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const char *
spoint_check1(const SPoint *p, int noutcomes)
{
	if (p->time < 0)
		return "negative time";
	if (p->outcome < 0 || p->outcome > noutcomes || p->reserved != 0)
		return "bad outcome";
	if (p->count < 1)
		return "count below 1";
	return NULL;
}

const char *
spoints_check(const SPoint *a, size_t n, int noutcomes)
{
	size_t		i;
	int64_t		total = 0;
	const char *e;

	for (i = 0; i < n; i++)
	{
		if ((e = spoint_check1(&a[i], noutcomes)) != NULL)
			return e;
		if (i > 0 && spoint_cmp(&a[i - 1], &a[i]) >= 0)
			return "points out of order";
		if (total > INT64_MAX - a[i].count)
			return "total count out of range";
		total += a[i].count;
	}
	return NULL;
}

/* ---------------------------------------------------------------------
 * Kaplan–Meier
 * --------------------------------------------------------------------- */

void
km_begin(KmIter *it, const SPoint *p, size_t n)
{
	size_t		i;

	it->p = p;
	it->n = n;
	it->i = 0;
	it->at_risk = 0;
	for (i = 0; i < n; i++)
		it->at_risk += p[i].count;	/* checked by spoints_check */
	it->surv = 1.0;
	it->var = 0.0;
}

void
km_loglog(double s, double v, double z, double *lower, double *upper)
{
	double		ls,
				w;

	if (s >= 1.0)
	{
		*lower = *upper = 1.0;
		return;
	}
	if (s <= 0.0)
	{
		*lower = *upper = 0.0;
		return;
	}
	ls = log(s);				/* < 0 */
	w = z * sqrt(v) / ls;		/* <= 0 */
	*lower = exp(-exp(log(-ls) - w));
	*upper = exp(-exp(log(-ls) + w));
}

bool
km_next(KmIter *it, KmRow *row)
{
	int64_t		d = 0,
				c = 0;
	int64_t		n = it->at_risk;

	if (it->i >= it->n)
		return false;
	row->time = it->p[it->i].time;
	while (it->i < it->n && it->p[it->i].time == row->time)
	{
		if (it->p[it->i].outcome == 0)
			c += it->p[it->i].count;
		else
			d += it->p[it->i].count;
		it->i++;
	}
	if (d > 0)
	{
		it->surv *= 1.0 - (double) d / (double) n;
		if (d < n)
			it->var += (double) d / ((double) n * (double) (n - d));
	}
	it->at_risk = n - d - c;
	row->at_risk = n;
	row->events = d;
	row->censored = c;
	row->survival = it->surv;
	row->var = it->var;
	km_loglog(it->surv, it->var, SURV_Z95, &row->lower, &row->upper);
	return true;
}

double
km_survival_at(const SPoint *p, size_t n, int64_t t)
{
	KmIter		it;
	KmRow		r;
	double		s = 1.0;

	km_begin(&it, p, n);
	while (km_next(&it, &r) && r.time <= t)
		s = r.survival;
	return s;
}

bool
km_median(const SPoint *p, size_t n, int64_t *t)
{
	KmIter		it;
	KmRow		r;

	km_begin(&it, p, n);
	while (km_next(&it, &r))
		if (r.survival <= 0.5)
		{
			*t = r.time;
			return true;
		}
	return false;
}

/* ---------------------------------------------------------------------
 * Aalen–Johansen
 * --------------------------------------------------------------------- */

void
aj_begin(AjIter *it, const SPoint *p, size_t n, int noutcomes)
{
	km_begin(&it->km, p, n);
	it->noutcomes = noutcomes;
	memset(it->inc, 0, sizeof(it->inc));
}

bool
aj_next(AjIter *it, int64_t *time, int64_t *at_risk)
{
	KmIter	   *k = &it->km;
	double		s_before = k->surv;
	int64_t		n = k->at_risk;
	size_t		start = k->i;
	size_t		i;
	KmRow		r;

	if (!km_next(k, &r))
		return false;
	for (i = start; i < k->i; i++)
		if (k->p[i].outcome > 0)
			it->inc[k->p[i].outcome - 1] += s_before * (double) k->p[i].count / (double) n;
	*time = r.time;
	*at_risk = n;
	return true;
}

/* ---------------------------------------------------------------------
 * Text form
 * --------------------------------------------------------------------- */

size_t
surv_json_string(const char *s, char *buf)
{
	size_t		k = 0;

	buf[k++] = '"';
	for (; *s; s++)
	{
		unsigned char c = (unsigned char) *s;

		if (c == '"' || c == '\\')
		{
			buf[k++] = '\\';
			buf[k++] = (char) c;
		}
		else if (c < 0x20)
			k += (size_t) sprintf(buf + k, "\\u%04x", c);
		else
			buf[k++] = (char) c;
	}
	buf[k++] = '"';
	buf[k] = '\0';
	return k;
}

const char *
surv_parse(const char *str, size_t len, bool cif, size_t max_points, SText *t,
		   sv_alloc_fn alloc, sv_free_fn dealloc, char *err, size_t errsz)
{
	static const char *const skeys[] = {"points", "skipped"};
	static const char *const ckeys[] = {"outcomes", "points", "skipped"};
	const char *const *keys = cif ? ckeys : skeys;
	int			nkeys = cif ? 3 : 2;
	bj_reader	r;
	char		key[32];
	bool		more;
	bool		seen[3] = {false, false, false};
	SPoint	   *pts = NULL;
	size_t		n = 0,
				cap = 0;
	const char *problem;

	memset(t, 0, sizeof(*t));
	if (!cif)
		t->noutcomes = 1;
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		int			ki = bj_key_index(&r, key, keys, nkeys, seen);

		if (ki >= 0 && !cif)
			ki++;				/* survival's keys are ckeys[1..] */
		if (ki == 0)
		{
			bool		emore;

			if (seen[1] && cif)
			{
				bj_fail(&r, "\"outcomes\" must come before \"points\"");
				break;
			}
			bj_begin_array(&r);
			while (bj_next_elem(&r, &emore) && emore)
			{
				char	   *nm;

				if (t->noutcomes >= SURV_MAX_OUTCOMES)
				{
					bj_fail(&r, "more than %d outcomes", SURV_MAX_OUTCOMES);
					break;
				}
				nm = t->names[t->noutcomes];
				if (!bj_string(&r, nm, SURV_NAME_MAX + 1))
					break;
				if (nm[0] == '\0')
					bj_fail(&r, "empty outcome name");
				else if (t->noutcomes > 0 && strcmp(t->names[t->noutcomes - 1], nm) >= 0)
					bj_fail(&r, "outcomes must be distinct and in byte order");
				else
					t->noutcomes++;
				if (r.failed)
					break;
			}
		}
		else if (ki == 1)
		{
			bool		emore;
			int			width = 2 + t->noutcomes;

			if (cif && !seen[0])
			{
				bj_fail(&r, "\"outcomes\" must come before \"points\"");
				break;
			}
			bj_begin_array(&r);
			while (bj_next_elem(&r, &emore) && emore)
			{
				int64_t		v[2 + SURV_MAX_OUTCOMES];
				int			k = 0;
				bool		rmore;
				int64_t		rowtotal = 0;

				bj_begin_array(&r);
				while (bj_next_elem(&r, &rmore) && rmore)
				{
					if (k >= width)
					{
						bj_fail(&r, "a point has %d numbers", width);
						break;
					}
					if (!bj_int64(&r, &v[k]))
						break;
					if (v[k] < 0)
					{
						bj_fail(&r, "negative number in a point");
						break;
					}
					if (k > 0)
					{
						if (rowtotal > INT64_MAX - v[k])
						{
							bj_fail(&r, "count out of range");
							break;
						}
						rowtotal += v[k];
					}
					k++;
				}
				if (r.failed)
					break;
				if (k != width)
				{
					bj_fail(&r, "a point has %d numbers", width);
					break;
				}
				if (rowtotal == 0)
				{
					bj_fail(&r, "a point with no count");
					break;
				}
				if (n > 0 && pts[n - 1].time >= v[0])
				{
					bj_fail(&r, "times must increase");
					break;
				}
				/* survival: [t, events, censored]; cif: [t, censored, n_1..] */
				for (k = 0; k < width - 1; k++)
				{
					int			outcome = cif ? k : (k == 0 ? 1 : 0);
					int64_t		cnt = v[1 + k];

					if (cnt == 0)
						continue;
					if (n >= max_points)
					{
						bj_fail(&r, "more than %zu points", max_points);
						break;
					}
					if (n == cap)
					{
						size_t		ncap = cap ? cap * 2 : 16;
						SPoint	   *np;

						if (ncap > max_points)
							ncap = max_points;
						np = alloc(ncap * sizeof(SPoint));
						if (n)
							memcpy(np, pts, n * sizeof(SPoint));
						if (pts)
							dealloc(pts);
						pts = np;
						cap = ncap;
					}
					pts[n].time = v[0];
					pts[n].outcome = outcome;
					pts[n].reserved = 0;
					pts[n].count = cnt;
					n++;
				}
				if (r.failed)
					break;
			}
			if (!r.failed && !cif)
			{
				/* survival rows list events first: restore (time, outcome) order */
				spoints_sort(pts, n);
			}
		}
		else if (ki == 2)
		{
			if (bj_int64(&r, &t->skipped) && t->skipped < 0)
				bj_fail(&r, "negative skipped count");
		}
		if (r.failed)
			break;
	}
	bj_finish_keys(&r, keys, nkeys - 1, seen);
	if (!r.failed && (problem = spoints_check(pts, n, t->noutcomes)) != NULL)
		bj_fail(&r, "%s", problem);
	if (r.failed)
	{
		if (pts)
			dealloc(pts);
		memset(t, 0, sizeof(*t));
		snprintf(err, errsz, "%s", r.err);
		return err;
	}
	t->points = pts;
	t->n = n;
	return NULL;
}
