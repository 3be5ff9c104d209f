/* Fuzz target: stage names, CRM vocabularies and propensity text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "propensity_core.h"
#include "stage_core.h"

const char *const fuzz_seeds[] = {
	"awareness", "  Advocacy ", "Closed Won", "marketingqualifiedlead",
	"Proposal/Price Quote", "0.73", "73%", "1.5e1%", "-0", "NaN", NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1);
	double		v;
	int			st;

	memcpy(s, data, size);
	s[size] = '\0';
	st = stage_parse(s, size);
	if (st < 0 || st > B2B_NSTAGES)
		abort();
	st = stage_from_hubspot_text(s, size);
	if (st < -1 || st > B2B_NSTAGES)
		abort();
	st = stage_from_salesforce_text(s, size);
	if (st < -1 || st > B2B_NSTAGES)
		abort();
	if (propensity_parse(s, &v) == PROP_OK && !(v >= 0.0 && v <= 1.0))
		abort();
	free(s);
	return 0;
}
