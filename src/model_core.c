/*
 * model_core.c — see model_core.h.  Plain C: no postgres.h.
 */
#include "model_core.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_core.h"

const char *
pm_fields_problem(const pm_fields *f)
{
	int			i,
				j;

	if (f->nterms < 1 || f->nterms > PM_MAX_TERMS)
		return "the number of terms is out of range";
	if (f->iterations < 0 || f->iterations > LR_MAX_ITER)
		return "iterations out of range";
	if (f->rows_used < 0 || f->rows_skipped < 0 || f->positives < 0 ||
		f->positives > f->rows_used)
		return "row counts out of range";
	if (!isfinite(f->loglik) || f->loglik > 0)
		return "log_likelihood must be finite and not positive";
	if (!isfinite(f->l2) || f->l2 < 0)
		return "l2 must be finite and not negative";
	for (i = 0; i < f->nterms; i++)
	{
		size_t		len = strlen(f->names[i]);

		if (!isfinite(f->coef[i]))
			return "coefficients must be finite";
		if (!isfinite(f->se[i]) || f->se[i] < 0)
			return "standard errors must be finite and not negative";
		if (len == 0 || len > PM_MAX_NAME)
			return "term names must have 1 to 63 bytes";
		for (j = 0; j < i; j++)
			if (strcmp(f->names[i], f->names[j]) == 0)
				return "term names must be distinct";
	}
	return NULL;
}

/* ---------------------------------------------------------------------
 * The JSON text form.
 * --------------------------------------------------------------------- */

typedef struct pm_mem
{
	pm_alloc_fn alloc;
	pm_free_fn	dealloc;
} pm_mem;

/* Frees the arrays of f and its first nnames names. */
static void
pm_free_arrays(pm_fields *f, int nnames, pm_free_fn dealloc)
{
	int			i;

	for (i = 0; i < nnames; i++)
		dealloc(f->names[i]);
	if (f->names)
		dealloc(f->names);
	if (f->coef)
		dealloc(f->coef);
	if (f->se)
		dealloc(f->se);
	f->names = NULL;
	f->coef = NULL;
	f->se = NULL;
}

void
pm_fields_free(pm_fields *f, pm_free_fn dealloc)
{
	pm_free_arrays(f, f->nterms, dealloc);
	f->nterms = 0;
}

/*
 * Room for element n of an array (arr, NULL at first) of elsz-byte
 * elements with *cap slots: arr itself, a copy twice as large (arr freed),
 * or NULL when out of memory (arr kept).
 */
static void *
pm_grow(const pm_mem *m, void *arr, int n, int *cap, size_t elsz)
{
	int			newcap;
	void	   *bigger;

	if (arr != NULL && n < *cap)
		return arr;
	newcap = arr != NULL ? *cap * 2 : 8;
	bigger = m->alloc(elsz * newcap);
	if (bigger == NULL)
		return NULL;
	if (arr != NULL)
	{
		memcpy(bigger, arr, elsz * n);
		m->dealloc(arr);
	}
	*cap = newcap;
	return bigger;
}

/*
 * Read a JSON array of numbers into *nums (or, with names != NULL, of
 * strings into *names).  *n counts the elements stored, also on failure, so
 * that the caller can free them.
 */
static bool
pm_read_array(bj_reader *r, const pm_mem *m, double **nums, char ***names,
			  int *n)
{
	int			cap = 0;
	bool		more;

	if (!bj_begin_array(r))
		return false;
	while (bj_next_elem(r, &more) && more)
	{
		void	   *grown;

		if (*n >= PM_MAX_TERMS)
			return bj_fail(r, "more than %d terms", PM_MAX_TERMS);
		if (nums)
		{
			grown = pm_grow(m, *nums, *n, &cap, sizeof(double));
			if (grown == NULL)
				return bj_fail(r, "out of memory");
			*nums = grown;
			if (!bj_number(r, &(*nums)[*n]))
				return false;
		}
		else
		{
			char		tmp[PM_MAX_NAME * 4 + 2];
			char	   *copy;
			size_t		len;

			grown = pm_grow(m, *names, *n, &cap, sizeof(char *));
			if (grown == NULL)
				return bj_fail(r, "out of memory");
			*names = grown;
			if (!bj_string(r, tmp, sizeof(tmp)))
				return false;
			len = strlen(tmp) + 1;
			copy = m->alloc(len);
			if (copy == NULL)
				return bj_fail(r, "out of memory");
			memcpy(copy, tmp, len);
			(*names)[*n] = copy;
		}
		(*n)++;
	}
	return !r->failed;
}

