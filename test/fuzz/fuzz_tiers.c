/*
 * fuzz_tiers.c — fuzz the text readers of rfm_thresholds and value_tiers:
 * rfm_thresholds_parse and value_tiers_parse (segments_core.c).  Every
 * input goes to both.
 *
 *   SECONDS_EACH=60 bash test/fuzz/run.sh fuzz_tiers
 *
 * Properties: no crash or sanitizer report on any input; a failure leaves
 * a message in err; a value that parses passes its own validity check
 * (rfm_thresholds_problem, value_tiers_problem), and printed as the output
 * function prints it (numbers here with 17 significant digits) it parses
 * back to the same value.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_core.h"
#include "segments_core.h"
#include "../unit/out_buf.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Seeds for test/fuzz/driver.c, the smoke run of every test run. */
const char *const fuzz_seeds[] = {
	/* rfm_thresholds as printed in expected/rfm.out */
	"{\"recency_days\": {\"count\": 10, \"cuts\": [7, 21.5, 45, 90]}, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}, \"monetary\": {\"count\": 9, \"cuts\": [100, 250.25, 1000, 10000000]}}",
	"{\"recency_days\": {\"count\": 2, \"cuts\": [0.1, 0.2, 0.30000000000000004, 3]}, \"frequency\": {\"count\": 1, \"cuts\": [-1, 0, 0.1, 3]}, \"monetary\": {\"count\": 1, \"cuts\": [0, 0, 0, 0]}}",
	" { \"monetary\" : {\"cuts\":[0,0,0,0],\"count\":1}, \"frequency\": {\"count\": 1, \"cuts\": [-1, 0, 0.1, 3]}, \"recency_days\": {\"count\": 2, \"cuts\": [0.1, 0.2, 0.30000000000000004, 3]} } ",
	"{\"recency_days\": {\"count\": 10, \"cuts\": [10, 20, 30, 40]}, \"frequency\": {\"count\": 10, \"cuts\": [1, 2, 3, 4]}, \"monetary\": {\"count\": 10, \"cuts\": [100, 200, 300, 400]}}",
	/* value_tiers as printed in expected/value_tier.out */
	"{\"a_cut\": 10, \"b_cut\": 7, \"tiers\": {\"A\": {\"customers\": 3, \"value\": 80}, \"B\": {\"customers\": 2, \"value\": 15}, \"C\": {\"customers\": 1, \"value\": 5}}}",
	"{\"a_cut\": 10, \"b_cut\": 10, \"tiers\": {\"A\": {\"customers\": 10, \"value\": 100}, \"B\": {\"customers\": 0, \"value\": 0}, \"C\": {\"customers\": 0, \"value\": 0}}}",
	"{\"a_cut\": 1000, \"b_cut\": 0.5, \"tiers\": {\"A\": {\"customers\": 1, \"value\": 1000}, \"B\": {\"customers\": 2, \"value\": 1.5}, \"C\": {\"customers\": 7, \"value\": 0}}}",
	"{\"b_cut\": 0.5, \"a_cut\": 1e3, \"tiers\": {\"C\": {\"value\": 0, \"customers\": 7}, \"B\": {\"customers\": 2, \"value\": 1.5}, \"A\": {\"customers\": 1, \"value\": 1000}}}",
	"{\"a_cut\": 0.1, \"b_cut\": 0.1, \"tiers\": {\"A\": {\"customers\": 3, \"value\": 0.30000000000000004}, \"B\": {\"customers\": 0, \"value\": 0}, \"C\": {\"customers\": 0, \"value\": 0}}}",
	/* broken rfm_thresholds (most in expected/rfm.out) */
	"nonsense",
	"{\"recency_days\": 1}",
	"{\"recency_days\": {\"count\": 10, \"cuts\": [7, 21.5, 45, 90]}, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}}",
	"{\"recency_days\": {\"count\": 10, \"cuts\": [7, 21.5, 45]}, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}, \"monetary\": {\"count\": 9, \"cuts\": [1, 2, 3, 4]}}",
	"{\"recency_days\": {\"count\": 10, \"cuts\": [7, 21.5, 45, 90, 100]}, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}, \"monetary\": {\"count\": 9, \"cuts\": [1, 2, 3, 4]}}",
	"{\"recency_days\": {\"count\": 10, \"cuts\": [7, 21.5, 45, 20]}, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}, \"monetary\": {\"count\": 9, \"cuts\": [1, 2, 3, 4]}}",
	"{\"recency_days\": {\"count\": 0, \"cuts\": [7, 21.5, 45, 90]}, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}, \"monetary\": {\"count\": 9, \"cuts\": [1, 2, 3, 4]}}",
	"{\"recency_days\": {\"count\": 10, \"cuts\": [7, 21.5, 45, \"NaN\"]}, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}, \"monetary\": {\"count\": 9, \"cuts\": [1, 2, 3, 4]}}",
	"{\"recency_days\": {\"count\": 10, \"cuts\": [7, 21.5, 45, 1e999]}, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}, \"monetary\": {\"count\": 9, \"cuts\": [1, 2, 3, 4]}}",
	"{\"recency_days\": {\"count\": 10, \"cuts\": [7, 21.5, 45, 90]}, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}, \"monetary\": {\"count\": 9, \"cuts\": [1, 2, 3, 4]}, \"recency_days\": {\"count\": 1, \"cuts\": [1, 2, 3, 4]}}",
	"{\"recency_days\": {\"count\": 10, \"cuts\": [7, 21.5, 45, 90], \"extra\": 1}, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}, \"monetary\": {\"count\": 9, \"cuts\": [1, 2, 3, 4]}}",
	"{\"recency_days\": {\"count\": 10, \"cuts\": [7, 21.5, 45, 90]}, \"frequency\": {\"count\": 10, \"cuts\": [1, 1, 2, 5]}, \"monetary\": {\"count\": 9, \"cuts\": [1, 2, 3, 4]}} trailing",
	"{\"recency_days\": {\"count\": 10}, \"frequency\": {\"count\": -9223372036854775808, \"cuts\": [1, 1, 2, 5]}}",
	"{\"recency_days\": {\"count\": 1.5, \"cuts\": [1, 2, 3, 4]}, \"monetary\": {\"cuts\": [1, 2, 3, 4], \"cuts\": []}}",
	/* broken value_tiers (most in expected/value_tier.out) */
	"{\"a_cut\": 5, \"b_cut\": 10, \"tiers\": {\"A\": {\"customers\": 1, \"value\": 10}, \"B\": {\"customers\": 0, \"value\": 0}, \"C\": {\"customers\": 0, \"value\": 0}}}",
	"{\"a_cut\": 10, \"b_cut\": 0, \"tiers\": {\"A\": {\"customers\": 1, \"value\": 10}, \"B\": {\"customers\": 0, \"value\": 0}, \"C\": {\"customers\": 0, \"value\": 0}}}",
	"{\"a_cut\": 10, \"b_cut\": 5, \"tiers\": {\"A\": {\"customers\": 0, \"value\": 0}, \"B\": {\"customers\": 0, \"value\": 0}, \"C\": {\"customers\": 0, \"value\": 0}}}",
	"{\"a_cut\": 10, \"b_cut\": 5, \"tiers\": {\"A\": {\"customers\": 1, \"value\": 10}, \"B\": {\"customers\": -1, \"value\": 0}, \"C\": {\"customers\": 0, \"value\": 0}}}",
	"{\"a_cut\": 10, \"b_cut\": 5, \"tiers\": {\"A\": {\"customers\": 1, \"value\": 10}, \"B\": {\"customers\": 0, \"value\": 0}}}",
	"{\"a_cut\": 10, \"b_cut\": 5, \"tiers\": {\"A\": {\"customers\": 1, \"value\": 10}, \"B\": {\"customers\": 0, \"value\": 0}, \"C\": {\"customers\": 0, \"value\": 0}, \"D\": {\"customers\": 0, \"value\": 0}}}",
	"{\"a_cut\": 10, \"b_cut\": 5}",
	"{\"a_cut\": 10, \"a_cut\": 5, \"tiers\": {}}",
	"{\"a_cut\": 10, \"b_cut\": 5, \"tiers\": {\"A\": {\"customers\": 1, \"value\": -10}, \"A\": {}, \"B\": {\"value\": 0}}}",
	"{\"a_cut\": 10, \"b_cut\": 5, \"tiers\": {\"A\": {\"customers\": 1, \"value\": 10, \"x\": 1}}",
	NULL
};

