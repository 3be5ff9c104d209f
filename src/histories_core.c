/*
 * histories_core.c — the repeat_histories value: checks, canonical order,
 * in-place merge of the unsorted tail, JSON text form.  See
 * histories_core.h.
 */
#include "histories_core.h"

#include <math.h>
#include <string.h>

#include "bgnbd_core.h"
#include "interrupt_core.h"

int
rh_nvalues(int kind)
{
	return kind == REPEAT_BGNBD ? 3 : kind == REPEAT_GG ? 2 : 0;
}

const char *
rh_kind_name(int kind)
{
	return kind == REPEAT_BGNBD ? "bgnbd" : kind == REPEAT_GG ? "gamma_gamma" : NULL;
}

int
rh_cmp(const void *pa, const void *pb)
{
	const rh_entry *a = pa,
			   *b = pb;
	int			i;

	for (i = 0; i < 3; i++)
		if (a->v[i] != b->v[i])
			return (a->v[i] > b->v[i]) - (a->v[i] < b->v[i]);
	return 0;
}

const char *
rh_entry_problem(int kind, const rh_entry *e)
{
	const char *fault;
	int			i;

	if (e->n < 1)
		return "a count is not positive";
	for (i = 0; i < 3; i++)
		if (e->v[i] == 0 && signbit(e->v[i]))
			return "a value is -0";
	if (kind == REPEAT_BGNBD)
		return bgnbd_check_obs(e->v[0], e->v[1], e->v[2]);
	if (kind != REPEAT_GG)
		return "unknown kind";
	if ((fault = gg_check_obs(e->v[0], e->v[1])) != NULL)
		return fault;
	if (e->v[0] == 0)
		return "frequency must be positive (customers without a repeat purchase are skipped)";
	if (e->v[2] != 0)
		return "a Gamma-Gamma history has two values";
	return NULL;
}

bool
rh_total(const rh_entry *e, size_t n, int64_t *out)
{
	int64_t		t = 0;
	size_t		i;

	for (i = 0; i < n; i++)
		if (e[i].n < 0 || t > INT64_MAX - e[i].n)
			return false;
		else
			t += e[i].n;
	*out = t;
	return true;
}

const char *
rh_problem(const rh_set *s)
{
	size_t		i,
				n = s->nsorted + s->npending;
	int64_t		total;
	unsigned	ticks = 0;

	if (rh_nvalues(s->kind) == 0)
		return "unknown kind";
	if (s->skipped < 0)
		return "skipped is negative";
	if (n > RH_MAX_ENTRIES || n < s->nsorted)
		return "too many histories";
	for (i = 0; i < n; i++)
	{
		const char *fault = rh_entry_problem(s->kind, &s->e[i]);

		B2B_CORE_CHECK_INTERRUPTS_EVERY(ticks, 65536);
		if (fault)
			return fault;
		if (i > 0 && i < s->nsorted && rh_cmp(&s->e[i - 1], &s->e[i]) >= 0)
			return "the histories are not in ascending order, each once";
	}
	if (!rh_total(s->e, n, &total))
		return "the counts add up to more than int64";
	return NULL;
}

/* Add up equal neighbours of a sorted run; the new length, or -1 on overflow. */
static size_t
coalesce(rh_entry *e, size_t n)
{
	size_t		i,
				k = 0;
	unsigned	ticks = 0;

	for (i = 0; i < n; i++)
	{
		B2B_CORE_CHECK_INTERRUPTS_EVERY(ticks, 65536);
		if (k > 0 && rh_cmp(&e[k - 1], &e[i]) == 0)
		{
			if (e[k - 1].n > INT64_MAX - e[i].n)
				return (size_t) -1;
			e[k - 1].n += e[i].n;
		}
		else
			e[k++] = e[i];
	}
	return k;
}

size_t
rh_normalize(rh_entry *e, size_t nsorted, size_t npending, bool *overflow)
{
	rh_entry   *tail = e + nsorted,
			   *tmp;
	size_t		np,
				i,
				j,
				w;
	unsigned	ticks = 0;

	*overflow = false;
	if (npending == 0)
		return nsorted;
	b2b_core_sort(tail, npending, sizeof(rh_entry), rh_cmp);
	np = coalesce(tail, npending);
	if (np == (size_t) -1)
	{
		*overflow = true;
		return (size_t) -1;
	}
	if (nsorted == 0)
		return np;
	/* merge from the back: the tail moves to a buffer, the prefix right */
	tmp = b2b_core_alloc(sizeof(rh_entry) * np);
	if (tmp == NULL)
		return (size_t) -1;
	memcpy(tmp, tail, sizeof(rh_entry) * np);
	i = nsorted;				/* e[0 .. i) still to merge */
	j = np;						/* tmp[0 .. j) still to merge */
	w = nsorted + np;			/* e[w ..) written */
	while (j > 0)
	{
		int			c = i > 0 ? rh_cmp(&e[i - 1], &tmp[j - 1]) : -1;

		B2B_CORE_CHECK_INTERRUPTS_EVERY(ticks, 65536);
		if (c > 0)
			e[--w] = e[--i];
		else if (c < 0)
			e[--w] = tmp[--j];
		else
		{
			if (e[i - 1].n > INT64_MAX - tmp[j - 1].n)
			{
				b2b_core_free(tmp);
				*overflow = true;
				return (size_t) -1;
			}
			e[--w] = e[--i];
			e[w].n += tmp[--j].n;
		}
	}
	b2b_core_free(tmp);
	/* e[0 .. i) is in place; e[w .. nsorted + np) follows after a gap */
	if (w > i)
		memmove(e + i, e + w, sizeof(rh_entry) * (nsorted + np - w));
	return i + (nsorted + np - w);
}

