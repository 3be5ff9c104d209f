/*
 * targeting_core.c — see targeting_core.h.  Plain C: no postgres.h.
 */
#include "targeting_core.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_core.h"

/* ---------------------------------------------------------------------
 * Target plan
 * --------------------------------------------------------------------- */

double
tp_expected_value(double p, double value, double cost)
{
	return p * value - cost;
}

void
tp_item_init(tp_item *it)
{
	it->ev = tp_expected_value(it->p, it->value, it->cost);
	it->ratio = it->cost > 0 ? it->ev / it->cost : INFINITY;
}

static int
cmp_double_desc(double a, double b)
{
	return a > b ? -1 : a < b ? 1 : 0;
}

static int
tp_cmp(const void *pa, const void *pb)
{
	const tp_item *a = pa,
			   *b = pb;
	int			c;

	if ((c = cmp_double_desc(a->ratio, b->ratio)) != 0)
		return c;
	if ((c = cmp_double_desc(a->ev, b->ev)) != 0)
		return c;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	if ((c = cmp_double_desc(b->cost, a->cost)) != 0)
		return c;
	if ((c = cmp_double_desc(b->value, a->value)) != 0)
		return c;
	return cmp_double_desc(b->p, a->p);
}

void
tp_sort(tp_item *items, size_t n)
{
	if (n > 1)
		qsort(items, n, sizeof(tp_item), tp_cmp);
}

/* Move the items with take[i] to the front, keeping the order of both parts. */
static size_t
tp_compact(tp_item *items, size_t n, const unsigned char *take, tp_item *tmp)
{
	size_t		i,
				k = 0,
				m = 0;

	for (i = 0; i < n; i++)
		if (take[i])
			items[k++] = items[i];
		else
			tmp[m++] = items[i];
	if (m > 0)
		memcpy(items + k, tmp, m * sizeof(tp_item));
	return k;
}

/*
 * The smallest scale in 1, 10, ..., 10^4 that makes every cost (and so
 * the DP) whole; 0 when there is none.
 */
static double
tp_cost_scale(const tp_item *items, size_t n)
{
	static const double scales[] = {1, 10, 100, 1000, 10000};
	int			k;
	size_t		i;

	for (k = 0; k < 5; k++)
	{
		double		s = scales[k];

		for (i = 0; i < n; i++)
		{
			double		c = items[i].cost * s;

			if (c > 9007199254740992.0 || fabs(c - rint(c)) > 1e-9 * (c > 1 ? c : 1))
				break;
		}
		if (i == n)
			return s;
	}
	return 0;
}

/* The DP: 1 when it ran (take[] set), 0 when too big, -1 out of memory. */
static int
tp_dp(const tp_item *items, size_t n, double budget, int64_t max_cells,
	  unsigned char *take, tg_alloc_fn alloc, tg_free_fn dealloc,
	  tg_interrupt_fn interrupt)
{
	double		s = tp_cost_scale(items, n);
	double		wd,
				sumc = 0;
	int64_t		W,
				w;
	int64_t    *c;
	double	   *best;
	uint64_t   *bits;
	size_t		i,
				words;

	if (s == 0 || n == 0)
		return 0;
	for (i = 0; i < n; i++)
		sumc += rint(items[i].cost * s);
	wd = floor(budget * s * (1 + 1e-12));
	if (wd > sumc)
		wd = sumc;
	if (wd >= (double) max_cells || (double) n * (wd + 1) > (double) max_cells)
		return 0;
	W = (int64_t) wd;
	words = (size_t) ((W + 1 + 63) / 64);
	c = alloc(n * sizeof(int64_t));
	best = alloc((size_t) (W + 1) * sizeof(double));
	bits = alloc(n * words * sizeof(uint64_t));
	if (c == NULL || best == NULL || bits == NULL)
	{
		if (c)
			dealloc(c);
		if (best)
			dealloc(best);
		if (bits)
			dealloc(bits);
		return -1;
	}
	memset(bits, 0, n * words * sizeof(uint64_t));
	for (w = 0; w <= W; w++)
		best[w] = 0;
	for (i = 0; i < n; i++)
	{
		uint64_t   *row = bits + i * words;
		double		ev = items[i].ev;

		c[i] = (int64_t) rint(items[i].cost * s);
		if (interrupt)
			interrupt();
		for (w = W; w >= c[i]; w--)
		{
			double		cand = best[w - c[i]] + ev;

			if (cand > best[w])
			{
				best[w] = cand;
				row[w >> 6] |= UINT64_C(1) << (w & 63);
			}
		}
	}
	w = W;
	for (i = n; i-- > 0;)
	{
		const uint64_t *row = bits + i * words;

		take[i] = (row[w >> 6] >> (w & 63)) & 1;
		if (take[i])
			w -= c[i];
	}
	dealloc(c);
	dealloc(best);
	dealloc(bits);
	return 1;
}

