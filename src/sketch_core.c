/*
 * sketch_core.c — see sketch_core.h.  Plain C: no postgres.h.
 */
#include "sketch_core.h"
#include "json_core.h"
#include "stage_core.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* |bucket index| stays below this for every finite double and accuracy */
#define QS_MAX_INDEX 8000000

int
qs_kind_dims(int kind)
{
	switch (kind)
	{
		case QS_VALUES:
		case QS_DURATIONS:
			return 1;
		case QS_RFM:
			return 3;
	}
	return 0;
}

const char *
qs_kind_name(int kind)
{
	switch (kind)
	{
		case QS_VALUES:
			return "values";
		case QS_RFM:
			return "rfm";
		case QS_DURATIONS:
			return "durations";
	}
	return NULL;
}

double
qs_gamma(double alpha)
{
	return (1 + alpha) / (1 - alpha);
}

int32_t
qs_index(double x, double inv_log_gamma)
{
	return (int32_t) ceil(log(x) * inv_log_gamma);
}

double
qs_bucket_value(int32_t i, double gamma)
{
	return 2.0 * exp((double) i * log(gamma)) / (gamma + 1.0);
}

static double
qs_clamp(const qs_dim *d, double v)
{
	return v < d->min ? d->min : (v > d->max ? d->max : v);
}

double
qs_rank_value(const qs_dim *d, double gamma, int64_t r)
{
	int64_t		seen = 0;
	int32_t		j;

	/* the extremes are kept exactly */
	if (r <= 0)
		return d->min;
	if (r >= d->count - 1)
		return d->max;
	/* negatives: largest |x| first */
	for (j = d->neg.n - 1; j >= 0; j--)
	{
		seen += d->neg.count[j];
		if (r < seen)
			return qs_clamp(d, -qs_bucket_value(d->neg.lo + j, gamma));
	}
	seen += d->zeros;
	if (r < seen)
		return qs_clamp(d, 0.0);
	for (j = 0; j < d->pos.n; j++)
	{
		seen += d->pos.count[j];
		if (r < seen)
			return qs_clamp(d, qs_bucket_value(d->pos.lo + j, gamma));
	}
	return d->max;
}

double
qs_quantile(const qs_dim *d, double gamma, double q)
{
	double		h = q * (double) (d->count - 1);
	double		lo = floor(h);
	double		vlo = qs_rank_value(d, gamma, (int64_t) lo);

	if (h > lo)
	{
		double		vhi = qs_rank_value(d, gamma, (int64_t) lo + 1);

		return vlo + (h - lo) * (vhi - vlo);
	}
	return vlo;
}

void
qs_tiers(const qs_dim *d, double gamma, double a_share, double b_share,
		 double *a_cut, double *b_cut, int64_t customers[3], double value[3])
{
	double		total = 0,
				above = 0;
	int32_t		j,
				ja = -1,
				jb = -1;

	for (j = 0; j < d->pos.n; j++)
		total += d->pos.sum[j];
	/* descending: a bucket qualifies while the buckets above bring < share */
	for (j = d->pos.n - 1; j >= 0; j--)
	{
		if (d->pos.count[j] == 0)
			continue;
		if (above < a_share * total)
			ja = j;
		if (above < b_share * total)
			jb = j;
		above += d->pos.sum[j];
	}
	if (ja < 0)
		ja = d->pos.n - 1;
	if (jb < 0)
		jb = ja;
	*a_cut = qs_clamp(d, qs_bucket_value(d->pos.lo + ja, gamma));
	*b_cut = qs_clamp(d, qs_bucket_value(d->pos.lo + jb, gamma));
	if (*b_cut > *a_cut)
		*b_cut = *a_cut;
	memset(customers, 0, sizeof(int64_t) * 3);
	memset(value, 0, sizeof(double) * 3);
	for (j = 0; j < d->pos.n; j++)
	{
		int			t = j >= ja ? 0 : (j >= jb ? 1 : 2);

		customers[t] += d->pos.count[j];
		value[t] += d->pos.sum[j];
	}
	customers[2] += d->zeros;
}

