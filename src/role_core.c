/*
 * role_core.c — see role_core.h.  Plain C: no postgres.h.
 */
#include "role_core.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static const char *const role_names[B2B_NROLES + 1] = {
	NULL, "decision_maker", "economic_buyer", "executive_sponsor", "champion",
	"technical_evaluator", "influencer", "end_user", "procurement", "legal",
	"blocker", "other"
};

const char *
role_name(int r)
{
	return (r >= 1 && r <= B2B_NROLES) ? role_names[r] : NULL;
}

const char *
role_names_list(void)
{
	return "decision_maker, economic_buyer, executive_sponsor, champion, "
		"technical_evaluator, influencer, end_user, procurement, legal, "
		"blocker, other";
}

/*
 * Every accepted spelling, folded (lower-case letters and digits, the word
 * "and" dropped).  The canonical names come first for each role; HubSpot's
 * buying roles (DECISION_MAKER, BUDGET_HOLDER, EXECUTIVE_SPONSOR, CHAMPION,
 * INFLUENCER, END_USER, LEGAL_AND_COMPLIANCE, BLOCKER, OTHER) and
 * Salesforce's contact roles (Decision Maker, Economic Buyer, Economic
 * Decision Maker, Executive Sponsor, Technical Buyer, Evaluator, Influencer,
 * Business User, Other) are among them.
 */
static const struct
{
	const char *alias;
	int			role;
}			role_aliases[] = {
	{"decisionmaker", ROLE_DECISION_MAKER},
	{"dm", ROLE_DECISION_MAKER},
	{"decider", ROLE_DECISION_MAKER},
	{"finaldecisionmaker", ROLE_DECISION_MAKER},
	{"approver", ROLE_DECISION_MAKER},
	{"economicbuyer", ROLE_ECONOMIC_BUYER},
	{"budgetholder", ROLE_ECONOMIC_BUYER},
	{"budgetowner", ROLE_ECONOMIC_BUYER},
	{"economicdecisionmaker", ROLE_ECONOMIC_BUYER},
	{"financialbuyer", ROLE_ECONOMIC_BUYER},
	{"executivesponsor", ROLE_EXECUTIVE_SPONSOR},
	{"execsponsor", ROLE_EXECUTIVE_SPONSOR},
	{"sponsor", ROLE_EXECUTIVE_SPONSOR},
	{"champion", ROLE_CHAMPION},
	{"internalchampion", ROLE_CHAMPION},
	{"coach", ROLE_CHAMPION},
	{"technicalevaluator", ROLE_TECHNICAL_EVALUATOR},
	{"technicalbuyer", ROLE_TECHNICAL_EVALUATOR},
	{"evaluator", ROLE_TECHNICAL_EVALUATOR},
	{"techevaluator", ROLE_TECHNICAL_EVALUATOR},
	{"influencer", ROLE_INFLUENCER},
	{"enduser", ROLE_END_USER},
	{"user", ROLE_END_USER},
	{"businessuser", ROLE_END_USER},
	{"procurement", ROLE_PROCUREMENT},
	{"purchasing", ROLE_PROCUREMENT},
	{"purchaser", ROLE_PROCUREMENT},
	{"legal", ROLE_LEGAL},
	{"legalcompliance", ROLE_LEGAL},
	{"compliance", ROLE_LEGAL},
	{"legalcounsel", ROLE_LEGAL},
	{"counsel", ROLE_LEGAL},
	{"blocker", ROLE_BLOCKER},
	{"detractor", ROLE_BLOCKER},
	{"other", ROLE_OTHER},
};

#define N_ALIASES ((int) (sizeof(role_aliases) / sizeof(role_aliases[0])))

int
role_alias_count(void)
{
	return N_ALIASES;
}

const char *
role_alias(int i, int *role)
{
	if (i < 0 || i >= N_ALIASES)
		return NULL;
	*role = role_aliases[i].role;
	return role_aliases[i].alias;
}

static bool
role_separator(unsigned char c)
{
	return isspace(c) || c == '_' || c == '-' || c == '.' || c == '/' || c == '&';
}

/*
 * Fold role text word by word: letters lower-cased, digits kept, separators
 * and the word "and" dropped.  Any other character makes the text no role.
 */
static bool
role_fold(const char *s, size_t len, char *out, size_t outsz)
{
	size_t		n = 0,
				i = 0;

	while (i < len)
	{
		size_t		start = i,
					k;

		if (role_separator((unsigned char) s[i]))
		{
			i++;
			continue;
		}
		while (i < len && isalnum((unsigned char) s[i]))
			i++;
		if (i == start)
			return false;		/* a character outside the accepted set */
		if (i - start == 3 && strncasecmp(s + start, "and", 3) == 0)
			continue;
		if (n + (i - start) >= outsz)
			return false;
		for (k = start; k < i; k++)
			out[n++] = (char) tolower((unsigned char) s[k]);
	}
	out[n] = '\0';
	return n > 0;
}

int
role_parse(const char *s, size_t len)
{
	char		key[64];
	int			i;

	if (!role_fold(s, len, key, sizeof(key)))
		return 0;
	for (i = 0; i < N_ALIASES; i++)
		if (strcmp(key, role_aliases[i].alias) == 0)
			return role_aliases[i].role;
	return 0;
}
