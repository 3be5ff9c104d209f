/*
 * ordinal.h — the one implementation of the small ordinal types' I/O
 * (journey_stage, buying_role, segment, and rfm's binary form).
 *
 * Each type is described by a table entry (b2b_ordinal); its fmgr entry
 * points are one-line calls of the functions below.  The binary form is
 * int2's two bytes (big-endian ordinal, no version byte), so a driver reads
 * it with the codec it already has; receive validates the range.
 */
#ifndef B2B_ORDINAL_H
#define B2B_ORDINAL_H

#include "b2btarget.h"

typedef struct b2b_ordinal
{
	const char *typname;		/* "journey_stage" */
	int			typlen;			/* 1: stored as a "char", 2: as an int2 */
	int			max;			/* valid values 1..max, unless valid is set */
	bool		(*valid) (int v);	/* NULL: 1..max */
	/* text I/O of the named types (NULL for rfm, which has its own) */
	int			(*parse) (const char *s, size_t len);	/* 0: not a name */
	const char *(*name) (int v);
	const char *(*names_list) (void);
	const char *in_hint;		/* errhint format with one %s: names_list() */
	const char *range_hint;		/* errhint of a value out of range */
} b2b_ordinal;

extern const b2b_ordinal b2b_journey_stage_type;
extern const b2b_ordinal b2b_buying_role_type;
extern const b2b_ordinal b2b_segment_type;
extern const b2b_ordinal b2b_rfm_type;

/* The value of a stored Datum, checked (ERROR data corrupted if invalid). */
extern int	b2b_ordinal_checked(const b2b_ordinal *t, Datum d);
extern Datum b2b_ordinal_datum(const b2b_ordinal *t, int v);

extern Datum b2b_ordinal_in(FunctionCallInfo fcinfo, const b2b_ordinal *t);
extern Datum b2b_ordinal_out(FunctionCallInfo fcinfo, const b2b_ordinal *t);
extern Datum b2b_ordinal_recv(FunctionCallInfo fcinfo, const b2b_ordinal *t);
extern Datum b2b_ordinal_send(FunctionCallInfo fcinfo, const b2b_ordinal *t);

#endif
