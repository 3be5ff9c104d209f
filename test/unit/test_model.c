/*
 * Unit tests of the model text readers: pm_parse (model_core.c, the
 * propensity_model) and repeat_model_parse (bgnbd_core.c, bgnbd_model and
 * gamma_gamma_model).  The messages are the DETAIL lines of the input
 * functions; those also in the expected regress output are copied from
 * there.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tap.h"
#include "bgnbd_core.h"
#include "json_core.h"
#include "model_core.h"

/* The first n bytes of s, copied so that nothing follows them. */
static char *
exact_copy(const char *s, size_t n)
{
	char	   *c = malloc(n ? n : 1);

	memcpy(c, s, n);
	return c;
}

/* What pm_parse says about s (NULL when it parses); frees the fields. */
static const char *
pm_msg(const char *s)
{
	static char err[BJ_ERR_SIZE];
	pm_fields	f;
	size_t		n = strlen(s);
	char	   *c = exact_copy(s, n);
	const char *p = pm_parse(c, n, &f, malloc, free, err, sizeof(err));

	if (p == NULL)
		pm_fields_free(&f, free);
	free(c);
	return p;
}

static const char *
rm_msg(const char *s, int kind)
{
	static char err[BJ_ERR_SIZE];
	repeat_model m;
	size_t		n = strlen(s);
	char	   *c = exact_copy(s, n);
	const char *p = repeat_model_parse(c, n, kind, &m, err, sizeof(err));

	free(c);
	return p;
}

/* A propensity_model text with `at` replaced by `with` (once). */
static const char *
pm_edit(const char *at, const char *with)
{
	static const char base[] = "{\"version\": 1, \"terms\": [\"intercept\"], \"coefficients\": [0], \"std_errors\": [1], \"rows_used\": 10, \"rows_skipped\": 0, \"positives\": 5, \"iterations\": 1, \"converged\": true, \"log_likelihood\": -6.9, \"l2\": 0}";
	static char out[1024];
	const char *p = strstr(base, at);

	if (p == NULL)
		return base;
	snprintf(out, sizeof(out), "%.*s%s%s", (int) (p - base), base, with, p + strlen(at));
	return out;
}

/* A model with n terms: intercept, x1 .. x(n-1), plus `tail` in the terms. */
static char *
pm_many(int n, const char *tail)
{
	size_t		cap = 64 + 30 * (size_t) n + strlen(tail);
	char	   *s = malloc(cap);
	size_t		k = 0;
	int			i,
				a;

	k += snprintf(s + k, cap - k, "{\"version\": 1, \"terms\": [\"intercept\"");
	for (i = 1; i < n; i++)
		k += snprintf(s + k, cap - k, ", \"x%d\"", i);
	k += snprintf(s + k, cap - k, "%s]", tail);
	for (a = 0; a < 2; a++)
	{
		k += snprintf(s + k, cap - k, a ? ", \"std_errors\": [" : ", \"coefficients\": [");
		for (i = 0; i < n; i++)
			k += snprintf(s + k, cap - k, "%s%d", i ? ", " : "", a ? 1 : i);
		k += snprintf(s + k, cap - k, "]");
	}
	snprintf(s + k, cap - k, ", \"rows_used\": 10, \"rows_skipped\": 0, \"positives\": 5, \"iterations\": 1, \"converged\": true, \"log_likelihood\": -6.9, \"l2\": 0}");
	return s;
}

