/*
 * segments_core.c — RFM cells, named segments, exact quantile selection,
 * value-tier cut points and the rfm_thresholds and value_tiers text
 * readers.  Plain C.
 */
#include "segments_core.h"
#include "interrupt_core.h"

#include "json_core.h"

#include <inttypes.h>
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- rfm ---- */

bool
rfm_code_valid(int c)
{
	return c >= RFM_MIN_CODE && c <= RFM_MAX_CODE &&
		RFM_R(c) >= 1 && RFM_R(c) <= 5 &&
		RFM_F(c) >= 1 && RFM_F(c) <= 5 &&
		RFM_M(c) >= 1 && RFM_M(c) <= 5;
}

int
rfm_parse(const char *s, size_t len, int *code)
{
	const char *d[3];
	size_t		i = 0;
	int			k;

	while (len > 0 && isspace((unsigned char) s[len - 1]))
		len--;
	while (i < len && isspace((unsigned char) s[i]))
		i++;
	s += i;
	len -= i;
	/* "543" or "5-4-3": three digits, dashes between all of them or none */
	if (len == 3)
	{
		d[0] = s;
		d[1] = s + 1;
		d[2] = s + 2;
	}
	else if (len == 5 && s[1] == '-' && s[3] == '-')
	{
		d[0] = s;
		d[1] = s + 2;
		d[2] = s + 4;
	}
	else
		return RFM_PARSE_SYNTAX;
	for (k = 0; k < 3; k++)
		if (!isdigit((unsigned char) *d[k]))
			return RFM_PARSE_SYNTAX;
	for (k = 0; k < 3; k++)
		if (*d[k] < '1' || *d[k] > '5')
			return RFM_PARSE_RANGE;
	*code = rfm_code(*d[0] - '0', *d[1] - '0', *d[2] - '0');
	return RFM_PARSE_OK;
}

void
rfm_format(int code, char *buf)
{
	buf[0] = (char) ('0' + RFM_R(code));
	buf[1] = '-';
	buf[2] = (char) ('0' + RFM_F(code));
	buf[3] = '-';
	buf[4] = (char) ('0' + RFM_M(code));
	buf[5] = '\0';
}

/* ---------------------------------------------------- rfm_thresholds ---- */

const char *const rfm_dim_names[RFM_NDIMS] = {"recency_days", "frequency", "monetary"};

const char *
rfm_thresholds_problem(const rfm_thresholds_fields *t)
{
	int			d,
				k;

	for (d = 0; d < RFM_NDIMS; d++)
	{
		if (t->count[d] < 1)
			return "count below 1";
		for (k = 0; k < RFM_NCUTS; k++)
		{
			if (isnan(t->cut[d][k]) || isinf(t->cut[d][k]))
				return "cut point not finite";
			if (k > 0 && t->cut[d][k] < t->cut[d][k - 1])
				return "cut points decrease";
		}
	}
	return NULL;
}

/* The keys of one rfm_thresholds dimension, both required. */
static const char *const rfm_dim_keys[] = {"count", "cuts"};

/* Reads {"count": n, "cuts": [a, b, c, d]} of one dimension. */
static void
rfm_read_dimension(bj_reader *r, const char *dim, int64_t *count, double *cut)
{
	char		key[16];
	bool		more;
	bool		seen[2] = {false};

	if (!bj_begin_object(r))
		return;
	while (bj_next_key(r, key, sizeof(key), &more) && more)
	{
		int			k = bj_key_index(r, key, rfm_dim_keys, 2, seen);

		if (k == 0)
		{
			int64_t		n;

			if (bj_int64(r, &n))
				*count = n;
		}
		else if (k == 1)
		{
			int			c = 0;

			if (!bj_begin_array(r))
				return;
			while (bj_next_elem(r, &more) && more)
			{
				if (c == RFM_NCUTS)
				{
					bj_fail(r, "more than %d cut points for \"%s\"", RFM_NCUTS, dim);
					return;
				}
				if (!bj_number(r, &cut[c++]))
					return;
			}
			if (!r->failed && c != RFM_NCUTS)
				bj_fail(r, "%d cut points for \"%s\", expected %d", c, dim, RFM_NCUTS);
		}
		if (r->failed)
			return;
	}
	bj_require_keys(r, rfm_dim_keys, 2, seen);
}

