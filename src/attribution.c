/*
 * attribution.c — the attribution summary type (SPEC §7):
 * attribution_agg(path, converted_at [, value [, half_life]]),
 * rollup(attribution), attribution_report, removal_effect,
 * channel_transitions and attribution_summary.
 *
 * The state is bounded by the number of channels (at most
 * ATTR_MAX_CHANNELS), never by the rows: per channel the touches, the
 * converted paths and, for each model that is additive per path, the sums
 * of the credit fractions and of value times them; and the Markov moves
 * between (start), the channels, (conversion) and (null).  It is the stored
 * type itself, updated in place, so parallel workers and Citus workers
 * aggregate partially and the combine (sums and counts) is exact for any
 * split of the rows, up to the rounding of float sums.
 *
 * time_decay's credit of a path is normalised over that path's touches, so
 * it cannot be summed per channel for a half-life chosen later: the
 * half-life is fixed when aggregating (an argument of attribution_agg,
 * default 7 days) and stored; attribution_report accepts that one.
 */
#include "b2btarget.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/memutils.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "attribution.h"
#include "json_core.h"

PG_FUNCTION_INFO_V1(attribution_in);
PG_FUNCTION_INFO_V1(attribution_out);
PG_FUNCTION_INFO_V1(attribution_recv);
PG_FUNCTION_INFO_V1(attribution_send);
PG_FUNCTION_INFO_V1(attribution_trans);
PG_FUNCTION_INFO_V1(attribution_combine);
PG_FUNCTION_INFO_V1(attribution_report);
PG_FUNCTION_INFO_V1(attribution_removal_effect);
PG_FUNCTION_INFO_V1(attribution_channel_transitions);
PG_FUNCTION_INFO_V1(attribution_summary);

#define ATTR_DEFAULT_HALF_LIFE (7 * USECS_PER_DAY)

static const char *attribution_hint =
"An attribution is the JSON attribution output writes: {\"half_life_us\", \"paths\", \"conversions\", \"unattributed\", \"value\", \"unattributed_value\", \"skipped\", \"channels\": [{\"name\", \"touches\", \"conversions\", \"credit\": [8 numbers], \"value\": [8 numbers]}, ...], \"moves\": [[from, to, count], ...]}.";

/* ---------------------------------------------------------------------
 * Layout
 * --------------------------------------------------------------------- */

static inline Size
attr_fixed_size(int cap)
{
	return ATTR_HDRSZ + sizeof(uint16) * 3 * cap +
		sizeof(int64) * 2 * cap + sizeof(double) * 2 * ATTR_NSTORED * cap +
		sizeof(int64) * (Size) (cap + 1) * (cap + 2);
}

#define A_HASH(a)	((uint16 *) ((char *) (a) + ATTR_HDRSZ))
#define A_NAMEOFF(a) (A_HASH(a) + 2 * (a)->cap)
#define A_TOUCHES(a) ((int64 *) (A_NAMEOFF(a) + (a)->cap))
#define A_CONVS(a)	(A_TOUCHES(a) + (a)->cap)
#define A_CREDIT(a, m) ((double *) (A_CONVS(a) + (a)->cap) + (Size) (m) * (a)->cap)
#define A_VALUE(a, m) (A_CREDIT(a, ATTR_NSTORED) + (Size) (m) * (a)->cap)
#define A_MOVES(a)	((int64 *) A_VALUE(a, ATTR_NSTORED))
#define A_MOVE(a, r, c) (A_MOVES(a)[(Size) (r) * ((a)->cap + 2) + (c)])
#define A_NAMES(a)	((char *) (A_MOVES(a) + (Size) ((a)->cap + 1) * ((a)->cap + 2)))
#define A_NAMES_CAP(a) ((int64) VARSIZE(a) - (int64) attr_fixed_size((a)->cap))
#define A_NAME(a, k) (A_NAMES(a) + A_NAMEOFF(a)[k])

static Attribution *
attr_alloc(int cap, int names_cap, int64 half_life)
{
	Size		sz = attr_fixed_size(cap) + names_cap;
	Attribution *a = (Attribution *) palloc0(sz);

	SET_VARSIZE(a, sz);
	a->version = ATTRIBUTION_VERSION;
	a->cap = cap;
	a->half_life = half_life;
	return a;
}

static void
attr_corrupt(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("attribution value is corrupt: %s", what)));
}

static uint32
name_hash(const char *s, int len)
{
	uint32		h = 2166136261u;
	int			i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char) s[i]) * 16777619u;
	return h;
}

/* Channel index of name (len bytes), or -1. */
static int
attr_find(const Attribution *a, const char *name, int len)
{
	uint32		mask = 2 * a->cap - 1;
	uint32		h = name_hash(name, len) & mask;
	const uint16 *hash = A_HASH(a);
	int			probes;

	for (probes = 0; probes < 2 * a->cap; probes++, h = (h + 1) & mask)
	{
		int			v = hash[h];
		const char *s;

		if (v == 0)
			return -1;
		if (v > a->nchannels)
			return -1;
		s = A_NAME(a, v - 1);
		if (strncmp(s, name, len) == 0 && s[len] == '\0')
			return v - 1;
	}
	return -1;
}