bool
tp_solve(tp_item *items, size_t n, double budget, int64_t max_cells,
		 tp_result *res, tg_alloc_fn alloc, tg_free_fn dealloc,
		 tg_interrupt_fn interrupt)
{
	unsigned char *take;
	tp_item    *tmp;
	double		cap = budget,
				spent = 0,
				gev = 0,
				bestev = -1;
	size_t		i,
				besti = 0,
				ntake = 0;
	bool		all = true;
	int			dp;

	memset(res, 0, sizeof(*res));
	if (n == 0)
	{
		res->exact = true;
		return true;
	}
	tp_sort(items, n);
	take = alloc(n);
	tmp = alloc(n * sizeof(tp_item));
	if (take == NULL || tmp == NULL)
	{
		if (take)
			dealloc(take);
		if (tmp)
			dealloc(tmp);
		return false;
	}

	/* LP relaxation bound (Dantzig): whole items by ratio, then a fraction */
	for (i = 0; i < n; i++)
	{
		if (items[i].cost <= cap)
		{
			res->upper_bound += items[i].ev;
			cap -= items[i].cost;
		}
		else
		{
			res->upper_bound += items[i].ev * (cap / items[i].cost);
			break;
		}
	}

	/* greedy by ratio, skipping what no longer fits; the best single item */
	for (i = 0; i < n; i++)
	{
		take[i] = 0;
		if (spent + items[i].cost <= budget)
		{
			take[i] = 1;
			spent += items[i].cost;
			gev += items[i].ev;
			ntake++;
		}
		else
			all = false;
		if (items[i].ev > bestev)
		{
			bestev = items[i].ev;
			besti = i;
		}
	}
	if (bestev > gev)
	{
		memset(take, 0, n);
		take[besti] = 1;
	}
	res->exact = all;

	if (!all)
	{
		unsigned char *dtake = alloc(n);

		if (dtake == NULL)
			dp = -1;
		else
			dp = tp_dp(items, n, budget, max_cells, dtake, alloc, dealloc, interrupt);
		if (dp < 0)
		{
			if (dtake)
				dealloc(dtake);
			dealloc(take);
			dealloc(tmp);
			return false;
		}
		if (dp == 1)
		{
			double		dc = 0;

			for (i = 0; i < n; i++)
				if (dtake[i])
					dc += items[i].cost;
			/* scaled costs are exact; guard against rounding all the same */
			if (dc <= budget)
			{
				memcpy(take, dtake, n);
				res->exact = true;
			}
		}
		dealloc(dtake);
	}
	res->nchosen = tp_compact(items, n, take, tmp);
	for (i = 0; i < res->nchosen; i++)
	{
		res->total_ev += items[i].ev;
		res->total_cost += items[i].cost;
	}
	if (res->exact && res->upper_bound < res->total_ev)
		res->upper_bound = res->total_ev;	/* rounding only */
	dealloc(take);
	dealloc(tmp);
	return true;
}

const char *
tp_plan_problem(const tp_plan *p)
{
	size_t		i;
	double		spent = 0;

	if (!isfinite(p->budget) || p->budget < 0)
		return "budget must be finite and >= 0";
	if (p->candidates < 0 || (uint64_t) p->candidates < p->n)
		return "candidates must be >= the number of chosen";
	if (!isfinite(p->upper_bound))
		return "upper_bound must be finite";
	for (i = 0; i < p->n; i++)
	{
		const tp_item *it = &p->items[i];

		if (!(it->p >= 0 && it->p <= 1))
			return "p must be in [0, 1]";
		if (!isfinite(it->value) || !isfinite(it->cost) || it->cost < 0)
			return "value must be finite and cost finite and >= 0";
		if (!(tp_expected_value(it->p, it->value, it->cost) > 0))
			return "every chosen candidate has a positive expected value";
		spent += it->cost;
	}
	if (spent > p->budget)
		return "the chosen cost more than the budget";
	return NULL;
}

/* ---------------------------------------------------------------------
 * JSON arrays of numbers, shared by the three readers.
 * --------------------------------------------------------------------- */

/*
 * Read an array of numbers (integers when asint) into a fresh buffer that
 * doubles from 16 slots; *out stays set on failure so the caller frees it.
 */
static bool
tg_read_array(bj_reader *r, tg_alloc_fn alloc, tg_free_fn dealloc,
			  void **out, size_t *n, bool asint, size_t max)
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

			if (cap >= max)
				return bj_fail(r, "more than %zu elements", max);
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