static void
check_rfm(const char *text, size_t len)
{
	char		err[BJ_ERR_SIZE];
	out_buf		b;
	rfm_thresholds_fields t,
				u;
	int			d,
				j;
	const char *problem = rfm_thresholds_parse(text, len, &t, err, sizeof(err));

	if (problem != NULL)
	{
		if (problem != err || err[0] == '\0')
			abort();
		return;
	}
	if (rfm_thresholds_problem(&t) != NULL)
		abort();

	/* print with rfm_thresholds_out's writer and read back */
	out_buf_init(&b);
	rfm_thresholds_write(&b.w, &t);
	if (rfm_thresholds_parse(b.s, b.len, &u, err, sizeof(err)) != NULL)
	{
		fprintf(stderr, "printed rfm_thresholds does not parse: %s (%s)\n", b.s, err);
		abort();
	}
	for (d = 0; d < RFM_NDIMS; d++)
	{
		if (u.count[d] != t.count[d])
			abort();
		for (j = 0; j < RFM_NCUTS; j++)
			if (u.cut[d][j] != t.cut[d][j])
				abort();
	}
	out_buf_free(&b);
}

static void
check_tiers(const char *text, size_t len)
{
	char		err[BJ_ERR_SIZE];
	out_buf		b;
	value_tiers_fields t,
				u;
	int			i;
	const char *problem = value_tiers_parse(text, len, &t, err, sizeof(err));

	if (problem != NULL)
	{
		if (problem != err || err[0] == '\0')
			abort();
		return;
	}
	if (value_tiers_problem(&t) != NULL)
		abort();

	/* print with value_tiers_out's writer and read back */
	out_buf_init(&b);
	value_tiers_write(&b.w, &t);
	if (value_tiers_parse(b.s, b.len, &u, err, sizeof(err)) != NULL)
	{
		fprintf(stderr, "printed value_tiers does not parse: %s (%s)\n", b.s, err);
		abort();
	}
	if (u.a_cut != t.a_cut || u.b_cut != t.b_cut)
		abort();
	for (i = 0; i < VALUE_TIERS_N; i++)
		if (u.customers[i] != t.customers[i] || u.value[i] != t.value[i])
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
	check_rfm(copy, size);
	check_tiers(copy, size);
	free(copy);
	return 0;
}
