/*
 * fuzz_funnel.c — fuzz the text reader of the funnel type: funnel_parse
 * (funnel_core.c).
 *
 *   SECONDS_EACH=60 bash test/fuzz/run.sh fuzz_funnel
 *
 * Properties: no crash or sanitizer report on any input; a funnel that
 * parses has counts >= 0 that never increase along the stages (so every
 * stored "at" count funnel_in derives is >= 0), and printed as funnel_out
 * prints it, it parses back to the same counts.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funnel_core.h"
#include "json_core.h"
#include "stage_core.h"
#include "../unit/out_buf.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Seeds for test/fuzz/driver.c, the smoke run of every test run. */
const char *const fuzz_seeds[] = {
	/* as funnel_out prints them in expected/funnel.out */
	"{\"awareness\": 6, \"consideration\": 4, \"evaluation\": 3, \"decision\": 3, \"purchase\": 2, \"retention\": 1, \"advocacy\": 1}",
	"{\"awareness\": 0, \"consideration\": 0, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0}",
	"{\"awareness\": 10, \"consideration\": 6, \"evaluation\": 4, \"decision\": 3, \"purchase\": 2, \"retention\": 1, \"advocacy\": 0}",
	"{\"advocacy\": 0, \"retention\": 9223372036854775807, \"purchase\": 9223372036854775807, \"decision\": 9223372036854775807, \"evaluation\": 9223372036854775807, \"consideration\": 9223372036854775807, \"awareness\": 9223372036854775807}",
	/* broken ones (most are in expected/funnel.out) */
	"{\"awareness\": 10}",
	"{\"awareness\": 1, \"consideration\": 2, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0}",
	"{\"awareness\": -1, \"consideration\": 0, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0}",
	"{\"awareness\": 1, \"awareness\": 1, \"consideration\": 0, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0}",
	"{\"awareness\": 1, \"consideration\": 0, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0, \"extra\": 0}",
	"{\"Awareness\": 1, \"consideration\": 0, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0}",
	"{\"awareness\": 1.5, \"consideration\": 0, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0}",
	"{\"awareness\": 1, \"consideration\": 0, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0} x",
	"{\"awareness\": 9223372036854775808, \"consideration\": 0, \"evaluation\": 0, \"decision\": 0, \"purchase\": 0, \"retention\": 0, \"advocacy\": 0}",
	"not json",
	NULL
};

static void
check_funnel(const char *text, size_t len)
{
	static char err[BJ_ERR_SIZE];
	int64_t		reached[B2B_NSTAGES],
				again[B2B_NSTAGES];
	out_buf		b;
	int			s;

	if (funnel_parse(text, len, reached, err, sizeof(err)) != NULL)
		return;
	if (funnel_reached_exceeds(reached) != 0)
		abort();
	for (s = 0; s < B2B_NSTAGES; s++)
		if (reached[s] < 0 ||
			reached[s] - (s + 1 < B2B_NSTAGES ? reached[s + 1] : 0) < 0)
			abort();

	/* print with funnel_out's writer and read back */
	out_buf_init(&b);
	funnel_write(&b.w, reached);
	if (funnel_parse(b.s, b.len, again, err, sizeof(err)) != NULL)
	{
		fprintf(stderr, "printed funnel does not parse: %s (%s)\n", b.s, err);
		abort();
	}
	if (memcmp(again, reached, sizeof(again)) != 0)
		abort();
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
	check_funnel(copy, size);
	free(copy);
	return 0;
}
