/*
 * fuzz_model.c — fuzz the text readers of the model types: propensity_model
 * (pm_parse, model_core.c) and bgnbd_model / gamma_gamma_model
 * (repeat_model_parse, bgnbd_core.c).  Every input goes to all three.
 *
 *   SECONDS_EACH=60 bash test/fuzz/run.sh fuzz_model
 *
 * Properties: no crash, leak or sanitizer report on any input; a model that
 * parses passes its check, and printed as the output function prints it
 * (numbers with 17 significant digits) it parses back to the same fields.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgnbd_core.h"
#include "json_core.h"
#include "model_core.h"
#include "../unit/out_buf.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Seeds for test/fuzz/driver.c, the smoke run of every test run. */
const char *const fuzz_seeds[] = {
	/* as propensity_model_out, bgnbd_model_out, gamma_gamma_model_out print */
	"{\"version\": 1, \"terms\": [\"intercept\", \"visits\"], \"coefficients\": [-1.5, 0.25], \"std_errors\": [0.1, 0.02], \"rows_used\": 100, \"rows_skipped\": 3, \"positives\": 40, \"iterations\": 5, \"converged\": true, \"log_likelihood\": -60.5, \"l2\": 0}",
	"{\"version\": 1, \"terms\": [\"intercept\", \"a\", \"b\", \"c\"], \"coefficients\": [-1, 0.5, 0.25, 2], \"std_errors\": [0.1, 0.1, 0.1, 0.1], \"rows_used\": 100, \"rows_skipped\": 0, \"positives\": 40, \"iterations\": 5, \"converged\": true, \"log_likelihood\": -60.5, \"l2\": 0}",
	"{\"version\": 1, \"terms\": [\"intercept\", \"x\\\"1\\\\\", \"caf\xc3\xa9\"], \"coefficients\": [-0.40546510810816444, 1.2e-07, 3e+20], \"std_errors\": [0.029814239699997195, 0, 1], \"rows_used\": 9223372036854775807, \"rows_skipped\": 0, \"positives\": 0, \"iterations\": 100, \"converged\": false, \"log_likelihood\": -0, \"l2\": 0.5}",
	"{\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426, \"log_likelihood\": null, \"customers\": 0, \"skipped\": 0, \"iterations\": 0, \"converged\": false, \"l2\": 0}",
	"{\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426, \"log_likelihood\": -9582.4, \"customers\": 2357, \"skipped\": 0, \"iterations\": 12, \"converged\": true, \"l2\": 0.5}",
	"{\"p\": 6.25, \"q\": 3.74, \"v\": 15.44, \"log_likelihood\": null, \"customers\": 0, \"skipped\": 0, \"iterations\": 0, \"converged\": false, \"l2\": 0}",
	"{\"p\": 6.25, \"q\": 3.74, \"v\": 15.44}",
	/* broken ones */
	"{\"version\": 1, \"version\": 1, \"terms\": [\"intercept\"], \"coefficients\": [0], \"std_errors\": [1]}",
	"{\"version\": 2, \"terms\": [\"intercept\", \"x1\"], \"coefficients\": [0], \"std_errors\": [\"NaN\"], \"rows_used\": 10}",
	"{\"version\": 1, \"terms\": [\"intercept\", \"intercept\"], \"coefficients\": [0, 1], \"std_errors\": [1, 1], \"rows_used\": 10, \"rows_skipped\": 0, \"positives\": 11, \"iterations\": 101, \"converged\": 1, \"log_likelihood\": 6.9, \"l2\": -1} x",
	"{\"r\": 0.243, \"r\": 0.243, \"alpha\": -4.414, \"a\": 0.793, \"b\": 2.426, \"iterations\": 2147483648, \"c\": 1}",
	"{\"p\": 6.25, \"q\": 3.74, \"v\": \"15.44\", \"customers\": -1, \"log_likelihood\": 1e999}",
	NULL
};

static bool
same_double(double a, double b)
{
	return a == b || (isnan(a) && isnan(b));
}

static void
check_propensity(const char *text, size_t len)
{
	pm_fields	f,
				g;
	char		err[BJ_ERR_SIZE];
	out_buf		b;
	int			i;

	if (pm_parse(text, len, &f, malloc, free, err, sizeof(err)) != NULL)
		return;
	if (pm_fields_problem(&f) != NULL)
		abort();
	out_buf_init(&b);
	pm_write(&b.w, &f);
	if (pm_parse(b.s, b.len, &g, malloc, free, err, sizeof(err)) != NULL)
	{
		fprintf(stderr, "printed propensity_model does not parse: %s\n%s\n", err, b.s);
		abort();
	}
	if (g.nterms != f.nterms || g.iterations != f.iterations ||
		g.converged != f.converged || g.rows_used != f.rows_used ||
		g.rows_skipped != f.rows_skipped || g.positives != f.positives ||
		g.loglik != f.loglik || g.l2 != f.l2)
		abort();
	for (i = 0; i < f.nterms; i++)
		if (g.coef[i] != f.coef[i] || g.se[i] != f.se[i] ||
			strcmp(g.names[i], f.names[i]) != 0)
			abort();
	pm_fields_free(&g, free);
	pm_fields_free(&f, free);
	out_buf_free(&b);
}

static void
check_repeat(const char *text, size_t len, int kind)
{
	repeat_model m,
				n;
	char		err[BJ_ERR_SIZE];
	out_buf		b;
	int			i;

	if (repeat_model_parse(text, len, kind, &m, err, sizeof(err)) != NULL)
		return;
	if (repeat_model_fault(&m) != NULL || m.kind != kind ||
		m.version != REPEAT_MODEL_VERSION)
		abort();
	out_buf_init(&b);
	repeat_model_write(&b.w, &m);
	if (repeat_model_parse(b.s, b.len, kind, &n, err, sizeof(err)) != NULL)
	{
		fprintf(stderr, "printed model does not parse: %s\n%s\n", err, b.s);
		abort();
	}
	for (i = 0; i < 4; i++)
		if (n.par[i] != m.par[i])
			abort();
	if (n.kind != m.kind || n.converged != m.converged || n.flags != m.flags ||
		n.iterations != m.iterations || !same_double(n.loglik, m.loglik) ||
		n.l2 != m.l2 || n.customers != m.customers || n.skipped != m.skipped)
		abort();
	out_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* not NUL-terminated on purpose: the readers must respect len */
	char	   *copy = malloc(size ? size : 1);

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	check_propensity(copy, size);
	check_repeat(copy, size, REPEAT_BGNBD);
	check_repeat(copy, size, REPEAT_GG);
	free(copy);
	return 0;
}