static void
tg_free_all(void **arr, int k, tg_free_fn dealloc)
{
	int			i;

	for (i = 0; i < k; i++)
		if (arr[i] != NULL)
		{
			dealloc(arr[i]);
			arr[i] = NULL;
		}
}

/* Read "version": only v is accepted. */
static void
tg_read_version(bj_reader *r, int64_t v)
{
	int64_t		version;

	if (bj_int64(r, &version) && version != v)
		bj_fail(r, "unknown version %" PRId64, version);
}

const char *
tp_plan_parse(const char *str, size_t len, size_t max_items, tp_plan *p,
			  tg_alloc_fn alloc, tg_free_fn dealloc, char *err, size_t errsz)
{
	static const char *const keys[] = {"version", "budget", "candidates", "exact",
	"upper_bound", "ids", "p", "value", "cost"};
	enum
	{
		K_VERSION, K_BUDGET, K_CAND, K_EXACT, K_UB, K_IDS, K_P, K_VALUE, K_COST, K_N
	};
	bool		seen[K_N] = {false};
	void	   *arr[K_N] = {NULL};
	size_t		n[K_N] = {0};
	bj_reader	r;
	char		key[64];
	bool		more;
	const char *problem = NULL;
	size_t		i;

	memset(p, 0, sizeof(*p));
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		int			k = bj_key_index(&r, key, keys, K_N, seen);

		if (k < 0)
			break;
		switch (k)
		{
			case K_VERSION:
				tg_read_version(&r, TP_VERSION);
				break;
			case K_BUDGET:
				bj_number(&r, &p->budget);
				break;
			case K_CAND:
				bj_int64(&r, &p->candidates);
				break;
			case K_EXACT:
				bj_bool(&r, &p->exact);
				break;
			case K_UB:
				bj_number(&r, &p->upper_bound);
				break;
			default:
				tg_read_array(&r, alloc, dealloc, &arr[k], &n[k], k == K_IDS, max_items);
		}
		if (r.failed)
			break;
	}
	bj_finish_keys(&r, keys, K_N, seen);
	if (!r.failed && (n[K_IDS] != n[K_P] || n[K_IDS] != n[K_VALUE] || n[K_IDS] != n[K_COST]))
		bj_fail(&r, "\"ids\", \"p\", \"value\" and \"cost\" differ in length");
	if (!r.failed)
	{
		p->n = n[K_IDS];
		p->items = alloc((p->n ? p->n : 1) * sizeof(tp_item));
		if (p->items == NULL)
			bj_fail(&r, "out of memory");
	}
	if (r.failed)
	{
		snprintf(err, errsz, "%s", r.err);
		problem = err;
	}
	else
	{
		for (i = 0; i < p->n; i++)
		{
			p->items[i].id = ((int64_t *) arr[K_IDS])[i];
			p->items[i].p = ((double *) arr[K_P])[i];
			p->items[i].value = ((double *) arr[K_VALUE])[i];
			p->items[i].cost = ((double *) arr[K_COST])[i];
			tp_item_init(&p->items[i]);
		}
		problem = tp_plan_problem(p);
	}
	tg_free_all(arr, K_N, dealloc);
	if (problem)
	{
		if (p->items)
			dealloc(p->items);
		memset(p, 0, sizeof(*p));
	}
	return problem;
}

/* ---------------------------------------------------------------------
 * Calibration
 * --------------------------------------------------------------------- */

/* PAV in place on y with weights w (scikit-learn's contiguous algorithm). */
static void
pav(double *y, double *w, size_t n, size_t *target)
{
	size_t		i,
				k;

	for (i = 0; i < n; i++)
		target[i] = i;
	i = 0;
	while (i < n)
	{
		double		sum_wy,
					sum_w,
					prev_y;

		k = target[i] + 1;
		if (k == n)
			break;
		if (y[i] < y[k])
		{
			i = k;
			continue;
		}
		sum_wy = w[i] * y[i];
		sum_w = w[i];
		for (;;)
		{
			prev_y = y[k];
			sum_wy += w[k] * y[k];
			sum_w += w[k];
			k = target[k] + 1;
			if (k == n || prev_y < y[k])
			{
				y[i] = sum_wy / sum_w;
				w[i] = sum_w;
				target[i] = k - 1;
				target[k - 1] = i;
				if (i > 0)
					i = target[i - 1];
				break;
			}
		}
	}
	i = 0;
	while (i < n)
	{
		k = target[i] + 1;
		for (size_t j = i + 1; j < k; j++)
			y[j] = y[i];
		i = k;
	}
}

