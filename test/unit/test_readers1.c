/*
 * Unit tests of the journey and funnel text readers: journey_parse
 * (journey_core.c) and funnel_parse (stage_core.c).  The messages are the
 * DETAIL lines of journey_in and funnel_in; the first table entries of each
 * are copied from expected/journey.out and expected/funnel.out.  Timestamps
 * are read by test/unit/ts_text.h, a stand-in for the server's reader.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tap.h"
#include "alloc_count.h"
#include "journey_core.h"
#include "json_core.h"
#include "stage_core.h"
#include "ts_text.h"

#define MAX_STAYS ((size_t) 33554431)	/* the server's limit */

/* journey_parse's messages, expected/journey.out's first */
static const struct {
	const char *in;
	const char *msg;
} journey_errors[] = {
	{"nonsense",
	 "expected \"{\" at character 1"},
	{"{\"stays\": [{\"stage\": \"decision\", \"entered\": \"2025-01-02 00:00:00+00\", \"last\": \"2025-01-02 00:00:00+00\", \"events\": 1}, {\"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-01 00:00:00+00\", \"events\": 1}]}",
	 "stays are not in time order or overlap at character 227"},
	{"{\"stays\": [{\"stage\": \"stage8\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-01 00:00:00+00\", \"events\": 1}]}",
	 "unknown stage \"stage8\" at character 30"},
	{"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-02 00:00:00+00\", \"last\": \"2025-01-01 00:00:00+00\", \"events\": 2}]}",
	 "negative duration (last event before entry) at character 120"},
	{"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-02 00:00:00+00\", \"events\": 1}]}",
	 "a single event with a duration at character 120"},
	{"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-01 00:00:00+00\", \"events\": 0}]}",
	 "event count below 1 at character 120"},
	{"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-02 00:00:00+00\", \"events\": 3}, {\"stage\": \"decision\", \"entered\": \"2025-01-01 12:00:00+00\", \"last\": \"2025-01-01 12:00:00+00\", \"events\": 1}]}",
	 "stays are not in time order or overlap at character 227"},
	{"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01\", \"last\": \"2025-01-01\", \"events\": 1}]}",
	 "bad timestamp \"2025-01-01\" at character 58"},
	{"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"infinity\", \"last\": \"infinity\", \"events\": 1}]}",
	 "bad timestamp \"infinity\" at character 56"},
	{"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-02-30 00:00:00+00\", \"last\": \"2025-02-30 00:00:00+00\", \"events\": 1}]}",
	 "bad timestamp \"2025-02-30 00:00:00+00\" at character 70"},
	{"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-01 00:00:00+00\"}]}",
	 "a stay needs stage, entered, last and events at character 105"},
	{"{\"stays\": [], \"skipped\": -1}",
	 "negative skipped count at character 28"},
	{"{\"stays\": [], \"extra\": 1}",
	 "unknown or repeated key \"extra\" at character 23"},
	{"{\"skipped\": 1}",
	 "missing key \"stays\" at character 15"},
	{"{\"stays\": [{\"stage\": \"awareness\", \"stage\": \"awareness\"}]}",
	 "unknown or repeated key \"stage\" at character 43"},
	{"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-01 00:00:00+00\", \"events\": 1, \"x\": 1}]}",
	 "unknown or repeated key \"x\" at character 123"},
	{"{\"stays\": [], \"stays\": []}",
	 "unknown or repeated key \"stays\" at character 23"},
	{"{\"stays\": [{\"stage\": \"Awareness\"}]}",
	 "unknown stage \"Awareness\" at character 33"},
	{"{\"stays\": [{\"entered\": \"2025-01-01 00:00:00.50+00\"}]}",
	 "bad timestamp \"2025-01-01 00:00:00.50+00\" at character 51"},
	{"{\"stays\": [{\"last\": 1}]}",
	 "expected \"\"\" at character 21"},
	{"{\"stays\": {}}",
	 "expected \"[\" at character 11"},
	{"{\"stays\": [], \"skipped\": 1} x",
	 "unexpected text after the value at character 29"},
};

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

/* Copy s so that nothing follows its bytes (the reader must respect len). */
static char *
copy_of(const char *s, size_t *n)
{
	char	   *c;

	*n = strlen(s);
	c = malloc(*n ? *n : 1);
	memcpy(c, s, *n);
	return c;
}

/*
 * What journey_parse says about s with the given stay limit (NULL when it
 * parses, *t then filled and to be freed).  Checks that an error leaves
 * nothing allocated and *t zero.
 */
static const char *
journey_msg_max(const char *s, size_t max, JText *t)
{
	static char err[BJ_ERR_SIZE];
	size_t		n;
	char	   *c = copy_of(s, &n);
	const char *p;
	int			before = live;

	p = journey_parse(c, n, max, ts_text_parse, NULL, t, t_alloc, t_free,
					  err, sizeof(err));
	if (p != NULL && (live != before || t->stays || t->n || t->skipped))
		printf("# error left something allocated or set\n");
	free(c);
	return p;
}

/* The message alone (the result freed). */
static const char *
journey_msg(const char *s)
{
	JText		t;
	const char *p = journey_msg_max(s, MAX_STAYS, &t);

	if (p == NULL)
		t_free(t.stays);
	return p;
}

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

#define DAY INT64_C(86400000000)
/* 2025-01-01 00:00:00 UTC in microseconds since 2000 */
#define JAN1 (INT64_C(9132) * DAY)

