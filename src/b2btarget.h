/*
 * b2btarget.h — shared declarations of the fmgr glue.
 *
 * The plain-C cores (src/ *_core.c) never include this file; they have their
 * own *_core.h headers without postgres.h.
 */
#ifndef B2BTARGET_H
#define B2BTARGET_H

#include "compat.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

/* ---- journey_stage: 1-byte, pass by value, ordinal 1..7 ---- */
#define DatumGetJourneyStage(d)		((int) DatumGetChar(d))
#define JourneyStageGetDatum(s)		CharGetDatum((char) (s))
#define PG_GETARG_JOURNEY_STAGE(n)	DatumGetJourneyStage(PG_GETARG_DATUM(n))
#define PG_RETURN_JOURNEY_STAGE(s)	return JourneyStageGetDatum(s)

/* A stored stage byte, checked to be 1..7 (a data-corruption ERROR if not). */
extern int	b2b_stage_checked(int s);
#define PG_GETARG_JOURNEY_STAGE_CHECKED(n) \
	b2b_stage_checked(PG_GETARG_JOURNEY_STAGE(n))

/* ---- propensity: a domain over float8 in [0, 1] (src/sql/30_propensity.sql) ---- */
#define DatumGetPropensity(d)		DatumGetFloat8(d)
#define PropensityGetDatum(p)		Float8GetDatum(p)
/* A float8 argument that must be a probability: ERROR 22003 outside [0, 1]. */
#define PG_GETARG_PROPENSITY(n)		b2b_check_propensity(PG_GETARG_FLOAT8(n), "value")
#define PG_RETURN_PROPENSITY(p)		return PropensityGetDatum(p)

/* Raise the standard "out of range" ERROR for a propensity value. */
extern double b2b_check_propensity(double p, const char *what);

/*
 * Aggregate helpers.  b2b_agg_context() returns the aggregate's memory
 * context and raises an ERROR when the function is called outside an
 * aggregate (a user calling a transition function by hand).
 */
extern MemoryContext b2b_agg_context(FunctionCallInfo fcinfo, const char *fname);

/* Shortest text that reads back as the same double (never locale-dependent). */
extern void b2b_append_float8(StringInfo buf, double v);

/*
 * A bj_writer (json_core.h) that appends to buf, doubles as
 * b2b_append_float8: the cores' text writers print through it.
 */
struct bj_writer;
extern void b2b_json_writer(struct bj_writer *w, StringInfo buf);

/* Summary varlenas: the first byte after the varlena header is the layout
 * version.  b2b_check_version() raises a data exception on a mismatch. */
extern void b2b_check_version(int found, int expected, const char *typname);

/*
 * The two ERRORs every type and aggregate state raises the same way:
 *
 * b2b_corrupt: a stored value, or an aggregate state from another process,
 * fails its checks (ERRCODE_DATA_CORRUPTED, XX001).  The message is the
 * formatted text, e.g. b2b_corrupt("journey value is corrupt: %s", why).
 *
 * b2b_bad_binary: a receive function got bytes that are not a value of
 * the type (ERRCODE_INVALID_BINARY_REPRESENTATION, 22P03), message
 * "invalid binary <typname>: <formatted detail>".
 */
extern void b2b_corrupt(const char *fmt,...) pg_attribute_printf(1, 2) pg_attribute_noreturn();
extern void b2b_bad_binary(const char *typname, const char *fmt,...) pg_attribute_printf(2, 3) pg_attribute_noreturn();

/* The tie groups of a lift value (eval.c), pointing into its detoasted copy. */
struct ev_lift;
extern void b2b_lift_groups(Datum d, struct ev_lift *out);
/* UTC timestamp text as journey output writes it ("2025-05-01 09:00:00+00"),
 * and its reader (only that spelling; len bytes, no NUL needed): journey.c. */
extern void b2b_append_ts(StringInfo buf, int64 t);
extern int	b2b_parse_ts(const char *s, size_t len, int64_t *out, void *arg);

#endif							/* B2BTARGET_H */