size_t
cal_isotonic_fit(const double *x, const double *y, const double *w, size_t n,
				 double *outx, double *outy, tg_alloc_fn alloc, tg_free_fn dealloc)
{
	double	   *uw;
	size_t	   *target;
	size_t		i,
				m = 0,
				k = 0;

	if (n == 0)
		return 0;
	uw = alloc(n * sizeof(double));
	target = alloc(n * sizeof(size_t));
	if (uw == NULL || target == NULL)
	{
		if (uw)
			dealloc(uw);
		if (target)
			dealloc(target);
		return 0;
	}
	/* pool equal x: weighted mean of y, summed weight */
	for (i = 0; i < n;)
	{
		double		sw = 0,
					swy = 0;
		size_t		j = i;

		while (j < n && x[j] == x[i])
		{
			sw += w[j];
			swy += w[j] * y[j];
			j++;
		}
		outx[m] = x[i];
		outy[m] = swy / sw;
		uw[m] = sw;
		m++;
		i = j;
	}
	pav(outy, uw, m, target);
	/* drop interior points equal to both neighbours */
	for (i = 0; i < m; i++)
	{
		if (i > 0 && i + 1 < m && outy[i] == outy[i - 1] && outy[i] == outy[i + 1])
			continue;
		uw[k] = outx[i];
		target[k] = i;
		k++;
	}
	for (i = 0; i < k; i++)
	{
		double		yy = outy[target[i]];

		outx[i] = uw[i];
		uw[i] = yy;
	}
	memcpy(outy, uw, k * sizeof(double));
	dealloc(uw);
	dealloc(target);
	return k;
}

double
cal_isotonic_predict(const double *x, const double *y, size_t n, double s)
{
	size_t		lo = 0,
				hi;
	double		slope,
				r;

	if (n == 0)
		return NAN;
	if (s <= x[0])
		return y[0];
	if (s >= x[n - 1])
		return y[n - 1];
	/* x[lo] <= s < x[lo + 1] */
	hi = n - 1;
	while (hi - lo > 1)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (x[mid] <= s)
			lo = mid;
		else
			hi = mid;
	}
	slope = (y[lo + 1] - y[lo]) / (x[lo + 1] - x[lo]);
	r = slope * (s - x[lo]) + y[lo];
	if (isnan(r))
		r = y[lo];
	/* a propensity: rounding must not leave [0, 1] */
	return r < 0 ? 0 : r > 1 ? 1 : r;
}

/* Platt's objective with targets hi (positives) and lo (negatives). */
static double
platt_f(const double *f, const int64_t *rows, const int64_t *pos, size_t g,
		double hi, double lo, double a, double b)
{
	double		v = 0;
	size_t		i;

	for (i = 0; i < g; i++)
	{
		double		z = f[i] * a + b;
		double		l1,
					l0;

		/* t z + log(1 + exp(-z)), or (t - 1) z + log(1 + exp(z)) */
		if (z >= 0)
		{
			double		lz = log(1 + exp(-z));

			l1 = hi * z + lz;
			l0 = lo * z + lz;
		}
		else
		{
			double		lz = log(1 + exp(z));

			l1 = (hi - 1) * z + lz;
			l0 = (lo - 1) * z + lz;
		}
		v += (double) pos[i] * l1 + (double) (rows[i] - pos[i]) * l0;
	}
	return v;
}

int
cal_platt_fit(const double *f, const int64_t *rows, const int64_t *pos,
			  size_t g, double *a, double *b)
{
	const int	max_iter = 100;
	const double min_step = 1e-10,
				sigma = 1e-12,
				eps = 1e-5;
	double		prior1 = 0,
				prior0 = 0,
				hi,
				lo,
				fval,
				A,
				B;
	size_t		i;
	int			iter;

	for (i = 0; i < g; i++)
	{
		prior1 += (double) pos[i];
		prior0 += (double) (rows[i] - pos[i]);
	}
	hi = (prior1 + 1.0) / (prior1 + 2.0);
	lo = 1.0 / (prior0 + 2.0);
	A = 0.0;
	B = log((prior0 + 1.0) / (prior1 + 1.0));
	fval = platt_f(f, rows, pos, g, hi, lo, A, B);
	for (iter = 0; iter < max_iter; iter++)
	{
		double		h11 = sigma,
					h22 = sigma,
					h21 = 0,
					g1 = 0,
					g2 = 0,
					det,
					dA,
					dB,
					gd,
					step;

		for (i = 0; i < g; i++)
		{
			double		z = f[i] * A + B;
			double		p,
						q,
						d2,
						d1,
						np = (double) pos[i],
						nn = (double) (rows[i] - pos[i]);

			if (z >= 0)
			{
				p = exp(-z) / (1.0 + exp(-z));
				q = 1.0 / (1.0 + exp(-z));
			}
			else
			{
				p = 1.0 / (1.0 + exp(z));
				q = exp(z) / (1.0 + exp(z));
			}
			d2 = p * q * (np + nn);
			h11 += f[i] * f[i] * d2;
			h22 += d2;
			h21 += f[i] * d2;
			d1 = np * (hi - p) + nn * (lo - p);
			g1 += f[i] * d1;
			g2 += d1;
		}
		if (fabs(g1) < eps && fabs(g2) < eps)
			break;
		det = h11 * h22 - h21 * h21;
		dA = -(h22 * g1 - h21 * g2) / det;
		dB = -(-h21 * g1 + h11 * g2) / det;
		gd = g1 * dA + g2 * dB;
		for (step = 1; step >= min_step; step /= 2)
		{
			double		na = A + step * dA,
						nb = B + step * dB,
						nf = platt_f(f, rows, pos, g, hi, lo, na, nb);

			if (nf < fval + 0.0001 * step * gd)
			{
				A = na;
				B = nb;
				fval = nf;
				break;
			}
		}
		if (step < min_step)
			break;
	}
	*a = A;
	*b = B;
	return iter;
}

