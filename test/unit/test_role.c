/* test_role.c — unit tests of role_core.c: names, aliases, role_parse. */
#include <string.h>

#include "tap.h"
#include "role_core.h"

#define R(s) role_parse(s, strlen(s))

int
main(void)
{
	const char *crm[] = {"Decision Maker", "Budget Holder", "Executive Sponsor",
		"Champion", "Technical Evaluator", "Influencer", "End User", "Procurement",
	"Legal & Compliance", "Blocker", "Other"};
	int			i,
				r;

	for (i = 1; i <= B2B_NROLES; i++)
		is_int(R(role_name(i)), i, "role %d parses from its own name", i);
	for (i = 0; i < 11; i++)
		is_int(R(crm[i]), i + 1, "demo CRM text '%s'", crm[i]);
	is_int(R("BUDGET_HOLDER"), ROLE_ECONOMIC_BUYER, "HubSpot BUDGET_HOLDER");
	is_int(R("LEGAL_AND_COMPLIANCE"), ROLE_LEGAL, "HubSpot LEGAL_AND_COMPLIANCE");
	is_int(R("Legal and Compliance"), ROLE_LEGAL, "'and' as a word");
	is_int(R("Economic Decision Maker"), ROLE_ECONOMIC_BUYER, "Salesforce Economic Decision Maker");
	is_int(R("Technical Buyer"), ROLE_TECHNICAL_EVALUATOR, "Salesforce Technical Buyer");
	is_int(R("Business User"), ROLE_END_USER, "Salesforce Business User");
	is_int(R("  decision-maker "), ROLE_DECISION_MAKER, "hyphen and spaces");
	is_int(R("band"), 0, "'and' inside a word is kept");
	is_int(R("decision maker!"), 0, "punctuation outside the set");
	is_int(R(""), 0, "empty");
	is_int(R(" & "), 0, "separators only");
	is_int(R("decisionmakerdecisionmakerdecisionmakerdecisionmakerdecisionmakerx"), 0, "too long");
	for (i = 0; i < role_alias_count(); i++)
	{
		const char *al = role_alias(i, &r);

		is_int(R(al), r, "alias %s maps back to its role", al);
	}

	printf("1..%d\n", tap_n);
	return tap_done();
}
