/*
 * json_core.c — see json_core.h.  Plain C: no postgres.h.
 */
#include "json_core.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BJ_MAX_DEPTH 60

void
bj_init(bj_reader *r, const char *s, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->s = s;
	r->len = len;
}

bool
bj_fail(bj_reader *r, const char *fmt,...)
{
	va_list		ap;
	char		msg[120];

	if (r->failed)
		return false;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->err, sizeof(r->err), "%s at character %zu", msg, r->pos + 1);
	r->failed = true;
	return false;
}

void
bj_skip_ws(bj_reader *r)
{
	while (r->pos < r->len &&
		   (r->s[r->pos] == ' ' || r->s[r->pos] == '\t' ||
			r->s[r->pos] == '\n' || r->s[r->pos] == '\r'))
		r->pos++;
}

char
bj_peek(bj_reader *r)
{
	if (r->failed)
		return 0;
	bj_skip_ws(r);
	return r->pos < r->len ? r->s[r->pos] : 0;
}

static bool
bj_expect(bj_reader *r, char c)
{
	if (r->failed)
		return false;
	if (bj_peek(r) != c)
	{
		if (r->pos >= r->len)
			return bj_fail(r, "expected \"%c\" but the text ended", c);
		return bj_fail(r, "expected \"%c\"", c);
	}
	r->pos++;
	return true;
}

bool
bj_begin_object(bj_reader *r)
{
	if (!bj_expect(r, '{'))
		return false;
	if (++r->depth >= BJ_MAX_DEPTH)
		return bj_fail(r, "nesting too deep");
	r->need_comma[r->depth] = false;
	return true;
}

bool
bj_begin_array(bj_reader *r)
{
	if (!bj_expect(r, '['))
		return false;
	if (++r->depth >= BJ_MAX_DEPTH)
		return bj_fail(r, "nesting too deep");
	r->need_comma[r->depth] = false;
	return true;
}

static bool
bj_next_common(bj_reader *r, char close, bool *more)
{
	char		c;

	*more = false;
	if (r->failed)
		return false;
	c = bj_peek(r);
	if (c == close)
	{
		r->pos++;
		r->depth--;
		return true;
	}
	if (r->need_comma[r->depth])
	{
		if (c != ',')
			return bj_fail(r, c ? "expected \",\" or \"%c\"" :
						   "expected \",\" or \"%c\" but the text ended", close);
		r->pos++;
	}
	r->need_comma[r->depth] = true;
	*more = true;
	return true;
}

bool
bj_next_key(bj_reader *r, char *key, size_t keysz, bool *more)
{
	if (!bj_next_common(r, '}', more) || !*more)
		return !r->failed;
	if (bj_peek(r) != '"')
		return bj_fail(r, "expected an object key");
	if (!bj_string(r, key, keysz))
		return false;
	return bj_expect(r, ':');
}

int
bj_key_index(bj_reader *r, const char *key, const char *const *keys, int nkeys,
			 bool *seen)
{
	int			k;

	if (r->failed)
		return -1;
	for (k = 0; k < nkeys; k++)
		if (strcmp(key, keys[k]) == 0)
			break;
	if (k == nkeys)
	{
		bj_fail(r, "unknown key \"%s\"", key);
		return -1;
	}
	if (seen[k])
	{
		bj_fail(r, "duplicate key \"%s\"", key);
		return -1;
	}
	seen[k] = true;
	return k;
}

bool
bj_next_elem(bj_reader *r, bool *more)
{
	return bj_next_common(r, ']', more);
}

bool
bj_string(bj_reader *r, char *buf, size_t bufsz)
{
	size_t		n = 0;

	if (!bj_expect(r, '"'))
		return false;
	for (;;)
	{
		unsigned char c;

		if (r->pos >= r->len)
			return bj_fail(r, "unterminated string");
		c = (unsigned char) r->s[r->pos++];
		if (c == '"')
			break;
		if (c < 0x20)
			return bj_fail(r, "control character in string");
		if (c == '\\')
		{
			if (r->pos >= r->len)
				return bj_fail(r, "unterminated string");
			c = (unsigned char) r->s[r->pos++];
			switch (c)
			{
				case '"':
				case '\\':
				case '/':
					break;
				case 'b':
					c = '\b';
					break;
				case 'f':
					c = '\f';
					break;
				case 'n':
					c = '\n';
					break;
				case 'r':
					c = '\r';
					break;
				case 't':
					c = '\t';
					break;
				case 'u':
					{
						unsigned int cp = 0;
						int			i;

						if (r->len - r->pos < 4)
							return bj_fail(r, "bad \\u escape");
						for (i = 0; i < 4; i++)
						{
							char		h = r->s[r->pos++];

							cp <<= 4;
							if (h >= '0' && h <= '9')
								cp |= h - '0';
							else if (h >= 'a' && h <= 'f')
								cp |= h - 'a' + 10;
							else if (h >= 'A' && h <= 'F')
								cp |= h - 'A' + 10;
							else
								return bj_fail(r, "bad \\u escape");
						}
						/* Names here are ASCII; anything else is refused. */
						if (cp == 0 || cp > 0x7f)
							return bj_fail(r, "\\u escape outside ASCII");
						c = (unsigned char) cp;
						break;
					}
				default:
					return bj_fail(r, "bad escape \\%c", c);
			}
		}
		if (n + 1 >= bufsz)
			return bj_fail(r, "string too long");
		buf[n++] = (char) c;
	}
	buf[n] = '\0';
	return true;
}