double
cal_platt_predict(double a, double b, double s)
{
	double		z = a * s + b;

	/* 1 / (1 + exp(z)) without overflow */
	if (z >= 0)
	{
		double		e = exp(-z);

		return e / (1 + e);
	}
	return 1 / (1 + exp(z));
}

const char *
cal_model_problem(const cal_model *m)
{
	size_t		i;

	if (m->rows < 1 || m->positives < 1 || m->positives >= m->rows)
		return "rows and positives need 0 < positives < rows";
	if (m->method == CAL_PLATT)
	{
		if (!isfinite(m->a) || !isfinite(m->b))
			return "a and b must be finite";
		if (m->n != 0)
			return "a Platt calibrator has no points";
		return NULL;
	}
	if (m->method != CAL_ISOTONIC)
		return "unknown method";
	if (m->n < 1)
		return "an isotonic calibrator needs at least one point";
	for (i = 0; i < m->n; i++)
	{
		if (!isfinite(m->x[i]))
			return "x must be finite";
		if (!(m->y[i] >= 0 && m->y[i] <= 1))
			return "y must be in [0, 1]";
		if (i > 0 && !(m->x[i] > m->x[i - 1]))
			return "x must be strictly increasing";
		if (i > 0 && !(m->y[i] >= m->y[i - 1]))
			return "y must be non-decreasing";
	}
	return NULL;
}

const char *
cal_model_parse(const char *str, size_t len, size_t max_points, cal_model *m,
				tg_alloc_fn alloc, tg_free_fn dealloc, char *err, size_t errsz)
{
	static const char *const keys[] = {"version", "method", "rows", "positives",
	"a", "b", "x", "y"};
	enum
	{
		K_VERSION, K_METHOD, K_ROWS, K_POS, K_A, K_B, K_X, K_Y, K_N
	};
	bool		seen[K_N] = {false};
	void	   *arr[K_N] = {NULL};
	size_t		n[K_N] = {0};
	bj_reader	r;
	char		key[64];
	char		method[16];
	bool		more;
	const char *problem = NULL;

	memset(m, 0, sizeof(*m));
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		int			k = bj_key_index(&r, key, keys, K_N, seen);

		if (k < 0)
			break;
		switch (k)
		{
			case K_VERSION:
				tg_read_version(&r, CAL_VERSION);
				break;
			case K_METHOD:
				if (bj_string(&r, method, sizeof(method)))
				{
					if (strcmp(method, "isotonic") == 0)
						m->method = CAL_ISOTONIC;
					else if (strcmp(method, "platt") == 0)
						m->method = CAL_PLATT;
					else
						bj_fail(&r, "unknown method \"%s\"", method);
				}
				break;
			case K_ROWS:
				bj_int64(&r, &m->rows);
				break;
			case K_POS:
				bj_int64(&r, &m->positives);
				break;
			case K_A:
				bj_number(&r, &m->a);
				break;
			case K_B:
				bj_number(&r, &m->b);
				break;
			default:
				tg_read_array(&r, alloc, dealloc, &arr[k], &n[k], false, max_points);
		}
		if (r.failed)
			break;
	}
	/* version, method, rows, positives always; then per method */
	bj_finish_keys(&r, keys, 4, seen);
	if (!r.failed)
	{
		if (m->method == CAL_PLATT && (!seen[K_A] || !seen[K_B] || seen[K_X] || seen[K_Y]))
			bj_fail(&r, "a Platt calibrator has \"a\" and \"b\" and no \"x\" or \"y\"");
		else if (m->method == CAL_ISOTONIC &&
				 (!seen[K_X] || !seen[K_Y] || seen[K_A] || seen[K_B]))
			bj_fail(&r, "an isotonic calibrator has \"x\" and \"y\" and no \"a\" or \"b\"");
		else if (n[K_X] != n[K_Y])
			bj_fail(&r, "\"x\" and \"y\" differ in length");
	}
	if (r.failed)
	{
		snprintf(err, errsz, "%s", r.err);
		problem = err;
	}
	else
	{
		m->n = n[K_X];
		m->x = arr[K_X];
		m->y = arr[K_Y];
		problem = cal_model_problem(m);
	}
	if (problem)
	{
		tg_free_all(arr, K_N, dealloc);
		memset(m, 0, sizeof(*m));
	}
	else if (m->method == CAL_PLATT)
	{
		tg_free_all(arr, K_N, dealloc);
		m->x = m->y = NULL;
	}
	return problem;
}