static void
test_propensity_valid(void)
{
	static const char text[] = "{\"version\": 1, \"terms\": [\"intercept\", \"visits\", \"x\\\"1\\\\\\u0041\"], \"coefficients\": [-1.5, 0.25, 3e2], \"std_errors\": [0.1, 0.02, 0], \"rows_used\": 100, \"rows_skipped\": 3, \"positives\": 40, \"iterations\": 5, \"converged\": true, \"log_likelihood\": -60.5, \"l2\": 0.5}";
	char		err[BJ_ERR_SIZE],
				want[BJ_ERR_SIZE];
	pm_fields	f;
	const char *p;
	char	   *c = exact_copy(text, strlen(text));

	p = pm_parse(c, strlen(text), &f, malloc, free, err, sizeof(err));
	is_str(p, NULL, "propensity_model: a valid model parses");
	is_int(f.nterms, 3, "three terms");
	is_str(f.names[0], "intercept", "term 0 name");
	is_str(f.names[1], "visits", "term 1 name");
	is_str(f.names[2], "x\"1\\A", "term 2 name with escapes");
	is_double(f.coef[0], -1.5, 0, "coefficient 0");
	is_double(f.coef[1], 0.25, 0, "coefficient 1");
	is_double(f.coef[2], 300, 0, "coefficient 2");
	is_double(f.se[0], 0.1, 0, "std error 0");
	is_double(f.se[1], 0.02, 0, "std error 1");
	is_double(f.se[2], 0, 0, "std error 2");
	is_int(f.rows_used, 100, "rows_used");
	is_int(f.rows_skipped, 3, "rows_skipped");
	is_int(f.positives, 40, "positives");
	is_int(f.iterations, 5, "iterations");
	ok(f.converged, "converged");
	is_double(f.loglik, -60.5, 0, "log_likelihood");
	is_double(f.l2, 0.5, 0, "l2");
	is_str(pm_fields_problem(&f), NULL, "the parsed fields pass pm_fields_problem");
	pm_fields_free(&f, free);
	free(c);

	/* only len bytes are read: what follows them is not part of the value */
	p = pm_parse(text, strlen(text) - 1, &f, malloc, free, err, sizeof(err));
	snprintf(want, sizeof(want), "expected \",\" or \"}\" but the text ended at character %zu",
			 strlen(text));
	is_str(p, want, "propensity_model: the reader stops at len");
	is_str(pm_msg(pm_edit("\"converged\": true", "\"converged\": false")), NULL,
		   "converged false");
	is_str(pm_msg(pm_edit("{\"version\": 1, ", " \n\t{\"version\": 1 , ")), NULL,
		   "whitespace around tokens");
}