const char *
rfm_thresholds_parse(const char *str, size_t len, rfm_thresholds_fields *t,
					 char *err, size_t errsz)
{
	bj_reader	r;
	char		key[32];
	bool		more;
	bool		seen[RFM_NDIMS] = {false};
	const char *problem;
	int			d;

	memset(t, 0, sizeof(*t));
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		d = bj_key_index(&r, key, rfm_dim_names, RFM_NDIMS, seen);
		if (d < 0)
			break;
		rfm_read_dimension(&r, rfm_dim_names[d], &t->count[d], t->cut[d]);
	}
	bj_finish_keys(&r, rfm_dim_names, RFM_NDIMS, seen);
	if (!r.failed && (problem = rfm_thresholds_problem(t)) != NULL)
		bj_fail(&r, "%s", problem);
	if (!r.failed)
		return NULL;
	snprintf(err, errsz, "%s", r.err);
	return err;
}

/* ------------------------------------------------------------ segment ---- */

typedef struct SegmentDef
{
	const char *name;
	int			rmin,
				rmax,
				fmin,
				fmax;
	const char *action;
} SegmentDef;

/* In business-value order: the ordinal is the position here (1-based). */
static const SegmentDef segments[B2B_NSEGMENTS] = {
	{"champions", 5, 5, 4, 5,
	"Reward them: early access to new products, loyalty perks; ask for referrals and case studies."},
	{"loyal_customers", 3, 4, 4, 5,
	"Upsell higher tiers and add-ons; ask for reviews; involve them in the product roadmap."},
	{"potential_loyalists", 4, 5, 2, 3,
	"Offer a loyalty or subscription plan and recommend related products to make buying a habit."},
	{"new_customers", 5, 5, 1, 1,
	"Onboard them well: welcome series, quick wins and an early success check-in."},
	{"promising", 4, 4, 1, 1,
	"Build the relationship: targeted content, a trial of related products, a second-purchase offer."},
	{"need_attention", 3, 3, 3, 3,
	"Reactivate with limited-time offers based on what they bought before."},
	{"about_to_sleep", 3, 3, 1, 2,
	"Reconnect before they lapse: share useful resources and popular products, ask for feedback."},
	{"at_risk", 1, 2, 3, 4,
	"Send personalised win-back campaigns and renewal offers; find out what changed."},
	{"cant_lose_them", 1, 2, 5, 5,
	"Win them back with a personal call from the account team; do not lose them to a competitor."},
	{"hibernating", 1, 2, 1, 2,
	"Low-cost reactivation only: relevant product news and special offers; otherwise let them rest."},
};

const char *
segment_name(int s)
{
	return (s >= 1 && s <= B2B_NSEGMENTS) ? segments[s - 1].name : NULL;
}

const char *
segment_action_text(int s)
{
	return (s >= 1 && s <= B2B_NSEGMENTS) ? segments[s - 1].action : NULL;
}

bool
segment_rule(int s, int *rmin, int *rmax, int *fmin, int *fmax)
{
	if (s < 1 || s > B2B_NSEGMENTS)
		return false;
	*rmin = segments[s - 1].rmin;
	*rmax = segments[s - 1].rmax;
	*fmin = segments[s - 1].fmin;
	*fmax = segments[s - 1].fmax;
	return true;
}

