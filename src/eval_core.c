/*
 * eval_core.c — see eval_core.h.  Plain C: no postgres.h.
 */
#include "eval_core.h"
#include "interrupt_core.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_core.h"

#define EV_RADIX_BITS 11
#define EV_RADIX (1 << EV_RADIX_BITS)
#define EV_PASSES 6				/* 6 * 11 >= 64 */

/* Order-preserving key of a double: flip all bits of negatives, the sign of others. */
static inline uint64_t
key_of(double x)
{
	uint64_t	u;

	if (x == 0)
		x = 0;					/* -0 sorts as 0 */
	memcpy(&u, &x, sizeof(u));
	return (u & UINT64_C(0x8000000000000000)) ? ~u : (u | UINT64_C(0x8000000000000000));
}

static inline double
double_of(uint64_t u)
{
	double		x;

	u = (u & UINT64_C(0x8000000000000000)) ? (u & ~UINT64_C(0x8000000000000000)) : ~u;
	memcpy(&x, &u, sizeof(x));
	return x;
}

void
ev_sort(double *a, size_t n, double *tmp)
{
	static size_t count[EV_PASSES][EV_RADIX];
	uint64_t   *src = (uint64_t *) a;
	uint64_t   *dst = (uint64_t *) tmp;
	size_t		i;
	int			pass;

	if (n < 2)
	{
		if (n == 1 && a[0] == 0)
			a[0] = 0;
		return;
	}
	memset(count, 0, sizeof(count));
	for (i = 0; i < n; i++)
	{
		uint64_t	k = key_of(a[i]);

		src[i] = k;
		for (pass = 0; pass < EV_PASSES; pass++)
			count[pass][(k >> (pass * EV_RADIX_BITS)) & (EV_RADIX - 1)]++;
	}
	for (pass = 0; pass < EV_PASSES; pass++)
	{
		size_t	   *c = count[pass];
		size_t		sum = 0;
		int			shift = pass * EV_RADIX_BITS;
		int			d;
		uint64_t   *t;

		B2B_CORE_CHECK_INTERRUPTS();
		/* all keys share this digit: the pass would not move anything */
		if (c[(src[0] >> shift) & (EV_RADIX - 1)] == n)
			continue;
		for (d = 0; d < EV_RADIX; d++)
		{
			size_t		x = c[d];

			c[d] = sum;
			sum += x;
		}
		for (i = 0; i < n; i++)
			dst[c[(src[i] >> shift) & (EV_RADIX - 1)]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != (uint64_t *) a)
		memcpy(a, src, n * sizeof(uint64_t));
	src = (uint64_t *) a;
	for (i = 0; i < n; i++)
		a[i] = double_of(src[i]);
}

#ifdef __SIZEOF_INT128__
typedef unsigned __int128 ev_wide;
#else
typedef long double ev_wide;
#endif

double
ev_auc_sorted(const double *pos, size_t np, const double *neg, size_t nn)
{
	size_t		i = 0,
				j = 0;
	uint64_t	neg_below = 0;
	ev_wide		twice = 0;		/* 2 * (pairs ordered right) + ties */

	if (np == 0 || nn == 0)
		return NAN;
	while (i < np)
	{
		double		s = pos[i];
		uint64_t	cp = 0,
					cn = 0;

		while (j < nn && neg[j] < s)
		{
			j++;
			neg_below++;
		}
		while (j < nn && neg[j] == s)
		{
			j++;
			cn++;
		}
		while (i < np && pos[i] == s)
		{
			i++;
			cp++;
		}
		twice += (ev_wide) cp * (2 * (ev_wide) neg_below + cn);
		neg_below += cn;
	}
	return (double) twice / (2.0 * (double) np * (double) nn);
}

size_t
ev_groups(const double *pos, size_t np, const double *neg, size_t nn,
		  double *score, int64_t *rows, int64_t *positives)
{
	size_t		i = np,
				j = nn,
				g = 0;

	while (i > 0 || j > 0)
	{
		double		s;
		int64_t		cp = 0,
					cn = 0;

		if (i == 0)
			s = neg[j - 1];
		else if (j == 0)
			s = pos[i - 1];
		else
			s = pos[i - 1] > neg[j - 1] ? pos[i - 1] : neg[j - 1];
		while (i > 0 && pos[i - 1] == s)
		{
			i--;
			cp++;
		}
		while (j > 0 && neg[j - 1] == s)
		{
			j--;
			cn++;
		}
		score[g] = s;
		rows[g] = cp + cn;
		positives[g] = cp;
		g++;
	}
	return g;
}

double
ev_auc_groups(const int64_t *rows, const int64_t *positives, size_t ngroups)
{
	size_t		g;
	uint64_t	np = 0,
				nn = 0,
				neg_below = 0;
	ev_wide		twice = 0;

	for (g = 0; g < ngroups; g++)
	{
		np += (uint64_t) positives[g];
		nn += (uint64_t) (rows[g] - positives[g]);
	}
	if (np == 0 || nn == 0)
		return NAN;
	/* groups are descending: walk them ascending */
	for (g = ngroups; g-- > 0;)
	{
		uint64_t	cp = (uint64_t) positives[g];
		uint64_t	cn = (uint64_t) (rows[g] - positives[g]);

		twice += (ev_wide) cp * (2 * (ev_wide) neg_below + cn);
		neg_below += cn;
	}
	return (double) twice / (2.0 * (double) np * (double) nn);
}

void
ev_lift_buckets(const double *score, const int64_t *rows,
				const int64_t *positives, size_t ngroups, int buckets,
				int64_t *brows, int64_t *bpos, double *bmin, double *bmax)
{
	int64_t		n = 0,
				rank = 0;
	size_t		g;
	int			b;

	for (g = 0; g < ngroups; g++)
		n += rows[g];
	for (b = 0; b < buckets; b++)
	{
		brows[b] = bpos[b] = 0;
		bmin[b] = bmax[b] = NAN;
	}
	for (g = 0; g < ngroups; g++)
	{
		b = (int) ((ev_wide) rank * (ev_wide) buckets / (ev_wide) n);
		if (b >= buckets)
			b = buckets - 1;
		brows[b] += rows[g];
		bpos[b] += positives[g];
		if (isnan(bmax[b]))
			bmax[b] = score[g];
		bmin[b] = score[g];
		rank += rows[g];
	}
}

double
ev_log_loss_term(double p, int y)
{
	if (p < EV_LOGLOSS_EPS)
		p = EV_LOGLOSS_EPS;
	if (p > 1 - EV_LOGLOSS_EPS)
		p = 1 - EV_LOGLOSS_EPS;
	return y ? -log(p) : -log1p(-p);
}

/* ---------------------------------------------------------------------
 * The lift type's tie groups and their JSON text form.
 * --------------------------------------------------------------------- */

const char *
ev_lift_problem(const double *score, const int64_t *rows,
				const int64_t *positives, size_t ngroups)
{
	size_t		i;
	int64_t		total = 0;

	for (i = 0; i < ngroups; i++)
	{
		if (!isfinite(score[i]))
			return "scores must be finite";
		if (i > 0 && !(score[i] < score[i - 1]))
			return "scores must be distinct and in descending order";
		if (rows[i] < 1 || positives[i] < 0 || positives[i] > rows[i])
			return "each score needs rows >= 1 and 0 <= positives <= rows";
		if (rows[i] > INT64_MAX / 4 - total)
			return "row counts out of range";
		total += rows[i];
	}
	return NULL;
}

void
ev_lift_free(ev_lift *l, ev_free_fn dealloc)
{
	dealloc(l->score);
	dealloc(l->rows);
	dealloc(l->positives);
	memset(l, 0, sizeof(*l));
}

/*
 * Read a JSON array of numbers (of integers when asint) into *out, 8 bytes
 * an element, in a buffer of 16 slots that doubles when full; *out (NULL
 * at first) stays set on failure so that the caller can free it.
 */
static bool
ev_read_array(bj_reader *r, ev_alloc_fn alloc, ev_free_fn dealloc,
			  void **out, size_t *n, bool asint, int max_groups)
{
	size_t		cap = 16;
	bool		more;

	*n = 0;
	*out = alloc(cap * 8);
	if (*out == NULL)
		return bj_fail(r, "out of memory");
	if (!bj_begin_array(r))
		return false;
	while (bj_next_elem(r, &more) && more)
	{
		if (*n == cap)
		{
			void	   *bigger;

			if (cap >= (size_t) max_groups)
				return bj_fail(r, "more than %d scores", max_groups);
			bigger = alloc(cap * 2 * 8);
			if (bigger == NULL)
				return bj_fail(r, "out of memory");
			memcpy(bigger, *out, cap * 8);
			dealloc(*out);
			*out = bigger;
			cap *= 2;
		}
		if (asint)
		{
			if (!bj_int64(r, &((int64_t *) *out)[*n]))
				return false;
		}
		else if (!bj_number(r, &((double *) *out)[*n]))
			return false;
		(*n)++;
	}
	return !r->failed;
}

const char *
ev_lift_parse(const char *str, size_t len, int max_groups, ev_lift *l,
			  ev_alloc_fn alloc, ev_free_fn dealloc, char *err, size_t errsz)
{
	static const char *const keys[] = {"version", "scores", "rows", "positives"};
	enum
	{
		K_VERSION, K_SCORES, K_ROWS, K_POS, K_N
	};
	bool		seen[K_N] = {false};
	void	   *arr[K_N] = {NULL};
	size_t		n[K_N] = {0};
	bj_reader	r;
	char		key[64];
	bool		more;
	int64_t		version = 0;
	const char *problem = NULL;
	int			k;

	memset(l, 0, sizeof(*l));
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		int			k = bj_key_index(&r, key, keys, K_N, seen);

		if (k < 0)
			break;
		if (k == K_VERSION)
		{
			if (bj_int64(&r, &version) && version != EV_LIFT_VERSION)
				bj_fail(&r, "unknown version %" PRId64, version);
		}
		else
			ev_read_array(&r, alloc, dealloc, &arr[k], &n[k], k != K_SCORES,
						  max_groups);
		if (r.failed)
			break;
	}
	bj_finish_keys(&r, keys, K_N, seen);
	if (!r.failed && (n[K_SCORES] != n[K_ROWS] || n[K_SCORES] != n[K_POS]))
		bj_fail(&r, "\"scores\", \"rows\" and \"positives\" differ in length");
	if (r.failed)
	{
		snprintf(err, errsz, "%s", r.err);
		problem = err;
	}
	else
		problem = ev_lift_problem(arr[K_SCORES], arr[K_ROWS], arr[K_POS],
								  n[K_SCORES]);
	if (problem)
	{
		for (k = 0; k < K_N; k++)
			if (arr[k] != NULL)
				dealloc(arr[k]);
		return problem;
	}
	l->ngroups = n[K_SCORES];
	l->score = arr[K_SCORES];
	l->rows = arr[K_ROWS];
	l->positives = arr[K_POS];
	return NULL;
}

void
ev_lift_write(const bj_writer *w, const double *score, const int64_t *rows,
			  const int64_t *positives, size_t n)
{
	bj_putf(w, "{\"version\": %d, \"scores\": ", EV_LIFT_VERSION);
	bj_put_doubles(w, score, n);
	bj_put(w, ", \"rows\": ");
	bj_put_int64s(w, rows, n);
	bj_put(w, ", \"positives\": ");
	bj_put_int64s(w, positives, n);
	bj_put(w, "}");
}