static void
test_propensity_errors(void)
{
	/* edits of a valid model; the first ones are from expected/logistic.out */
	static const struct
	{
		const char *at;
		const char *with;
		const char *want;
		const char *label;
	}			edits[] = {
		{", \"l2\": 0", "",
		"missing key \"l2\" at character 191", "missing key"},
		{"\"l2\": 0", "\"l2\": 0, \"extra\": 1",
		"unknown key \"extra\" at character 209", "unknown key"},
		{"\"version\": 1", "\"version\": 1, \"version\": 1",
		"duplicate key \"version\" at character 26", "duplicate key"},
		{"\"version\": 1", "\"version\": 2",
		"unknown version 2 at character 14", "unknown version"},
		{"[\"intercept\"]", "[\"intercept\", \"x1\"]",
		"\"terms\" (2), \"coefficients\" (1) and \"std_errors\" (1) differ in length at character 206", "terms longer than coefficients"},
		{"\"std_errors\": [1]", "\"std_errors\": [-1]",
		"standard errors must be finite and not negative", "negative std error"},
		{"[0]", "[\"NaN\"]",
		"expected a number at character 57", "NaN coefficient"},
		{"\"positives\": 5", "\"positives\": 11",
		"row counts out of range", "positives above rows_used"},
		{"\"iterations\": 1", "\"iterations\": 101",
		"iterations out of range at character 149", "iterations above LR_MAX_ITER"},
		{"\"iterations\": 1", "\"iterations\": -1",
		"iterations out of range at character 148", "negative iterations"},
		{"\"iterations\": 1", "\"iterations\": 100",
		NULL, "iterations = LR_MAX_ITER"},
		{"\"rows_used\": 10", "\"rows_used\": 1.5",
		"expected an integer at character 93", "fractional row count"},
		{"\"converged\": true", "\"converged\": 1",
		"expected true or false at character 162", "converged not a boolean"},
		{"-6.9", "6.9",
		"log_likelihood must be finite and not positive", "positive log_likelihood"},
		{"\"l2\": 0", "\"l2\": -1",
		"l2 must be finite and not negative", "negative l2"},
		{"\"l2\": 0}", "\"l2\": 0} x",
		"unexpected text after the value at character 201", "trailing garbage"},
		{"\"l2\": 0}", "\"l2\": 0}  \n",
		NULL, "trailing whitespace"},
		{"\"intercept\"", "\"\"",
		"term names must have 1 to 63 bytes", "empty term name"},
		{"\"intercept\"", "\"012345678901234567890123456789012345678901234567890123456789012\"",
		NULL, "63-byte term name"},
		{"\"intercept\"", "\"0123456789012345678901234567890123456789012345678901234567890123\"",
		"term names must have 1 to 63 bytes", "64-byte term name"},
		{"\"intercept\"", "\"\\u00e9\"",
		"\\u escape outside ASCII at character 33", "non-ASCII \\u escape"},
		{"\"intercept\"", "\"a\\u0000\"",
		"\\u escape outside ASCII at character 34", "\\u0000 in a name"},
		{"\"terms\": [\"intercept\"]", "\"terms\": [1]",
		"expected \"\"\" at character 26", "number among the terms"},
		{"{\"version\": 1, ", "{\"version\": 1, ,",
		"expected an object key at character 16", "stray comma"},
	};
	static const struct
	{
		const char *text;
		const char *want;
		const char *label;
	}			texts[] = {
		{"{\"version\": 1, \"terms\": [\"intercept\", \"intercept\"], \"coefficients\": [0, 1], \"std_errors\": [1, 1], \"rows_used\": 10, \"rows_skipped\": 0, \"positives\": 5, \"iterations\": 1, \"converged\": true, \"log_likelihood\": -6.9, \"l2\": 0}",
		"term names must be distinct", "duplicate term names"},
		{"{\"version\": 1, \"terms\": [], \"coefficients\": [], \"std_errors\": [], \"rows_used\": 10, \"rows_skipped\": 0, \"positives\": 5, \"iterations\": 1, \"converged\": true, \"log_likelihood\": -6.9, \"l2\": 0}",
		"the number of terms is out of range", "no terms"},
		{"not json",
		"expected \"{\" at character 1", "not json"},
	};
	char	   *s;
	char		want[BJ_ERR_SIZE];
	size_t		i;

	for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++)
		is_str(pm_msg(pm_edit(edits[i].at, edits[i].with)), edits[i].want,
			   "propensity_model: %s", edits[i].label);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		is_str(pm_msg(texts[i].text), texts[i].want, "propensity_model: %s", texts[i].label);

	/* the limit on terms: PM_MAX_TERMS parse, one more does not */
	s = pm_many(PM_MAX_TERMS, "");
	is_str(pm_msg(s), NULL, "%d terms parse", PM_MAX_TERMS);
	free(s);
	s = pm_many(PM_MAX_TERMS, ", \"x1001\"");
	/* reported where the extra term starts: after the comma */
	snprintf(want, sizeof(want), "more than 1001 terms at character %d",
			 (int) (strstr(s, ", \"x1001\"") - s) + 2);
	is_str(pm_msg(s), want, "too many terms");
	free(s);
	/* an error after arrays were read frees them (LeakSanitizer checks) */
	s = pm_many(40, "");
	s[strlen(s) - 1] = ',';
	snprintf(want, sizeof(want), "expected an object key at character %zu", strlen(s) + 1);
	is_str(pm_msg(s), want, "truncated after the arrays");
	free(s);
}