int
segment_of_rf(int r, int f)
{
	int			s;

	if (r < 1 || r > 5 || f < 1 || f > 5)
		return 0;
	for (s = 0; s < B2B_NSEGMENTS; s++)
		if (r >= segments[s].rmin && r <= segments[s].rmax &&
			f >= segments[s].fmin && f <= segments[s].fmax)
			return s + 1;
	return 0;					/* unreachable: the rules cover all 25 cells */
}

int
segment_parse(const char *s, size_t len)
{
	char		buf[32];
	size_t		n = 0;
	size_t		i = 0;
	int			k;

	while (len > 0 && isspace((unsigned char) s[len - 1]))
		len--;
	while (i < len && isspace((unsigned char) s[i]))
		i++;
	for (; i < len; i++)
	{
		unsigned char ch = (unsigned char) s[i];

		if (ch == '\'')
			continue;
		if (n + 1 >= sizeof(buf))
			return 0;
		buf[n++] = (ch == ' ' || ch == '-') ? '_' : (char) tolower(ch);
	}
	buf[n] = '\0';
	for (k = 0; k < B2B_NSEGMENTS; k++)
		if (strcmp(buf, segments[k].name) == 0)
			return k + 1;
	return 0;
}

const char *
segment_names_list(void)
{
	return "champions, loyal_customers, potential_loyalists, new_customers, "
		"promising, need_attention, about_to_sleep, at_risk, cant_lose_them, "
		"hibernating";
}

/* ---------------------------------------------------------- selection ---- */