static void
attr_hash_insert(Attribution *a, int k)
{
	uint32		mask = 2 * a->cap - 1;
	const char *s = A_NAME(a, k);
	uint32		h = name_hash(s, strlen(s)) & mask;
	uint16	   *hash = A_HASH(a);

	while (hash[h] != 0)
		h = (h + 1) & mask;
	hash[h] = k + 1;
}

/* A copy of a with room for cap channels and names_cap name bytes. */
static Attribution *
attr_regrow(const Attribution *a, int cap, int names_cap)
{
	Attribution *r = attr_alloc(cap, names_cap, a->half_life);
	int			K = a->nchannels;
	int			m,
				i,
				c;

	memcpy(((char *) r) + sizeof(int32), ((const char *) a) + sizeof(int32),
		   sizeof(Attribution) - sizeof(int32));
	r->cap = cap;
	memcpy(A_NAMEOFF(r), A_NAMEOFF(a), sizeof(uint16) * K);
	memcpy(A_TOUCHES(r), A_TOUCHES(a), sizeof(int64) * K);
	memcpy(A_CONVS(r), A_CONVS(a), sizeof(int64) * K);
	for (m = 0; m < ATTR_NSTORED; m++)
	{
		memcpy(A_CREDIT(r, m), A_CREDIT(a, m), sizeof(double) * K);
		memcpy(A_VALUE(r, m), A_VALUE(a, m), sizeof(double) * K);
	}
	for (i = 0; i <= K; i++)
	{
		for (c = 0; c < K; c++)
			A_MOVE(r, i, c) = A_MOVE(a, i, c);
		A_MOVE(r, i, cap) = A_MOVE(a, i, a->cap);
		A_MOVE(r, i, cap + 1) = A_MOVE(a, i, a->cap + 1);
	}
	memcpy(A_NAMES(r), A_NAMES(a), a->names_len);
	for (i = 0; i < K; i++)
		attr_hash_insert(r, i);
	return r;
}

/* The index of channel name in *pa, adding it (may grow *pa). */
static int
attr_channel(Attribution **pa, const char *name, int len)
{
	Attribution *a = *pa;
	int			k = attr_find(a, name, len);

	if (k >= 0)
		return k;
	if (a->nchannels >= ATTR_MAX_CHANNELS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("attribution would have more than %d channels (at \"%.*s\")",
						ATTR_MAX_CHANNELS, Min(len, 64), name),
				 errhint("Map detailed sources to at most %d channels (e.g. with a CASE or a lookup table) before touch_path_agg.", ATTR_MAX_CHANNELS)));
	if (a->nchannels == a->cap || A_NAMES_CAP(a) < a->names_len + len + 1)
	{
		int			cap = a->nchannels == a->cap ? a->cap * 2 : a->cap;
		int64		ncap = Max(A_NAMES_CAP(a), 64);

		while (ncap < a->names_len + len + 1)
			ncap *= 2;
		a = *pa = attr_regrow(a, cap, (int) ncap);
	}
	k = a->nchannels++;
	A_NAMEOFF(a)[k] = a->names_len;
	memcpy(A_NAMES(a) + a->names_len, name, len);
	A_NAMES(a)[a->names_len + len] = '\0';
	a->names_len += len + 1;
	attr_hash_insert(a, k);
	return k;
}

