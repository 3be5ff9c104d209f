/*
 * role.c — fmgr glue of the buying_role type.
 *
 * A buying_role is one byte holding the ordinal 1..11, passed by value, like
 * journey_stage: comparison and hashing reuse the built-in "char" functions
 * (src/sql/80_committee.sql), and text and binary I/O are the shared
 * ordinal.c (binary form: int2's), so only casts and aliases are here.
 */
#include "b2btarget.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "committee_core.h"
#include "ordinal.h"
#include "role.h"

PG_FUNCTION_INFO_V1(buying_role_in);
PG_FUNCTION_INFO_V1(buying_role_out);
PG_FUNCTION_INFO_V1(buying_role_recv);
PG_FUNCTION_INFO_V1(buying_role_send);
PG_FUNCTION_INFO_V1(buying_role_from_int4);
PG_FUNCTION_INFO_V1(buying_role_to_int4);
PG_FUNCTION_INFO_V1(buying_role_alias_list);

/* Every stored value passes through here; a corrupt byte is reported. */
int
role_checked(int r)
{
	return b2b_ordinal_checked(&b2b_buying_role_type, CharGetDatum((char) r));
}

Datum
buying_role_in(PG_FUNCTION_ARGS)
{
	return b2b_ordinal_in(fcinfo, &b2b_buying_role_type);
}

Datum
buying_role_out(PG_FUNCTION_ARGS)
{
	return b2b_ordinal_out(fcinfo, &b2b_buying_role_type);
}

Datum
buying_role_recv(PG_FUNCTION_ARGS)
{
	return b2b_ordinal_recv(fcinfo, &b2b_buying_role_type);
}

Datum
buying_role_send(PG_FUNCTION_ARGS)
{
	return b2b_ordinal_send(fcinfo, &b2b_buying_role_type);
}

Datum
buying_role_from_int4(PG_FUNCTION_ARGS)
{
	int32		v = PG_GETARG_INT32(0);

	if (v < 1 || v > B2B_NROLES)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("integer %d is out of range for type buying_role", v),
				 errhint("Role ordinals run from 1 (decision_maker) to %d (other).",
						 B2B_NROLES)));
	PG_RETURN_BUYING_ROLE(v);
}

Datum
buying_role_to_int4(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(role_checked(PG_GETARG_BUYING_ROLE(0)));
}

/* Every accepted alias (folded), for buying_role_aliases(). */
Datum
buying_role_alias_list(PG_FUNCTION_ARGS)
{
	int			n = role_alias_count();
	Datum	   *d = palloc(sizeof(Datum) * n);
	int			i,
				r;

	for (i = 0; i < n; i++)
		d[i] = CStringGetTextDatum(role_alias(i, &r));
	PG_RETURN_ARRAYTYPE_P(construct_array(d, n, TEXTOID, -1, false, TYPALIGN_INT));
}
