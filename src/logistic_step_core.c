/*
 * logistic_step_core.c — see logistic_step_core.h.  Plain C: no postgres.h.
 */
#include "logistic_step_core.h"
#include "json_core.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

const char *
ls_fields_problem(const ls_fields *f)
{
	size_t		i,
				n;
	int			t;

	if (f->nterms < 0 || f->nterms > LR_MAX_FEATURES + 1)
		return "\"terms\" out of range";
	if (f->rows_used < 0 || f->rows_skipped < 0 || f->positives < 0 || f->separated < 0)
		return "negative count";
	if (f->positives > f->rows_used || f->separated > f->rows_used)
		return "\"positives\" or \"separated\" exceeds \"rows_used\"";
	if (f->nterms == 0 && f->rows_used > 0)
		return "rows used without terms";
	if (!isfinite(f->loglik) || f->loglik > 0 || (f->rows_used == 0 && f->loglik != 0))
		return "\"log_likelihood\" must be finite, <= 0 and 0 without rows";
	n = ls_doubles(f->nterms);
	for (i = 0; i < n; i++)
	{
		/* beta, gradient, hessian lie in one block */
		if (!isfinite(f->beta[i]))
			return "non-finite number";
	}
	for (t = 0; t < f->nterms; t++)
	{
		/* diagonal entry t of the packed upper triangle */
		size_t		d = (size_t) t * f->nterms - (size_t) t * (t - 1) / 2;

		if (f->hessian[d] < 0)
			return "negative Hessian diagonal";
	}
	return NULL;
}

/* Read an array of at most max numbers into dst; *n gets the count. */
static bool
ls_read_array(bj_reader *r, double *dst, size_t max, size_t *n)
{
	bool		more;

	*n = 0;
	if (!bj_begin_array(r))
		return false;
	while (bj_next_elem(r, &more) && more)
	{
		double		v;

		if (*n == max)
			return bj_fail(r, "array longer than \"terms\" allows");
		if (!bj_number(r, &v))
			return false;
		dst[(*n)++] = v;
	}
	return !r->failed;
}

const char *
ls_parse(const char *str, size_t len, ls_fields *f, ls_alloc_fn alloc,
		 ls_free_fn dealloc, char *err, size_t errsz)
{
	/* "terms" comes first in the text form, so the arrays can be sized */
	static const char *const keys[] = {"version", "terms", "rows_used", "rows_skipped",
		"positives", "separated", "log_likelihood", "beta", "gradient", "hessian"};
	enum
	{
		K_VERSION, K_TERMS, K_USED, K_SKIPPED, K_POS, K_SEP, K_LL, K_BETA,
		K_GRAD, K_HESS, K_N
	};
	bool		seen[K_N] = {false};
	size_t		got[K_N] = {0};
	bj_reader	r;
	char		key[64];
	bool		more;
	int64_t		v = 0;
	double	   *block = NULL;
	const char *problem = NULL;

	memset(f, 0, sizeof(*f));
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		int			k = bj_key_index(&r, key, keys, K_N, seen);

		if (k < 0)
			break;
		if (k >= K_BETA && !seen[K_TERMS])
		{
			bj_fail(&r, "\"terms\" must come before \"%s\"", keys[k]);
			break;
		}
		switch (k)
		{
			case K_VERSION:
				if (bj_int64(&r, &v) && v != LS_VERSION)
					bj_fail(&r, "unknown version %" PRId64, v);
				break;
			case K_TERMS:
				if (bj_int64(&r, &v))
				{
					if (v < 0 || v > LR_MAX_FEATURES + 1)
						bj_fail(&r, "\"terms\" %" PRId64 " out of range 0 to %d",
								v, LR_MAX_FEATURES + 1);
					else
					{
						f->nterms = (int) v;
						block = alloc(sizeof(double) * (ls_doubles(f->nterms) + 1));
						if (block == NULL)
							bj_fail(&r, "out of memory");
						else
						{
							f->beta = block;
							f->gradient = block + f->nterms;
							f->hessian = block + 2 * f->nterms;
						}
					}
				}
				break;
			case K_USED:
				bj_int64(&r, &f->rows_used);
				break;
			case K_SKIPPED:
				bj_int64(&r, &f->rows_skipped);
				break;
			case K_POS:
				bj_int64(&r, &f->positives);
				break;
			case K_SEP:
				bj_int64(&r, &f->separated);
				break;
			case K_LL:
				bj_number(&r, &f->loglik);
				break;
			case K_BETA:
				ls_read_array(&r, f->beta, f->nterms, &got[k]);
				break;
			case K_GRAD:
				ls_read_array(&r, f->gradient, f->nterms, &got[k]);
				break;
			case K_HESS:
				ls_read_array(&r, f->hessian, lr_tri_size(f->nterms), &got[k]);
				break;
		}
		if (r.failed)
			break;
	}
	bj_finish_keys(&r, keys, K_N, seen);
	if (!r.failed && (got[K_BETA] != (size_t) f->nterms || got[K_GRAD] != (size_t) f->nterms ||
					  got[K_HESS] != lr_tri_size(f->nterms)))
		bj_fail(&r, "\"beta\" and \"gradient\" need \"terms\" numbers, \"hessian\" terms (terms + 1) / 2");
	if (r.failed)
	{
		snprintf(err, errsz, "%s", r.err);
		problem = err;
	}
	else
		problem = ls_fields_problem(f);
	if (problem)
	{
		if (block)
			dealloc(block);
		memset(f, 0, sizeof(*f));
	}
	return problem;
}

void
ls_fields_free(ls_fields *f, ls_free_fn dealloc)
{
	if (f->beta)
		dealloc(f->beta);
	memset(f, 0, sizeof(*f));
}
