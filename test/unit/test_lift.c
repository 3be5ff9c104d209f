/*
 * Unit tests of the lift text reader: ev_lift_parse and ev_lift_problem
 * (eval_core.c).  The messages are the DETAIL lines of lift_in; those also
 * in expected/eval.out are copied from there.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tap.h"
#include "alloc_count.h"
#include "eval_core.h"
#include "json_core.h"

#define MAX_GROUPS 44739242		/* the server's limit */

/*
 * What ev_lift_parse says about s with the given group limit (NULL when it
 * parses): s is copied so that nothing follows its bytes, and the result
 * freed.  Checks that an error leaves nothing allocated.
 */
static const char *
lift_msg_max(const char *s, int max_groups)
{
	static char err[BJ_ERR_SIZE];
	ev_lift		l;
	size_t		n = strlen(s);
	char	   *c = malloc(n ? n : 1);
	const char *p;

	memcpy(c, s, n);
	p = ev_lift_parse(c, n, max_groups, &l, t_alloc, t_free, err, sizeof(err));
	if (p == NULL)
		ev_lift_free(&l, t_free);
	else if (l.score || l.rows || l.positives || l.ngroups)
		printf("# error left arrays in the result\n");
	if (live != 0)
	{
		printf("# %d blocks leaked\n", live);
		live = 0;
		p = "leak";
	}
	free(c);
	return p;
}

static const char *
lift_msg(const char *s)
{
	return lift_msg_max(s, MAX_GROUPS);
}

/* "{..., "scores": [n, .., 1], "rows": [1 * n], "positives": [0 * n]}" */
static char *
lift_many(int n)
{
	size_t		cap = 64 + 40 * (size_t) n;
	char	   *s = malloc(cap);
	size_t		k = 0;
	int			i,
				a;

	k += snprintf(s + k, cap - k, "{\"version\": 1");
	for (a = 0; a < 3; a++)
	{
		k += snprintf(s + k, cap - k, ", \"%s\": [",
					  a == 0 ? "scores" : a == 1 ? "rows" : "positives");
		for (i = 0; i < n; i++)
			k += snprintf(s + k, cap - k, "%s%d", i ? ", " : "",
						  a == 0 ? n - i : a == 1 ? 1 : 0);
		k += snprintf(s + k, cap - k, "]");
	}
	snprintf(s + k, cap - k, "}");
	return s;
}

static void
test_valid(void)
{
	static const char text[] = "{\"version\": 1, \"scores\": [0.9, 0.5, 0.1], \"rows\": [1, 2, 2], \"positives\": [1, 1, 0]}";
	char		err[BJ_ERR_SIZE],
				want[BJ_ERR_SIZE];
	ev_lift		l;
	const char *p;
	char	   *many;

	p = ev_lift_parse(text, strlen(text), MAX_GROUPS, &l, t_alloc, t_free,
					  err, sizeof(err));
	is_str(p, NULL, "lift_agg's output in expected/eval.out parses");
	is_int(l.ngroups, 3, "three groups");
	is_double(l.score[0], 0.9, 0, "score 0");
	is_double(l.score[1], 0.5, 0, "score 1");
	is_double(l.score[2], 0.1, 0, "score 2");
	is_int(l.rows[0], 1, "rows 0");
	is_int(l.rows[1], 2, "rows 1");
	is_int(l.rows[2], 2, "rows 2");
	is_int(l.positives[0], 1, "positives 0");
	is_int(l.positives[1], 1, "positives 1");
	is_int(l.positives[2], 0, "positives 2");
	is_str(ev_lift_problem(l.score, l.rows, l.positives, l.ngroups), NULL,
		   "the parsed groups pass ev_lift_problem");
	ev_lift_free(&l, t_free);
	is_int(live, 0, "ev_lift_free frees all");
	ok(l.score == NULL && l.ngroups == 0, "ev_lift_free clears the result");

	is_str(lift_msg("{\"version\": 1, \"scores\": [], \"rows\": [], \"positives\": []}"),
		   NULL, "the empty lift parses");

	/* only len bytes are read: what follows them is not part of the value */
	p = ev_lift_parse(text, strlen(text) - 1, MAX_GROUPS, &l, t_alloc, t_free,
					  err, sizeof(err));
	snprintf(want, sizeof(want), "expected \",\" or \"}\" but the text ended at character %zu",
			 strlen(text));
	is_str(p, want, "the reader stops at len");
	is_int(live, 0, "nothing left allocated after an error");

	is_str(lift_msg(" {\"positives\" : [0, 1],\n\"rows\":[1,1],\t\"scores\": [-1e-3, -2.5E1], \"version\": 1} \n"),
		   NULL, "keys in any order, whitespace around tokens");
	is_str(lift_msg("{\"version\": 1, \"scores\": [1], \"rows\": [2305843009213693951], \"positives\": [0]}"),
		   NULL, "rows up to INT64_MAX / 4");

	many = lift_many(1000);
	is_str(lift_msg(many), NULL, "1000 groups (arrays grown past 16 slots)");
	free(many);
}