const char *
pm_parse(const char *str, size_t len, pm_fields *f,
		 pm_alloc_fn alloc, pm_free_fn dealloc, char *err, size_t errsz)
{
	static const char *const keys[] = {"version", "terms", "coefficients", "std_errors",
		"rows_used", "rows_skipped", "positives", "iterations", "converged",
	"log_likelihood", "l2"};
	enum
	{
		K_VERSION, K_TERMS, K_COEF, K_SE, K_USED, K_SKIPPED, K_POS, K_ITER,
		K_CONV, K_LL, K_L2, K_N
	};
	bool		seen[K_N] = {false};
	pm_mem		m;
	bj_reader	r;
	char		key[64];
	bool		more;
	int			nnames = 0,
				ncoef = 0,
				nse = 0;
	int64_t		version = 0,
				iter = 0;
	const char *problem = NULL;

	m.alloc = alloc;
	m.dealloc = dealloc;
	memset(f, 0, sizeof(*f));
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
				if (bj_int64(&r, &version) && version != PM_VERSION)
					bj_fail(&r, "unknown version %" PRId64, version);
				break;
			case K_TERMS:
				pm_read_array(&r, &m, NULL, &f->names, &nnames);
				break;
			case K_COEF:
				pm_read_array(&r, &m, &f->coef, NULL, &ncoef);
				break;
			case K_SE:
				pm_read_array(&r, &m, &f->se, NULL, &nse);
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
			case K_ITER:
				if (bj_int64(&r, &iter) && (iter < 0 || iter > LR_MAX_ITER))
					bj_fail(&r, "iterations out of range");
				f->iterations = (int) iter;
				break;
			case K_CONV:
				bj_bool(&r, &f->converged);
				break;
			case K_LL:
				bj_number(&r, &f->loglik);
				break;
			case K_L2:
				bj_number(&r, &f->l2);
				break;
		}
		if (r.failed)
			break;
	}
	bj_finish_keys(&r, keys, K_N, seen);
	if (!r.failed && (ncoef != nnames || nse != nnames))
		bj_fail(&r, "\"terms\" (%d), \"coefficients\" (%d) and \"std_errors\" (%d) differ in length",
				nnames, ncoef, nse);
	if (r.failed)
	{
		snprintf(err, errsz, "%s", r.err);
		problem = err;
	}
	else
	{
		f->nterms = nnames;
		problem = pm_fields_problem(f);
	}
	if (problem)
	{
		pm_free_arrays(f, nnames, dealloc);
		f->nterms = 0;
	}
	return problem;
}

void
pm_write(const bj_writer *w, const pm_fields *f)
{
	int			i;

	bj_putf(w, "{\"version\": %d, \"terms\": [", PM_VERSION);
	for (i = 0; i < f->nterms; i++)
	{
		if (i > 0)
			bj_put(w, ", ");
		bj_put_string(w, f->names[i]);
	}
	bj_put(w, "], \"coefficients\": ");
	bj_put_doubles(w, f->coef, f->nterms);
	bj_put(w, ", \"std_errors\": ");
	bj_put_doubles(w, f->se, f->nterms);
	bj_putf(w, ", \"rows_used\": %" PRId64 ", \"rows_skipped\": %" PRId64
			", \"positives\": %" PRId64 ", \"iterations\": %d, \"converged\": %s, \"log_likelihood\": ",
			f->rows_used, f->rows_skipped, f->positives, f->iterations,
			f->converged ? "true" : "false");
	bj_put_double(w, f->loglik);
	bj_put(w, ", \"l2\": ");
	bj_put_double(w, f->l2);
	bj_put(w, "}");
}