/* The k-th smallest (0-based) of the rows of descending tie groups. */
static double
order_stat(const double *score, const int64_t *rows, size_t g, int64_t k)
{
	int64_t		seen = 0;
	size_t		i;

	for (i = g; i-- > 0;)
	{
		seen += rows[i];
		if (k < seen)
			return score[i];
	}
	return score[0];
}

void
cal_curve_bins(const double *score, const int64_t *rows, const int64_t *pos,
			   size_t g, int nbins, int strategy, int64_t *brows, int64_t *bpos,
			   double *bsum, double *edges)
{
	int64_t		n = 0;
	size_t		i;
	int			b;

	for (b = 0; b < nbins; b++)
	{
		brows[b] = bpos[b] = 0;
		bsum[b] = 0;
	}
	if (g == 0)
		return;
	for (i = 0; i < g; i++)
		n += rows[i];
	for (b = 0; b <= nbins; b++)
	{
		/* np.linspace(0, 1, nbins + 1) */
		double		q = (b == nbins) ? 1.0 : (double) b * (1.0 / nbins);

		if (strategy == 0)
			edges[b] = q;
		else
		{
			/* np.percentile(scores, q * 100), method linear */
			double		v = (double) (n - 1) * ((q * 100.0) / 100.0);
			double		prev = floor(v);
			double		a,
						c,
						gamma,
						d;

			if (v >= (double) (n - 1))
			{
				edges[b] = order_stat(score, rows, g, n - 1);
				continue;
			}
			a = order_stat(score, rows, g, (int64_t) prev);
			c = order_stat(score, rows, g, (int64_t) prev + 1);
			gamma = v - prev;
			d = c - a;
			edges[b] = gamma >= 0.5 ? c - d * (1 - gamma) : a + d * gamma;
		}
	}
	/* bin = number of inner edges below the score (np.searchsorted, left) */
	b = 0;
	for (i = g; i-- > 0;)
	{
		while (b < nbins - 1 && edges[b + 1] < score[i])
			b++;
		brows[b] += rows[i];
		bpos[b] += pos[i];
		bsum[b] += score[i] * (double) rows[i];
	}
}

/* ---------------------------------------------------------------------
 * Uplift
 * --------------------------------------------------------------------- */

const char *
up_problem(const up_groups *u)
{
	size_t		i;
	int64_t		total = 0;

	for (i = 0; i < u->n; i++)
	{
		if (!isfinite(u->score[i]))
			return "scores must be finite";
		if (i > 0 && !(u->score[i] < u->score[i - 1]))
			return "scores must be distinct and in descending order";
		if (u->nt[i] < 0 || u->nc[i] < 0 || u->nt[i] + u->nc[i] < 1 ||
			u->yt[i] < 0 || u->yt[i] > u->nt[i] || u->yc[i] < 0 || u->yc[i] > u->nc[i])
			return "each score needs rows >= 1 and 0 <= conversions <= rows in each group";
		if (u->nt[i] > INT64_MAX / 8 - total || u->nc[i] > INT64_MAX / 8 - total - u->nt[i])
			return "row counts out of range";
		total += u->nt[i] + u->nc[i];
	}
	return NULL;
}

void
up_free(up_groups *u, tg_free_fn dealloc)
{
	if (u->score)
		dealloc(u->score);
	if (u->nt)
		dealloc(u->nt);
	if (u->yt)
		dealloc(u->yt);
	if (u->nc)
		dealloc(u->nc);
	if (u->yc)
		dealloc(u->yc);
	memset(u, 0, sizeof(*u));
}