/* Check a detoasted attribution from disk, another node or a worker. */
Attribution *
attribution_validate(Attribution *a)
{
	int			K,
				k,
				m,
				c,
				used = 0;
	const uint16 *hash;

	if (VARSIZE(a) < ATTR_HDRSZ)
		attr_corrupt("bad size");
	b2b_check_version(a->version, ATTRIBUTION_VERSION, "attribution");
	if (a->flags != 0 || a->reserved != 0)
		attr_corrupt("bad flags");
	if (a->cap < 4 || a->cap > 256 || (a->cap & (a->cap - 1)) != 0 ||
		a->nchannels > a->cap || a->nchannels > ATTR_MAX_CHANNELS ||
		(int64) VARSIZE(a) < (int64) attr_fixed_size(a->cap) ||
		a->names_len < 0 || a->names_len > A_NAMES_CAP(a))
		attr_corrupt("bad size");
	if (a->half_life <= 0 || a->paths < 0 || a->conversions < 0 ||
		a->unattributed < 0 || a->skipped < 0 ||
		a->conversions > a->paths || a->unattributed > a->paths - a->conversions ||
		!(a->value >= 0) || !isfinite(a->value) ||
		!(a->unattributed_value >= 0) || !isfinite(a->unattributed_value))
		attr_corrupt("bad counts");
	K = a->nchannels;
	for (k = 0; k < K; k++)
	{
		int			off = A_NAMEOFF(a)[k];
		const char *z;

		if (off >= a->names_len ||
			(z = memchr(A_NAMES(a) + off, '\0', a->names_len - off)) == NULL ||
			attr_channel_name_problem(A_NAMES(a) + off, z - (A_NAMES(a) + off)) != NULL)
			attr_corrupt("bad channel name");
		if (A_TOUCHES(a)[k] < 0 || A_CONVS(a)[k] < 0 || A_CONVS(a)[k] > a->conversions)
			attr_corrupt("bad channel counts");
		for (m = 0; m < ATTR_NSTORED; m++)
			if (!(A_CREDIT(a, m)[k] >= 0) || !isfinite(A_CREDIT(a, m)[k]) ||
				!(A_VALUE(a, m)[k] >= 0) || !isfinite(A_VALUE(a, m)[k]))
				attr_corrupt("bad credit");
	}
	hash = A_HASH(a);
	for (k = 0; k < 2 * a->cap; k++)
	{
		if (hash[k] > K)
			attr_corrupt("bad channel index");
		used += hash[k] != 0;
	}
	if (used != K)
		attr_corrupt("bad channel index");
	for (k = 0; k < K; k++)
	{
		const char *s = A_NAME(a, k);

		if (attr_find(a, s, strlen(s)) != k)
			attr_corrupt("bad or repeated channel name");
	}
	for (k = 0; k <= a->cap; k++)
		for (c = 0; c < a->cap + 2; c++)
		{
			int64		v = A_MOVE(a, k, c);
			bool		live = k <= K && (c < K || c >= a->cap) && c != k - 1;

			if (v < 0 || (!live && v != 0))
				attr_corrupt("bad move");
		}
	return a;
}

/* Channel indices in byte order of their names. */
static int *
attr_sorted(const Attribution *a)
{
	int			K = a->nchannels;
	int		   *order = palloc(sizeof(int) * Max(K, 1));
	int			i,
				j;

	for (i = 0; i < K; i++)
	{
		int			v = i;

		/* insertion sort: at most 255 names, once per call */
		for (j = i; j > 0 && strcmp(A_NAME(a, order[j - 1]), A_NAME(a, v)) > 0; j--)
			order[j] = order[j - 1];
		order[j] = v;
	}
	return order;
}

/* ---------------------------------------------------------------------
 * Text and binary I/O
 * --------------------------------------------------------------------- */

static void
append_models(StringInfo buf, const Attribution *a, int k, bool value)
{
	int			m;

	appendStringInfoChar(buf, '[');
	for (m = 0; m < ATTR_NSTORED; m++)
	{
		if (m)
			appendStringInfoString(buf, ", ");
		b2b_append_float8(buf, value ? A_VALUE(a, m)[k] : A_CREDIT(a, m)[k]);
	}
	appendStringInfoChar(buf, ']');
}

/* Name of state r as a from-state (0 start, 1 + k) */
static const char *
from_name(const Attribution *a, int r)
{
	return r == 0 ? ATTR_START : A_NAME(a, r - 1);
}

static const char *
to_name(const Attribution *a, int c)
{
	return c == a->cap ? ATTR_CONV : c == a->cap + 1 ? ATTR_NULL : A_NAME(a, c);
}

Datum
attribution_out(PG_FUNCTION_ARGS)
{
	Attribution *a = PG_GETARG_ATTRIBUTION(0);
	int		   *order = attr_sorted(a);
	int			K = a->nchannels;
	StringInfoData buf;
	int			i,
				j;
	bool		first = true;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"half_life_us\": " INT64_FORMAT ", \"paths\": " INT64_FORMAT
					 ", \"conversions\": " INT64_FORMAT ", \"unattributed\": " INT64_FORMAT
					 ", \"value\": ",
					 a->half_life, a->paths, a->conversions, a->unattributed);
	b2b_append_float8(&buf, a->value);
	appendStringInfoString(&buf, ", \"unattributed_value\": ");
	b2b_append_float8(&buf, a->unattributed_value);
	appendStringInfo(&buf, ", \"skipped\": " INT64_FORMAT ", \"channels\": [", a->skipped);
	for (i = 0; i < K; i++)
	{
		int			k = order[i];

		appendStringInfoString(&buf, i ? ", {\"name\": " : "{\"name\": ");
		escape_json(&buf, A_NAME(a, k));
		appendStringInfo(&buf, ", \"touches\": " INT64_FORMAT ", \"conversions\": " INT64_FORMAT
						 ", \"credit\": ", A_TOUCHES(a)[k], A_CONVS(a)[k]);
		append_models(&buf, a, k, false);
		appendStringInfoString(&buf, ", \"value\": ");
		append_models(&buf, a, k, true);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "], \"moves\": [");
	/* from (start) then channels by name; to channels, (conversion), (null) */
	for (i = -1; i < K; i++)
	{
		int			r = i < 0 ? 0 : order[i] + 1;

		for (j = 0; j < K + 2; j++)
		{
			int			c = j < K ? order[j] : a->cap + (j - K);
			int64		v = A_MOVE(a, r, c);

			if (v == 0)
				continue;
			appendStringInfoString(&buf, first ? "[" : ", [");
			first = false;
			escape_json(&buf, from_name(a, r));
			appendStringInfoString(&buf, ", ");
			escape_json(&buf, to_name(a, c));
			appendStringInfo(&buf, ", " INT64_FORMAT "]", v);
		}
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_CSTRING(buf.data);
}