static void
test_repeat_valid(void)
{
	static const char bg[] = " { \"b\" : 2.426 , \"a\": 0.793, \"alpha\": 4.414, \"r\": 0.243, \"log_likelihood\": -9582.4, \"customers\": 2357, \"skipped\": 4, \"iterations\": 12, \"converged\": true, \"l2\": 0.5 } ";
	char		err[BJ_ERR_SIZE];
	repeat_model m;
	const char *t;
	char	   *c = exact_copy(bg, strlen(bg));

	is_str(repeat_model_parse(c, strlen(bg), REPEAT_BGNBD, &m, err, sizeof(err)), NULL,
		   "bgnbd_model: a full model parses");
	free(c);
	is_int(m.version, REPEAT_MODEL_VERSION, "version");
	is_int(m.kind, REPEAT_BGNBD, "kind");
	is_double(m.par[0], 0.243, 0, "r");
	is_double(m.par[1], 4.414, 0, "alpha");
	is_double(m.par[2], 0.793, 0, "a");
	is_double(m.par[3], 2.426, 0, "b");
	is_double(m.loglik, -9582.4, 0, "log_likelihood");
	is_int(m.customers, 2357, "customers");
	is_int(m.skipped, 4, "skipped");
	is_int(m.iterations, 12, "iterations");
	is_int(m.converged, 1, "converged");
	is_int(m.flags, 0, "flags");
	is_double(m.l2, 0.5, 0, "l2");

	t = "{\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426}";
	c = exact_copy(t, strlen(t));
	is_str(repeat_model_parse(c, strlen(t), REPEAT_BGNBD, &m, err, sizeof(err)), NULL,
		   "bgnbd_model: the parameters alone");
	free(c);
	ok(isnan(m.loglik), "log_likelihood unknown (NaN)");
	ok(m.customers == 0 && m.skipped == 0 && m.iterations == 0 && m.converged == 0 &&
	   m.l2 == 0, "the other fields are 0");
	is_str(rm_msg("{\"r\": 1, \"alpha\": 1, \"a\": 1, \"b\": 1, \"log_likelihood\": null, \"iterations\": 2147483647}",
				  REPEAT_BGNBD), NULL, "null log_likelihood, iterations = INT32_MAX");

	t = "{\"p\": 6.25, \"q\": 3.74, \"v\": 15.44, \"log_likelihood\": null, \"customers\": 0, \"skipped\": 0, \"iterations\": 0, \"converged\": false, \"l2\": 0}";
	c = exact_copy(t, strlen(t));
	is_str(repeat_model_parse(c, strlen(t), REPEAT_GG, &m, err, sizeof(err)), NULL,
		   "gamma_gamma_model: as the output function prints it");
	free(c);
	is_int(m.kind, REPEAT_GG, "kind");
	is_double(m.par[0], 6.25, 0, "p");
	is_double(m.par[1], 3.74, 0, "q");
	is_double(m.par[2], 15.44, 0, "v");
	is_double(m.par[3], 0, 0, "unused slot 0");
	ok(isnan(m.loglik), "log_likelihood null");
	is_int(m.converged, 0, "not converged");

	is_int(repeat_model_npar(REPEAT_BGNBD), 4, "BG/NBD has 4 parameters");
	is_int(repeat_model_npar(REPEAT_GG), 3, "Gamma-Gamma has 3 parameters");
	is_str(repeat_model_par_names(REPEAT_BGNBD)[1], "alpha", "BG/NBD parameter 2 is alpha");
	is_str(repeat_model_par_names(REPEAT_GG)[2], "v", "Gamma-Gamma parameter 3 is v");
}