/* Scan a JSON number token; on success [start, end) is the token. */
static bool
bj_scan_number(bj_reader *r, size_t *start, size_t *end, bool *integral)
{
	size_t		p;
	const char *s = r->s;

	if (r->failed)
		return false;
	bj_skip_ws(r);
	p = r->pos;
	*start = p;
	*integral = true;
	if (p < r->len && s[p] == '-')
		p++;
	if (p >= r->len || s[p] < '0' || s[p] > '9')
		return bj_fail(r, "expected a number");
	if (s[p] == '0')
		p++;
	else
		while (p < r->len && s[p] >= '0' && s[p] <= '9')
			p++;
	if (p < r->len && s[p] == '.')
	{
		*integral = false;
		p++;
		if (p >= r->len || s[p] < '0' || s[p] > '9')
			return bj_fail(r, "expected a digit after \".\"");
		while (p < r->len && s[p] >= '0' && s[p] <= '9')
			p++;
	}
	if (p < r->len && (s[p] == 'e' || s[p] == 'E'))
	{
		*integral = false;
		p++;
		if (p < r->len && (s[p] == '+' || s[p] == '-'))
			p++;
		if (p >= r->len || s[p] < '0' || s[p] > '9')
			return bj_fail(r, "expected a digit in the exponent");
		while (p < r->len && s[p] >= '0' && s[p] <= '9')
			p++;
	}
	if (p - *start > 400)
		return bj_fail(r, "number too long");
	*end = p;
	return true;
}

bool
bj_number(bj_reader *r, double *out)
{
	size_t		a,
				b;
	bool		integral;
	char		tmp[420];
	char	   *endp;
	double		v;

	if (!bj_scan_number(r, &a, &b, &integral))
		return false;
	memcpy(tmp, r->s + a, b - a);
	tmp[b - a] = '\0';
	errno = 0;
	v = strtod(tmp, &endp);
	if (endp != tmp + (b - a))
		return bj_fail(r, "bad number");
	if (isinf(v))
		return bj_fail(r, "number out of range");
	r->pos = b;
	*out = v;
	return true;
}

bool
bj_number_special(bj_reader *r, double *out)
{
	if (bj_peek(r) == '"')
	{
		char		buf[16];

		if (!bj_string(r, buf, sizeof(buf)))
			return false;
		if (strcmp(buf, "NaN") == 0)
			*out = NAN;
		else if (strcmp(buf, "Infinity") == 0)
			*out = INFINITY;
		else if (strcmp(buf, "-Infinity") == 0)
			*out = -INFINITY;
		else
			return bj_fail(r, "expected a number");
		return true;
	}
	return bj_number(r, out);
}

bool
bj_int64(bj_reader *r, int64_t *out)
{
	size_t		a,
				b,
				p;
	bool		integral;
	bool		neg = false;
	uint64_t	v = 0;

	if (!bj_scan_number(r, &a, &b, &integral))
		return false;
	if (!integral)
		return bj_fail(r, "expected an integer");
	p = a;
	if (r->s[p] == '-')
	{
		neg = true;
		p++;
	}
	for (; p < b; p++)
	{
		unsigned	d = (unsigned) (r->s[p] - '0');

		if (v > (UINT64_C(9223372036854775808) - d) / 10)
			return bj_fail(r, "integer out of range");
		v = v * 10 + d;
	}
	if (!neg && v > (uint64_t) INT64_MAX)
		return bj_fail(r, "integer out of range");
	r->pos = b;
	*out = neg ? (int64_t) (0 - v) : (int64_t) v;
	return true;
}

