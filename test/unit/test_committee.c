/* Unit tests of committee_core.c: the committee math and its text form. */
#include "tap.h"
#include "committee_core.h"
#include "propensity_core.h"

static cm_state pool[16];
static int	npool = 0;

static cm_state *
fresh(void)
{
	cm_state   *c = &pool[npool++];

	cm_init(c);
	return c;
}

int
main(void)
{
	cm_state   *a,
			   *b,
			   *c;
	double		v;
	char		err[200];
	int			i;

	ok(COMMITTEE_SIZE <= 300, "committee is at most 300 bytes (%d)", (int) COMMITTEE_SIZE);
	/* an empty committee */
	a = fresh();
	ok(cm_check(a) == NULL, "empty committee is valid");
	is_int(cm_members(a), 0, "no members");
	is_int(cm_leading(a), 0, "no leading stage");
	is_int(cm_consensus(a), 0, "no consensus stage");
	ok(!cm_alignment(a, &v) && !cm_account_p(a, &v) && !cm_any_p(a, &v), "undefined accessors");

	/* three members: weights 1, 1, 2 in evaluation, evaluation, decision */
	is_int(cm_add(a, ROLE_CHAMPION, 3, true, 0.5, 1), CM_OK, "add champion");
	is_int(cm_add(a, ROLE_DECISION_MAKER, 3, true, 0.2, 1), CM_OK, "add decision maker");
	is_int(cm_add(a, 0, 4, true, 0.8, 2), CM_OK, "add NULL role (other)");
	is_int(cm_add(a, ROLE_BLOCKER, 0, false, 0, 1), CM_OK, "add blocker, no stage, no p");
	ok(cm_check(a) == NULL, "valid after adds");
	is_int(cm_members(a), 4, "4 members");
	is_int(cm_staged(a), 3, "3 staged");
	is_int(a->role[ROLE_OTHER - 1].n, 1, "NULL role counted as other");
	is_int(cm_leading(a), 4, "leading decision");
	is_int(cm_lagging(a), 3, "lagging evaluation");
	is_int(cm_consensus(a), 3, "consensus evaluation (2 of 4 at evaluation)");
	ok(cm_alignment(a, &v), "alignment defined");
	is_double(v, 1 - log(2) / log(7), 1e-15, "alignment of an even split over two stages");
	ok(cm_account_p(a, &v), "account p defined");
	is_double(v, prop_from_logit((prop_logit(0.5) + prop_logit(0.2) + 2 * prop_logit(0.8)) / 4), 1e-15, "log-odds pool");
	ok(cm_any_p(a, &v), "any p defined");
	is_double(v, 1 - 0.5 * 0.8 * 0.2, 1e-15, "any p");
	is_int(cm_role_furthest(a, ROLE_OTHER), 4, "stage_of other");
	is_int(cm_role_furthest(a, ROLE_BLOCKER), 0, "blocker has no stage");

	/* errors leave the state alone */
	is_int(cm_add(a, 1, 1, true, 0.5, -1), CM_BAD_WEIGHT, "negative weight");
	is_int(cm_add(a, 1, 1, true, 0.5, NAN), CM_BAD_WEIGHT, "NaN weight");
	is_int(cm_add(a, 1, 1, true, 0.5, INFINITY), CM_BAD_WEIGHT, "infinite weight");
	is_int(cm_add(a, 1, 1, true, 1.5, 1), CM_BAD_P, "p above 1");
	is_int(cm_add(a, 12, 1, true, 0.5, 1), CM_BAD_ROLE, "role 12");
	is_int(cm_add(a, 1, 8, true, 0.5, 1), CM_BAD_STAGE, "stage 8");
	is_int(cm_add(a, 1, 1, true, 0.5, 1e308), CM_OK, "huge weight once");
	is_int(cm_add(a, 1, 1, true, 0.5, 1e308), CM_SUM_OVERFLOW, "huge weight twice overflows");
	is_int(cm_members(a), 5, "the failed adds changed nothing");

	/* p = 1 makes any_propensity 1, p = 0 does not break the pool */
	b = fresh();
	cm_add(b, 1, 1, true, 1.0, 1);
	cm_add(b, 2, 1, true, 0.0, 1);
	ok(cm_any_p(b, &v) && v == 1.0, "any p with a certain member is 1");
	ok(cm_account_p(b, &v) && fabs(v - 0.5) < 1e-4, "clamped 0 and 1 pool to about 0.5");
	ok(cm_check(b) == NULL, "state with p = 1 is valid");

	/* merge equals adding in one state */
	c = fresh();
	cm_add(c, 1, 1, true, 1.0, 1);
	cm_add(c, 2, 1, true, 0.0, 1);
	cm_add(c, ROLE_CHAMPION, 3, true, 0.5, 1);
	b->role[0].n += 0;
	a = fresh();
	cm_add(a, ROLE_CHAMPION, 3, true, 0.5, 1);
	is_int(cm_merge(b, a), CM_OK, "merge");
	ok(memcmp(b, c, COMMITTEE_SIZE) == 0, "merge equals one pass");
	b->role[0].n = INT32_MAX;
	b->role_stages[0] = 1;
	is_int(cm_merge(b, c), CM_COUNT_OVERFLOW, "merge overflow");
	is_int(cm_add(b, 1, 0, false, 0, 1), CM_COUNT_OVERFLOW, "add overflow");

	/* consensus: weighted median */
	a = fresh();
	cm_add(a, 1, 1, false, 0, 1);
	cm_add(a, 1, 5, false, 0, 3);
	is_int(cm_consensus(a), 5, "weight 3 of 4 at purchase");
	cm_add(a, 1, 2, false, 0, 2);
	is_int(cm_consensus(a), 2, "cumulative 3 of 6 reaches half at consideration");
	a = fresh();
	cm_add(a, 1, 6, false, 0, 0);
	is_int(cm_consensus(a), 0, "zero staged weight: no consensus");
	ok(!cm_alignment(a, &v), "zero staged weight: no alignment");
	is_int(cm_leading(a), 6, "but a leading stage");
	a = fresh();
	for (i = 1; i <= 7; i++)
		cm_add(a, 1, i, false, 0, 1);
	ok(cm_alignment(a, &v) && fabs(v) < 1e-15, "even over 7 stages: alignment 0");

	/* text input */
	a = fresh();
	{
		const char *e = "{\"version\": 1, \"members\": 0, \"roles\": {}, \"stages\": {}, \"pool\": {\"weight\": 0, \"weighted_logit\": 0, \"log_none\": 0}}";

		ok(cm_parse(e, strlen(e), a, err, sizeof err), "empty committee parses");
	}
#define PARSE_FAILS(txt, what) do { \
	ok(!cm_parse(txt, strlen(txt), a, err, sizeof err) && err[0] != '\0', "rejects %s", what); \
	} while (0)
	PARSE_FAILS("{}", "an empty object");
	PARSE_FAILS("{\"version\": 2, \"members\": 0, \"roles\": {}, \"stages\": {}, \"pool\": {\"weight\": 0, \"weighted_logit\": 0, \"log_none\": 0}}", "version 2");
	PARSE_FAILS("{\"version\": 1, \"members\": 3, \"roles\": {\"champion\": {\"members\": 2, \"with_p\": 0, \"sum_p\": 0, \"stages\": []}}, \"stages\": {}, \"pool\": {\"weight\": 0, \"weighted_logit\": 0, \"log_none\": 0}}", "members that do not add up");
	PARSE_FAILS("{\"version\": 1, \"members\": 2, \"roles\": {\"champion\": {\"members\": 2, \"with_p\": 0, \"sum_p\": 0, \"stages\": [\"decision\"]}}, \"stages\": {}, \"pool\": {\"weight\": 0, \"weighted_logit\": 0, \"log_none\": 0}}", "a role stage without a stage count");
	PARSE_FAILS("{\"version\": 1, \"members\": 2, \"roles\": {\"champion\": {\"members\": 2, \"with_p\": 3, \"sum_p\": 0, \"stages\": []}}, \"stages\": {}, \"pool\": {\"weight\": 0, \"weighted_logit\": 0, \"log_none\": 0}}", "with_p above members");
	PARSE_FAILS("{\"version\": 1, \"members\": -2, \"roles\": {}, \"stages\": {}, \"pool\": {\"weight\": 0, \"weighted_logit\": 0, \"log_none\": 0}}", "negative members");
	PARSE_FAILS("{\"version\": 1, \"members\": 0, \"roles\": {}, \"stages\": {}, \"pool\": {\"weight\": 0, \"weighted_logit\": 0, \"log_none\": \"Infinity\"}}", "positive infinite log_none");

	/*
	 * Duplicate and missing keys are errors in every object (issue 18 item
	 * 3: "sum_p" given twice, or with_p, sum_p, stages, weight left out,
	 * used to be accepted).
	 */
