/*
 * kmeans_core.c — k-means in plain C (see kmeans_core.h).
 */
#include "kmeans_core.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_core.h"

void		(*km_interrupt_hook) (void) = NULL;

#define KM_CHECK() do { if (km_interrupt_hook) km_interrupt_hook(); } while (0)
#define KM_CHECK_EVERY 16384	/* rows between interrupt checks */

/* ---------------------------------------------------------------------
 * Double-double arithmetic (error-free transformations).
 * --------------------------------------------------------------------- */

static inline void
dd_add(double *hi, double *lo, double x)
{
	double		s = *hi + x;
	double		bb = s - *hi;
	double		e = (*hi - (s - bb)) + (x - bb);
	double		t;

	e += *lo;
	t = s + e;
	*lo = e - (t - s);
	*hi = t;
}

static inline void
dd_add_dd(double *hi, double *lo, double bhi, double blo)
{
	dd_add(hi, lo, bhi);
	dd_add(hi, lo, blo);
}

/* (hi + lo) / n, rounded to a double. */
static inline double
dd_div(double hi, double lo, double n)
{
	double		q = hi / n;
	double		p = q * n;
	double		perr = fma(q, n, -p);
	double		r = ((hi - p) - perr + lo) / n;

	return q + r;
}

/* ---------------------------------------------------------------------
 * Layout and checks.
 * --------------------------------------------------------------------- */

size_t
km_data_len(int k, int d, unsigned flags)
{
	size_t		kd = (size_t) k * d;
	size_t		n = 2 * (size_t) d + kd + k;

	if (flags & KM_PENDING)
		n += KM_MOM_LEN(d);
	if (flags & KM_PASS)
		n += 2 * kd + k + 4 + (size_t) k * (d + 2);
	return n;
}

const char *
km_shape_problem(int k, int d)
{
	if (k < 1 || k > KM_MAX_K)
		return "k must be between 1 and 1000";
	if (d < 1 || d > KM_MAX_D)
		return "the number of features must be between 1 and 1000";
	if ((int64_t) k * d > KM_MAX_KD)
		return "k times the number of features must be at most 1000000";
	return NULL;
}

static bool
is_count(double c)
{
	return c >= 0 && c <= KM_MAX_COUNT && c == floor(c);
}

static bool
all_finite(const double *v, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return false;
	return true;
}

const char *
km_fields_problem(const km_fields *f)
{
	const char *p = km_shape_problem(f->k, f->d);
	size_t		kd = (size_t) f->k * f->d;
	int			j;
	double		total = 0;

	if (p)
		return p;
	if ((f->flags & ~KM_FLAGS_ALL) != 0)
		return "unknown flags";
	if ((f->flags & KM_PENDING) && (f->flags & (KM_PASS | KM_CONVERGED | KM_EVAL)))
		return "a pending model is neither a pass nor converged";
	if ((f->flags & KM_EVAL) && !(f->flags & KM_PASS))
		return "evaluation flag without a pass";
	if (f->iterations < 0 || f->iterations > KM_MAX_PASSES)
		return "iterations out of range";
	if (f->rows < 0 || f->skipped < 0 || (double) f->rows > KM_MAX_COUNT)
		return "negative row count";
	if (!(isnan(f->objective) || (isfinite(f->objective) && f->objective >= 0)))
		return "objective must be a finite number >= 0 or NaN";
	if (!(isnan(f->silhouette) || (f->silhouette >= -1 && f->silhouette <= 1)))
		return "simple_silhouette must be between -1 and 1 or NaN";
	if (!all_finite(km_mean(f), f->d) || !all_finite(km_sd(f), f->d))
		return "mean and sd must be finite";
	for (j = 0; j < f->d; j++)
		if (km_sd(f)[j] < 0)
			return "sd must be >= 0";
	if (!all_finite(km_cent(f), kd))
		return "centroids must be finite";
	for (j = 0; j < f->k; j++)
	{
		if (!is_count(km_members(f)[j]))
			return "members must be integers >= 0";
		total += km_members(f)[j];
	}
	if (!(f->flags & (KM_PASS | KM_PENDING)))
	{
		if (isnan(f->objective) ? total != 0 : total != (double) f->rows)
			return "members must add up to rows (or be 0 before evaluation)";
		if (isnan(f->objective) && !isnan(f->silhouette))
			return "simple_silhouette without objective";
	}
	if (f->flags & KM_PENDING)
	{
		const double *mom = km_mom(f);

		if (!all_finite(mom, 4 * (size_t) f->d))
			return "moment sums must be finite";
		for (j = 0; j < f->d; j++)
		{
			double		lo = mom[4 * f->d + j],
						hi = mom[5 * f->d + j];

			if (f->rows == 0 ? !(lo == INFINITY && hi == -INFINITY)
				: !(isfinite(lo) && isfinite(hi) && lo <= hi))
				return "bad moment minimum or maximum";
		}
	}
	if (f->flags & KM_PASS)
	{
		const double *far = km_far(f);
		bool		empty = false;

		if (!all_finite(km_sum_hi(f), 2 * kd) || !all_finite(km_acc(f), 4))
			return "pass sums must be finite";
		total = 0;
		for (j = 0; j < f->k; j++)
		{
			if (!is_count(km_count(f)[j]))
				return "pass counts must be integers >= 0";
			total += km_count(f)[j];
		}
		if (total != (double) f->rows)
			return "pass counts must add up to rows";
		for (j = 0; j < f->k; j++)
		{
			const double *e = far + (size_t) j * (f->d + 2);

			if (e[1] == -1)
			{
				empty = true;
				continue;
			}
			if (empty || !(e[1] >= 0 && e[1] < f->k && e[1] == floor(e[1])) ||
				!isfinite(e[0]) || e[0] < 0 || !all_finite(e + 2, f->d))
				return "bad farthest-row entry";
		}
	}
	return NULL;
}

