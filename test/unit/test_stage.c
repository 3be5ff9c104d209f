/* Unit tests of stage_core.c and propensity_core.c (no server). */
#include "tap.h"
#include "stage_core.h"
#include "propensity_core.h"

#define P(s) stage_parse(s, strlen(s))
#define HS(s) stage_from_hubspot_text(s, strlen(s))
#define SF(s) stage_from_salesforce_text(s, strlen(s))

int
main(void)
{
	int			i;
	double		v;

	for (i = 1; i <= B2B_NSTAGES; i++)
		is_int(P(stage_name(i)), i, "stage %d parses from its own name", i);
	is_int(P("  Awareness\t"), 1, "case and surrounding space ignored");
	is_int(P("ADVOCACY"), 7, "upper case");
	is_int(P(""), 0, "empty is no stage");
	is_int(P("awareness2"), 0, "trailing junk");
	is_int(P("aware ness"), 0, "inner space");
	is_int(P("purchas"), 0, "prefix");
	is_str(stage_phase_name(4), "pre-purchase", "decision is pre-purchase");
	is_str(stage_phase_name(5), "purchase", "purchase phase");
	is_str(stage_phase_name(6), "post-purchase", "retention is post-purchase");
	ok(stage_name(0) == NULL && stage_name(8) == NULL, "no name outside 1..7");

	is_int(HS("marketingqualifiedlead"), 2, "HubSpot internal value");
	is_int(HS("Marketing Qualified Lead"), 2, "HubSpot label");
	is_int(HS("customer"), 5, "HubSpot customer");
	is_int(HS("evangelist"), 7, "HubSpot evangelist");
	is_int(HS("other"), 0, "HubSpot other has no stage");
	is_int(HS("frobnicated"), -1, "HubSpot unknown");
	is_int(HS(""), -1, "HubSpot empty");
	is_int(SF("Closed Won"), 5, "Salesforce Closed Won");
	is_int(SF("closed_lost"), 0, "Salesforce Closed Lost has no stage");
	is_int(SF("Id. Decision Makers"), 3, "Salesforce Id. Decision Makers");
	is_int(SF("Proposal/Price Quote"), 4, "Salesforce Proposal/Price Quote");
	is_int(SF("Negotiation/Review"), 4, "Salesforce Negotiation/Review");
	is_int(SF("Prospecting"), 1, "Salesforce Prospecting");
	is_int(SF("Closed Won!"), -1, "Salesforce punctuation outside the set");

	ok(propensity_parse("0.73", &v) == PROP_OK && v == 0.73, "0.73");
	ok(propensity_parse(" 73% ", &v) == PROP_OK && v == 0.73, "73%% equals 0.73 exactly");
	ok(propensity_parse("12.5%", &v) == PROP_OK && v == 0.125, "12.5%%");
	ok(propensity_parse("1.5e1%", &v) == PROP_OK && v == 0.15, "1.5e1%%");
	ok(propensity_parse("100%", &v) == PROP_OK && v == 1.0, "100%%");
	ok(propensity_parse("-0", &v) == PROP_OK && v == 0.0 && !signbit(v), "-0 becomes 0");
	ok(propensity_parse("1", &v) == PROP_OK && v == 1.0, "1");
	ok(propensity_parse("1.5", &v) == PROP_RANGE, "1.5 out of range");
	ok(propensity_parse("-0.1", &v) == PROP_RANGE, "-0.1 out of range");
	ok(propensity_parse("101%", &v) == PROP_RANGE, "101%% out of range");
	ok(propensity_parse("NaN", &v) == PROP_NAN, "NaN");
	ok(propensity_parse("abc", &v) == PROP_SYNTAX, "abc");
	ok(propensity_parse("", &v) == PROP_SYNTAX, "empty");
	ok(propensity_parse("%", &v) == PROP_SYNTAX, "lone %%");
	ok(propensity_parse("0.5%%", &v) == PROP_SYNTAX, "double %%");
	ok(propensity_parse("inf", &v) == PROP_SYNTAX, "inf");
	ok(propensity_parse("1e5%", &v) == PROP_RANGE, "1e5%% out of range");
	ok(propensity_parse("0x1p-1", &v) == PROP_SYNTAX, "hex float refused");
	is_double(prop_from_logit(prop_logit(0.3)), 0.3, 1e-15, "logit round trip");
	is_double(prop_from_logit(-800), 0.0, 0, "from_logit(-800) underflows to 0");
	is_double(prop_from_logit(800), 1.0, 0, "from_logit(800) is 1");
	is_double(prop_logit(1e-300), log(1e-300), 1e-15, "logit of tiny p");
	is_double(prop_any_of(0.5, 0.5), 0.75, 0, "any_of");
	printf("1..%d\n", tap_n);
	return tap_done();
}
