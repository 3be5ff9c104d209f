/*
 * propensity.c — fmgr glue of the propensity domain: a float8 in [0, 1]
 * (src/sql/30_propensity.sql).  Comparison, hashing, casts and the wire
 * form are float8's; here are the domain's CHECK, the text reader that
 * also takes percentages, and the functions over probabilities.
 */
#include "b2btarget.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/numeric.h"

#include "propensity_core.h"

PG_FUNCTION_INFO_V1(propensity_check);
PG_FUNCTION_INFO_V1(propensity_from_text);
PG_FUNCTION_INFO_V1(propensity_from_float8);
PG_FUNCTION_INFO_V1(propensity_logit);
PG_FUNCTION_INFO_V1(propensity_from_logit);
PG_FUNCTION_INFO_V1(propensity_odds);
PG_FUNCTION_INFO_V1(propensity_any_of);
PG_FUNCTION_INFO_V1(propensity_all_of);
PG_FUNCTION_INFO_V1(propensity_any_of_trans);

#define PROP_HINT "A propensity is a probability from 0 to 1, written as a decimal (0.73); propensity_from_text() also reads a percentage (73%%)."

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

/*
 * The CHECK of the propensity domain.  It raises the ERROR itself (22003,
 * naming the value, with a HINT) rather than returning false, which would
 * give a bare 23514 check_violation.
 */
Datum
propensity_check(PG_FUNCTION_ARGS)
{
	(void) b2b_check_propensity(PG_GETARG_FLOAT8(0), "value");
	PG_RETURN_BOOL(true);
}

Datum
propensity_from_float8(PG_FUNCTION_ARGS)
{
	PG_RETURN_PROPENSITY(PG_GETARG_PROPENSITY(0));
}

/* '0.73', '73%', ' 12.5 % ': the text forms the old base type accepted. */
Datum
propensity_from_text(PG_FUNCTION_ARGS)
{
	char	   *str = text_to_cstring(PG_GETARG_TEXT_PP(0));
	double		v = 0;

	switch (propensity_parse(str, &v))
	{
		case PROP_OK:
			break;
		case PROP_SYNTAX:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type propensity: \"%s\"", str),
					 errhint(PROP_HINT)));
			break;
		case PROP_NAN:
		case PROP_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value \"%s\" is out of range for type propensity", str),
					 errhint(PROP_HINT)));
			break;
	}
	PG_RETURN_PROPENSITY(v);
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

/* any_of_agg's transition: NULL inputs are skipped; NULL over no rows. */
Datum
propensity_any_of_trans(PG_FUNCTION_ARGS)
{
	double		p;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	p = PG_GETARG_PROPENSITY(1);
	if (PG_ARGISNULL(0))
		PG_RETURN_PROPENSITY(p);
	PG_RETURN_PROPENSITY(prop_any_of(PG_GETARG_FLOAT8(0), p));
}