/* ---------------------------------------------------------------------
 * Moments and scaling.  mom: sum hi[d], lo[d], sum of squares hi[d],
 * lo[d], min[d], max[d].
 * --------------------------------------------------------------------- */

static void
mom_clear(double *mom, int d)
{
	int			j;

	memset(mom, 0, sizeof(double) * 4 * d);
	for (j = 0; j < d; j++)
	{
		mom[4 * d + j] = INFINITY;
		mom[5 * d + j] = -INFINITY;
	}
}

static inline void
mom_add(double *mom, int d, const double *x)
{
	int			j;

	for (j = 0; j < d; j++)
	{
		double		sq = x[j] * x[j];

		dd_add(&mom[j], &mom[d + j], x[j]);
		dd_add_dd(&mom[2 * d + j], &mom[3 * d + j], sq, fma(x[j], x[j], -sq));
		if (x[j] < mom[4 * d + j])
			mom[4 * d + j] = x[j];
		if (x[j] > mom[5 * d + j])
			mom[5 * d + j] = x[j];
	}
}

static void
mom_merge(double *a, const double *b, int d)
{
	int			j;

	for (j = 0; j < d; j++)
	{
		dd_add_dd(&a[j], &a[d + j], b[j], b[d + j]);
		dd_add_dd(&a[2 * d + j], &a[3 * d + j], b[2 * d + j], b[3 * d + j]);
		if (b[4 * d + j] < a[4 * d + j])
			a[4 * d + j] = b[4 * d + j];
		if (b[5 * d + j] > a[5 * d + j])
			a[5 * d + j] = b[5 * d + j];
	}
}

/* (hi + lo) / n as a double-double (qhi, qlo). */
static inline void
dd_div2(double hi, double lo, double n, double *qhi, double *qlo)
{
	double		q = hi / n;
	double		p = q * n;
	double		perr = fma(q, n, -p);

	*qhi = q;
	*qlo = ((hi - p) - perr + lo) / n;
}

/*
 * Population mean and sd: var = E[x^2] - mean^2 in double-double; sd is 0
 * exactly when every value is the same (min = max).
 */
static void
mom_finish(const double *mom, int d, double n, double *mean, double *sd)
{
	int			j;

	for (j = 0; j < d; j++)
	{
		double		mhi,
					mlo,
					ehi,
					elo,
					m2,
					m2e,
					var;

		dd_div2(mom[j], mom[d + j], n, &mhi, &mlo);
		dd_div2(mom[2 * d + j], mom[3 * d + j], n, &ehi, &elo);
		m2 = mhi * mhi;
		m2e = fma(mhi, mhi, -m2) + 2 * mhi * mlo;
		dd_add_dd(&ehi, &elo, -m2, -m2e);
		var = ehi + elo;
		mean[j] = mhi + mlo;
		if (mom[4 * d + j] == mom[5 * d + j])
		{
			mean[j] = mom[4 * d + j];
			sd[j] = 0;
		}
		else
			sd[j] = var > 0 ? sqrt(var) : 0;
	}
}

void
km_moments_add(km_fields *f, const double *x)
{
	mom_add(km_mom(f), f->d, x);
	f->rows++;
}

static void
to_model_space(const double *mean, const double *sd, bool zscore, int d,
			   const double *x, double *out)
{
	int			j;

	for (j = 0; j < d; j++)
		out[j] = zscore ? (x[j] - mean[j]) / (sd[j] > 0 ? sd[j] : 1.0) : x[j];
}

void
km_scale_row(const km_fields *f, const double *x, double *out)
{
	to_model_space(km_mean(f), km_sd(f), (f->flags & KM_ZSCORE) != 0, f->d, x, out);
}