static const char *
qs_store_problem(const qs_store *st, int64_t *total)
{
	int32_t		j;

	if (st->n < 0 || st->n > QS_MAX_BUCKETS)
		return "too many buckets";
	if (st->lo < -QS_MAX_INDEX || st->lo > QS_MAX_INDEX ||
		(int64_t) st->lo + st->n > QS_MAX_INDEX)
		return "bucket index out of range";
	for (j = 0; j < st->n; j++)
	{
		if (st->count[j] < 0 || (st->count[j] == 0 && st->sum[j] != 0))
			return "bucket count negative, or a sum without values";
		if (!isfinite(st->sum[j]))
			return "bucket sum not finite";
		if (st->count[j] > INT64_MAX - *total)
			return "counts out of range";
		*total += st->count[j];
	}
	return NULL;
}

const char *
qs_problem(const qs_sketch *s)
{
	int			i;

	if (qs_kind_dims(s->kind) == 0 || s->ndims != qs_kind_dims(s->kind))
		return "unknown kind or wrong number of dimensions";
	if (!(s->alpha >= QS_MIN_ACCURACY && s->alpha <= QS_MAX_ACCURACY))
		return "relative_accuracy out of range";
	if (s->kind == QS_DURATIONS)
	{
		if (s->from < 1 || s->from > B2B_NSTAGES || s->to < s->from || s->to > B2B_NSTAGES)
			return "stages out of range";
		if (s->journeys < s->dim[0].count || s->sum_us < 0)
			return "journeys or sum_us out of range";
	}
	else if (s->from != 0 || s->to != 0 || s->journeys != 0 || s->sum_us != 0)
		return "stages, journeys or sum_us on a sketch of values";
	for (i = 0; i < s->ndims; i++)
	{
		const qs_dim *d = &s->dim[i];
		int64_t		total = 0;
		const char *p;

		if (d->zeros < 0 || d->count < 0)
			return "negative count";
		total = d->zeros;
		if ((p = qs_store_problem(&d->pos, &total)) != NULL ||
			(p = qs_store_problem(&d->neg, &total)) != NULL)
			return p;
		if (total != d->count)
			return "count is not the sum of the bucket counts";
		if (!isfinite(d->sum) || !isfinite(d->min) || !isfinite(d->max))
			return "sum, min or max not finite";
		if (d->count == 0 && (d->min != 0 || d->max != 0 || d->sum != 0))
			return "min, max and sum must be 0 without values";
		if (d->count > 0 && d->min > d->max)
			return "min exceeds max";
		if (s->kind != QS_RFM && (d->neg.n > 0 || d->min < 0))
			return "negative values in a sketch of values >= 0";
	}
	return NULL;
}

