/*
 * propensity.c — fmgr glue of the propensity type: a probability in [0, 1],
 * stored as a float8 and passed by value.  Comparison and hashing reuse the
 * built-in float8 functions (NaN is never stored, -0 is stored as 0).
 */
#include "b2btarget.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/numeric.h"

#include "propensity_core.h"

#define PROP_SEND_VERSION 1

PG_FUNCTION_INFO_V1(propensity_in);
PG_FUNCTION_INFO_V1(propensity_out);
PG_FUNCTION_INFO_V1(propensity_recv);
PG_FUNCTION_INFO_V1(propensity_send);
PG_FUNCTION_INFO_V1(propensity_from_float8);
PG_FUNCTION_INFO_V1(propensity_from_numeric);
PG_FUNCTION_INFO_V1(propensity_to_numeric);
PG_FUNCTION_INFO_V1(propensity_logit);
PG_FUNCTION_INFO_V1(propensity_from_logit);
PG_FUNCTION_INFO_V1(propensity_odds);
PG_FUNCTION_INFO_V1(propensity_any_of);
PG_FUNCTION_INFO_V1(propensity_all_of);
PG_FUNCTION_INFO_V1(propensity_larger);
PG_FUNCTION_INFO_V1(propensity_smaller);

#define PROP_HINT "A propensity is a probability from 0 to 1, written as a decimal (0.73) or a percentage (73%%)."

double
b2b_check_propensity(double p, const char *what)
{
	if (isnan(p))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is NaN, not a propensity", what),
				 errhint(PROP_HINT)));
	if (!(p >= 0.0 && p <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %g is out of range for type propensity", what, p),
				 errhint(PROP_HINT)));
	return p == 0.0 ? 0.0 : p;
}

Datum
propensity_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	double		v = 0;

	switch (propensity_parse(str, &v))
	{
		case PROP_OK:
			break;
		case PROP_SYNTAX:
			b2b_input_error(fcinfo,
							(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
							 errmsg("invalid input syntax for type propensity: \"%s\"", str),
							 errhint(PROP_HINT)));
			break;
		case PROP_NAN:
		case PROP_RANGE:
			b2b_input_error(fcinfo,
							(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
							 errmsg("value \"%s\" is out of range for type propensity", str),
							 errhint(PROP_HINT)));
			break;
	}
	PG_RETURN_PROPENSITY(v);
}

Datum
propensity_out(PG_FUNCTION_ARGS)
{
	double		p = PG_GETARG_PROPENSITY(0);
	StringInfoData buf;

	initStringInfo(&buf);
	b2b_append_float8(&buf, p);
	PG_RETURN_CSTRING(buf.data);
}

/* Binary form: version byte, then the float8. */
Datum
propensity_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	double		p;

	if (buf->len - buf->cursor != 9)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary propensity: expected 9 bytes, got %d",
						buf->len - buf->cursor)));
	version = pq_getmsgbyte(buf);
	if (version != PROP_SEND_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary propensity: unknown version %d", version)));
	p = pq_getmsgfloat8(buf);
	if (!(p >= 0.0 && p <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary propensity: value out of [0, 1]")));
	PG_RETURN_PROPENSITY(p == 0.0 ? 0.0 : p);
}

Datum
propensity_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, PROP_SEND_VERSION);
	pq_sendfloat8(&buf, PG_GETARG_PROPENSITY(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
propensity_from_float8(PG_FUNCTION_ARGS)
{
	PG_RETURN_PROPENSITY(b2b_check_propensity(PG_GETARG_FLOAT8(0), "value"));
}

Datum
propensity_from_numeric(PG_FUNCTION_ARGS)
{
	Datum		d = DirectFunctionCall1(numeric_float8, PG_GETARG_DATUM(0));

	PG_RETURN_PROPENSITY(b2b_check_propensity(DatumGetFloat8(d), "value"));
}

Datum
propensity_to_numeric(PG_FUNCTION_ARGS)
{
	return DirectFunctionCall1(float8_numeric,
							   Float8GetDatum(PG_GETARG_PROPENSITY(0)));
}

Datum
propensity_logit(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(prop_logit(PG_GETARG_PROPENSITY(0)));
}

Datum
propensity_from_logit(PG_FUNCTION_ARGS)
{
	double		x = PG_GETARG_FLOAT8(0);

	if (isnan(x))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("log-odds NaN has no propensity"),
				 errhint("Give a finite log-odds, or -Infinity (0) or Infinity (1).")));
	PG_RETURN_PROPENSITY(prop_from_logit(x));
}

Datum
propensity_odds(PG_FUNCTION_ARGS)
{
	double		p = PG_GETARG_PROPENSITY(0);

	if (p >= 1.0)
		PG_RETURN_FLOAT8(get_float8_infinity());
	PG_RETURN_FLOAT8(p / (1.0 - p));
}

Datum
propensity_any_of(PG_FUNCTION_ARGS)
{
	PG_RETURN_PROPENSITY(prop_any_of(PG_GETARG_PROPENSITY(0),
									 PG_GETARG_PROPENSITY(1)));
}

Datum
propensity_all_of(PG_FUNCTION_ARGS)
{
	PG_RETURN_PROPENSITY(PG_GETARG_PROPENSITY(0) * PG_GETARG_PROPENSITY(1));
}

Datum
propensity_larger(PG_FUNCTION_ARGS)
{
	double		a = PG_GETARG_PROPENSITY(0);
	double		b = PG_GETARG_PROPENSITY(1);

	PG_RETURN_PROPENSITY(a > b ? a : b);
}

Datum
propensity_smaller(PG_FUNCTION_ARGS)
{
	double		a = PG_GETARG_PROPENSITY(0);
	double		b = PG_GETARG_PROPENSITY(1);

	PG_RETURN_PROPENSITY(a < b ? a : b);
}