void
km_moments_finish(km_fields *f)
{
	int			c;

	mom_finish(km_mom(f), f->d, (double) f->rows, km_mean(f), km_sd(f));
	for (c = 0; c < f->k; c++)
	{
		double	   *cc = km_cent(f) + (size_t) c * f->d;

		km_scale_row(f, cc, cc);
		km_members(f)[c] = 0;
	}
	f->flags &= ~(KM_PENDING | KM_CONVERGED);
	f->iterations = 0;
	f->objective = NAN;
	f->silhouette = NAN;
}

void
km_moments_rows(const km_block *blocks, size_t nblocks, int d,
				double *mean, double *sd, double *mom)
{
	size_t		b,
				i,
				n = 0;

	mom_clear(mom, d);
	for (b = 0; b < nblocks; b++)
		for (i = 0; i < blocks[b].n; i++)
		{
			mom_add(mom, d, blocks[b].rows + i * d);
			if ((++n & (KM_CHECK_EVERY - 1)) == 0)
				KM_CHECK();
		}
	mom_finish(mom, d, (double) n, mean, sd);
}

/* ---------------------------------------------------------------------
 * Assignment.
 * --------------------------------------------------------------------- */

double
km_sqdist(const double *a, const double *b, int d)
{
	double		s = 0;
	int			j;

	for (j = 0; j < d; j++)
	{
		double		t = a[j] - b[j];

		s += t * t;
	}
	return s;
}

int
km_nearest(const double *cent, int k, int d, const double *x,
		   double *d1, double *d2)
{
	int			best = 0,
				c;
	double		b1 = INFINITY,
				b2 = INFINITY;

	for (c = 0; c < k; c++)
	{
		double		s = km_sqdist(cent + (size_t) c * d, x, d);

		if (s < b1)
		{
			b2 = b1;
			b1 = s;
			best = c;
		}
		else if (s < b2)
			b2 = s;
	}
	*d1 = b1;
	*d2 = k > 1 ? b2 : NAN;
	return best;
}

double
km_silhouette1(double d1, double d2)
{
	double		m = d1 > d2 ? d1 : d2;

	if (isnan(d2))
		return NAN;
	return m > 0 ? (d2 - d1) / m : 0.0;
}

/* ---------------------------------------------------------------------
 * One Lloyd pass.
 * --------------------------------------------------------------------- */

static void
far_clear(double *far, int k, int d)
{
	int			j;

	memset(far, 0, sizeof(double) * (size_t) k * (d + 2));
	for (j = 0; j < k; j++)
		far[(size_t) j * (d + 2) + 1] = -1;
}

/*
 * Order of the farthest-row list: larger distance first, then the row's
 * values in ascending lexicographic order, then the cluster — a total
 * order, so the list is the same for any order or split of the rows.
 * Compares (dist, cluster, x) with entry e.
 */
static int
far_cmp(double dist, double cluster, const double *x, const double *e, int d)
{
	int			j;

	if (dist != e[0])
		return dist > e[0] ? -1 : 1;
	for (j = 0; j < d; j++)
		if (x[j] != e[2 + j])
			return x[j] < e[2 + j] ? -1 : 1;
	if (cluster != e[1])
		return cluster < e[1] ? -1 : 1;
	return 0;
}

static void
far_insert(double *far, int k, int d, double dist, double cluster, const double *x)
{
	size_t		w = (size_t) d + 2;
	int			n,
				pos;

	if (far[(k - 1) * w + 1] != -1)
	{
		if (far_cmp(dist, cluster, x, far + (k - 1) * w, d) >= 0)
			return;
		n = k - 1;				/* the last entry drops out */
	}
	else
		for (n = 0; far[n * w + 1] != -1; n++)
			;
	for (pos = n; pos > 0 && far_cmp(dist, cluster, x, far + (pos - 1) * w, d) < 0; pos--)
		;
	memmove(far + (pos + 1) * w, far + pos * w, sizeof(double) * (n - pos) * w);
	far[pos * w] = dist;
	far[pos * w + 1] = cluster;
	memcpy(far + pos * w + 2, x, sizeof(double) * d);
}

void
km_pass_begin(km_fields *pass, const km_fields *model, bool update)
{
	size_t		base = km_data_len(model->k, model->d, 0);

	pass->k = model->k;
	pass->d = model->d;
	pass->iterations = model->iterations;
	pass->flags = (model->flags & (KM_ZSCORE | KM_CONVERGED)) | KM_PASS | (update ? 0 : KM_EVAL);
	pass->rows = 0;
	pass->skipped = 0;
	pass->objective = model->objective;
	pass->silhouette = model->silhouette;
	memcpy(pass->data, model->data, sizeof(double) * base);
	memset(pass->data + base, 0, sizeof(double) * (km_data_len(pass->k, pass->d, KM_PASS) - base));
	far_clear(km_far(pass), pass->k, pass->d);
}