void
qs_int128_text(__int128 v, char *buf)
{
	char		tmp[48];
	int			n = 0,
				k = 0;
	unsigned __int128 u = v < 0 ? -(unsigned __int128) v : (unsigned __int128) v;

	do
	{
		tmp[n++] = '0' + (int) (u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[k++] = '-';
	while (n)
		buf[k++] = tmp[--n];
	buf[k] = '\0';
}

/* ---------------------------------------------------------------------
 * Text reader.
 * --------------------------------------------------------------------- */

typedef struct qs_mem
{
	qs_alloc_fn alloc;
	qs_free_fn	dealloc;
} qs_mem;

/* An array of numbers (asint: int64) of at most QS_MAX_BUCKETS, grown by doubling. */
static bool
qs_read_numbers(bj_reader *r, const qs_mem *m, void **out, int32_t *n, bool asint, int32_t max)
{
	size_t		cap = 16;
	bool		more;

	*n = 0;
	*out = m->alloc(cap * 8);
	if (*out == NULL)
		return bj_fail(r, "out of memory");
	if (!bj_begin_array(r))
		return false;
	while (bj_next_elem(r, &more) && more)
	{
		if ((size_t) *n == cap)
		{
			void	   *bigger;

			if (cap >= (size_t) max)
				return bj_fail(r, "more than %d buckets", (int) max);
			bigger = m->alloc(cap * 2 * 8);
			if (bigger == NULL)
				return bj_fail(r, "out of memory");
			memcpy(bigger, *out, cap * 8);
			m->dealloc(*out);
			*out = bigger;
			cap *= 2;
		}
		if (asint ? !bj_int64(r, &((int64_t *) *out)[*n])
			: !bj_number(r, &((double *) *out)[*n]))
			return false;
		(*n)++;
	}
	return !r->failed;
}

static bool
qs_read_store(bj_reader *r, const qs_mem *m, qs_store *st)
{
	static const char *const keys[] = {"offset", "counts", "sums"};
	bool		seen[3] = {false};
	char		key[32];
	bool		more;
	int32_t		nc = 0,
				ns = 0;
	int64_t		off = 0;

	if (!bj_begin_object(r))
		return false;
	while (bj_next_key(r, key, sizeof(key), &more) && more)
	{
		int			k = bj_key_index(r, key, keys, 3, seen);

		if (k < 0)
			return false;
		if (k == 0)
		{
			if (bj_int64(r, &off) && (off < -QS_MAX_INDEX || off > QS_MAX_INDEX))
				return bj_fail(r, "bucket offset out of range");
		}
		else if (k == 1)
			qs_read_numbers(r, m, (void **) &st->count, &nc, true, QS_MAX_BUCKETS);
		else
			qs_read_numbers(r, m, (void **) &st->sum, &ns, false, QS_MAX_BUCKETS);
		if (r->failed)
			return false;
	}
	if (!seen[0] || !seen[1] || !seen[2])
		return bj_fail(r, "a bucket store needs \"offset\", \"counts\" and \"sums\"");
	if (nc != ns)
		return bj_fail(r, "\"counts\" and \"sums\" differ in length");
	st->lo = (int32_t) off;
	st->n = nc;
	return !r->failed;
}

static bool
qs_read_dim(bj_reader *r, const qs_mem *m, qs_dim *d)
{
	static const char *const keys[] = {"count", "zeros", "sum", "min", "max", "positive", "negative"};
	bool		seen[7] = {false};
	char		key[32];
	bool		more;

	if (!bj_begin_object(r))
		return false;
	while (bj_next_key(r, key, sizeof(key), &more) && more)
	{
		int			k = bj_key_index(r, key, keys, 7, seen);

		switch (k)
		{
			case 0:
				bj_int64(r, &d->count);
				break;
			case 1:
				bj_int64(r, &d->zeros);
				break;
			case 2:
				bj_number(r, &d->sum);
				break;
			case 3:
				bj_number(r, &d->min);
				break;
			case 4:
				bj_number(r, &d->max);
				break;
			case 5:
				qs_read_store(r, m, &d->pos);
				break;
			case 6:
				qs_read_store(r, m, &d->neg);
				break;
			default:
				return false;
		}
		if (r->failed)
			return false;
	}
	if (!r->failed && !(seen[0] && seen[1] && seen[2] && seen[3] && seen[4] && seen[5] && seen[6]))
		return bj_fail(r, "a dimension needs \"count\", \"zeros\", \"sum\", \"min\", \"max\", \"positive\" and \"negative\"");
	return !r->failed;
}

void
qs_free(qs_sketch *s, qs_free_fn dealloc)
{
	int			i;

	for (i = 0; i < QS_MAX_DIMS; i++)
	{
		qs_store   *st[2] = {&s->dim[i].pos, &s->dim[i].neg};
		int			k;

		for (k = 0; k < 2; k++)
		{
			if (st[k]->count)
				dealloc(st[k]->count);
			if (st[k]->sum)
				dealloc(st[k]->sum);
		}
	}
	memset(s, 0, sizeof(*s));
}

static bool
qs_read_stage(bj_reader *r, int *stage)
{
	char		buf[32];

	if (!bj_string(r, buf, sizeof(buf)))
		return false;
	*stage = stage_parse(buf, strlen(buf));
	if (*stage < 1)
		return bj_fail(r, "unknown stage \"%s\"", buf);
	return true;
}

static bool
qs_read_int128(bj_reader *r, __int128 *out)
{
	char		buf[48];
	size_t		i,
				len;
	__int128	v = 0;
	const __int128 lim = (((__int128) 1) << 126) / 5;	/* (2^127) / 10 */

	if (!bj_string(r, buf, sizeof(buf)))
		return false;
	len = strlen(buf);
	if (len == 0)
		return bj_fail(r, "empty \"sum_us\"");
	for (i = 0; i < len; i++)
	{
		if (buf[i] < '0' || buf[i] > '9')
			return bj_fail(r, "\"sum_us\" must be a string of decimal digits");
		if (v >= lim)
			return bj_fail(r, "\"sum_us\" out of range");
		v = v * 10 + (buf[i] - '0');
	}
	*out = v;
	return true;
}

const char *
qs_parse(const char *str, size_t len, qs_sketch *s, qs_alloc_fn alloc,
		 qs_free_fn dealloc, char *err, size_t errsz)
{
	static const char *const keys[] = {"version", "kind", "relative_accuracy", "dims",
	"from", "to", "journeys", "sum_us"};
	enum
	{
		K_VERSION, K_KIND, K_ACC, K_DIMS, K_FROM, K_TO, K_JOURNEYS, K_SUM, K_N
	};
	bool		seen[K_N] = {false};
	bj_reader	r;
	char		key[64];
	bool		more;
	int64_t		v;
	qs_mem		m = {alloc, dealloc};
	const char *problem = NULL;

	memset(s, 0, sizeof(*s));
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
				if (bj_int64(&r, &v) && v != QS_VERSION)
					bj_fail(&r, "unknown version %" PRId64, v);
				break;
			case K_KIND:
				{
					char		buf[16];
					int			kind;

					if (!bj_string(&r, buf, sizeof(buf)))
						break;
					for (kind = QS_VALUES; kind <= QS_DURATIONS; kind++)
						if (strcmp(buf, qs_kind_name(kind)) == 0)
							s->kind = kind;
					if (s->kind == 0)
						bj_fail(&r, "unknown kind \"%s\"", buf);
					s->ndims = qs_kind_dims(s->kind);
				}
				break;
			case K_ACC:
				bj_number(&r, &s->alpha);
				break;
			case K_DIMS:
				if (!seen[K_KIND])
				{
					bj_fail(&r, "\"kind\" must come before \"dims\"");
					break;
				}
				{
					int			n = 0;

					if (!bj_begin_array(&r))
						break;
					while (bj_next_elem(&r, &more) && more)
					{
						if (n == s->ndims)
						{
							bj_fail(&r, "more than %d dimensions", s->ndims);
							break;
						}
						if (!qs_read_dim(&r, &m, &s->dim[n++]))
							break;
					}
					if (!r.failed && n != s->ndims)
						bj_fail(&r, "%d dimensions, expected %d", n, s->ndims);
				}
				break;
			case K_FROM:
				qs_read_stage(&r, &s->from);
				break;
			case K_TO:
				qs_read_stage(&r, &s->to);
				break;
			case K_JOURNEYS:
				bj_int64(&r, &s->journeys);
				break;
			case K_SUM:
				qs_read_int128(&r, &s->sum_us);
				break;
		}
		if (r.failed)
			break;
	}
	bj_finish_keys(&r, keys, K_DIMS + 1, seen);
	if (!r.failed && s->kind == QS_DURATIONS &&
		!(seen[K_FROM] && seen[K_TO] && seen[K_JOURNEYS] && seen[K_SUM]))
		bj_fail(&r, "a sketch of durations needs \"from\", \"to\", \"journeys\" and \"sum_us\"");
	if (r.failed)
	{
		snprintf(err, errsz, "%s", r.err);
		problem = err;
	}
	else
		problem = qs_problem(s);
	if (problem)
		qs_free(s, dealloc);
	return problem;
}

