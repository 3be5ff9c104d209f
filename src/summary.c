/*
 * summary.c — what every summary type (funnel, journey, committee, the
 * models …) shares on the wire: equality, hashing and casts to json/jsonb.
 *
 * Equality is defined on the canonical form, which is the binary (send)
 * form: every send function writes the logical fields one by one (no
 * padding, no spare capacity, a journey normalised first), independent of
 * any setting, and receive reads it back exactly.  The stored bytes are not
 * canonical for every type (a journey keeps spare capacity after its
 * entries), so identical stored bytes are only a fast path to "equal".
 * (The text form would do as well, but costs float formatting per call.)
 * The hash is the hash of the send form, so it agrees with equality by
 * construction.
 *
 * One C entry point serves every type.  The type is found from the SQL
 * function's declared argument (pg_proc), not from the call expression:
 * hash tables, to_jsonb() and casts call these through a bare FmgrInfo.
 */
#include "b2btarget.h"

#include "common/hashfn.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

typedef struct SummaryIO
{
	Oid			typid;
	FmgrInfo	out;			/* text output */
	FmgrInfo	send;			/* binary output */
} SummaryIO;

static SummaryIO *
summary_io(FunctionCallInfo fcinfo)
{
	SummaryIO  *io = (SummaryIO *) fcinfo->flinfo->fn_extra;

	if (io == NULL)
	{
		Oid		   *argtypes;
		int			nargs;
		Oid			outfn;
		bool		isvarlena;

		(void) get_func_signature(fcinfo->flinfo->fn_oid, &argtypes, &nargs);
		io = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(SummaryIO));
		io->typid = argtypes[0];
		getTypeOutputInfo(io->typid, &outfn, &isvarlena);
		fmgr_info_cxt(outfn, &io->out, fcinfo->flinfo->fn_mcxt);
		getTypeBinaryOutputInfo(io->typid, &outfn, &isvarlena);
		fmgr_info_cxt(outfn, &io->send, fcinfo->flinfo->fn_mcxt);
		fcinfo->flinfo->fn_extra = io;
	}
	return io;
}

static char *
summary_text(FunctionCallInfo fcinfo, int argno)
{
	return OutputFunctionCall(&summary_io(fcinfo)->out, PG_GETARG_DATUM(argno));
}

/* The canonical form: the send function's bytes. */
static bytea *
summary_canonical(FunctionCallInfo fcinfo, int argno)
{
	return SendFunctionCall(&summary_io(fcinfo)->send, PG_GETARG_DATUM(argno));
}

static bool
same_bytes(const struct varlena *a, const struct varlena *b)
{
	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

static bool
summary_equal(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	struct varlena *b = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1));
	bytea	   *ca,
			   *cb;
	bool		eq;

	if (same_bytes(a, b))
		return true;
	ca = summary_canonical(fcinfo, 0);
	cb = summary_canonical(fcinfo, 1);
	eq = same_bytes(ca, cb);
	pfree(ca);
	pfree(cb);
	return eq;
}

PG_FUNCTION_INFO_V1(b2b_summary_eq);
PG_FUNCTION_INFO_V1(b2b_summary_ne);
PG_FUNCTION_INFO_V1(b2b_summary_hash);
PG_FUNCTION_INFO_V1(b2b_summary_hash_extended);
PG_FUNCTION_INFO_V1(b2b_summary_to_json);
PG_FUNCTION_INFO_V1(b2b_summary_to_jsonb);

Datum
b2b_summary_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(summary_equal(fcinfo));
}

Datum
b2b_summary_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!summary_equal(fcinfo));
}

Datum
b2b_summary_hash(PG_FUNCTION_ARGS)
{
	bytea	   *c = summary_canonical(fcinfo, 0);
	Datum		h = hash_any((unsigned char *) VARDATA(c), VARSIZE(c) - VARHDRSZ);

	pfree(c);
	return h;
}

Datum
b2b_summary_hash_extended(PG_FUNCTION_ARGS)
{
	bytea	   *c = summary_canonical(fcinfo, 0);
	Datum		h = hash_any_extended((unsigned char *) VARDATA(c),
									  VARSIZE(c) - VARHDRSZ, PG_GETARG_INT64(1));

	pfree(c);
	return h;
}

/* The text form is a JSON document; json keeps it as written. */
Datum
b2b_summary_to_json(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(summary_text(fcinfo, 0)));
}

Datum
b2b_summary_to_jsonb(PG_FUNCTION_ARGS)
{
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(summary_text(fcinfo, 0)));
}