void
km_pass_add(km_fields *p, const double *x)
{
	int			d = p->d,
				j;
	double		d1,
				d2;
	int			c = km_nearest(km_cent(p), p->k, d, x, &d1, &d2);
	double	   *hi = km_sum_hi(p) + (size_t) c * d;
	double	   *lo = km_sum_lo(p) + (size_t) c * d;
	double	   *acc = km_acc(p);
	double	   *far = km_far(p);
	size_t		w = (size_t) d + 2;

	for (j = 0; j < d; j++)
		dd_add(&hi[j], &lo[j], x[j]);
	km_count(p)[c] += 1;
	dd_add(&acc[0], &acc[1], d1);
	if (p->k > 1)
		dd_add(&acc[2], &acc[3], km_silhouette1(d1, d2));
	p->rows++;
	/* the farthest-row list: usually one comparison with its last entry */
	if (far[(p->k - 1) * w + 1] == -1 || d1 >= far[(p->k - 1) * w])
		far_insert(far, p->k, d, d1, (double) c, x);
}

bool
km_same_model(const km_fields *a, const km_fields *b)
{
	return a->k == b->k && a->d == b->d &&
		(a->flags & (KM_ZSCORE | KM_PENDING | KM_PASS | KM_EVAL)) ==
		(b->flags & (KM_ZSCORE | KM_PENDING | KM_PASS | KM_EVAL)) &&
		a->iterations == b->iterations &&
		memcmp(a->data, b->data, sizeof(double) * (2 * (size_t) a->d + (size_t) a->k * a->d)) == 0;
}

void
km_pass_merge(km_fields *a, const km_fields *b)
{
	size_t		kd = (size_t) a->k * a->d,
				i;
	int			d = a->d,
				j;

	a->rows += b->rows;
	a->skipped += b->skipped;
	if (a->flags & KM_PENDING)
	{
		mom_merge(km_mom(a), km_mom(b), d);
		return;
	}
	for (i = 0; i < kd; i++)
		dd_add_dd(&km_sum_hi(a)[i], &km_sum_lo(a)[i], km_sum_hi(b)[i], km_sum_lo(b)[i]);
	for (j = 0; j < a->k; j++)
		km_count(a)[j] += km_count(b)[j];
	dd_add_dd(&km_acc(a)[0], &km_acc(a)[1], km_acc(b)[0], km_acc(b)[1]);
	dd_add_dd(&km_acc(a)[2], &km_acc(a)[3], km_acc(b)[2], km_acc(b)[3]);
	for (j = 0; j < a->k; j++)
	{
		const double *e = km_far(b) + (size_t) j * (d + 2);

		if (e[1] == -1)
			break;
		far_insert(km_far(a), a->k, d, e[0], e[1], e + 2);
	}
}

/*
 * Empty clusters: each, in cluster order, takes the next row of the
 * farthest-row list (farthest from its centroid first) whose cluster keeps
 * at least one other row and has not itself received a row; the row
 * leaves its cluster's sums.  If the list runs out, or only rows sitting
 * on their centroid are left (fewer distinct rows than k), the cluster
 * keeps its centroid and stays empty.
 */
static void
km_relocate(double *hi, double *lo, double *count, double *fixed,
			double *newcent, const double *far, int k, int d)
{
	int			c,
				next = 0,
				j;
	size_t		w = (size_t) d + 2;

	for (c = 0; c < k; c++)
	{
		if (count[c] != 0)
			continue;
		while (next < k)
		{
			const double *e = far + next * w;
			int			from;

			next++;
			if (e[1] == -1)
			{
				next = k;
				break;
			}
			from = (int) e[1];
			if (e[0] == 0)
			{
				/* the rest sit on their centroids: nothing to gain */
				next = k;
				break;
			}
			if (count[from] < 2 || fixed[from] != 0)
				continue;
			for (j = 0; j < d; j++)
			{
				dd_add(&hi[(size_t) from * d + j], &lo[(size_t) from * d + j], -e[2 + j]);
				newcent[(size_t) c * d + j] = e[2 + j];
			}
			count[from] -= 1;
			count[c] = 1;
			fixed[c] = 1;
			break;
		}
	}
}