static void
test_journey_values(void)
{
	JText		t;
	const char *p;
	char		buf[40];
	int64_t		v;

	/* the stand-in timestamp reader itself */
	ok(ts_text_parse("2000-01-01 00:00:00+00", 22, &v, NULL) && v == 0, "ts: epoch");
	ok(ts_text_parse("2025-01-01 00:00:00+00", 22, &v, NULL) && v == JAN1, "ts: 2025-01-01");
	ok(ts_text_parse("1999-12-31 23:59:59.5+00", 24, &v, NULL) && v == -500000, "ts: before 2000");
	is_int(ts_text_format(-500000, buf), 24, "ts: format before 2000");
	is_str(buf, "1999-12-31 23:59:59.5+00", "ts: format before 2000 text");
	ok(!ts_text_parse("2025-02-30 00:00:00+00", 22, &v, NULL), "ts: 2025-02-30 refused");
	ok(!ts_text_parse("2025-01-01 00:00:00.50+00", 25, &v, NULL), "ts: trailing zero refused");
	ok(!ts_text_parse("2025-01-01 00:00:00+0", 21, &v, NULL), "ts: cut short refused");

	p = journey_msg_max("{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00.5+00\", \"last\": \"2025-01-02 00:00:00+00\", \"events\": 3}], \"skipped\": 2}",
						MAX_STAYS, &t);
	is_str(p, NULL, "journey: one range parses");
	if (p == NULL)
	{
		is_int(t.n, 1, "journey: one stay");
		is_int(t.skipped, 2, "journey: skipped");
		is_int(t.stays[0].stage, STAGE_AWARENESS, "journey: stage");
		is_int(t.stays[0].entered, JAN1 + 500000, "journey: entered");
		is_int(t.stays[0].last, JAN1 + DAY, "journey: last");
		is_int(t.stays[0].events, 3, "journey: events");
		is_int(t.stays[0].reserved, 0, "journey: reserved");
		t_free(t.stays);
	}

	/* keys in any order, skipped optional */
	p = journey_msg_max("{\"stays\": [{\"events\": 1, \"last\": \"2025-01-01 00:00:00+00\", \"entered\": \"2025-01-01 00:00:00+00\", \"stage\": \"decision\"}, {\"stage\": \"advocacy\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-01 00:00:00+00\", \"events\": 1}]}",
						MAX_STAYS, &t);
	is_str(p, NULL, "journey: keys in any order, no skipped");
	if (p == NULL)
	{
		is_int(t.n, 2, "journey: two stays");
		is_int(t.skipped, 0, "journey: skipped defaults to 0");
		is_int(t.stays[0].stage, STAGE_DECISION, "journey: first stage");
		is_int(t.stays[1].stage, STAGE_ADVOCACY, "journey: second stage at the same instant");
		t_free(t.stays);
	}

	p = journey_msg_max(" { \"stays\" : [ ] } ", MAX_STAYS, &t);
	is_str(p, NULL, "journey: empty, spaces around");
	if (p == NULL)
	{
		is_int(t.n, 0, "journey: no stays");
		t_free(t.stays);
	}
}

/* n point stays of awareness, a day apart, as JSON (malloc'd) */
static char *
n_stays(int n)
{
	char	   *s = malloc(32 + (size_t) n * 160);
	size_t		k = 0;
	int			i;

	k += sprintf(s + k, "{\"stays\": [");
	for (i = 0; i < n; i++)
	{
		char		ts[40];

		ts_text_format(JAN1 + i * DAY, ts);
		k += sprintf(s + k, "%s{\"stage\": \"awareness\", \"entered\": \"%s\", \"last\": \"%s\", \"events\": 1}",
					 i ? ", " : "", ts, ts);
	}
	sprintf(s + k, "]}");
	return s;
}

static void
test_journey_limits(void)
{
	JText		t;
	char	   *s = n_stays(40);
	const char *p;
	int			k;

	/* growth past the first 8 slots */
	p = journey_msg_max(s, MAX_STAYS, &t);
	is_str(p, NULL, "journey: 40 stays parse");
	if (p == NULL)
	{
		is_int(t.n, 40, "journey: 40 stays");
		is_int(t.stays[39].entered, JAN1 + 39 * DAY, "journey: the last one");
		t_free(t.stays);
	}
	p = journey_msg_max(s, 40, &t);
	is_str(p, NULL, "journey: 40 stays within a limit of 40");
	if (p == NULL)
		t_free(t.stays);
	p = journey_msg_max(s, 39, &t);
	ok(p != NULL && strncmp(p, "too many stays at character ", 28) == 0,
	   "journey: 40 stays over a limit of 39 (%s)", p ? p : "parsed");
	p = journey_msg_max(s, 9, &t);
	ok(p != NULL && strncmp(p, "too many stays at character ", 28) == 0,
	   "journey: 40 stays over a limit of 9 (%s)", p ? p : "parsed");

	/* a failing allocation at each step gives "out of memory", no leak */
	for (k = 0; k < 4; k++)
	{
		fail_after = k;
		p = journey_msg_max(s, MAX_STAYS, &t);
		fail_after = -1;
		is_str(p, "out of memory", "journey: allocation %d fails", k + 1);
	}
	is_int(live, 0, "journey: nothing left allocated");
	free(s);
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

int
main(void)
{
	size_t		i;

	for (i = 0; i < sizeof(journey_errors) / sizeof(journey_errors[0]); i++)
		is_str(journey_msg(journey_errors[i].in), journey_errors[i].msg,
			   "journey error %zu: %s", i, journey_errors[i].msg);
	for (i = 0; i < sizeof(funnel_errors) / sizeof(funnel_errors[0]); i++)
		is_str(funnel_msg(funnel_errors[i].in, NULL), funnel_errors[i].msg,
			   "funnel error %zu: %s", i, funnel_errors[i].msg);
	test_journey_values();
	test_journey_limits();
	test_funnel_values();
	is_int(live, 0, "nothing left allocated");
	printf("1..%d\n", tap_n);
	return tap_done();
}