/* ---------------------------------------------------------------------
 * score_histogram
 * --------------------------------------------------------------------- */

int
sh_bucket(double score, int resolution)
{
	return (int) floor(score * resolution + 0.5);
}

double
sh_auc(const int64_t *pos, const int64_t *neg, int resolution, double *bound)
{
	double		P = 0,
				N = 0,
				below = 0,		/* negatives in lower buckets */
				correct = 0,
				tied = 0;
	int			b;

	for (b = 0; b <= resolution; b++)
	{
		P += (double) pos[b];
		N += (double) neg[b];
	}
	if (P == 0 || N == 0)
	{
		*bound = NAN;
		return NAN;
	}
	for (b = 0; b <= resolution; b++)
	{
		correct += (double) pos[b] * below;
		tied += (double) pos[b] * (double) neg[b];
		below += (double) neg[b];
	}
	*bound = tied / (2 * P * N);
	return (correct + tied / 2) / (P * N);
}

const char *
sh_problem(const sh_hist *h)
{
	int			b;
	int64_t		total = 0;

	if (h->resolution < 1 || h->resolution > SH_MAX_RESOLUTION)
		return "resolution out of range";
	for (b = 0; b <= h->resolution; b++)
	{
		if (h->pos[b] < 0 || h->neg[b] < 0)
			return "negative count";
		if (h->pos[b] > INT64_MAX - total)
			return "counts out of range";
		total += h->pos[b];
		if (h->neg[b] > INT64_MAX - total)
			return "counts out of range";
		total += h->neg[b];
	}
	return NULL;
}

