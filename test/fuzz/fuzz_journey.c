/*
 * fuzz_journey.c — fuzz the text reader of the journey type: journey_parse
 * (journey_core.c), with the timestamp reader of test/unit/ts_text.h
 * standing in for the server's.
 *
 *   SECONDS_EACH=60 bash test/fuzz/run.sh fuzz_journey
 *
 * Properties: no crash, leak or sanitizer report on any input; a journey
 * that parses passes jstays_check with a skipped count >= 0, and printed as
 * journey_out prints it, it parses back to the same stays; with a small
 * stay limit it parses exactly when it has no more stays than that.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journey_core.h"
#include "json_core.h"
#include "stage_core.h"
#include "../unit/out_buf.h"
#include "../unit/ts_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The limit of the server (the largest journey value fits in 1 GB). */
#define FUZZ_MAX_STAYS ((size_t) 33554431)
#define FUZZ_SMALL_MAX 3

/* Seeds for test/fuzz/driver.c, the smoke run of every test run. */
const char *const fuzz_seeds[] = {
	/* as journey_out prints them in expected/journey.out */
	"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01 10:00:00+00\", \"last\": \"2025-01-02 00:00:00+00\", \"events\": 3}, {\"stage\": \"consideration\", \"entered\": \"2025-01-03 00:00:00+00\", \"last\": \"2025-01-03 00:00:00+00\", \"events\": 1}, {\"stage\": \"awareness\", \"entered\": \"2025-01-05 00:00:00+00\", \"last\": \"2025-01-05 00:00:00+00\", \"events\": 1}, {\"stage\": \"consideration\", \"entered\": \"2025-01-05 00:00:00+00\", \"last\": \"2025-01-05 00:00:00+00\", \"events\": 1}, {\"stage\": \"evaluation\", \"entered\": \"2025-01-09 00:00:00+00\", \"last\": \"2025-01-09 00:00:00+00\", \"events\": 1}], \"skipped\": 2}",
	"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-03-01 00:00:00+00\", \"last\": \"2025-03-01 00:00:00+00\", \"events\": 1}, {\"stage\": \"decision\", \"entered\": \"2025-03-01 00:00:00+00\", \"last\": \"2025-03-01 00:00:00+00\", \"events\": 1}], \"skipped\": 0}",
	"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00.5+00\", \"last\": \"2025-01-02 00:00:00+00\", \"events\": 3}], \"skipped\": 2}",
	"{\"stays\": [{\"events\": 1, \"last\": \"2025-03-15 12:00:00+00\", \"entered\": \"2025-03-15 12:00:00+00\", \"stage\": \"decision\"}]}",
	"{\"stays\": [], \"skipped\": 0}",
	/* broken ones (most are in expected/journey.out) */
	"{\"stays\": [{\"stage\": \"decision\", \"entered\": \"2025-01-02 00:00:00+00\", \"last\": \"2025-01-02 00:00:00+00\", \"events\": 1}, {\"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-01 00:00:00+00\", \"events\": 1}]}",
	"{\"stays\": [{\"stage\": \"stage8\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-01 00:00:00+00\", \"events\": 1}]}",
	"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-02 00:00:00+00\", \"last\": \"2025-01-01 00:00:00+00\", \"events\": 2}]}",
	"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-02 00:00:00+00\", \"events\": 1}]}",
	"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-01 00:00:00+00\", \"events\": 0}]}",
	"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01\", \"last\": \"2025-01-01\", \"events\": 1}]}",
	"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"infinity\", \"last\": \"infinity\", \"events\": 1}]}",
	"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-02-30 00:00:00+00\", \"last\": \"2025-02-30 00:00:00+00\", \"events\": 1}]}",
	"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-01 00:00:00+00\"}]}",
	"{\"stays\": [{\"stage\": \"Awareness\", \"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00.50+00\", \"last\": 1, \"events\": 1, \"x\": 1}], \"skipped\": -1, \"stays\": []}",
	"{\"skipped\": 1}",
	"{\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-01-01 00:00:00+00\", \"last\": \"2025-01-01 00:00:00+00\", \"events\": 1}], \"skipped\": 1} x",
	"[1, 2]",
	NULL
};

static const char *
parse(const char *text, size_t len, size_t max, JText *t)
{
	static char err[BJ_ERR_SIZE];

	return journey_parse(text, len, max, ts_text_parse, NULL, t, malloc, free,
						 err, sizeof(err));
}

/* journey_write's timestamp writer: test/unit/ts_text.h, the server's form */
static bool
format_ts(int64_t t, char *buf, size_t bufsz, void *arg)
{
	(void) arg;
	return bufsz >= 40 && ts_text_format(t, buf) != 0;
}

static void
check_journey(const char *text, size_t len)
{
	JText		t,
				s,
				m;
	out_buf		b;
	const char *small;
	const char *problem = parse(text, len, FUZZ_MAX_STAYS, &t);

	small = parse(text, len, FUZZ_SMALL_MAX, &s);
	if (small == NULL)
	{
		if (problem != NULL || s.n != t.n || s.n > FUZZ_SMALL_MAX)
			abort();
		free(s.stays);
	}
	else if (problem == NULL && t.n <= FUZZ_SMALL_MAX)
		abort();
	if (problem != NULL)
	{
		if (t.stays != NULL || t.n != 0 || t.skipped != 0)
			abort();
		return;
	}
	if (jstays_check(t.stays, t.n) != NULL || t.skipped < 0)
		abort();

	/* print with journey_out's writer and read back */
	out_buf_init(&b);
	if (!journey_write(&b.w, t.stays, t.n, t.skipped, format_ts, NULL))
		abort();
	if (parse(b.s, b.len, FUZZ_MAX_STAYS, &m) != NULL)
	{
		fprintf(stderr, "printed journey does not parse: %s\n", b.s);
		abort();
	}
	if (m.n != t.n || m.skipped != t.skipped ||
		(t.n > 0 && memcmp(m.stays, t.stays, sizeof(JStay) * t.n) != 0))
		abort();
	free(m.stays);
	free(t.stays);
	out_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* not NUL-terminated on purpose: the reader must respect len */
	char	   *copy = malloc(size ? size : 1);

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	check_journey(copy, size);
	free(copy);
	return 0;
}
