/*
 * committee.c — the buying-committee summary type, committee_agg, rollup and
 * the accessors (SPEC §5).
 *
 * The state is a fixed 300-byte varlena of counts and sums per role and per
 * stage (src/committee_core.h), whatever the number of members, so the
 * stored summary is itself the aggregate's transition type (SPEC §1):
 * updated in place in the aggregate context, merged by adding counters, and
 * shipped between Citus nodes as JSON text that round-trips exactly.
 */
#include "b2btarget.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "committee.h"
#include "committee_core.h"
#include "role.h"
#include "stage_core.h"

PG_FUNCTION_INFO_V1(committee_in);
PG_FUNCTION_INFO_V1(committee_out);
PG_FUNCTION_INFO_V1(committee_recv);
PG_FUNCTION_INFO_V1(committee_send);
PG_FUNCTION_INFO_V1(committee_trans);
PG_FUNCTION_INFO_V1(committee_combine);
PG_FUNCTION_INFO_V1(committee_member_count);
PG_FUNCTION_INFO_V1(committee_role_count);
PG_FUNCTION_INFO_V1(committee_roles);
PG_FUNCTION_INFO_V1(committee_stage_counts);
PG_FUNCTION_INFO_V1(committee_coverage);
PG_FUNCTION_INFO_V1(committee_missing_roles);
PG_FUNCTION_INFO_V1(committee_leading_stage);
PG_FUNCTION_INFO_V1(committee_lagging_stage);
PG_FUNCTION_INFO_V1(committee_consensus_stage);
PG_FUNCTION_INFO_V1(committee_stage_of);
PG_FUNCTION_INFO_V1(committee_alignment);
PG_FUNCTION_INFO_V1(committee_account_propensity);
PG_FUNCTION_INFO_V1(committee_any_propensity);
PG_FUNCTION_INFO_V1(committee_mean_propensity);

#define COMMITTEE_HINT "A committee is built by committee_agg(role, stage, p [, weight]) or rollup(committee); its text form is the JSON that committee_out writes."

/*
 * Check the size and layout version of a detoasted committee.  That is all
 * an accessor needs to read it safely (every index it uses is a checked role
 * or stage); the counts themselves were checked by the input, receive or
 * combine function that made the value.
 */
cm_state *
committee_validate_layout(cm_state *c)
{
	if (VARSIZE(c) != COMMITTEE_SIZE)
		b2b_corrupt("committee value has size %u, expected %u",
					(unsigned) VARSIZE(c), (unsigned) COMMITTEE_SIZE);
	b2b_check_version(c->version, COMMITTEE_VERSION, "committee");
	return c;
}

/*
 * As committee_validate_layout, and every count and sum consistent: for
 * values merged into an aggregate state (from disk or another node).
 */
cm_state *
committee_validate(cm_state *c)
{
	const char *why;

	committee_validate_layout(c);
	why = cm_check(c);
	if (why)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("committee value is corrupt: %s", why),
				 errhint(COMMITTEE_HINT)));
	return c;
}

static cm_state *
committee_new(void)
{
	cm_state   *c = (cm_state *) palloc0(sizeof(cm_state));

	SET_VARSIZE(c, COMMITTEE_SIZE);
	cm_init(c);
	return c;
}

static void
report_status(cm_status st, double p, double w)
{
	switch (st)
	{
		case CM_OK:
			return;
		case CM_COUNT_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("committee count out of range"),
					 errhint("A committee counts at most 2147483647 members per role and per stage; roll up smaller groups.")));
			break;
		case CM_SUM_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("committee weight sum out of range"),
					 errhint("Use smaller weights; only their ratios matter.")));
			break;
		case CM_BAD_WEIGHT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("committee member weight %g is not allowed", w),
					 errhint("A weight must be finite and greater than or equal to 0 (0 keeps the member out of the weighted accessors).")));
			break;
		case CM_BAD_P:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("propensity %g is out of range", p),
					 errhint("A propensity lies between 0 and 1.")));
			break;
		case CM_BAD_ROLE:
		case CM_BAD_STAGE:
			b2b_corrupt("invalid buying_role or journey_stage value");
			break;
	}
}

Datum
committee_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	cm_state   *c = committee_new();
	char		err[200];

	if (!cm_parse(str, strlen(str), c, err, sizeof(err)))
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type committee: \"%s\"", str),
						 errdetail("%s", err),
						 errhint(COMMITTEE_HINT)));
	PG_RETURN_POINTER(c);
}