static void
test_repeat_errors(void)
{
	/* the first ones are from expected/bgnbd.out and expected/gamma_gamma.out */
	static const struct
	{
		int			kind;
		const char *text;
		const char *want;
		const char *label;
	}			cases[] = {
		{REPEAT_BGNBD, "{\"r\": -0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426}",
		"parameters must be positive and finite", "negative r"},
		{REPEAT_BGNBD, "{\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793}",
		"missing key \"b\" at character 41", "missing b"},
		{REPEAT_BGNBD, "{\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426, \"c\": 1}",
		"unknown key \"c\" at character 58", "unknown key c"},
		{REPEAT_GG, "{\"p\": 6.25, \"q\": -3.74, \"v\": 15.44}",
		"parameters must be positive and finite", "negative q"},
		{REPEAT_BGNBD, "{\"r\": 0.243, \"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426}",
		"duplicate key \"r\" at character 18", "duplicate parameter"},
		{REPEAT_BGNBD, "{\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426, \"skipped\": 1, \"skipped\": 2}",
		"duplicate key \"skipped\" at character 78", "duplicate optional key"},
		{REPEAT_BGNBD, "{\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 0}",
		"parameters must be positive and finite", "b = 0"},
		{REPEAT_BGNBD, "{\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426, \"customers\": -1}",
		"\"customers\" out of range at character 69", "negative customers"},
		{REPEAT_BGNBD, "{\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426, \"iterations\": 2147483648}",
		"\"iterations\" out of range at character 78", "iterations above INT32_MAX"},
		{REPEAT_BGNBD, "{\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426, \"converged\": 1}",
		"expected true or false at character 67", "converged not a boolean"},
		{REPEAT_BGNBD, "{\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426, \"l2\": -1}",
		"l2 must be finite and not negative", "negative l2"},
		{REPEAT_BGNBD, "{\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426, \"log_likelihood\": 1e999}",
		"number out of range at character 72", "log_likelihood overflows"},
		{REPEAT_BGNBD, "{\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426",
		"expected \",\" or \"}\" but the text ended at character 52", "truncated"},
		{REPEAT_BGNBD, "{\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426} {}",
		"unexpected text after the value at character 54", "trailing garbage"},
		{REPEAT_BGNBD, "nonsense",
		"expected \"{\" at character 1", "nonsense"},
		{REPEAT_GG, "{\"p\": 6.25, \"q\": 3.74}",
		"missing key \"v\" at character 23", "missing v"},
		{REPEAT_GG, "{\"p\": 6.25, \"q\": 3.74, \"v\": 15.44, \"r\": 1}",
		"unknown key \"r\" at character 40", "a BG/NBD key in a Gamma-Gamma model"},
		{REPEAT_GG, "{\"p\": 6.25, \"q\": 3.74, \"v\": \"15.44\"}",
		"expected a number at character 29", "a parameter as a string"},
		{REPEAT_BGNBD, "{\"p\": 6.25, \"q\": 3.74, \"v\": 15.44}",
		"unknown key \"p\" at character 6", "a Gamma-Gamma model is not a BG/NBD model"},
	};
	repeat_model m;
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_str(rm_msg(cases[i].text, cases[i].kind), cases[i].want, "%s: %s",
			   cases[i].kind == REPEAT_BGNBD ? "bgnbd_model" : "gamma_gamma_model",
			   cases[i].label);

	/* the checks of stored values */
	memset(&m, 0x7f, sizeof(m));
	m.vl_len_ = 12345;
	repeat_model_init(&m, REPEAT_GG);
	ok(m.vl_len_ == 12345 && m.version == REPEAT_MODEL_VERSION && m.kind == REPEAT_GG &&
	   isnan(m.loglik) && m.par[3] == 0 && m.customers == 0 && m.converged == 0,
	   "repeat_model_init keeps the header and zeroes the body");
	m.par[0] = m.par[1] = m.par[2] = 1;
	is_str(repeat_model_fault(&m), NULL, "fault: a valid Gamma-Gamma model");
	m.par[3] = 1;
	is_str(repeat_model_fault(&m), "unused parameter slot is not 0", "fault: slot 4 of Gamma-Gamma");
	m.par[3] = 0;
	m.loglik = INFINITY;
	is_str(repeat_model_fault(&m), "log_likelihood must be finite", "fault: infinite log_likelihood");
	m.loglik = -1;
	m.skipped = -1;
	is_str(repeat_model_fault(&m), "counts must not be negative", "fault: negative skipped");
	m.skipped = 0;
	m.converged = 2;
	is_str(repeat_model_fault(&m), "flags are invalid", "fault: converged 2");
	m.converged = 1;
	m.flags = 1;
	is_str(repeat_model_fault(&m), "flags are invalid", "fault: flags");
}

int
main(void)
{
	test_propensity_valid();
	test_propensity_errors();
	test_repeat_valid();
	test_repeat_errors();
	printf("1..%d\n", tap_n);
	return tap_done();
}