static void
test_errors(void)
{
	char	   *many;
	double		score[2] = {2, 1};
	int64_t		rows[2] = {1, 1},
				pos[2] = {0, 0};

	/* the DETAIL lines of expected/eval.out */
	is_str(lift_msg("{\"version\": 1, \"scores\": [1, 2], \"rows\": [1, 1], \"positives\": [1, 0]}"),
		   "scores must be distinct and in descending order", "ascending scores");
	is_str(lift_msg("{\"version\": 1, \"scores\": [2, 1], \"rows\": [0, 1], \"positives\": [0, 0]}"),
		   "each score needs rows >= 1 and 0 <= positives <= rows", "rows 0");
	is_str(lift_msg("{\"version\": 1, \"scores\": [2, 1], \"rows\": [1, 1], \"positives\": [2, 0]}"),
		   "each score needs rows >= 1 and 0 <= positives <= rows", "positives > rows");
	is_str(lift_msg("{\"version\": 1, \"scores\": [2, 1], \"rows\": [1], \"positives\": [1, 0]}"),
		   "\"scores\", \"rows\" and \"positives\" differ in length at character 67",
		   "length mismatch");
	is_str(lift_msg("{\"version\": 1, \"scores\": [2, 1], \"rows\": [1, 1]}"),
		   "missing key \"positives\" at character 49", "missing key");
	is_str(lift_msg("{\"version\": 1, \"scores\": [2], \"rows\": [1], \"positives\": [1], \"n\": 1}"),
		   "unknown key \"n\" at character 66", "unknown key");
	is_str(lift_msg("{\"version\": 3, \"scores\": [2], \"rows\": [1], \"positives\": [1]}"),
		   "unknown version 3 at character 14", "bad version");
	is_str(lift_msg("{\"version\": 1, \"scores\": [2], \"rows\": [1.5], \"positives\": [1]}"),
		   "expected an integer at character 40", "fractional rows");

	/* more */
	is_str(lift_msg("{\"version\": 1, \"scores\": [2], \"rows\": [1], \"scores\": [2], \"positives\": [1]}"),
		   "duplicate key \"scores\" at character 53", "duplicate key");
	is_str(lift_msg("{\"scores\": [2], \"rows\": [1], \"positives\": [1]}"),
		   "missing key \"version\" at character 47", "missing version");
	is_str(lift_msg("{\"version\": 1, \"scores\": [2], \"rows\": [1], \"positives\": []}"),
		   "\"scores\", \"rows\" and \"positives\" differ in length at character 60",
		   "positives shorter");
	is_str(lift_msg("{\"version\": 1, \"scores\": [2], \"rows\": [1], \"positives\": [1]} x"),
		   "unexpected text after the value at character 62", "trailing garbage");
	is_str(lift_msg("{\"version\": 1, \"scores\": [2], \"rows\": [1], \"positives\": [1]}}"),
		   "unexpected text after the value at character 61", "trailing brace");
	is_str(lift_msg("{\"version\": 1, \"scores\": [2, 2], \"rows\": [1, 1], \"positives\": [0, 0]}"),
		   "scores must be distinct and in descending order", "tied scores");
	is_str(lift_msg("{\"version\": 1, \"scores\": [2], \"rows\": [1], \"positives\": [-1]}"),
		   "each score needs rows >= 1 and 0 <= positives <= rows", "negative positives");
	is_str(lift_msg("{\"version\": 1, \"scores\": [2, 1], \"rows\": [2305843009213693951, 1], \"positives\": [0, 0]}"),
		   "row counts out of range", "row total over INT64_MAX / 4");
	is_str(lift_msg("{\"version\": 1, \"scores\": [\"NaN\"], \"rows\": [1], \"positives\": [1]}"),
		   "expected a number at character 27", "NaN score");
	is_str(lift_msg("{\"version\": \"1\", \"scores\": [2], \"rows\": [1], \"positives\": [1]}"),
		   "expected a number at character 13", "version a string");
	is_str(lift_msg("{\"version\": 1, \"scores\": 2, \"rows\": [1], \"positives\": [1]}"),
		   "expected \"[\" at character 26", "scores not an array");
	is_str(lift_msg("[1]"), "expected \"{\" at character 1", "not an object");
	is_str(lift_msg(""), "expected \"{\" but the text ended at character 1", "empty text");

	/* too many: growth of 16 slots doubled while below the limit */
	many = lift_many(32);
	is_str(lift_msg_max(many, 20), NULL, "limit 20: 32 groups fit the grown buffer");
	free(many);
	many = lift_many(33);
	is_str(lift_msg_max(many, 20), "more than 20 scores at character 146",
		   "limit 20: 33 scores are too many");
	free(many);
	many = lift_many(17);
	is_str(lift_msg_max(many, 16), "more than 16 scores at character 82",
		   "limit 16: 17 scores are too many");
	free(many);

	/* out of memory at each allocation: an error, nothing leaked */
	many = lift_many(40);
	fail_after = 0;
	is_str(lift_msg(many), "out of memory at character 25", "out of memory at the first array");
	fail_after = 1;
	is_str(lift_msg(many), "out of memory at character 90", "out of memory growing an array");
	fail_after = 6;				/* 3 for "scores", 3 for "rows" */
	is_str(lift_msg(many), "out of memory at character 321", "out of memory at the last array");
	fail_after = -1;
	free(many);

	/* value rules only reachable through binary input or stored values */
	is_str(ev_lift_problem(score, rows, pos, 2), NULL, "ev_lift_problem: valid");
	score[1] = NAN;
	is_str(ev_lift_problem(score, rows, pos, 2), "scores must be finite",
		   "ev_lift_problem: NaN score");
	score[1] = -INFINITY;
	is_str(ev_lift_problem(score, rows, pos, 2), "scores must be finite",
		   "ev_lift_problem: infinite score");
	is_str(ev_lift_problem(score, rows, pos, 0), NULL, "ev_lift_problem: no groups");
}

int
main(void)
{
	test_valid();
	test_errors();
	printf("1..%d\n", tap_n);
	return tap_done();
}