const char *
up_parse(const char *str, size_t len, size_t max_groups, up_groups *u,
		 tg_alloc_fn alloc, tg_free_fn dealloc, char *err, size_t errsz)
{
	static const char *const keys[] = {"version", "scores", "treated",
	"treated_conversions", "control", "control_conversions"};
	enum
	{
		K_VERSION, K_SCORES, K_NT, K_YT, K_NC, K_YC, K_N
	};
	bool		seen[K_N] = {false};
	void	   *arr[K_N] = {NULL};
	size_t		n[K_N] = {0};
	bj_reader	r;
	char		key[64];
	bool		more;
	const char *problem = NULL;
	int			k;

	memset(u, 0, sizeof(*u));
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		k = bj_key_index(&r, key, keys, K_N, seen);
		if (k < 0)
			break;
		if (k == K_VERSION)
			tg_read_version(&r, UP_VERSION);
		else
			tg_read_array(&r, alloc, dealloc, &arr[k], &n[k], k != K_SCORES, max_groups);
		if (r.failed)
			break;
	}
	bj_finish_keys(&r, keys, K_N, seen);
	if (!r.failed)
		for (k = K_NT; k < K_N; k++)
			if (n[k] != n[K_SCORES])
			{
				bj_fail(&r, "the arrays differ in length");
				break;
			}
	if (r.failed)
	{
		snprintf(err, errsz, "%s", r.err);
		problem = err;
	}
	else
	{
		u->n = n[K_SCORES];
		u->score = arr[K_SCORES];
		u->nt = arr[K_NT];
		u->yt = arr[K_YT];
		u->nc = arr[K_NC];
		u->yc = arr[K_YC];
		problem = up_problem(u);
	}
	if (problem)
	{
		tg_free_all(arr, K_N, dealloc);
		memset(u, 0, sizeof(*u));
	}
	return problem;
}

/* Cumulative counts at a point of a curve. */
typedef struct up_cum
{
	double		nt,
				yt,
				nc,
				yc;
} up_cum;

static double
qini_value(const up_cum *c)
{
	return c->yt - c->yc * (c->nc != 0 ? c->nt / c->nc : 0);
}

static double
uplift_value(const up_cum *c)
{
	return ((c->nt != 0 ? c->yt / c->nt : 0) - (c->nc != 0 ? c->yc / c->nc : 0)) *
		(c->nt + c->nc);
}

/*
 * Area under a curve (trapezoids) through (0, 0) and one point per tie
 * group, in group order; *lx, *ly = the last point.
 */
static double
curve_area(const up_groups *u, bool qini, double *lx, double *ly)
{
	up_cum		c = {0, 0, 0, 0};
	double		px = 0,
				py = 0,
				area = 0;
	size_t		i;

	for (i = 0; i < u->n; i++)
	{
		double		x,
					y;

		c.nt += (double) u->nt[i];
		c.yt += (double) u->yt[i];
		c.nc += (double) u->nc[i];
		c.yc += (double) u->yc[i];
		x = c.nt + c.nc;
		y = qini ? qini_value(&c) : uplift_value(&c);
		area += (x - px) * (y + py) / 2.0;
		px = x;
		py = y;
	}
	*lx = px;
	*ly = py;
	return area;
}

/*
 * The perfect curve: one group per class, in the order given by cls[]
 * (0 treated responders, 1 treated non-responders, 2 control responders,
 * 3 control non-responders), classes listed together in one group where
 * grp[] repeats a number.
 */
static double
perfect_area(const up_groups *u, const int *cls, const int *grp, int m,
			 bool qini, double *lx, double *ly)
{
	int64_t		tot[4] = {0, 0, 0, 0};
	double		score[4] = {0, 0, 0, 0};
	int64_t		nt[4] = {0, 0, 0, 0},
				yt[4] = {0, 0, 0, 0},
				nc[4] = {0, 0, 0, 0},
				yc[4] = {0, 0, 0, 0};
	up_groups	p = {0, score, nt, yt, nc, yc};
	size_t		i;
	int			j,
				last = -1;

	for (i = 0; i < u->n; i++)
	{
		tot[0] += u->yt[i];
		tot[1] += u->nt[i] - u->yt[i];
		tot[2] += u->yc[i];
		tot[3] += u->nc[i] - u->yc[i];
	}
	for (j = 0; j < m; j++)
	{
		int			c = cls[j];

		if (tot[c] == 0)
			continue;
		if (grp[j] != last)
		{
			p.n++;
			last = grp[j];
		}
		if (c <= 1)
			nt[p.n - 1] += tot[c];
		else
			nc[p.n - 1] += tot[c];
		if (c == 0)
			yt[p.n - 1] += tot[c];
		if (c == 2)
			yc[p.n - 1] += tot[c];
	}
	return curve_area(&p, qini, lx, ly);
}

/* Both groups have rows: else no uplift curve means anything. */
static bool
up_both_groups(const up_groups *u)
{
	int64_t		t = 0,
				c = 0;
	size_t		i;

	for (i = 0; i < u->n; i++)
	{
		t += u->nt[i];
		c += u->nc[i];
	}
	return t > 0 && c > 0;
}

