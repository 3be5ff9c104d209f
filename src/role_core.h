/*
 * role_core.h — buying roles: ordinals, canonical names and the CRM alias
 * table.  Plain C (no postgres.h): unit-tested (test/unit/test_role.c) and
 * fuzzed (test/fuzz/fuzz_committee.c) alone.
 */
#ifndef B2B_ROLE_CORE_H
#define B2B_ROLE_CORE_H

#include <stddef.h>

#define B2B_NROLES 11

/* Role ordinals 1..11, in this order; 0 never names a role. */
enum
{
	ROLE_DECISION_MAKER = 1,
	ROLE_ECONOMIC_BUYER,
	ROLE_EXECUTIVE_SPONSOR,
	ROLE_CHAMPION,
	ROLE_TECHNICAL_EVALUATOR,
	ROLE_INFLUENCER,
	ROLE_END_USER,
	ROLE_PROCUREMENT,
	ROLE_LEGAL,
	ROLE_BLOCKER,
	ROLE_OTHER
};

/* Canonical name of role r (1..11), or NULL. */
extern const char *role_name(int r);
/* Comma-separated canonical names, for HINTs. */
extern const char *role_names_list(void);

/*
 * Parse a role: a canonical name or a documented alias (HubSpot's and
 * Salesforce's contact-role values among them).  Case is ignored, and so are
 * spaces, underscores, hyphens, dots, slashes, '&' and the word "and"
 * between words.  Returns the ordinal, or 0 when the text names no role.
 */
extern int	role_parse(const char *s, size_t len);

/* The alias table, for documentation: *alias (folded) and its role. */
extern int	role_alias_count(void);
extern const char *role_alias(int i, int *role);

#endif
