/*
 * Unit tests of the rfm_thresholds and value_tiers text readers:
 * rfm_thresholds_parse, rfm_thresholds_problem, value_tiers_parse and
 * value_tiers_problem (segments_core.c).  The messages are the DETAIL lines
 * of rfm_thresholds_in and value_tiers_in; those also in expected/rfm.out
 * and expected/value_tier.out are copied from there.
 */
#include <stdlib.h>

#include "tap.h"
#include "json_core.h"
#include "segments_core.h"

/* The two readers with one signature, for parse_msg. */
typedef const char *(*parse_fn) (const char *str, size_t len, void *out,
								 char *err, size_t errsz);

static const char *
rfm_parse_any(const char *str, size_t len, void *out, char *err, size_t errsz)
{
	return rfm_thresholds_parse(str, len, (rfm_thresholds_fields *) out, err, errsz);
}

static const char *
vt_parse_any(const char *str, size_t len, void *out, char *err, size_t errsz)
{
	return value_tiers_parse(str, len, (value_tiers_fields *) out, err, errsz);
}

/*
 * What parse says about s (NULL when it parses, the value then in *out): s
 * is copied so that nothing follows its bytes.  An error must be in err.
 */
static const char *
parse_msg(parse_fn parse, const char *s, void *out)
{
	static char msg[BJ_ERR_SIZE];
	char		err[BJ_ERR_SIZE];
	size_t		n = strlen(s);
	char	   *c = malloc(n ? n : 1);
	const char *p;

	memcpy(c, s, n);
	p = parse(c, n, out, err, sizeof(err));
	free(c);
	if (p == NULL)
		return NULL;
	if (p != err)
		return "error not in err";
	snprintf(msg, sizeof(msg), "%s", p);
	return msg;
}

#define rfm_msg_into(s, t) parse_msg(rfm_parse_any, (s), (t))
#define vt_msg_into(s, t) parse_msg(vt_parse_any, (s), (t))

static const char *
rfm_msg(const char *s)
{
	rfm_thresholds_fields t;

	return rfm_msg_into(s, &t);
}

static const char *
vt_msg(const char *s)
{
	value_tiers_fields t;

	return vt_msg_into(s, &t);
}

/* fmt (a text with one %s) with part in its place. */
static const char *
fill(const char *fmt, const char *part)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), fmt, part);
	return buf;
}

/* rfm_thresholds text with the recency_days object replaced by rd. */
#define rfm_with(rd) fill("{\"recency_days\": %s, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}, \"monetary\": {\"count\": 9, \"cuts\": [1, 2, 3, 4]}}", (rd))
/* value_tiers text with the tier B object replaced by b. */
#define vt_with_b(b) fill("{\"a_cut\": 10, \"b_cut\": 5, \"tiers\": {\"A\": {\"customers\": 1, \"value\": 10}, \"B\": %s, \"C\": {\"customers\": 0, \"value\": 0}}}", (b))

