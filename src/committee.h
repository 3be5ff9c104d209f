/*
 * committee.h — the committee summary type in C: a fixed 300-byte varlena,
 * the cm_state of committee_core.h (struct, COMMITTEE_SIZE,
 * COMMITTEE_VERSION).  Glue in committee.c.
 */
#ifndef B2B_COMMITTEE_H
#define B2B_COMMITTEE_H

#include "b2btarget.h"
#include "committee_core.h"

/*
 * Size and layout version only: all an accessor needs to read a value
 * safely (every index it uses is a checked role or stage).
 */
extern cm_state *committee_validate_layout(cm_state *c);
/* Layout and every count and sum consistent (values merged into a state). */
extern cm_state *committee_validate(cm_state *c);

#define DatumGetCommittee(d) \
	committee_validate_layout((cm_state *) PG_DETOAST_DATUM(d))
#define DatumGetCommitteeChecked(d) \
	committee_validate((cm_state *) PG_DETOAST_DATUM(d))
#define PG_GETARG_COMMITTEE(n) DatumGetCommittee(PG_GETARG_DATUM(n))
#define PG_GETARG_COMMITTEE_CHECKED(n) DatumGetCommitteeChecked(PG_GETARG_DATUM(n))
#define PG_RETURN_COMMITTEE(c) PG_RETURN_POINTER(c)

#endif
