/*
 * fuzz_logistic_step.c — fuzz the text reader of logistic_step_state:
 * ls_parse (logistic_step_core.c).
 *
 *   SECONDS_EACH=60 bash test/fuzz/run.sh fuzz_logistic_step
 *
 * Properties: no crash, leak or sanitizer report on any input; a state
 * that parses passes ls_fields_problem, and printed as
 * logistic_step_state_out prints it (numbers here with 17 significant
 * digits) parses back to the same fields.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_core.h"
#include "logistic_step_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *const fuzz_seeds[] = {
	"{\"version\": 1, \"terms\": 1, \"rows_used\": 2, \"rows_skipped\": 1, \"positives\": 1, \"separated\": 0, \"log_likelihood\": -1.3862943611198906, \"beta\": [0], \"gradient\": [0], \"hessian\": [0.5]}",
	"{\"version\": 1, \"terms\": 0, \"rows_used\": 0, \"rows_skipped\": 3, \"positives\": 0, \"separated\": 0, \"log_likelihood\": 0, \"beta\": [], \"gradient\": [], \"hessian\": []}",
	"{\"version\": 1, \"terms\": 2, \"rows_used\": 3, \"rows_skipped\": 1, \"positives\": 1, \"separated\": 0, \"log_likelihood\": -2.5, \"beta\": [0.5, -1], \"gradient\": [0.25, 1e-300], \"hessian\": [0.75, 0.1, 2]}",
	"{\"version\": 2, \"terms\": 0}",
	"{\"version\": 1, \"rows_used\": 0, \"beta\": []}",
	"{\"version\": 1, \"terms\": 1, \"rows_used\": 2, \"rows_skipped\": 1, \"positives\": 1, \"separated\": 0, \"log_likelihood\": -1.38, \"beta\": [0], \"gradient\": [0], \"hessian\": [0.5, 1]}",
	"{\"version\": 1, \"terms\": 1, \"rows_used\": 2, \"rows_skipped\": 1, \"positives\": 1, \"separated\": 0, \"log_likelihood\": -1, \"beta\": [0], \"gradient\": [0], \"hessian\": [-0.5]}",
	"{\"version\": 1, \"terms\": 1002}",
	NULL
};

static void
print_array(char *buf, size_t cap, size_t *k, const char *key, const double *v, size_t n)
{
	size_t		i;

	*k += snprintf(buf + *k, cap - *k, ", \"%s\": [", key);
	for (i = 0; i < n; i++)
		*k += snprintf(buf + *k, cap - *k, "%s%.17g", i ? ", " : "", v[i]);
	*k += snprintf(buf + *k, cap - *k, "]");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *copy = malloc(size ? size : 1);
	char		err[BJ_ERR_SIZE];
	ls_fields	f,
				g;
	char	   *buf;
	size_t		cap,
				k = 0,
				i,
				n;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	if (ls_parse(copy, size, &f, malloc, free, err, sizeof(err)) != NULL)
	{
		free(copy);
		return 0;
	}
	if (ls_fields_problem(&f) != NULL)
		abort();
	n = ls_doubles(f.nterms);
	cap = 512 + n * 32;
	buf = malloc(cap);
	if (buf == NULL)
		abort();
	k += snprintf(buf + k, cap - k, "{\"version\": %d, \"terms\": %d, \"rows_used\": %" PRId64
				  ", \"rows_skipped\": %" PRId64 ", \"positives\": %" PRId64
				  ", \"separated\": %" PRId64 ", \"log_likelihood\": %.17g",
				  LS_VERSION, f.nterms, f.rows_used, f.rows_skipped, f.positives,
				  f.separated, f.loglik);
	print_array(buf, cap, &k, "beta", f.beta, f.nterms);
	print_array(buf, cap, &k, "gradient", f.gradient, f.nterms);
	print_array(buf, cap, &k, "hessian", f.hessian, lr_tri_size(f.nterms));
	k += snprintf(buf + k, cap - k, "}");
	if (k >= cap)
		abort();
	if (ls_parse(buf, k, &g, malloc, free, err, sizeof(err)) != NULL)
	{
		fprintf(stderr, "printed state does not parse: %s\n", buf);
		abort();
	}
	if (g.nterms != f.nterms || g.rows_used != f.rows_used || g.rows_skipped != f.rows_skipped ||
		g.positives != f.positives || g.separated != f.separated || g.loglik != f.loglik)
		abort();
	for (i = 0; i < n; i++)
		if (g.beta[i] != f.beta[i])
			abort();
	ls_fields_free(&g, free);
	ls_fields_free(&f, free);
	free(buf);
	free(copy);
	return 0;
}