Datum
committee_out(PG_FUNCTION_ARGS)
{
	cm_state   *c = PG_GETARG_COMMITTEE_CHECKED(0);
	StringInfoData buf;
	bool		first = true;
	int			r,
				s;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"members\": " INT64_FORMAT ", \"roles\": {",
					 COMMITTEE_VERSION, (int64) cm_members(c));
	for (r = 1; r <= B2B_NROLES; r++)
	{
		bool		sfirst = true;

		if (c->role[r - 1].n == 0)
			continue;
		appendStringInfo(&buf, "%s\"%s\": {\"members\": %d, \"with_p\": %d, \"sum_p\": ",
						 first ? "" : ", ", role_name(r),
						 c->role[r - 1].n, c->role[r - 1].pn);
		b2b_append_float8(&buf, c->role[r - 1].psum);
		appendStringInfoString(&buf, ", \"stages\": [");
		for (s = 1; s <= B2B_NSTAGES; s++)
			if (c->role_stages[r - 1] & (1u << (s - 1)))
			{
				appendStringInfo(&buf, "%s\"%s\"", sfirst ? "" : ", ", stage_name(s));
				sfirst = false;
			}
		appendStringInfoString(&buf, "]}");
		first = false;
	}
	appendStringInfoString(&buf, "}, \"stages\": {");
	first = true;
	for (s = 1; s <= B2B_NSTAGES; s++)
	{
		if (c->stage_n[s - 1] == 0)
			continue;
		appendStringInfo(&buf, "%s\"%s\": {\"members\": %d, \"weight\": ",
						 first ? "" : ", ", stage_name(s), c->stage_n[s - 1]);
		b2b_append_float8(&buf, c->stage_w[s - 1]);
		appendStringInfoChar(&buf, '}');
		first = false;
	}
	appendStringInfoString(&buf, "}, \"pool\": {\"weight\": ");
	b2b_append_float8(&buf, c->pool_w);
	appendStringInfoString(&buf, ", \"weighted_logit\": ");
	b2b_append_float8(&buf, c->pool_wlogit);
	appendStringInfoString(&buf, ", \"log_none\": ");
	if (isinf(c->pool_log_none))
		appendStringInfoString(&buf, "\"-Infinity\"");
	else
		b2b_append_float8(&buf, c->pool_log_none);
	appendStringInfoString(&buf, "}}");
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form (298 bytes): version, role count, stage count; the three pool
 * sums; per role: members, with_p (int32), sum_p (float8), stage set (byte);
 * per stage: members (int32), weight (float8).
 */
#define COMMITTEE_SEND_LEN (3 + 3 * 8 + B2B_NROLES * 17 + B2B_NSTAGES * 12)

Datum
committee_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	cm_state   *c;
	const char *why;
	int			i;

	if (buf->len - buf->cursor != COMMITTEE_SEND_LEN)
		b2b_bad_binary("committee", "expected %d bytes, got %d",
					   COMMITTEE_SEND_LEN, buf->len - buf->cursor);
	if (pq_getmsgbyte(buf) != COMMITTEE_VERSION)
		b2b_bad_binary("committee", "unknown layout version");
	if (pq_getmsgbyte(buf) != B2B_NROLES || pq_getmsgbyte(buf) != B2B_NSTAGES)
		b2b_bad_binary("committee", "wrong number of roles or stages");
	c = committee_new();
	c->pool_w = pq_getmsgfloat8(buf);
	c->pool_wlogit = pq_getmsgfloat8(buf);
	c->pool_log_none = pq_getmsgfloat8(buf);
	for (i = 0; i < B2B_NROLES; i++)
	{
		c->role[i].n = (int32) pq_getmsgint(buf, 4);
		c->role[i].pn = (int32) pq_getmsgint(buf, 4);
		c->role[i].psum = pq_getmsgfloat8(buf);
		c->role_stages[i] = (uint8) pq_getmsgbyte(buf);
	}
	for (i = 0; i < B2B_NSTAGES; i++)
	{
		c->stage_n[i] = (int32) pq_getmsgint(buf, 4);
		c->stage_w[i] = pq_getmsgfloat8(buf);
	}
	why = cm_check(c);
	if (why)
		b2b_bad_binary("committee", "%s", why);
	PG_RETURN_POINTER(c);
}

