/*
 * propensity_core.c — see propensity_core.h.  Plain C: no postgres.h.
 */
#include "propensity_core.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

prop_status
propensity_parse(const char *s, double *out)
{
	size_t		a = 0,
				b = strlen(s);
	char		buf[128];
	char	   *end;
	int			percent = 0;
	double		v;

	while (a < b && isspace((unsigned char) s[a]))
		a++;
	while (b > a && isspace((unsigned char) s[b - 1]))
		b--;
	if (b > a && s[b - 1] == '%')
	{
		percent = 1;
		b--;
		while (b > a && isspace((unsigned char) s[b - 1]))
			b--;
	}
	if (b == a || b - a > 100)
		return PROP_SYNTAX;
	memcpy(buf, s + a, b - a);
	buf[b - a] = '\0';

	/* Only plain decimal numbers (and NaN, to name it in the error). */
	if (strcasecmp(buf, "nan") == 0)
		return PROP_NAN;
	{
		size_t		i;

		for (i = 0; buf[i]; i++)
		{
			char		c = buf[i];

			if (!(isdigit((unsigned char) c) || c == '.' || c == '-' ||
				  c == '+' || c == 'e' || c == 'E'))
				return PROP_SYNTAX;
		}
	}

	if (percent)
	{
		/*
		 * Shift the exponent by two so strtod rounds once: "73%" reads as
		 * "73e-2", "1.5e1%" as "1.5e-1".
		 */
		char		shifted[160];
		char	   *e = strpbrk(buf, "eE");
		long		ex = -2;

		if (e)
		{
			char	   *eend;

			errno = 0;
			ex = strtol(e + 1, &eend, 10);
			if (*eend != '\0' || e[1] == '\0' || errno != 0 ||
				ex < -100000 || ex > 100000)
				return PROP_SYNTAX;
			ex -= 2;
			*e = '\0';
		}
		snprintf(shifted, sizeof(shifted), "%se%ld", buf, ex);
		errno = 0;
		v = strtod(shifted, &end);
		if (*end != '\0' || end == shifted)
			return PROP_SYNTAX;
	}
	else
	{
		errno = 0;
		v = strtod(buf, &end);
		if (*end != '\0' || end == buf)
			return PROP_SYNTAX;
	}
	if (isnan(v))
		return PROP_NAN;
	if (!(v >= 0.0 && v <= 1.0))
		return PROP_RANGE;
	*out = (v == 0.0) ? 0.0 : v;
	return PROP_OK;
}

double
prop_logit(double p)
{
	if (p <= 0.0)
		return -INFINITY;
	if (p >= 1.0)
		return INFINITY;
	/* log1p keeps precision for small p */
	return log(p) - log1p(-p);
}

double
prop_from_logit(double x)
{
	if (x >= 0)
		return 1.0 / (1.0 + exp(-x));
	else
	{
		double		e = exp(x);

		return e / (1.0 + e);
	}
}

double
prop_any_of(double p, double q)
{
	double		r = p + q - p * q;

	if (r > 1.0)
		r = 1.0;
	if (r < 0.0)
		r = 0.0;
	return r;
}

double
prop_pool_logit(double p)
{
	if (p < PROP_POOL_EPS)
		p = PROP_POOL_EPS;
	if (p > 1.0 - PROP_POOL_EPS)
		p = 1.0 - PROP_POOL_EPS;
	return prop_logit(p);
}