/* ---------------------------------------------------------------------
 * Text form:
 *   {"version": 1, "kind": "bgnbd", "skipped": 0,
 *    "histories": [[frequency,recency,T,count],...]}
 * ("gamma_gamma": [[frequency,monetary,count],...]); no spaces inside the
 * histories, which are most of the text.
 * ------------------------------------------------------------------- */

void
rh_write(const bj_writer *w, const rh_set *s)
{
	int			nv = rh_nvalues(s->kind),
				k;
	size_t		i;

	bj_putf(w, "{\"version\": %d, \"kind\": ", RH_VERSION);
	bj_put_string(w, rh_kind_name(s->kind));
	bj_putf(w, ", \"skipped\": %lld, \"histories\": [", (long long) s->skipped);
	for (i = 0; i < s->nsorted; i++)
	{
		bj_put(w, i ? ",[" : "[");
		for (k = 0; k < nv; k++)
		{
			bj_put_double(w, s->e[i].v[k]);
			bj_put(w, ",");
		}
		bj_putf(w, "%lld]", (long long) s->e[i].n);
	}
	bj_put(w, "]}");
}

static const char *
parse_fail(bj_reader *r, char *err, size_t errsz)
{
	size_t		n = strlen(r->err);

	if (n >= errsz)
		n = errsz - 1;
	memcpy(err, r->err, n);
	err[n] = '\0';
	return err;
}

/* Read the histories array of a known kind into out->e. */
static bool
parse_histories(bj_reader *r, rh_set *out)
{
	int			nv = rh_nvalues(out->kind);
	size_t		cap = 0;
	bool		more;
	unsigned	ticks = 0;

	if (!bj_begin_array(r))
		return false;
	while (bj_next_elem(r, &more) && more)
	{
		rh_entry	e;
		const char *fault;
		int			k;

		B2B_CORE_CHECK_INTERRUPTS_EVERY(ticks, 4096);
		memset(&e, 0, sizeof(e));
		if (!bj_begin_array(r))
			return false;
		for (k = 0; k < nv; k++)
		{
			if (!bj_next_elem(r, &more))
				return false;
			if (!more)
				return bj_fail(r, "a %s history has %d values and a count", rh_kind_name(out->kind), nv);
			if (!bj_number(r, &e.v[k]))
				return false;
			e.v[k] += 0.0;		/* -0 is 0 */
		}
		if (!bj_next_elem(r, &more))
			return false;
		if (!more)
			return bj_fail(r, "a %s history has %d values and a count", rh_kind_name(out->kind), nv);
		if (!bj_int64(r, &e.n))
			return false;
		if (!bj_next_elem(r, &more))
			return false;
		if (more)
			return bj_fail(r, "a %s history has %d values and a count", rh_kind_name(out->kind), nv);
		if ((fault = rh_entry_problem(out->kind, &e)) != NULL)
			return bj_fail(r, "invalid history: %s", fault);
		if (out->nsorted > 0 && rh_cmp(&out->e[out->nsorted - 1], &e) >= 0)
			return bj_fail(r, "the histories must be in ascending order, each once");
		if (out->nsorted == cap)
		{
			size_t		ncap = cap ? 2 * cap : 64;
			rh_entry   *ne;

			if (cap >= RH_MAX_ENTRIES)
				return bj_fail(r, "more than %zu histories", (size_t) RH_MAX_ENTRIES);
			if (ncap > RH_MAX_ENTRIES)
				ncap = RH_MAX_ENTRIES;
			ne = b2b_core_alloc(sizeof(rh_entry) * ncap);
			if (ne == NULL)
				return bj_fail(r, "out of memory");
			if (out->nsorted)
				memcpy(ne, out->e, sizeof(rh_entry) * out->nsorted);
			b2b_core_free(out->e);
			out->e = ne;
			cap = ncap;
		}
		out->e[out->nsorted++] = e;
	}
	return !r->failed;
}

const char *
rh_parse(const char *str, size_t len, rh_set *out, char *err, size_t errsz)
{
	static const char *const keys[] = {"version", "kind", "skipped", "histories"};
	bj_reader	r;
	bool		seen[4] = {false, false, false, false},
				more;
	char		key[32];
	int64_t		v;
	char		kind[32];
	const char *fault;

	memset(out, 0, sizeof(*out));
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof key, &more) && more)
	{
		switch (bj_key_index(&r, key, keys, 4, seen))
		{
			case 0:
				if (bj_int64(&r, &v) && v != RH_VERSION)
					bj_fail(&r, "unknown version %lld", (long long) v);
				break;
			case 1:
				if (bj_string(&r, kind, sizeof kind))
				{
					if (strcmp(kind, "bgnbd") == 0)
						out->kind = REPEAT_BGNBD;
					else if (strcmp(kind, "gamma_gamma") == 0)
						out->kind = REPEAT_GG;
					else
						bj_fail(&r, "kind must be \"bgnbd\" or \"gamma_gamma\"");
				}
				break;
			case 2:
				if (bj_int64(&r, &out->skipped) && out->skipped < 0)
					bj_fail(&r, "skipped must not be negative");
				break;
			case 3:
				if (out->kind == 0)
					bj_fail(&r, "\"kind\" must come before \"histories\"");
				else
					parse_histories(&r, out);
				break;
		}
		if (r.failed)
			break;
	}
	if (!r.failed)
		bj_finish_keys(&r, keys, 4, seen);
	if (!r.failed && (fault = rh_problem(out)) != NULL)
		bj_fail(&r, "%s", fault);
	if (r.failed)
	{
		b2b_core_free(out->e);
		memset(out, 0, sizeof(*out));
		return parse_fail(&r, err, errsz);
	}
	return NULL;
}
