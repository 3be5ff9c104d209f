/*
 * ts_text.h — a small stand-in for the server's timestamp reading and
 * writing in journey text, for the unit tests and fuzz targets of
 * journey_parse (which gets its timestamp reader as a callback).
 *
 * It takes only "YYYY-MM-DD HH:MM:SS[.ffffff]+00", years 1..9999, spelled
 * as journey output writes it (no trailing zeros in the fraction, no
 * 2025-02-30), and gives microseconds since 2000-01-01 00:00:00 UTC, as
 * the server does.  No "BC" years.
 */
#ifndef B2B_TS_TEXT_H
#define B2B_TS_TEXT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TS_USECS_PER_DAY INT64_C(86400000000)
#define TS_DAYS_1970_TO_2000 10957

/* Days since 1970-01-01 of a proleptic Gregorian date (y >= 0). */
static inline int64_t
ts_days_from_civil(int64_t y, int m, int d)
{
	int64_t		era,
				yoe,
				doy,
				doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static inline void
ts_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t		era,
				doe,
				yoe,
				doy,
				mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/*
 * Write t as journey output does into buf (room for 40 bytes); returns the
 * length, or 0 when the year is outside 1..9999.
 */
static inline size_t
ts_text_format(int64_t t, char *buf)
{
	int64_t		days = t / TS_USECS_PER_DAY,
				us = t % TS_USECS_PER_DAY,
				y;
	int			m,
				d,
				k;

	if (us < 0)
	{
		us += TS_USECS_PER_DAY;
		days--;
	}
	ts_civil_from_days(days + TS_DAYS_1970_TO_2000, &y, &m, &d);
	if (y < 1 || y > 9999)
		return 0;
	k = snprintf(buf, 40, "%04d-%02d-%02d %02d:%02d:%02d", (int) y, m, d,
				 (int) (us / 3600000000), (int) (us / 60000000 % 60),
				 (int) (us / 1000000 % 60));
	if (us % 1000000)
	{
		k += snprintf(buf + k, 40 - k, ".%06d", (int) (us % 1000000));
		while (buf[k - 1] == '0')
			k--;
	}
	memcpy(buf + k, "+00", 4);
	return k + 3;
}

/* Read n digits of s at *p into *v; 0 when they are not all digits. */
static inline int
ts_digits(const char *s, size_t len, size_t *p, int n, int64_t *v)
{
	*v = 0;
	for (; n > 0; n--, (*p)++)
	{
		if (*p >= len || s[*p] < '0' || s[*p] > '9')
			return 0;
		*v = *v * 10 + (s[*p] - '0');
	}
	return 1;
}

/* The jr_parse_ts_fn of the tests (arg unused). */
static inline int
ts_text_parse(const char *s, size_t len, int64_t *out, void *arg)
{
	int64_t		y,
				mo,
				d,
				h,
				mi,
				sec,
				us = 0,
				t;
	size_t		p = 0;
	char		again[40];

	(void) arg;
	if (!ts_digits(s, len, &p, 4, &y) || p >= len || s[p++] != '-' ||
		!ts_digits(s, len, &p, 2, &mo) || p >= len || s[p++] != '-' ||
		!ts_digits(s, len, &p, 2, &d) || p >= len || s[p++] != ' ' ||
		!ts_digits(s, len, &p, 2, &h) || p >= len || s[p++] != ':' ||
		!ts_digits(s, len, &p, 2, &mi) || p >= len || s[p++] != ':' ||
		!ts_digits(s, len, &p, 2, &sec))
		return 0;
	if (p < len && s[p] == '.')
	{
		int			n = 0;

		for (p++; p < len && s[p] >= '0' && s[p] <= '9' && n < 6; p++, n++)
			us = us * 10 + (s[p] - '0');
		for (; n < 6; n++)
			us *= 10;
	}
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59)
		return 0;
	t = (ts_days_from_civil(y, (int) mo, (int) d) - TS_DAYS_1970_TO_2000) * TS_USECS_PER_DAY +
		((h * 60 + mi) * 60 + sec) * 1000000 + us;
	/* only the canonical spelling */
	if (ts_text_format(t, again) != len || memcmp(again, s, len) != 0)
		return 0;
	*out = t;
	return 1;
}

#endif
