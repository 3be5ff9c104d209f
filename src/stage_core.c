/*
 * stage_core.c — the journey-stage table and CRM vocabularies.  Plain C.
 */
#include "stage_core.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "json_core.h"

static const char *const stage_names[B2B_NSTAGES + 1] = {
	NULL, "awareness", "consideration", "evaluation", "decision",
	"purchase", "retention", "advocacy"
};

const char *
stage_name(int s)
{
	return (s >= 1 && s <= B2B_NSTAGES) ? stage_names[s] : NULL;
}

const char *const *
stage_names_array(void)
{
	return stage_names + 1;
}

const char *
stage_phase_name(int s)
{
	if (s < 1 || s > B2B_NSTAGES)
		return NULL;
	if (s < STAGE_PURCHASE)
		return "pre-purchase";
	if (s == STAGE_PURCHASE)
		return "purchase";
	return "post-purchase";
}

const char *
stage_names_list(void)
{
	return "awareness, consideration, evaluation, decision, purchase, retention, advocacy";
}

int
stage_parse(const char *s, size_t len)
{
	size_t		a = 0,
				b = len;
	int			i;

	while (a < b && isspace((unsigned char) s[a]))
		a++;
	while (b > a && isspace((unsigned char) s[b - 1]))
		b--;
	for (i = 1; i <= B2B_NSTAGES; i++)
	{
		const char *n = stage_names[i];
		size_t		nl = strlen(n);
		size_t		k;

		if (b - a != nl)
			continue;
		for (k = 0; k < nl; k++)
			if (tolower((unsigned char) s[a + k]) != n[k])
				break;
		if (k == nl)
			return i;
	}
	return 0;
}

/*
 * Fold a CRM value to lower-case letters and digits only, so "Closed Won",
 * "closed_won" and "closedwon" compare equal.  Returns false when the folded
 * text would not fit.
 */
static int
fold(const char *s, size_t len, char *out, size_t outsz)
{
	size_t		n = 0,
				i;

	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (isalnum(c))
		{
			if (n + 1 >= outsz)
				return 0;
			out[n++] = (char) tolower(c);
		}
		else if (!(isspace(c) || c == '_' || c == '-' || c == '.' || c == '/' ||
				   c == '&'))
			return 0;
	}
	out[n] = '\0';
	return 1;
}

typedef struct
{
	const char *key;			/* folded */
	int			stage;
} crm_map;

/*
 * HubSpot lifecycle stages (internal values and their labels).
 */
static const crm_map hubspot_map[] = {
	{"subscriber", STAGE_AWARENESS},
	{"lead", STAGE_CONSIDERATION},
	{"marketingqualifiedlead", STAGE_CONSIDERATION},
	{"mql", STAGE_CONSIDERATION},
	{"salesqualifiedlead", STAGE_EVALUATION},
	{"sql", STAGE_EVALUATION},
	{"opportunity", STAGE_DECISION},
	{"customer", STAGE_PURCHASE},
	{"evangelist", STAGE_ADVOCACY},
	{"other", 0},
	{NULL, 0}
};

/*
 * Salesforce's default Opportunity stage picklist.
 */
static const crm_map salesforce_map[] = {
	{"prospecting", STAGE_AWARENESS},
	{"qualification", STAGE_CONSIDERATION},
	{"needsanalysis", STAGE_CONSIDERATION},
	{"valueproposition", STAGE_EVALUATION},
	{"iddecisionmakers", STAGE_EVALUATION},
	{"perceptionanalysis", STAGE_EVALUATION},
	{"proposalpricequote", STAGE_DECISION},
	{"negotiationreview", STAGE_DECISION},
	{"closedwon", STAGE_PURCHASE},
	{"closedlost", 0},
	{NULL, 0}
};

static int
crm_lookup(const crm_map *map, const char *s, size_t len)
{
	char		buf[64];
	int			i;

	if (!fold(s, len, buf, sizeof(buf)) || buf[0] == '\0')
		return -1;
	for (i = 0; map[i].key; i++)
		if (strcmp(map[i].key, buf) == 0)
			return map[i].stage;
	return -1;
}

int
stage_from_hubspot_text(const char *s, size_t len)
{
	return crm_lookup(hubspot_map, s, len);
}

int
stage_from_salesforce_text(const char *s, size_t len)
{
	return crm_lookup(salesforce_map, s, len);
}

const char *
hubspot_values_list(void)
{
	return "subscriber, lead, marketingqualifiedlead, salesqualifiedlead, opportunity, customer, evangelist, other";
}

const char *
salesforce_values_list(void)
{
	return "Prospecting, Qualification, Needs Analysis, Value Proposition, Id. Decision Makers, Perception Analysis, Proposal/Price Quote, Negotiation/Review, Closed Won, Closed Lost";
}
