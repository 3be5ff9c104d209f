/*
 * Unit tests of the journey's text form: journey_parse and journey_write
 * (journey_core.c).  The messages are the DETAIL lines of journey_in; the
 * first table entries are copied from expected/journey.out.  Timestamps
 * are read and written by test/unit/ts_text.h, a stand-in for the server's.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tap.h"
#include "alloc_count.h"
#include "journey_core.h"
#include "json_core.h"
#include "out_buf.h"
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
	 "missing key \"events\" at character 105"},
	{"{\"stays\": [], \"skipped\": -1}",
	 "negative skipped count at character 28"},
	{"{\"stays\": [], \"extra\": 1}",
	 "unknown key \"extra\" at character 23"},
	{"{\"skipped\": 1}",
	 "missing key \"stays\" at character 15"},
	{"{\"stays\": [{\"stage\": \"awareness\", \"stage\": \"awareness\"}]}",
	 "duplicate key \"stage\" at character 43"},
	{"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-01 00:00:00+00\", \"events\": 1, \"x\": 1}]}",
	 "unknown key \"x\" at character 123"},
	{"{\"stays\": [], \"stays\": []}",
	 "duplicate key \"stays\" at character 23"},
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

static bool
format_ts(int64_t t, char *buf, size_t bufsz, void *arg)
{
	(void) arg;
	return bufsz >= 40 && ts_text_format(t, buf) != 0;
}

/* The writer prints what journey_out prints, and it reads back. */
static void
test_journey_write(void)
{
	JStay		s[2] = {
		{JAN1, JAN1 + DAY, 2, STAGE_AWARENESS, 0},
		{JAN1 + 2 * DAY, JAN1 + 2 * DAY, 1, STAGE_PURCHASE, 0},
	};
	JText		t;
	out_buf		b;

	out_buf_init(&b);
	ok(journey_write(&b.w, s, 2, 3, format_ts, NULL), "journey_write: writes");
	is_str(b.s, "{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-02 00:00:00+00\", \"events\": 2}, {\"stage\": \"purchase\", \"entered\": \"2025-01-03 00:00:00+00\", \"last\": \"2025-01-03 00:00:00+00\", \"events\": 1}], \"skipped\": 3}",
		   "journey_write: journey_out's form");
	is_str(journey_msg_max(b.s, MAX_STAYS, &t), NULL, "journey_write: reads back");
	if (t.n == 2)
		is_int(memcmp(t.stays, s, sizeof(s)), 0, "journey_write: same stays");
	is_int(t.skipped, 3, "journey_write: same skipped");
	t_free(t.stays);
	out_buf_free(&b);
}

int
main(void)
{
	size_t		i;

	for (i = 0; i < sizeof(journey_errors) / sizeof(journey_errors[0]); i++)
		is_str(journey_msg(journey_errors[i].in), journey_errors[i].msg,
			   "journey error %zu: %s", i, journey_errors[i].msg);
	test_journey_values();
	test_journey_limits();
	test_journey_write();
	is_int(live, 0, "nothing left allocated");
	printf("1..%d\n", tap_n);
	return tap_done();
}