/* Build an attribution from a checked AText (text or binary input). */
static Attribution *
attr_from_text(const AText *t)
{
	int			K = t->nchannels;
	int			cap = 4,
				names = 0;
	int			k,
				m,
				r,
				c;
	Attribution *a;

	while (cap < K)
		cap *= 2;
	for (k = 0; k < K; k++)
		names += strlen(t->channels[k].name) + 1;
	a = attr_alloc(cap, Max(names, 8), t->half_life);
	a->paths = t->paths;
	a->conversions = t->conversions;
	a->unattributed = t->unattributed;
	a->skipped = t->skipped;
	a->value = t->value;
	a->unattributed_value = t->unattributed_value;
	for (k = 0; k < K; k++)
	{
		const AChannel *ch = &t->channels[k];

		attr_channel(&a, ch->name, strlen(ch->name));
		A_TOUCHES(a)[k] = ch->touches;
		A_CONVS(a)[k] = ch->conversions;
		for (m = 0; m < ATTR_NSTORED; m++)
		{
			A_CREDIT(a, m)[k] = ch->credit[m];
			A_VALUE(a, m)[k] = ch->value[m];
		}
	}
	for (r = 0; r <= K; r++)
		for (c = 0; c < K + 2; c++)
			A_MOVE(a, r, c < K ? c : cap + (c - K)) = t->moves[(Size) r * (K + 2) + c];
	return a;
}

Datum
attribution_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	AText		t;
	char		err[BJ_ERR_SIZE];
	const char *problem;

	problem = attribution_parse(str, strlen(str), &t, palloc, pfree, err, sizeof(err));
	if (problem)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type attribution: \"%.200s\"", str),
						 errdetail("%s", problem),
						 errhint("%s", attribution_hint)));
	PG_RETURN_POINTER(attr_from_text(&t));
}

/*
 * Binary form: version byte; int64 half_life, paths, conversions,
 * unattributed, skipped; float8 value, unattributed_value; int16 channels,
 * each: int16 name length and bytes, int64 touches and conversions, 8
 * float8 credits and 8 values (channels in name order); int32 moves, each
 * int16 from state, int16 to state (0 start, 1 + k channel k in that
 * order, K + 1 conversion, K + 2 null) and int64 count.
 */
Datum
attribution_send(PG_FUNCTION_ARGS)
{
	Attribution *a = PG_GETARG_ATTRIBUTION(0);
	int		   *order = attr_sorted(a);
	int			K = a->nchannels;
	StringInfoData buf;
	int			i,
				m,
				r,
				c,
				n = 0;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, ATTRIBUTION_VERSION);
	pq_sendint64(&buf, a->half_life);
	pq_sendint64(&buf, a->paths);
	pq_sendint64(&buf, a->conversions);
	pq_sendint64(&buf, a->unattributed);
	pq_sendint64(&buf, a->skipped);
	pq_sendfloat8(&buf, a->value);
	pq_sendfloat8(&buf, a->unattributed_value);
	pq_sendint16(&buf, K);
	for (i = 0; i < K; i++)
	{
		int			k = order[i];
		const char *s = A_NAME(a, k);

		pq_sendint16(&buf, strlen(s));
		pq_sendbytes(&buf, s, strlen(s));
		pq_sendint64(&buf, A_TOUCHES(a)[k]);
		pq_sendint64(&buf, A_CONVS(a)[k]);
		for (m = 0; m < ATTR_NSTORED; m++)
			pq_sendfloat8(&buf, A_CREDIT(a, m)[k]);
		for (m = 0; m < ATTR_NSTORED; m++)
			pq_sendfloat8(&buf, A_VALUE(a, m)[k]);
	}
	for (r = 0; r <= K; r++)
		for (c = 0; c < K + 2; c++)
			n += A_MOVE(a, r, c < K ? c : a->cap + (c - K)) != 0;
	pq_sendint32(&buf, n);
	/* in name order, as the text form */
	for (i = -1; i < K; i++)
	{
		r = i < 0 ? 0 : order[i] + 1;
		for (m = 0; m < K + 2; m++)
		{
			c = m < K ? order[m] : a->cap + (m - K);
			if (A_MOVE(a, r, c) == 0)
				continue;
			pq_sendint16(&buf, i + 1);
			pq_sendint16(&buf, m + 1);
			pq_sendint64(&buf, A_MOVE(a, r, c));
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
attribution_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	AText		t;
	int			version,
				K,
				k,
				m,
				n,
				i;
	const char *problem;

#define A_RECV_FAIL(...) ereport(ERROR, \
		(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION), \
		 errmsg("invalid binary attribution: " __VA_ARGS__)))