static bool
bj_word(bj_reader *r, const char *w)
{
	size_t		n = strlen(w);

	if (r->len - r->pos >= n && memcmp(r->s + r->pos, w, n) == 0)
	{
		r->pos += n;
		return true;
	}
	return false;
}

bool
bj_bool(bj_reader *r, bool *out)
{
	if (r->failed)
		return false;
	bj_skip_ws(r);
	if (bj_word(r, "true"))
		*out = true;
	else if (bj_word(r, "false"))
		*out = false;
	else
		return bj_fail(r, "expected true or false");
	return true;
}

bool
bj_null(bj_reader *r)
{
	if (r->failed)
		return false;
	bj_skip_ws(r);
	return bj_word(r, "null");
}

bool
bj_skip_value(bj_reader *r)
{
	char		c = bj_peek(r);
	bool		more;

	if (r->failed)
		return false;
	if (c == '{')
	{
		char		key[256];

		if (!bj_begin_object(r))
			return false;
		while (bj_next_key(r, key, sizeof(key), &more) && more)
			if (!bj_skip_value(r))
				return false;
		return !r->failed;
	}
	if (c == '[')
	{
		if (!bj_begin_array(r))
			return false;
		while (bj_next_elem(r, &more) && more)
			if (!bj_skip_value(r))
				return false;
		return !r->failed;
	}
	if (c == '"')
	{
		char		buf[1024];

		return bj_string(r, buf, sizeof(buf));
	}
	if (c == 't' || c == 'f')
	{
		bool		b;

		return bj_bool(r, &b);
	}
	if (c == 'n')
	{
		if (!bj_null(r))
			return bj_fail(r, "unexpected character");
		return true;
	}
	{
		double		d;

		return bj_number(r, &d);
	}
}

bool
bj_finish(bj_reader *r)
{
	if (r->failed)
		return false;
	bj_skip_ws(r);
	if (r->pos != r->len)
		return bj_fail(r, "unexpected text after the value");
	return true;
}

bool
bj_require_keys(bj_reader *r, const char *const *keys, int nrequired,
				const bool *seen)
{
	int			i;

	if (r->failed)
		return false;
	for (i = 0; i < nrequired; i++)
		if (!seen[i])
			return bj_fail(r, "missing key \"%s\"", keys[i]);
	return true;
}

bool
bj_finish_keys(bj_reader *r, const char *const *keys, int nrequired,
			   const bool *seen)
{
	return bj_finish(r) && bj_require_keys(r, keys, nrequired, seen);
}

/* ---------------------------------------------------------------------
 * Writing
 * --------------------------------------------------------------------- */

void
bj_put(const bj_writer *w, const char *s)
{
	w->put(w->arg, s, strlen(s));
}

void
bj_putf(const bj_writer *w, const char *fmt,...)
{
	char		buf[256];
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t) n >= sizeof(buf))
		n = sizeof(buf) - 1;
	w->put(w->arg, buf, (size_t) n);
}

void
bj_put_double(const bj_writer *w, double v)
{
	w->put_double(w->arg, v);
}

void
bj_put_doubles(const bj_writer *w, const double *v, size_t n)
{
	size_t		i;

	bj_put(w, "[");
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			bj_put(w, ", ");
		bj_put_double(w, v[i]);
	}
	bj_put(w, "]");
}

void
bj_put_int64s(const bj_writer *w, const int64_t *v, size_t n)
{
	size_t		i;

	bj_put(w, "[");
	for (i = 0; i < n; i++)
		bj_putf(w, "%s%" PRId64, i > 0 ? ", " : "", v[i]);
	bj_put(w, "]");
}

void
bj_put_string(const bj_writer *w, const char *s)
{
	const char *run = s;

	bj_put(w, "\"");
	for (; *s; s++)
	{
		unsigned char c = (unsigned char) *s;
		const char *esc = NULL;
		char		u[8];

		switch (c)
		{
			case '\b': esc = "\\b"; break;
			case '\f': esc = "\\f"; break;
			case '\n': esc = "\\n"; break;
			case '\r': esc = "\\r"; break;
			case '\t': esc = "\\t"; break;
			case '"': esc = "\\\""; break;
			case '\\': esc = "\\\\"; break;
			default:
				if (c < ' ')
				{
					snprintf(u, sizeof(u), "\\u%04x", c);
					esc = u;
				}
		}
		if (esc)
		{
			w->put(w->arg, run, (size_t) (s - run));
			bj_put(w, esc);
			run = s + 1;
		}
	}
	w->put(w->arg, run, (size_t) (s - run));
	bj_put(w, "\"");
}
