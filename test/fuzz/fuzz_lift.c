/*
 * fuzz_lift.c — fuzz the text reader of the lift type: ev_lift_parse
 * (eval_core.c).
 *
 *   SECONDS_EACH=60 bash test/fuzz/run.sh fuzz_lift
 *
 * Properties: no crash, leak or sanitizer report on any input; a lift that
 * parses passes ev_lift_problem, and printed as lift_out prints it (scores
 * here with 17 significant digits) it parses back to the same groups; with
 * a small group limit it parses exactly when the array growth allows.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_core.h"
#include "json_core.h"
#include "../unit/out_buf.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The limit of the server (the largest lift value fits in 1 GB). */
#define FUZZ_MAX_GROUPS 44739242
/* A small limit: arrays of up to 32 elements (16 slots, doubled once) read. */
#define FUZZ_SMALL_MAX 20

/* Seeds for test/fuzz/driver.c, the smoke run of every test run. */
const char *const fuzz_seeds[] = {
	/* as lift_out prints them in expected/eval.out */
	"{\"version\": 1, \"scores\": [0.9, 0.5, 0.1], \"rows\": [1, 2, 2], \"positives\": [1, 1, 0]}",
	"{\"version\": 1, \"scores\": [1], \"rows\": [2], \"positives\": [1]}",
	"{\"version\": 1, \"scores\": [0.5], \"rows\": [1], \"positives\": [1]}",
	"{\"version\": 1, \"scores\": [1], \"rows\": [1], \"positives\": [1]}",
	"{\"version\": 1, \"scores\": [2, 1], \"rows\": [3, 1], \"positives\": [0, 0]}",
	"{\"version\": 1, \"scores\": [], \"rows\": [], \"positives\": []}",
	"{\"version\": 1, \"scores\": [1e+300, 0.30000000000000004, -0, -2.5e-308], \"rows\": [1, 9223372036854775, 1, 2], \"positives\": [0, 9223372036854775, 1, 2]}",
	/* broken ones (the first seven are in expected/eval.out) */
	"{\"version\": 1, \"scores\": [1, 2], \"rows\": [1, 1], \"positives\": [1, 0]}",
	"{\"version\": 1, \"scores\": [2, 1], \"rows\": [0, 1], \"positives\": [0, 0]}",
	"{\"version\": 1, \"scores\": [2, 1], \"rows\": [1, 1], \"positives\": [2, 0]}",
	"{\"version\": 1, \"scores\": [2, 1], \"rows\": [1], \"positives\": [1, 0]}",
	"{\"version\": 1, \"scores\": [2, 1], \"rows\": [1, 1]}",
	"{\"version\": 1, \"scores\": [2], \"rows\": [1], \"positives\": [1], \"n\": 1}",
	"{\"version\": 3, \"scores\": [2], \"rows\": [1], \"positives\": [1]}",
	"{\"version\": 1, \"scores\": [2], \"rows\": [1.5], \"positives\": [1]}",
	"{\"version\": 1, \"version\": 1, \"scores\": [2], \"rows\": [1], \"positives\": [1]}",
	"{\"version\": 1, \"scores\": [\"NaN\", 1, 1], \"rows\": [9223372036854775807, 9223372036854775807], \"positives\": [-1]} x",
	"{\"version\": 1, \"scores\": [33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1], \"rows\": [1], \"positives\": [1]}",
	"{\"version\": 1, \"scores\": [2, 1], \"rows\": [1, 1], \"positives\": [1, 0]",
	NULL
};

/* Parse len bytes of text; NULL on success, then free with ev_lift_free. */
static const char *
parse(const char *text, size_t len, int max_groups, ev_lift *l)
{
	static char err[BJ_ERR_SIZE];

	return ev_lift_parse(text, len, max_groups, l, malloc, free, err, sizeof(err));
}

static void
check_lift(const char *text, size_t len)
{
	ev_lift		l,
				m,
				s;
	out_buf		b;
	size_t		i;
	const char *small;
	const char *problem = parse(text, len, FUZZ_MAX_GROUPS, &l);

	/* the small limit: fails with "more than" exactly on arrays over 32 */
	small = parse(text, len, FUZZ_SMALL_MAX, &s);
	if (small == NULL)
	{
		if (problem != NULL || s.ngroups != l.ngroups || s.ngroups > 32)
			abort();
		ev_lift_free(&s, free);
	}
	else if (problem == NULL && l.ngroups <= 32)
		abort();
	if (problem != NULL)
		return;
	if (ev_lift_problem(l.score, l.rows, l.positives, l.ngroups) != NULL)
		abort();

	/* print with lift_out's writer and read back */
	out_buf_init(&b);
	ev_lift_write(&b.w, l.score, l.rows, l.positives, l.ngroups);
	if (parse(b.s, b.len, FUZZ_MAX_GROUPS, &m) != NULL)
	{
		fprintf(stderr, "printed lift does not parse: %s\n", b.s);
		abort();
	}
	if (m.ngroups != l.ngroups)
		abort();
	for (i = 0; i < l.ngroups; i++)
		if (m.score[i] != l.score[i] || m.rows[i] != l.rows[i] ||
			m.positives[i] != l.positives[i])
			abort();
	ev_lift_free(&m, free);
	ev_lift_free(&l, free);
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
	check_lift(copy, size);
	free(copy);
	return 0;
}