#define PARSE_SAYS(txt, msg) do { \
	ok(!cm_parse(txt, strlen(txt), a, err, sizeof err), "rejects: %s", msg); \
	is_str(err, msg, "message: %s", msg); \
	} while (0)
#define ROLE1(body) "{\"version\": 1, \"members\": 1, \"roles\": {\"champion\": {" body "}}, \"stages\": {\"decision\": {\"members\": 1, \"weight\": 1}}, \"pool\": {\"weight\": 0, \"weighted_logit\": 0, \"log_none\": 0}}"
	{
		const char *good = ROLE1("\"members\": 1, \"with_p\": 0, \"sum_p\": 0, \"stages\": [\"decision\"]");

		ok(cm_parse(good, strlen(good), a, err, sizeof err), "a full role parses: %s", err);
	}
	PARSE_SAYS(ROLE1("\"members\": 1, \"with_p\": 1, \"sum_p\": 0.5, \"sum_p\": 0, \"stages\": [\"decision\"]"),
			   "duplicate key \"sum_p\" at character 102");
	PARSE_SAYS(ROLE1("\"members\": 1, \"members\": 1, \"with_p\": 0, \"sum_p\": 0, \"stages\": [\"decision\"]"),
			   "duplicate key \"members\" at character 77");
	PARSE_SAYS(ROLE1("\"members\": 1, \"sum_p\": 0, \"stages\": [\"decision\"]"),
			   "missing key \"with_p\" at character 102");
	PARSE_SAYS(ROLE1("\"members\": 1, \"with_p\": 0, \"stages\": [\"decision\"]"),
			   "missing key \"sum_p\" at character 103");
	PARSE_SAYS(ROLE1("\"members\": 1, \"with_p\": 0, \"sum_p\": 0"),
			   "missing key \"stages\" at character 91");
	PARSE_SAYS("{\"version\": 1, \"members\": 1, \"roles\": {\"champion\": {\"members\": 1, \"with_p\": 0, \"sum_p\": 0, \"stages\": [\"decision\"]}}, \"stages\": {\"decision\": {\"members\": 1}}, \"pool\": {\"weight\": 0, \"weighted_logit\": 0, \"log_none\": 0}}",
			   "missing key \"weight\" at character 155");
	PARSE_SAYS("{\"version\": 1, \"members\": 1, \"roles\": {\"champion\": {\"members\": 1, \"with_p\": 0, \"sum_p\": 0, \"stages\": [\"decision\"]}}, \"stages\": {\"decision\": {\"members\": 1, \"weight\": 1, \"weight\": 2}}, \"pool\": {\"weight\": 0, \"weighted_logit\": 0, \"log_none\": 0}}",
			   "duplicate key \"weight\" at character 178");
	PARSE_SAYS("{\"version\": 1, \"members\": 0, \"roles\": {}, \"stages\": {}, \"pool\": {\"weight\": 0, \"weight\": 0, \"weighted_logit\": 0, \"log_none\": 0}}",
			   "duplicate key \"weight\" at character 88");
	PARSE_SAYS("{\"version\": 1, \"members\": 0, \"roles\": {}, \"stages\": {}, \"pool\": {\"weight\": 0, \"weighted_logit\": 0, \"log_none\": 0}, \"members\": 0}",
			   "duplicate key \"members\" at character 126");
	PARSE_SAYS("{\"version\": 1, \"members\": 0, \"roles\": {}, \"pool\": {\"weight\": 0, \"weighted_logit\": 0, \"log_none\": 0}}",
			   "missing key \"stages\" at character 101");
	PARSE_SAYS("{\"version\": 1, \"members\": 0, \"roles\": {}, \"stages\": {}, \"pool\": {\"weight\": 0, \"log_none\": 0}}",
			   "missing key \"weighted_logit\" at character 93");
	return tap_done();
}