void
km_pass_finish(const km_fields *pass, km_fields *out, double *outdata,
			   double *work)
{
	int			k = pass->k,
				d = pass->d,
				c,
				j;
	size_t		kd = (size_t) k * d;
	size_t		base = km_data_len(k, d, 0);
	const double *acc = km_acc(pass);
	double	   *hi = work,
			   *lo = work + kd,
			   *count = work + 2 * kd,
			   *fixed = count + k,
			   *newcent;
	bool		changed = false;

	out->k = k;
	out->d = d;
	out->data = outdata;
	memcpy(outdata, pass->data, sizeof(double) * base);
	out->rows = pass->rows;
	out->skipped = pass->skipped;
	out->objective = pass->rows > 0 ? acc[0] + acc[1] : NAN;
	out->silhouette = (pass->rows > 0 && k > 1) ? dd_div(acc[2], acc[3], (double) pass->rows) : NAN;
	if (!isnan(out->silhouette))
		out->silhouette = fmax(-1.0, fmin(1.0, out->silhouette));
	out->flags = pass->flags & ~(KM_PASS | KM_EVAL);
	out->iterations = pass->iterations;
	memcpy(km_members(out), km_count(pass), sizeof(double) * k);
	if (pass->flags & KM_EVAL)
		return;

	memcpy(hi, km_sum_hi(pass), sizeof(double) * kd);
	memcpy(lo, km_sum_lo(pass), sizeof(double) * kd);
	memcpy(count, km_count(pass), sizeof(double) * k);
	memset(fixed, 0, sizeof(double) * k);
	newcent = km_cent(out);
	if (pass->rows > 0)
		km_relocate(hi, lo, count, fixed, newcent, km_far(pass), k, d);
	for (c = 0; c < k; c++)
	{
		const double *old = km_cent(pass) + (size_t) c * d;

		if (fixed[c] != 0)
		{
			changed = true;
			continue;
		}
		if (count[c] == 0)
			continue;			/* stays empty: keeps its centroid */
		for (j = 0; j < d; j++)
		{
			double		v = dd_div(hi[(size_t) c * d + j], lo[(size_t) c * d + j], count[c]);

			if (v != old[j])
				changed = true;
			newcent[(size_t) c * d + j] = v;
		}
	}
	memcpy(km_members(out), count, sizeof(double) * k);
	out->iterations = pass->iterations < KM_MAX_PASSES ? pass->iterations + 1 : KM_MAX_PASSES;
	if (changed)
		out->flags &= ~KM_CONVERGED;
	else
		out->flags |= KM_CONVERGED;
}

static void
lloyd_pass(km_fields *model, const km_block *blocks, size_t nblocks,
		   bool update, km_fields *pass, double *work)
{
	size_t		b,
				i,
				n = 0;

	KM_CHECK();
	km_pass_begin(pass, model, update);
	for (b = 0; b < nblocks; b++)
		for (i = 0; i < blocks[b].n; i++)
		{
			km_pass_add(pass, blocks[b].rows + i * model->d);
			if ((++n & (KM_CHECK_EVERY - 1)) == 0)
				KM_CHECK();
		}
	pass->skipped = model->skipped;
	km_pass_finish(pass, model, model->data, work);
}

void
km_lloyd(km_fields *model, const km_block *blocks, size_t nblocks,
		 int max_iter, double *passdata, double *work)
{
	km_fields	pass;
	int			it;

	pass.data = passdata;
	model->flags &= ~KM_CONVERGED;
	for (it = 0; it < max_iter; it++)
	{
		lloyd_pass(model, blocks, nblocks, true, &pass, work);
		if (model->flags & KM_CONVERGED)
			return;
	}
	/* as scikit-learn: members and objective of the final centroids */
	lloyd_pass(model, blocks, nblocks, false, &pass, work);
}

/* ---------------------------------------------------------------------
 * The seeded PRNG: xoshiro256** seeded through splitmix64.
 * --------------------------------------------------------------------- */