#define A_NEED(nb) do { if (buf->len - buf->cursor < (nb)) \
		A_RECV_FAIL("truncated at byte %d", buf->cursor); } while (0)

	memset(&t, 0, sizeof(t));
	A_NEED(1 + 5 * 8 + 2 * 8 + 2);
	version = pq_getmsgbyte(buf);
	if (version != ATTRIBUTION_VERSION)
		A_RECV_FAIL("unknown version %d", version);
	t.half_life = (int64) pq_getmsgint64(buf);
	t.paths = (int64) pq_getmsgint64(buf);
	t.conversions = (int64) pq_getmsgint64(buf);
	t.unattributed = (int64) pq_getmsgint64(buf);
	t.skipped = (int64) pq_getmsgint64(buf);
	t.value = pq_getmsgfloat8(buf);
	t.unattributed_value = pq_getmsgfloat8(buf);
	K = (int16) pq_getmsgint(buf, 2);
	if (K < 0 || K > ATTR_MAX_CHANNELS)
		A_RECV_FAIL("%d channels", K);
	t.nchannels = K;
	t.channels = palloc0(sizeof(AChannel) * Max(K, 1));
	for (k = 0; k < K; k++)
	{
		AChannel   *ch = &t.channels[k];
		int			l;

		A_NEED(2);
		l = (int16) pq_getmsgint(buf, 2);
		if (l < 0 || l > ATTR_MAX_NAME)
			A_RECV_FAIL("channel name of %d bytes", l);
		A_NEED(l + 16 + 16 * 8);
		memcpy(ch->name, pq_getmsgbytes(buf, l), l);
		ch->name[l] = '\0';
		if (strlen(ch->name) != (size_t) l)
			A_RECV_FAIL("channel name with a NUL byte");
		ch->touches = (int64) pq_getmsgint64(buf);
		ch->conversions = (int64) pq_getmsgint64(buf);
		for (m = 0; m < ATTR_NSTORED; m++)
			ch->credit[m] = pq_getmsgfloat8(buf);
		for (m = 0; m < ATTR_NSTORED; m++)
			ch->value[m] = pq_getmsgfloat8(buf);
	}
	A_NEED(4);
	n = (int) pq_getmsgint(buf, 4);
	if (n < 0 || (int64) (buf->len - buf->cursor) != (int64) n * 12)
		A_RECV_FAIL("%d moves do not match the %d bytes that follow", n, buf->len - buf->cursor);
	t.moves = palloc0(sizeof(int64) * (Size) (K + 1) * (K + 2));
	for (i = 0; i < n; i++)
	{
		int			f = (int16) pq_getmsgint(buf, 2);
		int			g = (int16) pq_getmsgint(buf, 2);
		int64		v = (int64) pq_getmsgint64(buf);
		int64	   *cell;

		if (f < 0 || f > K || g < 1 || g > K + 2 || f == g || v <= 0)
			A_RECV_FAIL("bad move");
		cell = &t.moves[(Size) f * (K + 2) + (g - 1)];
		if (*cell != 0)
			A_RECV_FAIL("repeated move");
		*cell = v;
	}
	if ((problem = attribution_text_problem(&t)) != NULL)
		A_RECV_FAIL("%s", problem);
	PG_RETURN_POINTER(attr_from_text(&t));
}

/* ---------------------------------------------------------------------
 * Aggregates
 * --------------------------------------------------------------------- */

/* An interval as microseconds (a month is 30.4375 days, as EXTRACT(epoch)). */
static int64
half_life_usecs(Interval *iv)
{
	double		us = (double) iv->time + (double) iv->day * USECS_PER_DAY +
		(double) iv->month * (USECS_PER_DAY * DAYS_PER_YEAR / MONTHS_PER_YEAR);

	if (!(us >= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("half_life must be positive, not \"%s\"",
						DatumGetCString(DirectFunctionCall1(interval_out, PointerGetDatum(iv)))),
				 errhint("Give time_decay's half-life as a positive interval, e.g. '7 days'.")));
	if (us > 1e17)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("half_life \"%s\" is out of range",
						DatumGetCString(DirectFunctionCall1(interval_out, PointerGetDatum(iv)))),
				 errhint("Give a half-life of at most a thousand years.")));
	return (int64) us;
}

static Datum
half_life_interval(int64 us)
{
	Interval   *iv = palloc0(sizeof(Interval));

	iv->day = (int32) (us / USECS_PER_DAY);
	iv->time = us % USECS_PER_DAY;
	return IntervalPGetDatum(iv);
}

static void
add_s64(int64 *a, int64 b)
{
	if (pg_add_s64_overflow(*a, b, a))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("attribution count out of range")));
}