static void
test_rfm_parse(void)
{
	rfm_thresholds_fields t;

	is_str(rfm_msg_into("{\"recency_days\": {\"count\": 10, \"cuts\": [7, 21.5, 45, 90]}, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}, \"monetary\": {\"count\": 9, \"cuts\": [100, 250.25, 1e3, 1e7]}}", &t),
		   NULL, "rfm_thresholds: the expected/rfm.out value parses");
	is_int(t.count[0], 10, "recency_days count");
	is_int(t.count[1], 10, "frequency count");
	is_int(t.count[2], 9, "monetary count");
	ok(t.cut[0][0] == 7 && t.cut[0][1] == 21.5 && t.cut[0][2] == 45 && t.cut[0][3] == 90,
	   "recency_days cuts");
	ok(t.cut[1][0] == 1 && t.cut[1][1] == 1 && t.cut[1][2] == 2 && t.cut[1][3] == 5,
	   "frequency cuts");
	ok(t.cut[2][0] == 100 && t.cut[2][1] == 250.25 && t.cut[2][2] == 1000 && t.cut[2][3] == 1e7,
	   "monetary cuts");

	is_str(rfm_msg_into(" { \"monetary\" : {\"cuts\":[0,0,0,0],\"count\":1}, \"frequency\": {\"count\": 1, \"cuts\": [-1, 0, 0.1, 3]}, \"recency_days\": {\"count\": 2, \"cuts\": [0.1, 0.2, 0.30000000000000004, 3]} } ", &t),
		   NULL, "rfm_thresholds: keys in any order, white space");
	is_int(t.count[0], 2, "recency_days count (given last)");
	ok(t.cut[0][2] == 0.30000000000000004 && t.cut[1][0] == -1 && t.cut[2][3] == 0,
	   "cuts of every dimension");

	/* the DETAIL lines of expected/rfm.out */
	is_str(rfm_msg("nonsense"), "expected \"{\" at character 1", "not JSON");
	is_str(rfm_msg("{\"recency_days\": {\"count\": 10, \"cuts\": [7, 21.5, 45, 90]}, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}}"),
		   "missing key \"monetary\" at character 109", "missing dimension");
	is_str(rfm_msg(rfm_with("{\"count\": 10, \"cuts\": [7, 21.5, 45]}")),
		   "3 cut points for \"recency_days\", expected 4 at character 53", "three cuts");
	is_str(rfm_msg(rfm_with("{\"count\": 10, \"cuts\": [7, 21.5, 45, 90, 100]}")),
		   "more than 4 cut points for \"recency_days\" at character 57", "five cuts");
	is_str(rfm_msg(rfm_with("{\"count\": 10, \"cuts\": [7, 21.5, 45, 20]}")),
		   "cut points decrease at character 157", "decreasing cuts");
	is_str(rfm_msg(rfm_with("{\"count\": 0, \"cuts\": [7, 21.5, 45, 90]}")),
		   "count below 1 at character 156", "count 0");
	is_str(rfm_msg(rfm_with("{\"count\": 10, \"cuts\": [7, 21.5, 45, \"NaN\"]}")),
		   "expected a number at character 54", "NaN cut");
	is_str(rfm_msg(rfm_with("{\"count\": 10, \"cuts\": [7, 21.5, 45, 1e999]}")),
		   "number out of range at character 54", "infinite cut");
	is_str(rfm_msg("{\"recency_days\": {\"count\": 10, \"cuts\": [7, 21.5, 45, 90]}, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}, \"monetary\": {\"count\": 9, \"cuts\": [1, 2, 3, 4]}, \"recency_days\": {\"count\": 1, \"cuts\": [1, 2, 3, 4]}}"),
		   "duplicate key \"recency_days\" at character 173", "duplicate dimension");
	is_str(rfm_msg(rfm_with("{\"count\": 10, \"cuts\": [7, 21.5, 45, 90], \"extra\": 1}")),
		   "unknown key \"extra\" at character 67", "extra key");
	is_str(rfm_msg("{\"recency_days\": {\"count\": 10, \"cuts\": [7, 21.5, 45, 90]}, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}, \"monetary\": {\"count\": 9, \"cuts\": [1, 2, 3, 4]}} trailing"),
		   "unexpected text after the value at character 158", "trailing text");

	/* the other messages */
	is_str(rfm_msg("{\"recency\": 1}"), "unknown key \"recency\" at character 12",
		   "unknown dimension");
	is_str(rfm_msg(rfm_with("{\"count\": 10}")),
		   "missing key \"cuts\" at character 31", "no cuts");
	is_str(rfm_msg(rfm_with("{\"count\": 10, \"count\": 10, \"cuts\": [1, 2, 3, 4]}")),
		   "duplicate key \"count\" at character 40",
		   "duplicate count");
	is_str(rfm_msg(rfm_with("{\"count\": 1.5, \"cuts\": [1, 2, 3, 4]}")),
		   "expected an integer at character 28", "fractional count");
	is_str(rfm_msg(""), "expected \"{\" but the text ended at character 1", "empty text");
}

static void
test_rfm_problem(void)
{
	rfm_thresholds_fields t;
	int			d,
				k;

	memset(&t, 0, sizeof(t));
	for (d = 0; d < RFM_NDIMS; d++)
	{
		t.count[d] = 1;
		for (k = 0; k < RFM_NCUTS; k++)
			t.cut[d][k] = k;
	}
	is_str(rfm_thresholds_problem(&t), NULL, "rfm_thresholds_problem: valid");
	t.cut[2][3] = NAN;
	is_str(rfm_thresholds_problem(&t), "cut point not finite", "NaN cut");
	t.cut[2][3] = INFINITY;
	is_str(rfm_thresholds_problem(&t), "cut point not finite", "infinite cut");
	t.cut[2][3] = 1;
	is_str(rfm_thresholds_problem(&t), "cut points decrease", "decreasing cuts");
	t.cut[2][3] = 3;
	t.count[1] = -5;
	is_str(rfm_thresholds_problem(&t), "count below 1", "negative count");
}

