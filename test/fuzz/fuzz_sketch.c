/*
 * fuzz_sketch.c — fuzz the text readers of quantile_sketch and
 * score_histogram: qs_parse and sh_parse (sketch_core.c).
 *
 *   SECONDS_EACH=60 bash test/fuzz/run.sh fuzz_sketch
 *
 * Properties: no crash, leak or sanitizer report on any input; what parses
 * passes qs_problem / sh_problem.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_core.h"
#include "sketch_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *const fuzz_seeds[] = {
	"{\"version\": 1, \"kind\": \"values\", \"relative_accuracy\": 0.01, \"dims\": [{\"count\": 4, \"zeros\": 1, \"sum\": 7.5, \"min\": 0, \"max\": 5, \"positive\": {\"offset\": 0, \"counts\": [1, 0, 2], \"sums\": [1, 0, 6.5]}, \"negative\": {\"offset\": 0, \"counts\": [], \"sums\": []}}]}",
	"{\"version\": 1, \"kind\": \"rfm\", \"relative_accuracy\": 0.05, \"dims\": [{\"count\": 1, \"zeros\": 0, \"sum\": 3, \"min\": 3, \"max\": 3, \"positive\": {\"offset\": 11, \"counts\": [1], \"sums\": [3]}, \"negative\": {\"offset\": 0, \"counts\": [], \"sums\": []}}, {\"count\": 0, \"zeros\": 0, \"sum\": 0, \"min\": 0, \"max\": 0, \"positive\": {\"offset\": 0, \"counts\": [], \"sums\": []}, \"negative\": {\"offset\": 0, \"counts\": [], \"sums\": []}}, {\"count\": 2, \"zeros\": 0, \"sum\": -4, \"min\": -5, \"max\": 1, \"positive\": {\"offset\": 0, \"counts\": [1], \"sums\": [1]}, \"negative\": {\"offset\": 16, \"counts\": [1], \"sums\": [-5]}}]}",
	"{\"version\": 1, \"kind\": \"durations\", \"relative_accuracy\": 0.01, \"from\": \"awareness\", \"to\": \"purchase\", \"journeys\": 3, \"sum_us\": \"170141183460469231731687303715884105\", \"dims\": [{\"count\": 1, \"zeros\": 0, \"sum\": 1e15, \"min\": 1e15, \"max\": 1e15, \"positive\": {\"offset\": 1727, \"counts\": [1], \"sums\": [1e15]}, \"negative\": {\"offset\": 0, \"counts\": [], \"sums\": []}}]}",
	"{\"version\": 1, \"resolution\": 4, \"buckets\": [[0, 1, 1], [1, 1, 0], [4, 0, 1]]}",
	"{\"version\": 1, \"resolution\": 4, \"buckets\": [[4, 1, 1], [0, 0, 1]]}",
	"{\"version\": 1, \"buckets\": [], \"resolution\": 4}",
	NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *copy = malloc(size ? size : 1);
	char		err[BJ_ERR_SIZE];
	qs_sketch	s;
	sh_hist		h;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	if (qs_parse(copy, size, &s, malloc, free, err, sizeof(err)) == NULL)
	{
		if (qs_problem(&s) != NULL)
			abort();
		qs_free(&s, free);
	}
	if (sh_parse(copy, size, &h, malloc, free, err, sizeof(err)) == NULL)
	{
		if (sh_problem(&h) != NULL)
			abort();
		sh_free(&h, free);
	}
	free(copy);
	return 0;
}