/* (actual - random) / (perfect - random), random the line to the last point */
static double
normalised(double actual, double perfect, double lx, double ly)
{
	double		base = lx * ly / 2.0;
	double		den = perfect - base;

	if (den == 0 || !isfinite(den))
		return NAN;
	return (actual - base) / den;
}

double
up_qini_auc(const up_groups *u)
{
	/* scores y t - y (1 - t): treated responders, then the non-responders, then control responders */
	static const int cls[] = {0, 1, 3, 2};
	static const int grp[] = {0, 1, 1, 2};
	double		lx,
				ly,
				actual,
				perfect;

	if (!up_both_groups(u))
		return NAN;
	actual = curve_area(u, true, &lx, &ly);
	perfect = perfect_area(u, cls, grp, 4, true, &lx, &ly);
	return normalised(actual, perfect, lx, ly);
}

double
up_uplift_auc(const up_groups *u)
{
	/* scores 2 (y == t) + (y or t): TR 3, CN 2, then CR/TN as 1 and 0 */
	static const int cls_y[] = {0, 3, 2, 1};
	static const int cls_t[] = {0, 3, 1, 2};
	static const int grp[] = {0, 1, 2, 3};
	int64_t		cr = 0,
				tn = 0;
	double		lx,
				ly,
				actual,
				perfect;
	size_t		i;

	if (!up_both_groups(u))
		return NAN;
	for (i = 0; i < u->n; i++)
	{
		cr += u->yc[i];
		tn += u->nt[i] - u->yt[i];
	}
	actual = curve_area(u, false, &lx, &ly);
	perfect = perfect_area(u, cr > tn ? cls_y : cls_t, grp, 4, false, &lx, &ly);
	return normalised(actual, perfect, lx, ly);
}

double
up_at_k(const up_groups *u, double k, int strategy)
{
	double		tot_t = 0,
				tot_c = 0,
				st = 0,
				sc = 0,
				ct = 0,
				cc = 0;
	size_t		i;

	for (i = 0; i < u->n; i++)
	{
		tot_t += (double) u->nt[i];
		tot_c += (double) u->nc[i];
	}
	if (strategy == 0)
	{
		double		left = floor((tot_t + tot_c) * k);

		for (i = 0; i < u->n && left > 0; i++)
		{
			double		r = (double) (u->nt[i] + u->nc[i]);
			double		f = left >= r ? 1 : left / r;

			ct += f * (double) u->nt[i];
			st += f * (double) u->yt[i];
			cc += f * (double) u->nc[i];
			sc += f * (double) u->yc[i];
			left -= r;
		}
	}
	else
	{
		double		lt = floor(tot_t * k),
					lc = floor(tot_c * k);

		for (i = 0; i < u->n && (lt > 0 || lc > 0); i++)
		{
			if (lt > 0 && u->nt[i] > 0)
			{
				double		r = (double) u->nt[i];
				double		f = lt >= r ? 1 : lt / r;

				ct += f * r;
				st += f * (double) u->yt[i];
				lt -= r;
			}
			if (lc > 0 && u->nc[i] > 0)
			{
				double		r = (double) u->nc[i];
				double		f = lc >= r ? 1 : lc / r;

				cc += f * r;
				sc += f * (double) u->yc[i];
				lc -= r;
			}
		}
	}
	if (ct <= 0 || cc <= 0)
		return NAN;
	return st / ct - sc / cc;
}

void
up_buckets(const up_groups *u, int buckets, int64_t *bnt, int64_t *byt,
		   int64_t *bnc, int64_t *byc, double *bqini)
{
	int64_t		n = 0,
				rank = 0,
				q,
				r;
	up_cum		c = {0, 0, 0, 0};
	size_t		i;
	int			b;

	for (i = 0; i < u->n; i++)
		n += u->nt[i] + u->nc[i];
	for (b = 0; b < buckets; b++)
		bnt[b] = byt[b] = bnc[b] = byc[b] = 0;
	q = n / buckets;
	r = n % buckets;
	for (i = 0; i < u->n; i++)
	{
		/* np.array_split: the first r buckets hold q + 1 rows */
		if (rank < r * (q + 1))
			b = (int) (rank / (q + 1));
		else
			b = (int) (r + (rank - r * (q + 1)) / q);
		bnt[b] += u->nt[i];
		byt[b] += u->yt[i];
		bnc[b] += u->nc[i];
		byc[b] += u->yc[i];
		rank += u->nt[i] + u->nc[i];
	}
	for (b = 0; b < buckets; b++)
	{
		c.nt += (double) bnt[b];
		c.yt += (double) byt[b];
		c.nc += (double) bnc[b];
		c.yc += (double) byc[b];
		bqini[b] = qini_value(&c);
	}
}
