/*
 * role.c — fmgr glue of the buying_role type.
 *
 * A buying_role is one byte holding the ordinal 1..11, passed by value, like
 * journey_stage: comparison and hashing reuse the built-in "char" functions
 * (src/sql/80_committee.sql), so only I/O and casts are here.
 */
#include "b2btarget.h"

#include "libpq/pqformat.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "committee_core.h"
#include "role.h"

#define ROLE_SEND_VERSION 1

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
	if (r < 1 || r > B2B_NROLES)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid buying_role value %d", r)));
	return r;
}

Datum
buying_role_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int			r = role_parse(str, strlen(str));

	if (r == 0)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type buying_role: \"%s\"", str),
						 errhint("Valid roles are: %s; CRM names such as 'Budget Holder', 'Legal & Compliance', 'Technical Buyer' or 'Business User' are accepted too (see buying_role_aliases()).",
								 role_names_list())));
	PG_RETURN_BUYING_ROLE(r);
}

Datum
buying_role_out(PG_FUNCTION_ARGS)
{
	int			r = role_checked(PG_GETARG_BUYING_ROLE(0));

	PG_RETURN_CSTRING(pstrdup(role_name(r)));
}

/* Binary form: a version byte, then the ordinal byte. */
Datum
buying_role_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	int			r;

	if (buf->len - buf->cursor != 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary buying_role: expected 2 bytes, got %d",
						buf->len - buf->cursor)));
	version = pq_getmsgbyte(buf);
	if (version != ROLE_SEND_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary buying_role: unknown version %d", version)));
	r = pq_getmsgbyte(buf);
	if (r < 1 || r > B2B_NROLES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary buying_role: ordinal %d out of range", r),
				 errhint("Role ordinals run from 1 (decision_maker) to %d (other).",
						 B2B_NROLES)));
	PG_RETURN_BUYING_ROLE(r);
}

Datum
buying_role_send(PG_FUNCTION_ARGS)
{
	int			r = role_checked(PG_GETARG_BUYING_ROLE(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, ROLE_SEND_VERSION);
	pq_sendbyte(&buf, r);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
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
