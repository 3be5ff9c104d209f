/*
 * Unit tests of the funnel's text form: funnel_parse and funnel_write
 * (funnel_core.c).  The messages are the DETAIL lines of funnel_in; the
 * first table entries are copied from expected/funnel.out.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tap.h"
#include "funnel_core.h"
#include "json_core.h"
#include "out_buf.h"
#include "stage_core.h"

/* funnel_parse's messages, expected/funnel.out's first */
static const struct {
	const char *in;
	const char *msg;
} funnel_errors[] = {
	{"nonsense",
	 "expected \"{\" at character 1"},
	{"{\"awareness\": 10}",
	 "missing key \"consideration\" at character 18"},
	{"{\"awareness\": 1, \"consideration\": 2, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0}",
	 "\"consideration\" (2) exceeds \"awareness\" (1) at character 115"},
	{"{\"awareness\": -1, \"consideration\": 0, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0}",
	 "negative count for \"awareness\" at character 17"},
	{"{\"awareness\": 1, \"awareness\": 1, \"consideration\": 0, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0}",
	 "duplicate key \"awareness\" at character 30"},
	{"{\"awareness\": 1, \"consideration\": 0, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0, \"extra\": 0}",
	 "unknown key \"extra\" at character 124"},
	{"{\"Awareness\": 1, \"consideration\": 0, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0}",
	 "unknown key \"Awareness\" at character 14"},
	{"{\"awareness\": 1.5, \"consideration\": 0, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0}",
	 "expected an integer at character 15"},
	{"{\"awareness\": 1, \"consideration\": 0, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0} junk",
	 "unexpected text after the value at character 116"},
};

static const char *
funnel_msg(const char *s, int64_t *reached)
{
	static char err[BJ_ERR_SIZE];
	int64_t		dummy[B2B_NSTAGES];
	size_t		n;
	char	   *c = copy_of(s, &n);
	const char *p = funnel_parse(c, n, reached ? reached : dummy, err, sizeof(err));

	free(c);
	return p;
}

static void
test_funnel_values(void)
{
	int64_t		r[B2B_NSTAGES];
	int64_t		z[B2B_NSTAGES] = {0};
	const char *p;

	p = funnel_msg("{\"awareness\": 10, \"consideration\": 6, \"evaluation\": 4, \"decision\": 3, \"purchase\": 2, \"retention\": 1, \"advocacy\": 0}", r);
	is_str(p, NULL, "funnel: parses");
	if (p == NULL)
	{
		is_int(r[0], 10, "funnel: awareness");
		is_int(r[1], 6, "funnel: consideration");
		is_int(r[2], 4, "funnel: evaluation");
		is_int(r[3], 3, "funnel: decision");
		is_int(r[4], 2, "funnel: purchase");
		is_int(r[5], 1, "funnel: retention");
		is_int(r[6], 0, "funnel: advocacy");
	}
	p = funnel_msg("{\"advocacy\": 1, \"retention\": 1, \"purchase\": 9223372036854775807, \"decision\": 9223372036854775807, \"evaluation\": 9223372036854775807, \"consideration\": 9223372036854775807, \"awareness\": 9223372036854775807}", r);
	is_str(p, NULL, "funnel: keys in any order, INT64_MAX");
	if (p == NULL)
	{
		is_int(r[0], INT64_MAX, "funnel: awareness INT64_MAX");
		is_int(r[6], 1, "funnel: advocacy");
	}
	is_int(funnel_reached_exceeds(z), 0, "funnel_reached_exceeds: all zero");
	z[3] = 1;
	is_int(funnel_reached_exceeds(z), 4, "funnel_reached_exceeds: decision over evaluation");
	z[0] = z[1] = z[2] = 1;
	is_int(funnel_reached_exceeds(z), 0, "funnel_reached_exceeds: equal counts");
}

/* The writer prints what funnel_out prints, and it reads back. */
static void
test_funnel_write(void)
{
	int64_t		r[B2B_NSTAGES] = {10, 6, 4, 3, 2, 1, 0},
				again[B2B_NSTAGES];
	char		err[BJ_ERR_SIZE];
	out_buf		b;

	out_buf_init(&b);
	funnel_write(&b.w, r);
	is_str(b.s, "{\"awareness\": 10, \"consideration\": 6, \"evaluation\": 4, \"decision\": 3, \"purchase\": 2, \"retention\": 1, \"advocacy\": 0}",
		   "funnel_write: funnel_out's form");
	is_str(funnel_parse(b.s, b.len, again, err, sizeof(err)), NULL, "funnel_write: reads back");
	is_int(memcmp(again, r, sizeof(r)), 0, "funnel_write: same counts");
	out_buf_free(&b);
}

int
main(void)
{
	size_t		i;

	for (i = 0; i < sizeof(funnel_errors) / sizeof(funnel_errors[0]); i++)
		is_str(funnel_msg(funnel_errors[i].in, NULL), funnel_errors[i].msg,
			   "funnel error %zu: %s", i, funnel_errors[i].msg);
	test_funnel_values();
	test_funnel_write();
	printf("1..%d\n", tap_n);
	return tap_done();
}
