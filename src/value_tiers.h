/*
 * value_tiers.h — the value_tiers type in C (value_tier_agg's result: the
 * A/B cut points and the customers and value of each tier).  Glue in
 * value_tier.c.
 */
#ifndef B2B_VALUE_TIERS_H
#define B2B_VALUE_TIERS_H

#include "b2btarget.h"
#include "segments_core.h"

#define VALUE_TIERS_VERSION 1

typedef struct ValueTiers
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		ntiers;
	uint16		flags;			/* reserved, 0 */
	int32		pad;			/* 0 */
	value_tiers_fields f;		/* cut points, customers and value of each
								 * tier (segments_core.h) */
} ValueTiers;

#define VALUE_TIERS_SIZE sizeof(ValueTiers)

/* The stored layout: header, version, ntiers, flags, pad, 2 doubles, 3 int64, 3 doubles. */
StaticAssertDecl(sizeof(ValueTiers) == 80, "value_tiers layout changed");

/* Check a detoasted value (size, version, every field). */
extern ValueTiers *value_tiers_validate(ValueTiers *t);

#define DatumGetValueTiers(d) \
	value_tiers_validate((ValueTiers *) PG_DETOAST_DATUM(d))
#define PG_GETARG_VALUE_TIERS(n) DatumGetValueTiers(PG_GETARG_DATUM(n))
#define PG_RETURN_VALUE_TIERS(t) PG_RETURN_POINTER(t)

#endif