Datum
committee_send(PG_FUNCTION_ARGS)
{
	cm_state   *c = PG_GETARG_COMMITTEE_CHECKED(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, COMMITTEE_VERSION);
	pq_sendbyte(&buf, B2B_NROLES);
	pq_sendbyte(&buf, B2B_NSTAGES);
	pq_sendfloat8(&buf, c->pool_w);
	pq_sendfloat8(&buf, c->pool_wlogit);
	pq_sendfloat8(&buf, c->pool_log_none);
	for (i = 0; i < B2B_NROLES; i++)
	{
		pq_sendint32(&buf, c->role[i].n);
		pq_sendint32(&buf, c->role[i].pn);
		pq_sendfloat8(&buf, c->role[i].psum);
		pq_sendbyte(&buf, c->role_stages[i]);
	}
	for (i = 0; i < B2B_NSTAGES; i++)
	{
		pq_sendint32(&buf, c->stage_n[i]);
		pq_sendfloat8(&buf, c->stage_w[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Transition of committee_agg(role, stage, p [, weight]): add one member, in
 * place.  Not strict: a NULL role counts as other, a NULL stage leaves the
 * member out of the stage accessors, a NULL p out of the propensities.  The
 * state is never NULL (the aggregate has an INITCOND).
 */
Datum
committee_trans(PG_FUNCTION_ARGS)
{
	cm_state   *c;
	int			role = 0,
				stage = 0;
	bool		has_p = false;
	double		p = 0,
				w = 1;

	b2b_agg_context(fcinfo, "committee_trans");
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("committee_trans called with a NULL state")));
	c = (cm_state *) PG_GETARG_POINTER(0);
	if (!PG_ARGISNULL(1))
		role = role_checked(PG_GETARG_BUYING_ROLE(1));
	if (!PG_ARGISNULL(2))
	{
		stage = PG_GETARG_JOURNEY_STAGE(2);
		if (stage < 1 || stage > B2B_NSTAGES)
			report_status(CM_BAD_STAGE, 0, 0);
	}
	if (!PG_ARGISNULL(3))
	{
		has_p = true;
		p = PG_GETARG_PROPENSITY(3);
	}
	if (PG_NARGS() > 4)
	{
		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("committee member weight must not be NULL"),
					 errhint("Give 1 for an ordinary member, or 0 to keep the member out of the weighted accessors (consensus_stage, alignment, account_propensity).")));
		w = PG_GETARG_FLOAT8(4);
	}
	report_status(cm_add(c, role, stage, has_p, p, w), p, w);
	PG_RETURN_POINTER(c);
}

/*
 * Combine (and rollup's transition): add the second committee into the
 * first, in place.  The second may come from disk or another node, so it is
 * validated; the first is our own state.
 */
Datum
committee_combine(PG_FUNCTION_ARGS)
{
	cm_state   *a;
	cm_state   *b;

	b2b_agg_context(fcinfo, "committee_combine");
	a = (cm_state *) PG_GETARG_POINTER(0);
	b = PG_GETARG_COMMITTEE_CHECKED(1);
	report_status(cm_merge(a, b), 0, 0);
	PG_RETURN_POINTER(a);
}

/* ---- accessors ---- */

static int
role_arg(FunctionCallInfo fcinfo, int n)
{
	return role_checked(PG_GETARG_BUYING_ROLE(n));
}

#define RETURN_STAGE_OR_NULL(s) \
	do { int s_ = (s); if (s_ == 0) PG_RETURN_NULL(); PG_RETURN_JOURNEY_STAGE(s_); } while (0)

Datum
committee_member_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(cm_members(PG_GETARG_COMMITTEE(0)));
}

Datum
committee_role_count(PG_FUNCTION_ARGS)
{
	cm_state   *c = PG_GETARG_COMMITTEE(0);

	PG_RETURN_INT64(c->role[role_arg(fcinfo, 1) - 1].n);
}

/* The buying_role type's OID, from the declared result (buying_role[]). */
static Oid
role_type_oid(FunctionCallInfo fcinfo)
{
	Oid			arrtype = get_fn_expr_rettype(fcinfo->flinfo);
	Oid			elem = OidIsValid(arrtype) ? get_element_type(arrtype) : InvalidOid;

	if (!OidIsValid(elem))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not determine the buying_role type")));
	return elem;
}