/*
 * Add one path: touches after conv_ts (when converted) do not count;
 * consecutive repeats of a channel are one Markov state.
 */
static Attribution *
attr_add_path(Attribution *a, TouchPath *p, bool converted, TimestampTz conv_ts,
			  double value)
{
	int			map[ATTR_MAX_CHANNELS];
	const char *names[ATTR_MAX_CHANNELS];
	int			n = p->n;
	int			i,
				m,
				prev;
	const char *s = TP_NAMES(p);
	double		wbuf[ATTR_NSTORED * 32];
	int64		tsbuf[32];
	int			chbuf[32];
	uint8		stbuf[32];
	double	   *w;
	int64	   *ts;
	int		   *ch;
	uint8	   *st;
	bool		seen[ATTR_MAX_CHANNELS + 1];

	add_s64(&a->paths, 1);
	add_s64(&a->skipped, p->skipped);
	if (converted)
		while (n > 0 && p->touches[n - 1].ts > conv_ts)
			n--;
	if (n == 0)
	{
		if (converted)
		{
			a->unattributed++;
			a->unattributed_value += value;
		}
		return a;
	}
	for (i = 0; i < p->nchannels; i++)
	{
		names[i] = s;
		s += strlen(s) + 1;
		map[i] = -1;
	}
	if (n <= 32)
	{
		w = wbuf;
		ts = tsbuf;
		ch = chbuf;
		st = stbuf;
	}
	else
	{
		w = palloc(sizeof(double) * ATTR_NSTORED * n);
		ts = palloc(sizeof(int64) * n);
		ch = palloc(sizeof(int) * n);
		st = palloc(n);
	}
	for (i = 0; i < n; i++)
	{
		const TouchEntry *t = &p->touches[i];

		if (map[t->ch] < 0)
			map[t->ch] = attr_channel(&a, names[t->ch], strlen(names[t->ch]));
		ts[i] = t->ts;
		ch[i] = map[t->ch];
		st[i] = t->stage;
		A_TOUCHES(a)[ch[i]]++;
	}

	/* Markov moves, repeats collapsed */
	prev = -1;
	for (i = 0; i < n; i++)
	{
		if (ch[i] == prev)
			continue;
		A_MOVE(a, prev + 1, ch[i])++;
		prev = ch[i];
	}
	A_MOVE(a, prev + 1, converted ? a->cap : a->cap + 1)++;

	if (converted)
	{
		a->conversions++;
		a->value += value;
		memset(seen, 0, sizeof(bool) * a->nchannels);
		for (i = 0; i < n; i++)
			if (!seen[ch[i]])
			{
				seen[ch[i]] = true;
				A_CONVS(a)[ch[i]]++;
			}
		attr_path_weights(ts, ch, st, n, (double) a->half_life, w);
		for (m = 0; m < ATTR_NSTORED; m++)
		{
			double	   *cr = A_CREDIT(a, m);
			double	   *vr = A_VALUE(a, m);
			const double *wm = &w[m * n];

			for (i = 0; i < n; i++)
				if (wm[i] != 0)
				{
					cr[ch[i]] += wm[i];
					vr[ch[i]] += wm[i] * value;
				}
		}
	}
	if (w != wbuf)
	{
		pfree(w);
		pfree(ts);
		pfree(ch);
		pfree(st);
	}
	return a;
}

/*
 * attribution_agg(path, converted_at [, value [, half_life]]) transition.
 * Non-strict: a NULL path is ignored; a NULL converted_at is a path that
 * did not convert; a NULL value is 0.
 */
Datum
attribution_trans(PG_FUNCTION_ARGS)
{
	Attribution *a;
	TouchPath  *p;
	int64		half_life = ATTR_DEFAULT_HALF_LIFE;
	bool		converted = !PG_ARGISNULL(2);
	TimestampTz conv = 0;
	double		value = 0;

	b2b_agg_context(fcinfo, "attribution_trans");
	if (PG_NARGS() > 4 && !PG_ARGISNULL(4))
		half_life = half_life_usecs(PG_GETARG_INTERVAL_P(4));
	if (PG_ARGISNULL(0))
	{
		if (PG_ARGISNULL(1))
			PG_RETURN_NULL();
		a = attr_alloc(4, 64, half_life);
	}
	else
	{
		a = (Attribution *) PG_GETARG_POINTER(0);
		if (a->half_life != half_life)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("half_life changes between rows of one attribution_agg"),
					 errhint("Give one half-life for the whole aggregate, e.g. a constant '7 days'.")));
	}
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(a);
	p = PG_GETARG_TOUCH_PATH(1);
	if (converted)
	{
		conv = PG_GETARG_TIMESTAMPTZ(2);
		if (TIMESTAMP_NOT_FINITE(conv))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("converted_at cannot be %s",
							TIMESTAMP_IS_NOBEGIN(conv) ? "-infinity" : "infinity"),
					 errhint("Give the time of the conversion, or NULL for a path that did not convert.")));
		if (PG_NARGS() > 3 && !PG_ARGISNULL(3))
		{
			value = PG_GETARG_FLOAT8(3);
			if (isnan(value) || value < 0 || isinf(value))
				ereport(ERROR,
						(errcode(isnan(value) || value < 0 ? ERRCODE_INVALID_PARAMETER_VALUE : ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("conversion value must be a finite number >= 0, not %g", value),
						 errhint("Give the conversion's revenue (NULL counts as 0); filter refunds out.")));
		}
	}
	PG_RETURN_POINTER(attr_add_path(a, p, converted, conv, value));
}