void
sh_free(sh_hist *h, qs_free_fn dealloc)
{
	if (h->pos)
		dealloc(h->pos);
	memset(h, 0, sizeof(*h));
}

/*
 * {"version": 1, "resolution": R, "buckets": [[b, positives, negatives], ...]}
 * with the non-empty buckets in ascending order.
 */
const char *
sh_parse(const char *str, size_t len, sh_hist *h, qs_alloc_fn alloc,
		 qs_free_fn dealloc, char *err, size_t errsz)
{
	static const char *const keys[] = {"version", "resolution", "buckets"};
	bool		seen[3] = {false};
	bj_reader	r;
	char		key[32];
	bool		more;
	int64_t		v;
	const char *problem = NULL;

	memset(h, 0, sizeof(*h));
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		int			k = bj_key_index(&r, key, keys, 3, seen);

		if (k < 0)
			break;
		if (k == 0)
		{
			if (bj_int64(&r, &v) && v != SH_VERSION)
				bj_fail(&r, "unknown version %" PRId64, v);
		}
		else if (k == 1)
		{
			if (bj_int64(&r, &v))
			{
				if (v < 1 || v > SH_MAX_RESOLUTION)
					bj_fail(&r, "resolution %" PRId64 " out of range 1 to %d", v, SH_MAX_RESOLUTION);
				else
				{
					h->resolution = (int) v;
					h->pos = alloc(sizeof(int64_t) * 2 * (v + 1));
					if (h->pos == NULL)
						bj_fail(&r, "out of memory");
					else
					{
						memset(h->pos, 0, sizeof(int64_t) * 2 * (v + 1));
						h->neg = h->pos + v + 1;
					}
				}
			}
		}
		else
		{
			int64_t		prev = -1;

			if (!seen[1])
			{
				bj_fail(&r, "\"resolution\" must come before \"buckets\"");
				break;
			}
			if (!bj_begin_array(&r))
				break;
			while (bj_next_elem(&r, &more) && more)
			{
				int64_t		b,
							p,
							n;
				bool		m2;

				if (!bj_begin_array(&r) ||
					!bj_next_elem(&r, &m2) || !m2 || !bj_int64(&r, &b) ||
					!bj_next_elem(&r, &m2) || !m2 || !bj_int64(&r, &p) ||
					!bj_next_elem(&r, &m2) || !m2 || !bj_int64(&r, &n))
				{
					if (!r.failed)
						bj_fail(&r, "a bucket is [bucket, positives, negatives]");
					break;
				}
				if (!bj_next_elem(&r, &m2) || m2)
				{
					if (!r.failed)
						bj_fail(&r, "a bucket is [bucket, positives, negatives]");
					break;
				}
				if (b <= prev || b > h->resolution)
				{
					bj_fail(&r, "bucket %" PRId64 " out of order or above the resolution", b);
					break;
				}
				if (p < 0 || n < 0 || (p == 0 && n == 0))
				{
					bj_fail(&r, "bucket %" PRId64 " is empty or negative", b);
					break;
				}
				h->pos[b] = p;
				h->neg[b] = n;
				prev = b;
			}
		}
		if (r.failed)
			break;
	}
	bj_finish_keys(&r, keys, 3, seen);
	if (r.failed)
	{
		snprintf(err, errsz, "%s", r.err);
		problem = err;
	}
	else
		problem = sh_problem(h);
	if (problem)
		sh_free(h, dealloc);
	return problem;
}