uint64_t
km_mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
km_rng_init(km_rng *r, uint64_t seed)
{
	int			i;

	for (i = 0; i < 4; i++)
	{
		seed += 0x9e3779b97f4a7c15ULL;
		r->s[i] = km_mix64(seed);
	}
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
km_rng_next(km_rng *r)
{
	uint64_t   *s = r->s;
	uint64_t	result = rotl(s[1] * 5, 7) * 9;
	uint64_t	t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* ---------------------------------------------------------------------
 * Greedy k-means++ seeding.
 * --------------------------------------------------------------------- */

int
km_local_trials(int k)
{
	return 2 + (int) floor(log((double) k));
}

/* A hash of a row's values (-0 as 0): its identity for the races. */
static uint64_t
row_hash(const double *x, int d)
{
	uint64_t	h = 0x51ed270b27cd9a3bULL;
	int			j;

	for (j = 0; j < d; j++)
	{
		double		v = x[j] == 0 ? 0.0 : x[j];
		uint64_t	bits;

		memcpy(&bits, &v, sizeof bits);
		h = km_mix64(h ^ bits);
	}
	return h;
}

static int
lex_cmp(const double *a, const double *b, int d)
{
	int			j;

	for (j = 0; j < d; j++)
		if (a[j] != b[j])
			return a[j] < b[j] ? -1 : 1;
	return 0;
}

/*
 * One draw with probability proportional to w (all 1 when w is NULL): the
 * row with the smallest -ln(u) / w, u uniform in (0, 1) from the row's
 * hash and the salt (an exponential race); ties by the row's values.
 */
static const double *
race(const km_block *blocks, size_t nblocks, int d, const double *w,
	 const uint64_t *hashes, uint64_t salt)
{
	const double *best = NULL;
	double		bestkey = INFINITY;
	size_t		b,
				i,
				n = 0;

	for (b = 0; b < nblocks; b++)
		for (i = 0; i < blocks[b].n; i++, n++)
		{
			double		wi = w ? w[n] : 1.0;
			const double *x = blocks[b].rows + i * d;
			double		u,
						key;

			if ((n & (KM_CHECK_EVERY - 1)) == 0)
				KM_CHECK();
			if (!(wi > 0))
				continue;
			u = ((double) (km_mix64(hashes[n] ^ salt) >> 11) + 0.5) * 0x1p-53;
			key = -log(u) / wi;
			if (best == NULL || key < bestkey ||
				(key == bestkey && lex_cmp(x, best, d) < 0))
			{
				best = x;
				bestkey = key;
			}
		}
	return best;
}

void
km_seed_plusplus(const km_block *blocks, size_t nblocks, int d, int k,
				 int64_t seed, double *cent, double *closest, uint64_t *hashes)
{
	km_rng		rng;
	int			trials = km_local_trials(k),
				c,
				t;
	size_t		b,
				i,
				n;
	const double *first;

	km_rng_init(&rng, (uint64_t) seed);
	n = 0;
	for (b = 0; b < nblocks; b++)
		for (i = 0; i < blocks[b].n; i++)
			hashes[n++] = row_hash(blocks[b].rows + i * d, d);
	first = race(blocks, nblocks, d, NULL, hashes, km_rng_next(&rng));
	memcpy(cent, first, sizeof(double) * d);
	n = 0;
	for (b = 0; b < nblocks; b++)
		for (i = 0; i < blocks[b].n; i++, n++)
			closest[n] = km_sqdist(blocks[b].rows + i * d, cent, d);
	for (c = 1; c < k; c++)
	{
		double		pot_hi = 0,
					pot_lo = 0,
					best_pot = INFINITY;
		const double *best = NULL;

		for (n = 0, b = 0; b < nblocks; b++)
			for (i = 0; i < blocks[b].n; i++, n++)
				dd_add(&pot_hi, &pot_lo, closest[n]);
		for (t = 0; t < trials; t++)
		{
			/* every row already a centroid: draw among all rows */
			const double *cand = race(blocks, nblocks, d,
									  pot_hi > 0 ? closest : NULL,
									  hashes, km_rng_next(&rng));
			double		hi = 0,
						lo = 0,
						pot;

			for (n = 0, b = 0; b < nblocks; b++)
				for (i = 0; i < blocks[b].n; i++, n++)
				{
					double		s = km_sqdist(blocks[b].rows + i * d, cand, d);

					dd_add(&hi, &lo, s < closest[n] ? s : closest[n]);
					if ((n & (KM_CHECK_EVERY - 1)) == 0)
						KM_CHECK();
				}
			pot = hi + lo;
			if (best == NULL || pot < best_pot)
			{
				best = cand;
				best_pot = pot;
			}
		}
		memcpy(cent + (size_t) c * d, best, sizeof(double) * d);
		for (n = 0, b = 0; b < nblocks; b++)
			for (i = 0; i < blocks[b].n; i++, n++)
			{
				double		s = km_sqdist(blocks[b].rows + i * d, best, d);

				if (s < closest[n])
					closest[n] = s;
			}
	}
}

/* ---------------------------------------------------------------------
 * Text form: JSON.
 * --------------------------------------------------------------------- */

static void
put_s(km_put_fn put, void *ctx, const char *s)
{
	put(ctx, s, strlen(s));
}

static void
put_num(km_put_fn put, km_putf_fn putf, void *ctx, double v)
{
	if (isnan(v))
		put_s(put, ctx, "\"NaN\"");
	else if (isinf(v))
		put_s(put, ctx, v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
	else
		putf(ctx, v);
}

static void
put_array(km_put_fn put, km_putf_fn putf, void *ctx, const double *v, size_t n)
{
	size_t		i;

	put_s(put, ctx, "[");
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			put_s(put, ctx, ", ");
		put_num(put, putf, ctx, v[i]);
	}
	put_s(put, ctx, "]");
}

static const char *
state_name(unsigned flags)
{
	if (flags & KM_PENDING)
		return "pending";
	if (flags & KM_EVAL)
		return "evaluation";
	if (flags & KM_PASS)
		return "pass";
	return "model";
}

void
km_write_json(const km_fields *f, km_put_fn put, km_putf_fn putf, void *ctx)
{
	char		buf[256];
	int			c;
	size_t		base = km_data_len(f->k, f->d, 0),
				all = km_data_len(f->k, f->d, f->flags);

	snprintf(buf, sizeof buf,
			 "{\"version\": %d, \"state\": \"%s\", \"k\": %d, \"dimensions\": %d, \"scale\": \"%s\", "
			 "\"rows\": %lld, \"skipped\": %lld, \"iterations\": %d, \"converged\": %s, \"objective\": ",
			 KM_VERSION, state_name(f->flags), f->k, f->d,
			 (f->flags & KM_ZSCORE) ? "zscore" : "none",
			 (long long) f->rows, (long long) f->skipped, f->iterations,
			 (f->flags & KM_CONVERGED) ? "true" : "false");
	put_s(put, ctx, buf);
	put_num(put, putf, ctx, f->objective);
	put_s(put, ctx, ", \"simple_silhouette\": ");
	put_num(put, putf, ctx, f->silhouette);
	put_s(put, ctx, ", \"mean\": ");
	put_array(put, putf, ctx, km_mean(f), f->d);
	put_s(put, ctx, ", \"sd\": ");
	put_array(put, putf, ctx, km_sd(f), f->d);
	put_s(put, ctx, ", \"centroids\": [");
	for (c = 0; c < f->k; c++)
	{
		if (c > 0)
			put_s(put, ctx, ", ");
		put_array(put, putf, ctx, km_cent(f) + (size_t) c * f->d, f->d);
	}
	put_s(put, ctx, "], \"members\": ");
	put_array(put, putf, ctx, km_members(f), f->k);
	if (all > base)
	{
		put_s(put, ctx, ", \"accumulators\": ");
		put_array(put, putf, ctx, f->data + base, all - base);
	}
	put_s(put, ctx, "}");
}

/* A growing array of numbers, from the caller's allocator. */
typedef struct numbuf
{
	double	   *v;
	size_t		n;
	size_t		cap;
	size_t		rows;			/* arrays of arrays: inner arrays read */
	size_t		width;			/* their length (all the same) */
} numbuf;

#define KM_MAX_ELEMS ((size_t) 8 * KM_MAX_KD)

static bool
nb_push(bj_reader *r, numbuf *b, double v, km_alloc_fn alloc, km_free_fn dealloc)
{
	if (b->n == b->cap)
	{
		size_t		cap = b->cap ? 2 * b->cap : 16;
		double	   *nv;

		if (b->n >= KM_MAX_ELEMS)
			return bj_fail(r, "array too long");
		nv = alloc(sizeof(double) * cap);
		if (b->n)
			memcpy(nv, b->v, sizeof(double) * b->n);
		if (b->v)
			dealloc(b->v);
		b->v = nv;
		b->cap = cap;
	}
	b->v[b->n++] = v;
	return true;
}

static bool
read_numbers(bj_reader *r, numbuf *b, km_alloc_fn alloc, km_free_fn dealloc)
{
	bool		more;
	double		v;

	if (!bj_begin_array(r))
		return false;
	while (bj_next_elem(r, &more) && more)
	{
		if (!bj_number_special(r, &v) || !nb_push(r, b, v, alloc, dealloc))
			return false;
	}
	return !r->failed;
}

static bool
read_matrix(bj_reader *r, numbuf *b, km_alloc_fn alloc, km_free_fn dealloc)
{
	bool		more;

	if (!bj_begin_array(r))
		return false;
	while (bj_next_elem(r, &more) && more)
	{
		size_t		before = b->n;

		if (!read_numbers(r, b, alloc, dealloc))
			return false;
		if (b->rows > 0 && b->n - before != b->width)
			return bj_fail(r, "centroids of different lengths");
		b->width = b->n - before;
		b->rows++;
	}
	return !r->failed;
}

static const char *const km_keys[] = {
	"version", "state", "k", "dimensions", "scale", "rows", "skipped",
	"iterations", "converged", "objective", "simple_silhouette", "mean", "sd",
	"centroids", "members", "accumulators"
};
#define KM_NKEYS 16
#define KM_NREQUIRED 15

const char *
km_parse(const char *str, size_t len, km_fields *f, km_alloc_fn alloc,
		 km_free_fn dealloc, char *err, size_t errsz)
{
	bj_reader	r;
	bool		seen[KM_NKEYS] = {false};
	bool		more;
	char		key[32],
				sval[16];
	numbuf		nb[5];			/* mean, sd, centroids, members, accumulators */
	int64_t		iv;
	bool		bv;
	const char *problem = NULL;
	int			i;
	size_t		base,
				all;

	memset(nb, 0, sizeof nb);
	memset(f, 0, sizeof *f);
	f->objective = NAN;
	f->silhouette = NAN;
	bj_init(&r, str, len);
	if (!bj_begin_object(&r))
		goto fail;
	while (bj_next_key(&r, key, sizeof key, &more) && more)
	{
		switch (bj_key_index(&r, key, km_keys, KM_NKEYS, seen))
		{
			case 0:
				if (bj_int64(&r, &iv) && iv != KM_VERSION)
					bj_fail(&r, "unknown version %lld", (long long) iv);
				break;
			case 1:
				if (bj_string(&r, sval, sizeof sval))
				{
					if (strcmp(sval, "pending") == 0)
						f->flags |= KM_PENDING;
					else if (strcmp(sval, "pass") == 0)
						f->flags |= KM_PASS;
					else if (strcmp(sval, "evaluation") == 0)
						f->flags |= KM_PASS | KM_EVAL;
					else if (strcmp(sval, "model") != 0)
						bj_fail(&r, "unknown state \"%s\"", sval);
				}
				break;
			case 2:
			case 3:
			case 7:
				if (bj_int64(&r, &iv))
				{
					if (iv < 0 || iv > 1000000000)
						bj_fail(&r, "\"%s\" out of range", key);
					else if (key[0] == 'k')
						f->k = (int) iv;
					else if (key[0] == 'd')
						f->d = (int) iv;
					else
						f->iterations = (int) iv;
				}
				break;
			case 4:
				if (bj_string(&r, sval, sizeof sval))
				{
					if (strcmp(sval, "zscore") == 0)
						f->flags |= KM_ZSCORE;
					else if (strcmp(sval, "none") != 0)
						bj_fail(&r, "unknown scale \"%s\"", sval);
				}
				break;
			case 5:
				if (bj_int64(&r, &iv))
					f->rows = iv;
				break;
			case 6:
				if (bj_int64(&r, &iv))
					f->skipped = iv;
				break;
			case 8:
				if (bj_bool(&r, &bv) && bv)
					f->flags |= KM_CONVERGED;
				break;
			case 9:
				bj_number_special(&r, &f->objective);
				break;
			case 10:
				bj_number_special(&r, &f->silhouette);
				break;
			case 11:
				read_numbers(&r, &nb[0], alloc, dealloc);
				break;
			case 12:
				read_numbers(&r, &nb[1], alloc, dealloc);
				break;
			case 13:
				read_matrix(&r, &nb[2], alloc, dealloc);
				break;
			case 14:
				read_numbers(&r, &nb[3], alloc, dealloc);
				break;
			case 15:
				read_numbers(&r, &nb[4], alloc, dealloc);
				break;
			default:
				break;
		}
		if (r.failed)
			break;
	}
	if (r.failed || !bj_finish_keys(&r, km_keys, KM_NREQUIRED, seen))
		goto fail;
	problem = km_shape_problem(f->k, f->d);
	if (problem)
		goto done;
	if (nb[0].n != (size_t) f->d || nb[1].n != (size_t) f->d)
	{
		problem = "mean and sd must have one value per dimension";
		goto done;
	}
	if (nb[2].rows != (size_t) f->k || nb[2].width != (size_t) f->d)
	{
		problem = "centroids must be k arrays of one value per dimension";
		goto done;
	}
	if (nb[3].n != (size_t) f->k)
	{
		problem = "members must have k values";
		goto done;
	}
	base = km_data_len(f->k, f->d, 0);
	all = km_data_len(f->k, f->d, f->flags);
	if (nb[4].n != all - base || (seen[15] != (all > base)))
	{
		problem = (all > base) ? "accumulators of the wrong length" :
			"accumulators are only in a pending or pass state";
		goto done;
	}
	f->data = alloc(sizeof(double) * all);
	memcpy(km_mean(f), nb[0].v, sizeof(double) * f->d);
	memcpy(km_sd(f), nb[1].v, sizeof(double) * f->d);
	memcpy(km_cent(f), nb[2].v, sizeof(double) * f->k * f->d);
	memcpy(km_members(f), nb[3].v, sizeof(double) * f->k);
	if (all > base)
		memcpy(f->data + base, nb[4].v, sizeof(double) * (all - base));
	problem = km_fields_problem(f);
	if (problem)
	{
		dealloc(f->data);
		f->data = NULL;
	}
	goto done;

fail:
	snprintf(err, errsz, "%s", r.err);
	problem = err;
done:
	for (i = 0; i < 5; i++)
		if (nb[i].v)
			dealloc(nb[i].v);
	return problem;
}