/* Combine (and rollup's transition): add b into a. */
Datum
attribution_combine(PG_FUNCTION_ARGS)
{
	Attribution *a;
	Attribution *b;
	int			map[ATTR_MAX_CHANNELS + 2];
	int			K,
				k,
				m,
				r,
				c;

	b2b_agg_context(fcinfo, "attribution_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	b = PG_GETARG_ATTRIBUTION(1);
	if (PG_ARGISNULL(0))
	{
		a = palloc(VARSIZE(b));
		memcpy(a, b, VARSIZE(b));
		PG_RETURN_POINTER(a);
	}
	a = (Attribution *) PG_GETARG_POINTER(0);
	if (a->half_life != b->half_life)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine attributions aggregated with different half-lives (%s and %s)",
						DatumGetCString(DirectFunctionCall1(interval_out, half_life_interval(a->half_life))),
						DatumGetCString(DirectFunctionCall1(interval_out, half_life_interval(b->half_life)))),
				 errhint("Aggregate every part with the same half_life argument of attribution_agg.")));
	K = b->nchannels;
	for (k = 0; k < K; k++)
	{
		const char *s = A_NAME(b, k);

		map[k] = attr_channel(&a, s, strlen(s));
	}
	add_s64(&a->paths, b->paths);
	add_s64(&a->conversions, b->conversions);
	add_s64(&a->unattributed, b->unattributed);
	add_s64(&a->skipped, b->skipped);
	a->value += b->value;
	a->unattributed_value += b->unattributed_value;
	for (k = 0; k < K; k++)
	{
		add_s64(&A_TOUCHES(a)[map[k]], A_TOUCHES(b)[k]);
		add_s64(&A_CONVS(a)[map[k]], A_CONVS(b)[k]);
		for (m = 0; m < ATTR_NSTORED; m++)
		{
			A_CREDIT(a, m)[map[k]] += A_CREDIT(b, m)[k];
			A_VALUE(a, m)[map[k]] += A_VALUE(b, m)[k];
		}
	}
	for (r = 0; r <= K; r++)
	{
		int			ra = r == 0 ? 0 : map[r - 1] + 1;

		for (c = 0; c < K + 2; c++)
		{
			int			cb = c < K ? c : b->cap + (c - K);
			int			ca = c < K ? map[c] : a->cap + (c - K);

			if (A_MOVE(b, r, cb) != 0)
				add_s64(&A_MOVE(a, ra, ca), A_MOVE(b, r, cb));
		}
	}
	PG_RETURN_POINTER(a);
}

/* ---------------------------------------------------------------------
 * Reports
 * --------------------------------------------------------------------- */

/* Markov removal effects re[k] (by channel index) and P(conversion). */
static void
attr_markov_effects(const Attribution *a, double *re, double *p_conv)
{
	int			K = a->nchannels;
	int64	   *counts = palloc(sizeof(int64) * (Size) (K + 1) * (K + 2));
	double	   *work = palloc(sizeof(double) * (2 * (Size) (K + 1) * (K + 1) + 2 * (K + 1)));
	int			r,
				c;

	for (r = 0; r <= K; r++)
		for (c = 0; c < K + 2; c++)
			counts[(Size) r * (K + 2) + c] = A_MOVE(a, r, c < K ? c : a->cap + (c - K));
	CHECK_FOR_INTERRUPTS();
	if (attr_markov(K, counts, K + 2, p_conv, re, work) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("attribution value is corrupt: its Markov chain has no way to (conversion) or (null)")));
	pfree(counts);
	pfree(work);
}

static int
model_arg(text *t)
{
	char	   *s = text_to_cstring(t);
	int			m = attr_model_parse(s);

	if (m < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown attribution model \"%s\"", s),
				 errhint("The models are: %s.", attr_model_list)));
	return m;
}

/*
 * attribution_report(a [, model [, half_life]]): rows (model, channel,
 * touches, conversions, credited_conversions, credited_value, share), by
 * model then channel name.
 */
