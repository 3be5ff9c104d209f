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
/* The names of stages 1..7 at [0..6] (keys of the funnel's text form). */
extern const char *const *stage_names_array(void);
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

#endif