static void
test_vt_parse(void)
{
	value_tiers_fields t;

	is_str(vt_msg_into("{\"a_cut\": 10, \"b_cut\": 7, \"tiers\": {\"A\": {\"customers\": 3, \"value\": 80}, \"B\": {\"customers\": 2, \"value\": 15}, \"C\": {\"customers\": 1, \"value\": 5}}}", &t),
		   NULL, "value_tiers: the expected/value_tier.out value parses");
	ok(t.a_cut == 10 && t.b_cut == 7, "cut points");
	ok(t.customers[0] == 3 && t.customers[1] == 2 && t.customers[2] == 1, "customers");
	ok(t.value[0] == 80 && t.value[1] == 15 && t.value[2] == 5, "values");

	is_str(vt_msg_into("{\"b_cut\": 0.5, \"a_cut\": 1e3, \"tiers\": {\"C\": {\"value\": 0, \"customers\": 7}, \"B\": {\"customers\": 2, \"value\": 1.5}, \"A\": {\"customers\": 1, \"value\": 1000}}}", &t),
		   NULL, "value_tiers: keys and tiers in any order");
	ok(t.a_cut == 1000 && t.b_cut == 0.5, "cut points");
	ok(t.customers[0] == 1 && t.customers[1] == 2 && t.customers[2] == 7, "customers");
	ok(t.value[0] == 1000 && t.value[1] == 1.5 && t.value[2] == 0, "values");

	/* the DETAIL lines of expected/value_tier.out */
	is_str(vt_msg("{\"a_cut\": 5, \"b_cut\": 10, \"tiers\": {\"A\": {\"customers\": 1, \"value\": 10}, \"B\": {\"customers\": 0, \"value\": 0}, \"C\": {\"customers\": 0, \"value\": 0}}}"),
		   "cut points must satisfy a_cut >= b_cut > 0 at character 143", "a_cut < b_cut");
	is_str(vt_msg("{\"a_cut\": 10, \"b_cut\": 0, \"tiers\": {\"A\": {\"customers\": 1, \"value\": 10}, \"B\": {\"customers\": 0, \"value\": 0}, \"C\": {\"customers\": 0, \"value\": 0}}}"),
		   "cut points must satisfy a_cut >= b_cut > 0 at character 143", "b_cut 0");
	is_str(vt_msg("{\"a_cut\": 10, \"b_cut\": 5, \"tiers\": {\"A\": {\"customers\": 0, \"value\": 0}, \"B\": {\"customers\": 0, \"value\": 0}, \"C\": {\"customers\": 0, \"value\": 0}}}"),
		   "no customer in tier A or no value at character 142", "nobody in A");
	is_str(vt_msg(vt_with_b("{\"customers\": -1, \"value\": 0}")),
		   "negative customer count at character 144", "negative count");
	is_str(vt_msg("{\"a_cut\": 10, \"b_cut\": 5, \"tiers\": {\"A\": {\"customers\": 1, \"value\": 10}, \"B\": {\"customers\": 0, \"value\": 0}}}"),
		   "missing key \"C\" at character 107", "missing tier");
	is_str(vt_msg("{\"a_cut\": 10, \"b_cut\": 5, \"tiers\": {\"A\": {\"customers\": 1, \"value\": 10}, \"B\": {\"customers\": 0, \"value\": 0}, \"C\": {\"customers\": 0, \"value\": 0}, \"D\": {\"customers\": 0, \"value\": 0}}}"),
		   "unknown key \"D\" at character 147", "unknown tier");
	is_str(vt_msg("{\"a_cut\": 10, \"b_cut\": 5}"),
		   "missing key \"tiers\" at character 26", "no tiers");
	is_str(vt_msg("{\"a_cut\": 10, \"a_cut\": 5, \"tiers\": {}}"),
		   "duplicate key \"a_cut\" at character 23", "duplicate key");

	/* the other messages */
	is_str(vt_msg("nonsense"), "expected \"{\" at character 1", "not JSON");
	is_str(vt_msg(vt_with_b("{\"customers\": 0, \"value\": -1}")),
		   "tier value not finite and >= 0 at character 144", "negative value");
	is_str(vt_msg(vt_with_b("{\"customers\": 0}")),
		   "missing key \"value\" at character 94", "tier without value");
	is_str(vt_msg(vt_with_b("{\"customers\": 0, \"value\": 0, \"x\": 1}")),
		   "unknown key \"x\" at character 111", "extra key in a tier");
	is_str(vt_msg("{\"a_cut\": 10, \"b_cut\": 5, \"tiers\": {\"A\": {\"customers\": 1, \"value\": 10}, \"A\": {}}}"),
		   "duplicate key \"A\" at character 77", "duplicate tier");
	is_str(vt_msg("{\"a_cut\": 10, \"b_cut\": 5, \"tiers\": {\"A\": {\"customers\": 1, \"value\": 10}, \"B\": {\"customers\": 0, \"value\": 0}, \"C\": {\"customers\": 0, \"value\": 0}}} x"),
		   "unexpected text after the value at character 144", "trailing text");
	is_str(vt_msg("{\"a_cut\": \"Infinity\", \"b_cut\": 5}"),
		   "expected a number at character 11", "Infinity string");
}

static void
test_vt_problem(void)
{
	value_tiers_fields t;

	memset(&t, 0, sizeof(t));
	t.a_cut = 10;
	t.b_cut = 5;
	t.customers[0] = 1;
	t.value[0] = 10;
	is_str(value_tiers_problem(&t), NULL, "value_tiers_problem: valid");
	t.a_cut = NAN;
	is_str(value_tiers_problem(&t), "cut point not finite", "NaN a_cut");
	t.a_cut = 10;
	t.b_cut = -INFINITY;
	is_str(value_tiers_problem(&t), "cut point not finite", "infinite b_cut");
	t.b_cut = 5;
	t.value[2] = INFINITY;
	is_str(value_tiers_problem(&t), "tier value not finite and >= 0", "infinite value");
	t.value[2] = 0;
	t.value[0] = 0;
	is_str(value_tiers_problem(&t), "no customer in tier A or no value", "no value");
}

int
main(void)
{
	test_rfm_parse();
	test_rfm_problem();
	test_vt_parse();
	test_vt_problem();
	printf("1..%d\n", tap_n);
	return tap_done();
}