Datum
attribution_report(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Attribution *a;
	int			only = -1;
	int		   *order;
	double	   *re = NULL;
	double		re_sum = 0,
				p_conv;
	int			K,
				i,
				j;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_NARGS() > 1 && !PG_ARGISNULL(1))
		only = model_arg(PG_GETARG_TEXT_PP(1));
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	a = PG_GETARG_ATTRIBUTION(0);
	if (PG_NARGS() > 2 && !PG_ARGISNULL(2))
	{
		int64		h = half_life_usecs(PG_GETARG_INTERVAL_P(2));

		if (h != a->half_life && (only < 0 || only == AM_TIME_DECAY))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("this attribution was aggregated with time_decay's half-life %s, not %s",
							DatumGetCString(DirectFunctionCall1(interval_out, half_life_interval(a->half_life))),
							DatumGetCString(DirectFunctionCall1(interval_out, PG_GETARG_DATUM(2)))),
					 errhint("time_decay credits are normalised per path, so the half-life is fixed when aggregating: use attribution_agg(path, converted_at, value, half_life => ...), or omit half_life here.")));
	}
	K = a->nchannels;
	order = attr_sorted(a);
	if (only < 0 || only == AM_MARKOV)
	{
		re = palloc(sizeof(double) * Max(K, 1));
		attr_markov_effects(a, re, &p_conv);
		for (i = 0; i < K; i++)
			re_sum += re[i];
	}
	for (j = 0; j < ATTR_NMODELS; j++)
	{
		int			m = attr_model_order[j];

		if (only >= 0 && m != only)
			continue;
		for (i = 0; i < K; i++)
		{
			int			k = order[i];
			Datum		values[7];
			bool		nulls[7] = {false};
			double		cr,
						vr;

			if (m == AM_MARKOV)
			{
				double		f = re_sum > 0 ? re[k] / re_sum : 0;

				cr = (double) a->conversions * f;
				vr = a->value * f;
			}
			else
			{
				cr = A_CREDIT(a, m)[k];
				vr = A_VALUE(a, m)[k];
			}
			values[0] = CStringGetTextDatum(attr_model_names[m]);
			values[1] = CStringGetTextDatum(A_NAME(a, k));
			values[2] = Int64GetDatum(A_TOUCHES(a)[k]);
			values[3] = Int64GetDatum(A_CONVS(a)[k]);
			values[4] = Float8GetDatum(cr);
			values[5] = Float8GetDatum(vr);
			if (a->conversions > 0)
				values[6] = Float8GetDatum(cr / (double) a->conversions);
			else
				nulls[6] = true;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}

/* removal_effect(a, channel): Markov RE of the channel; NULL if absent. */
Datum
attribution_removal_effect(PG_FUNCTION_ARGS)
{
	Attribution *a = PG_GETARG_ATTRIBUTION(0);
	text	   *t = PG_GETARG_TEXT_PP(1);
	int			k = attr_find(a, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	double	   *re;
	double		p;

	if (k < 0)
		PG_RETURN_NULL();
	re = palloc(sizeof(double) * a->nchannels);
	attr_markov_effects(a, re, &p);
	PG_RETURN_FLOAT8(re[k]);
}

/* channel_transitions(a): rows (from_channel, to_channel, moves, probability). */
Datum
attribution_channel_transitions(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Attribution *a = PG_GETARG_ATTRIBUTION(0);
	int		   *order;
	int			K = a->nchannels;
	int			i,
				j;

	InitMaterializedSRF(fcinfo, 0);
	order = attr_sorted(a);
	for (i = -1; i < K; i++)
	{
		int			r = i < 0 ? 0 : order[i] + 1;
		int64		tot = 0;

		for (j = 0; j < a->cap + 2; j++)
			tot += A_MOVE(a, r, j);
		for (j = 0; j < K + 2; j++)
		{
			int			c = j < K ? order[j] : a->cap + (j - K);
			int64		v = A_MOVE(a, r, c);
			Datum		values[4];
			bool		nulls[4] = {false};

			if (v == 0)
				continue;
			values[0] = CStringGetTextDatum(from_name(a, r));
			values[1] = CStringGetTextDatum(to_name(a, c));
			values[2] = Int64GetDatum(v);
			values[3] = Float8GetDatum((double) v / (double) tot);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}

/* attribution_summary(a): one row of totals. */
Datum
attribution_summary(PG_FUNCTION_ARGS)
{
	Attribution *a = PG_GETARG_ATTRIBUTION(0);
	TupleDesc	tupdesc;
	Datum		values[9];
	bool		nulls[9] = {false};
	double	   *re = palloc(sizeof(double) * Max(a->nchannels, 1));
	double		p;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("attribution_summary must be called in a context that accepts a record")));
	tupdesc = BlessTupleDesc(tupdesc);
	attr_markov_effects(a, re, &p);
	values[0] = Int64GetDatum(a->paths);
	values[1] = Int64GetDatum(a->conversions);
	values[2] = Int64GetDatum(a->unattributed);
	values[3] = Float8GetDatum(a->value);
	values[4] = Float8GetDatum(a->unattributed_value);
	values[5] = Int64GetDatum(a->skipped);
	values[6] = Int32GetDatum(a->nchannels);
	values[7] = half_life_interval(a->half_life);
	values[8] = Float8GetDatum(p);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