/* xorshift64*: deterministic pivot sampling (results never depend on it). */
static inline uint64_t
rng_next(uint64_t *st)
{
	uint64_t	x = *st;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*st = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static inline void
swapd(double *a, double *b)
{
	double		t = *a;

	*a = *b;
	*b = t;
}

static double
med3(double a, double b, double c)
{
	if (a < b)
		return b < c ? b : (a < c ? c : a);
	return a < c ? a : (b < c ? c : b);
}

static double
pick_pivot(const double *x, size_t lo, size_t hi, uint64_t *st)
{
	size_t		len = hi - lo;

	return med3(x[lo + rng_next(st) % len],
				x[lo + rng_next(st) % len],
				x[lo + rng_next(st) % len]);
}

/*
 * Three-way partition of x[lo..hi) around p: afterwards x[lo..*lt) < p,
 * x[*lt..*gt) == p, x[*gt..hi) > p.  Many equal values cost nothing extra.
 */
static void
partition3(double *x, size_t lo, size_t hi, double p, size_t *lt, size_t *gt)
{
	size_t		l = lo,
				i = lo,
				g = hi;

	while (i < g)
	{
		if (x[i] < p)
			swapd(&x[l++], &x[i++]);
		else if (x[i] > p)
			swapd(&x[i], &x[--g]);
		else
			i++;
	}
	*lt = l;
	*gt = g;
}

static void
insertion_sort(double *x, size_t lo, size_t hi)
{
	size_t		i,
				j;

	for (i = lo + 1; i < hi; i++)
	{
		double		v = x[i];

		for (j = i; j > lo && x[j - 1] > v; j--)
			x[j] = x[j - 1];
		x[j] = v;
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/*
 * Put the order statistic of every rank r[0..nr) (sorted, distinct, all in
 * [lo, hi)) at its position.  Recurses only into parts holding wanted ranks;
 * falls back to qsort of the part when the pivots keep being poor.
 */
static void
multiselect(double *x, size_t lo, size_t hi, const size_t *r, int nr,
			int depth, uint64_t *st)
{
	while (nr > 0)
	{
		size_t		lt,
					gt;
		int			nl,
					ne;

		if (hi - lo <= 16)
		{
			insertion_sort(x, lo, hi);
			return;
		}
		B2B_CORE_CHECK_INTERRUPTS();
		if (depth-- <= 0)
		{
			b2b_core_sort(x + lo, hi - lo, sizeof(double), cmp_double);
			return;
		}
		partition3(x, lo, hi, pick_pivot(x, lo, hi, st), &lt, &gt);
		for (nl = 0; nl < nr && r[nl] < lt; nl++)
			;
		for (ne = nl; ne < nr && r[ne] < gt; ne++)
			;
		/* ranks in [lt, gt) already hold the pivot value */
		if (nl > 0)
			multiselect(x, lo, lt, r, nl, depth, st);
		r += ne;
		nr -= ne;
		lo = gt;
	}
}

void
quantiles_select(double *x, size_t n, const double *q, int nq, double *out)
{
	size_t		ranks[32] = {0};
	int			nr = 0;
	int			i;
	int			depth = 8;
	size_t		m;
	uint64_t	st = 0x9E3779B97F4A7C15ULL ^ (uint64_t) n;

	for (m = n; m > 1; m >>= 1)
		depth += 2;
	for (i = 0; i < nq && i < 16; i++)
	{
		double		pos = q[i] * (double) (n - 1);
		size_t		a = (size_t) floor(pos);
		size_t		b = (size_t) ceil(pos);

		if (nr == 0 || ranks[nr - 1] < a)
			ranks[nr++] = a;
		if (ranks[nr - 1] < b)
			ranks[nr++] = b;
	}
	multiselect(x, 0, n, ranks, nr, depth, &st);
	for (i = 0; i < nq && i < 16; i++)
	{
		/* the arithmetic of percentile_cont (orderedsetaggs.c) */
		double		pos = q[i] * (double) (n - 1);
		int64_t		first = (int64_t) floor(pos);
		int64_t		second = (int64_t) ceil(pos);
		double		lo = x[first];

		if (second == first)
			out[i] = lo;
		else
			out[i] = lo + (pos - (double) first) * (x[second] - lo);
	}
}

/* --------------------------------------------------------- value tier ---- */

double
value_tier_cut(double *x, size_t n, double total, double share)
{
	double		theta = share * total;
	double		above = 0;		/* sum of the values above x[lo..hi) */
	double		best = 0;
	size_t		lo = 0,
				hi = n;
	uint64_t	st = 0xD1B54A32D192ED03ULL ^ (uint64_t) n;

	/*
	 * x[lo..hi) is always a contiguous block of the sorted order.  Each step
	 * partitions it around a pivot p; if the values above p bring less than
	 * theta, p qualifies and the answer is p or a smaller value, otherwise
	 * it is a larger one.
	 */
	while (hi > lo)
	{
		size_t		lt,
					gt,
					i;
		double		p = pick_pivot(x, lo, hi, &st);
		double		sum_gt = 0,
					sum_eq = 0;

		partition3(x, lo, hi, p, &lt, &gt);
		for (i = gt; i < hi; i++)
			sum_gt += x[i];
		for (i = lt; i < gt; i++)
			sum_eq += x[i];
		if (above + sum_gt < theta)
		{
			best = p;
			above += sum_gt + sum_eq;
			hi = lt;
		}
		else
			lo = gt;
	}
	return best;
}

/* ------------------------------------------------------- value_tiers ---- */

const char *const value_tier_names[VALUE_TIERS_N] = {"A", "B", "C"};

const char *
value_tiers_problem(const value_tiers_fields *t)
{
	int			i;
	double		total = 0;

	if (isnan(t->a_cut) || isinf(t->a_cut) || isnan(t->b_cut) || isinf(t->b_cut))
		return "cut point not finite";
	if (!(t->b_cut > 0) || t->a_cut < t->b_cut)
		return "cut points must satisfy a_cut >= b_cut > 0";
	for (i = 0; i < VALUE_TIERS_N; i++)
	{
		if (t->customers[i] < 0)
			return "negative customer count";
		if (isnan(t->value[i]) || isinf(t->value[i]) || t->value[i] < 0)
			return "tier value not finite and >= 0";
		total += t->value[i];
	}
	if (t->customers[0] < 1 || !(total > 0))
		return "no customer in tier A or no value";
	return NULL;
}

/* The keys of one tier and of value_tiers, all required. */
static const char *const vt_tier_keys[] = {"customers", "value"};
static const char *const vt_keys[] = {"a_cut", "b_cut", "tiers"};

/* {"customers": n, "value": v} of one tier. */
static void
vt_read_tier(bj_reader *r, int64_t *customers, double *value)
{
	char		key[16];
	bool		more;
	bool		seen[2] = {false};

	if (!bj_begin_object(r))
		return;
	while (bj_next_key(r, key, sizeof(key), &more) && more)
	{
		int			k = bj_key_index(r, key, vt_tier_keys, 2, seen);

		if (k == 0)
		{
			int64_t		n;

			if (bj_int64(r, &n))
				*customers = n;
		}
		else if (k == 1)
			bj_number(r, value);
		if (r->failed)
			return;
	}
	bj_require_keys(r, vt_tier_keys, 2, seen);
}

/* {"A": {...}, "B": {...}, "C": {...}}, every tier once. */
static void
vt_read_tiers(bj_reader *r, value_tiers_fields *t)
{
	char		key[16];
	bool		more;
	bool		seen[VALUE_TIERS_N] = {false};

	if (!bj_begin_object(r))
		return;
	while (bj_next_key(r, key, sizeof(key), &more) && more)
	{
		int			i = bj_key_index(r, key, value_tier_names, VALUE_TIERS_N, seen);

		if (i < 0)
			return;
		vt_read_tier(r, &t->customers[i], &t->value[i]);
	}
	bj_require_keys(r, value_tier_names, VALUE_TIERS_N, seen);
}

const char *
value_tiers_parse(const char *str, size_t len, value_tiers_fields *t,
				  char *err, size_t errsz)
{
	bj_reader	r;
	char		key[16];
	bool		more;
	bool		seen[3] = {false};
	const char *problem;

	memset(t, 0, sizeof(*t));
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		switch (bj_key_index(&r, key, vt_keys, 3, seen))
		{
			case 0:
				bj_number(&r, &t->a_cut);
				break;
			case 1:
				bj_number(&r, &t->b_cut);
				break;
			case 2:
				vt_read_tiers(&r, t);
				break;
		}
		if (r.failed)
			break;
	}
	bj_finish_keys(&r, vt_keys, 3, seen);
	if (!r.failed && (problem = value_tiers_problem(t)) != NULL)
		bj_fail(&r, "%s", problem);
	if (!r.failed)
		return NULL;
	snprintf(err, errsz, "%s", r.err);
	return err;
}

void
rfm_thresholds_write(const bj_writer *w, const rfm_thresholds_fields *t)
{
	int			d;

	bj_put(w, "{");
	for (d = 0; d < RFM_NDIMS; d++)
	{
		bj_putf(w, "%s\"%s\": {\"count\": %" PRId64 ", \"cuts\": ",
				d > 0 ? ", " : "", rfm_dim_names[d], (int64_t) t->count[d]);
		bj_put_doubles(w, t->cut[d], RFM_NCUTS);
		bj_put(w, "}");
	}
	bj_put(w, "}");
}

void
value_tiers_write(const bj_writer *w, const value_tiers_fields *t)
{
	int			i;

	bj_put(w, "{\"a_cut\": ");
	bj_put_double(w, t->a_cut);
	bj_put(w, ", \"b_cut\": ");
	bj_put_double(w, t->b_cut);
	bj_put(w, ", \"tiers\": {");
	for (i = 0; i < VALUE_TIERS_N; i++)
	{
		bj_putf(w, "%s\"%s\": {\"customers\": %" PRId64 ", \"value\": ",
				i > 0 ? ", " : "", value_tier_names[i], (int64_t) t->customers[i]);
		bj_put_double(w, t->value[i]);
		bj_put(w, "}");
	}
	bj_put(w, "}}");
}