static ArrayType *
roles_array(FunctionCallInfo fcinfo, unsigned mask)
{
	Datum		d[B2B_NROLES];
	int			n = 0,
				r;

	for (r = 1; r <= B2B_NROLES; r++)
		if (mask & (1u << r))
			d[n++] = BuyingRoleGetDatum(r);
	return construct_array(d, n, role_type_oid(fcinfo), 1, true, TYPALIGN_CHAR);
}

Datum
committee_roles(PG_FUNCTION_ARGS)
{
	PG_RETURN_ARRAYTYPE_P(roles_array(fcinfo, cm_role_mask(PG_GETARG_COMMITTEE(0))));
}

Datum
committee_stage_counts(PG_FUNCTION_ARGS)
{
	cm_state   *c = PG_GETARG_COMMITTEE(0);
	Datum		d[B2B_NSTAGES];
	int			s;

	for (s = 0; s < B2B_NSTAGES; s++)
		d[s] = Int64GetDatum((int64) c->stage_n[s]);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, B2B_NSTAGES, INT8OID, 8,
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * The set of distinct roles in a required-roles array, as a bit mask
 * (bit r for role r).  A NULL element is an error: it names no role.
 */
static unsigned
required_mask(ArrayType *arr)
{
	Datum	   *d;
	bool	   *nulls;
	int			n,
				i;
	unsigned	mask = 0;

	deconstruct_array(arr, ARR_ELEMTYPE(arr), 1, true, TYPALIGN_CHAR, &d, &nulls, &n);
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("required roles must not contain NULL"),
					 errhint("List the roles the committee needs, e.g. '{decision_maker,economic_buyer,champion}'.")));
		mask |= 1u << role_checked(DatumGetBuyingRole(d[i]));
	}
	return mask;
}

/* Share of the distinct required roles with a member; 1 when none required. */
Datum
committee_coverage(PG_FUNCTION_ARGS)
{
	cm_state   *c = PG_GETARG_COMMITTEE(0);
	unsigned	req = required_mask(PG_GETARG_ARRAYTYPE_P(1));

	if (req == 0)
		PG_RETURN_FLOAT8(1.0);
	PG_RETURN_FLOAT8((double) cm_bits(req & cm_role_mask(c)) / (double) cm_bits(req));
}

Datum
committee_missing_roles(PG_FUNCTION_ARGS)
{
	cm_state   *c = PG_GETARG_COMMITTEE(0);
	unsigned	req = required_mask(PG_GETARG_ARRAYTYPE_P(1));

	PG_RETURN_ARRAYTYPE_P(roles_array(fcinfo, req & ~cm_role_mask(c)));
}

Datum
committee_leading_stage(PG_FUNCTION_ARGS)
{
	RETURN_STAGE_OR_NULL(cm_leading(PG_GETARG_COMMITTEE(0)));
}

Datum
committee_lagging_stage(PG_FUNCTION_ARGS)
{
	RETURN_STAGE_OR_NULL(cm_lagging(PG_GETARG_COMMITTEE(0)));
}

Datum
committee_consensus_stage(PG_FUNCTION_ARGS)
{
	RETURN_STAGE_OR_NULL(cm_consensus(PG_GETARG_COMMITTEE(0)));
}

Datum
committee_stage_of(PG_FUNCTION_ARGS)
{
	cm_state   *c = PG_GETARG_COMMITTEE(0);

	RETURN_STAGE_OR_NULL(cm_role_furthest(c, role_arg(fcinfo, 1)));
}

Datum
committee_alignment(PG_FUNCTION_ARGS)
{
	double		v;

	if (!cm_alignment(PG_GETARG_COMMITTEE(0), &v))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(v);
}

Datum
committee_account_propensity(PG_FUNCTION_ARGS)
{
	double		v;

	if (!cm_account_p(PG_GETARG_COMMITTEE(0), &v))
		PG_RETURN_NULL();
	PG_RETURN_PROPENSITY(v);
}

Datum
committee_any_propensity(PG_FUNCTION_ARGS)
{
	double		v;

	if (!cm_any_p(PG_GETARG_COMMITTEE(0), &v))
		PG_RETURN_NULL();
	PG_RETURN_PROPENSITY(v);
}

Datum
committee_mean_propensity(PG_FUNCTION_ARGS)
{
	cm_state   *c = PG_GETARG_COMMITTEE(0);
	int			r = role_arg(fcinfo, 1) - 1;

	if (c->role[r].pn == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(c->role[r].psum / c->role[r].pn);
}
