/*
 * eval_core.c — see eval_core.h.  Plain C: no postgres.h.
 */
#include "eval_core.h"

#include <math.h>
#include <string.h>

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
