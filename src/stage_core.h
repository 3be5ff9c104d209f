/*
 * stage_core.h — the journey-stage table and CRM vocabularies.  Plain C.
 */
#ifndef B2B_STAGE_CORE_H
#define B2B_STAGE_CORE_H

#include <stddef.h>
#include <stdint.h>

#define B2B_NSTAGES 7

/* Ordinals 1..7; 0 never names a stage. */
enum
{
	STAGE_AWARENESS = 1,
	STAGE_CONSIDERATION,
	STAGE_EVALUATION,
	STAGE_DECISION,
	STAGE_PURCHASE,
	STAGE_RETENTION,
	STAGE_ADVOCACY
};

/* Name of stage s (1..7), or NULL. */
extern const char *stage_name(int s);
/* "pre-purchase", "purchase" or "post-purchase", or NULL. */
extern const char *stage_phase_name(int s);
/* Comma-separated list of the names, for HINTs. */
extern const char *stage_names_list(void);

/*
 * Parse a stage name, ignoring case and surrounding white space.  Returns the
 * ordinal, or 0 when the text names no stage.
 */
extern int	stage_parse(const char *s, size_t len);

/*
 * CRM vocabularies.  Return the ordinal; 0 = recognised but no stage (e.g.
 * HubSpot "other", Salesforce "Closed Lost"); -1 = not recognised.
 * Matching ignores case, spaces, underscores, hyphens, dots and slashes.
 */
extern int	stage_from_hubspot_text(const char *s, size_t len);
extern int	stage_from_salesforce_text(const char *s, size_t len);
extern const char *hubspot_values_list(void);
extern const char *salesforce_values_list(void);

/*
 * The funnel's text form: a JSON object of the entities that reached each
 * stage, every stage once (exact lower-case names), counts not negative.
 * funnel_reached_exceeds() gives the first stage s (2..7) whose count
 * exceeds that of stage s - 1, or 0 when the counts never increase.
 */
extern int	funnel_reached_exceeds(const int64_t reached[B2B_NSTAGES]);

/*
 * Parse len bytes of str (no NUL needed) into reached[] (stage s at s - 1),
 * counts not increasing along the stages.  Returns NULL, or err with what
 * is wrong and its character position.
 */
extern const char *funnel_parse(const char *str, size_t len,
								int64_t reached[B2B_NSTAGES],
								char *err, size_t errsz);

#endif
