/*
 * journey.c — the journey summary type: allocation, validation and the
 * text and binary I/O.  The aggregates are in journey_agg.c, the accessors
 * in journey_accessors.c, journey_timeline in journey_timeline.c,
 * funnel_agg(journey) in journey_funnel.c and conversion_time_agg in
 * conversion_time.c.
 *
 * A journey is a run list of one entity's touchpoint events (see
 * journey_core.h).  Stored journeys (journey_agg's result) are coalesced:
 * one entry per stay, so their size grows with stage changes only.
 *
 * Exactness of the combine: a coalesced stay forgets the instants of its
 * interior events, and an event of another stage that falls between them
 * (in another partial state) would split the stay at a point that is no
 * longer known.  So journey_agg's transition state keeps one point per
 * distinct (ts, stage) (repeats at one instant are counted, not stored) and
 * only the final function coalesces.  The state is still the journey type
 * itself (doc/design.md §1: Citus ships it as text), updated in place in the
 * aggregate context; it grows with distinct event instants while
 * aggregating, and the stored result grows with stage changes.
 */
#include "b2btarget.h"

#include <limits.h>

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "journey.h"
#include "json_core.h"
#include "stage_core.h"

PG_FUNCTION_INFO_V1(journey_in);
PG_FUNCTION_INFO_V1(journey_out);
PG_FUNCTION_INFO_V1(journey_recv);
PG_FUNCTION_INFO_V1(journey_send);

static const char *journey_hint =
"A journey is JSON: {\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-05-01 09:00:00+00\", \"last\": \"2025-05-03 10:00:00+00\", \"events\": 2}, ...], \"skipped\": 0}, stays in time order, timestamps in UTC as written by journey output.";

/* ---------------------------------------------------------------------
 * Allocation and validation
 * --------------------------------------------------------------------- */

/* A new empty journey with room for cap entries, in CurrentMemoryContext. */
Journey *
journey_alloc_ex(int cap, int flags)
{
	Journey    *j;
	Size		entsz = (flags & JOURNEY_POINTS) ? sizeof(JPoint) : sizeof(JStay);

	if (cap < 0 || cap > JOURNEY_MAX_ENTRIES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("journey would have more than %d entries", JOURNEY_MAX_ENTRIES),
				 errhint("Aggregate the events of one entity per journey.")));
	j = (Journey *) palloc0(JOURNEY_HDRSZ + (Size) cap * entsz);
	SET_VARSIZE(j, JOURNEY_HDRSZ + (Size) cap * entsz);
	j->version = JOURNEY_VERSION;
	j->flags = flags;
	return j;
}

Journey *
journey_alloc(int cap)
{
	return journey_alloc_ex(cap, 0);
}

/*
 * Room for extra more entries.  Returns j itself when it fits, else a
 * bigger copy in CurrentMemoryContext: nodeAgg copies a new state pointer
 * into the aggregate context and frees the old one (so never repalloc).
 */
Journey *
journey_reserve(Journey *j, int extra)
{
	int			cap = JOURNEY_CAPACITY(j);
	Size		entsz = JOURNEY_ENTSZ(j);
	int64		need = (int64) j->n + extra;
	int64		newcap;
	Journey    *nj;

	if (need <= cap)
		return j;

	/*
	 * Grow to the largest capacity that fits a power-of-two allocation (the
	 * allocator rounds chunks up to one).
	 */
	{
		Size		sz = 64;

		while ((int64) ((sz - JOURNEY_HDRSZ) / entsz) < need && sz < MaxAllocSize / 2)
			sz *= 2;
		newcap = (sz - JOURNEY_HDRSZ) / entsz;
	}
	if (newcap > JOURNEY_MAX_ENTRIES || newcap < need)
		newcap = need;
	nj = journey_alloc_ex((int) Min(newcap, (int64) INT_MAX), j->flags);
	nj->n = j->n;
	nj->skipped = j->skipped;
	memcpy(nj->stays, j->stays, entsz * j->n);
	return nj;
}

static bool
ts_valid(int64 t)
{
	return IS_VALID_TIMESTAMP(t);
}

/* Check a detoasted journey from disk, another node or a parallel worker. */
Journey *
journey_validate(Journey *j)
{
	const char *err;
	int			i;

	if (VARSIZE(j) < JOURNEY_HDRSZ)
		b2b_corrupt("journey value is corrupt: bad size");
	b2b_check_version(j->version, JOURNEY_VERSION, "journey");
	if ((j->flags & ~(JOURNEY_UNSORTED | JOURNEY_POINTS)) != 0 || j->reserved != 0 || j->reserved2 != 0)
		b2b_corrupt("journey value is corrupt: bad flags");
	if ((VARSIZE(j) - JOURNEY_HDRSZ) % JOURNEY_ENTSZ(j) != 0)
		b2b_corrupt("journey value is corrupt: bad size");
	if (j->n < 0 || j->n > JOURNEY_CAPACITY(j) || j->skipped < 0)
		b2b_corrupt("journey value is corrupt: bad counts");
	if (j->flags & JOURNEY_POINTS)
	{
		/* an aggregate state of points, in any order */
		const JPoint *p = JOURNEY_POINTS_OF(j);

		for (i = 0; i < j->n; i++)
			if (!ts_valid(p[i].ts) || p[i].stage < 1 || p[i].stage > B2B_NSTAGES || p[i].count < 1)
				b2b_corrupt("journey value is corrupt: bad event point");
		return j;
	}
	for (i = 0; i < j->n; i++)
		if (!ts_valid(j->stays[i].entered) || !ts_valid(j->stays[i].last))
			b2b_corrupt("journey value is corrupt: timestamp out of range");
	if (j->flags & JOURNEY_UNSORTED)
	{
		/* an aggregate state: entries valid, order not yet established */
		for (i = 0; i < j->n; i++)
			if ((err = jstays_check(&j->stays[i], 1)) != NULL)
				b2b_corrupt("journey value is corrupt: %s", err);
	}
	else if ((err = jstays_check(j->stays, j->n)) != NULL)
		b2b_corrupt("journey value is corrupt: %s", err);
	return j;
}

static void
normalize_or_error(JStay *a, size_t *n, bool coalesce)
{
	int			rc;

	jstays_sort(a, *n);
	rc = jstays_normalize(a, n, coalesce);
	if (rc == JN_AMBIGUOUS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("journeys interleave inside a stay, so the order of their events is not determined"),
				 errdetail("An event of one stage falls between the first and last event of a stay in another stage of the other journey."),
				 errhint("rollup(journey) merges journeys whose stays do not interleave (e.g. one journey per period); to merge interleaving events, run journey_agg over the events.")));
	if (rc == JN_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("journey event count out of range")));
}

/* Copy j's entries, as stays, into dst (room for j->n). */
void
journey_copy_as_stays(const Journey *j, JStay *dst)
{
	int			i;

	if (j->flags & JOURNEY_POINTS)
	{
		const JPoint *p = JOURNEY_POINTS_OF(j);

		for (i = 0; i < j->n; i++)
		{
			dst[i].entered = dst[i].last = p[i].ts;
			dst[i].events = p[i].count;
			dst[i].stage = p[i].stage;
			dst[i].reserved = 0;
		}
	}
	else
		memcpy(dst, j->stays, sizeof(JStay) * j->n);
}

/* A sorted, normalised copy of j (coalesced if asked), as stays, exact size. */
Journey *
journey_normalized_copy(const Journey *j, bool coalesce)
{
	Journey    *r = journey_alloc(j->n);
	size_t		n = j->n;

	journey_copy_as_stays(j, r->stays);
	r->skipped = j->skipped;
	normalize_or_error(r->stays, &n, coalesce);
	r->n = (int) n;
	SET_VARSIZE(r, JOURNEY_HDRSZ + n * sizeof(JStay));
	return r;
}

/*
 * The stays of argument argno, one entry per stay (coalesced), for the
 * accessors.  A stored journey (flags 0) is checked in the same single pass
 * that looks for stays to coalesce; anything unusual (an aggregate's raw
 * state, adjacent stays of one stage, or a fault) takes the slow path,
 * which validates fully and reports corruption precisely.
 */
const JStay *
journey_stays_arg(FunctionCallInfo fcinfo, int argno, int *n)
{
	Journey    *j = (Journey *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	if (j->flags == 0 && VARSIZE(j) >= JOURNEY_HDRSZ &&
		j->version == JOURNEY_VERSION && j->reserved == 0 && j->reserved2 == 0 &&
		j->n >= 0 && VARSIZE(j) == JOURNEY_HDRSZ + (Size) j->n * sizeof(JStay) &&
		j->skipped >= 0 && jstays_plain(j->stays, j->n, MIN_TIMESTAMP, END_TIMESTAMP))
	{
		*n = j->n;
		return j->stays;
	}
	j = journey_normalized_copy(journey_validate(j), true);
	*n = j->n;
	return j->stays;
}

/* ---------------------------------------------------------------------
 * Text and binary I/O
 * --------------------------------------------------------------------- */

/*
 * The text of a timestamp in a journey's text form, whatever the session's
 * TimeZone and DateStyle: ISO, in UTC ("2025-05-01 09:00:00+00").
 */
static bool
format_ts(int64_t t, char *buf, size_t bufsz, void *arg)
{
	struct pg_tm tm;
	fsec_t		fsec;

	Assert(bufsz >= MAXDATELEN + 1);
	if (timestamp2tm(t, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	tm.tm_isdst = 0;			/* so that the "+00" offset is written */
	EncodeDateTime(&tm, fsec, true, 0, NULL, USE_ISO_DATES, buf);
	return true;
}

/*
 * Parse a timestamp in the form format_ts writes ("2025-05-01 09:00:00+00",
 * optional ".ffffff" fraction and " BC"), and only that form, so stored
 * values never depend on the session's TimeZone or DateStyle.
 */
static bool
parse_ts(const char *s, int64 *out)
{
	struct pg_tm tm = {0};
	int			consumed = 0;
	fsec_t		fsec = 0;
	const char *p;
	char		again[JR_TS_BUFSZ];
	Timestamp	t;

	if (sscanf(s, "%d-%2d-%2d %2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 || consumed == 0)
		return false;
	p = s + consumed;
	if (*p == '.')
	{
		int			digits = 0;

		for (p++; *p >= '0' && *p <= '9'; p++, digits++)
		{
			if (digits >= 6)
				return false;
			fsec = fsec * 10 + (*p - '0');
		}
		if (digits == 0)
			return false;
		for (; digits < 6; digits++)
			fsec *= 10;
	}
	if (strncmp(p, "+00", 3) != 0)
		return false;
	p += 3;
	if (strcmp(p, " BC") == 0)
		tm.tm_year = -(tm.tm_year - 1);
	else if (*p != '\0')
		return false;
	if (tm.tm_year < -4713 || tm.tm_year > 294276 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
		tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
		return false;
	if (tm2timestamp(&tm, fsec, NULL, &t) != 0 || !ts_valid(t))
		return false;
	*out = t;
	/* only the canonical spelling (no 2025-02-30, no leading "+") */
	format_ts(t, again, sizeof(again), NULL);
	return strcmp(again, s) == 0;
}

/* parse_ts for journey_parse: s is a JSON string's value, under 64 bytes */
static int
journey_parse_ts(const char *s, size_t len, int64_t *out, void *arg)
{
	char		buf[64];
	int64		t;

	if (len >= sizeof(buf))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!parse_ts(buf, &t))
		return 0;
	*out = t;
	return 1;
}

Datum
journey_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	JText		t;
	char		err[BJ_ERR_SIZE];
	const char *problem;
	Journey    *j;

	problem = journey_parse(str, strlen(str), JOURNEY_MAX_ENTRIES,
							journey_parse_ts, NULL, &t, palloc, pfree,
							err, sizeof(err));
	if (problem)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type journey: \"%s\"", str),
						 errdetail("%s", problem),
						 errhint("%s", journey_hint)));

	j = journey_alloc((int) t.n);
	j->n = (int) t.n;
	j->skipped = t.skipped;
	memcpy(j->stays, t.stays, sizeof(JStay) * t.n);
	pfree(t.stays);
	PG_RETURN_POINTER(j);
}

Datum
journey_out(PG_FUNCTION_ARGS)
{
	Journey    *j = PG_GETARG_JOURNEY(0);
	StringInfoData buf;
	bj_writer	w;

	if (j->flags != 0)
		j = journey_normalized_copy(j, false);
	initStringInfo(&buf);
	b2b_json_writer(&w, &buf);
	journey_write(&w, j->stays, j->n, j->skipped, format_ts, NULL);
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: version byte, int64 skipped, int32 count, then per entry a
 * stage byte and int64 entered, last, events.  Always written normalised.
 */
Datum
journey_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Journey    *j;
	int			version,
				n,
				i;
	int64		skipped;
	const char *err;

	if (buf->len - buf->cursor < 13)
		b2b_bad_binary("journey", "%d bytes is too short", buf->len - buf->cursor);
	version = pq_getmsgbyte(buf);
	if (version != JOURNEY_VERSION)
		b2b_bad_binary("journey", "unknown version %d", version);
	skipped = (int64) pq_getmsgint64(buf);
	n = (int) pq_getmsgint(buf, 4);
	if (skipped < 0)
		b2b_bad_binary("journey", "negative skipped count");
	if (n < 0 || n > JOURNEY_MAX_ENTRIES || (int64) (buf->len - buf->cursor) != (int64) n * 25)
		b2b_bad_binary("journey", "%d entries do not match the %d bytes that follow", n, buf->len - buf->cursor);
	j = journey_alloc(n);
	j->n = n;
	j->skipped = skipped;
	for (i = 0; i < n; i++)
	{
		JStay	   *s = &j->stays[i];

		if ((i & 65535) == 65535)
			CHECK_FOR_INTERRUPTS();
		s->stage = pq_getmsgbyte(buf);
		s->entered = (int64) pq_getmsgint64(buf);
		s->last = (int64) pq_getmsgint64(buf);
		s->events = (int64) pq_getmsgint64(buf);
		if (!ts_valid(s->entered) || !ts_valid(s->last))
			b2b_bad_binary("journey", "timestamp out of range");
	}
	if ((err = jstays_check(j->stays, n)) != NULL)
		b2b_bad_binary("journey", "%s", err);
	PG_RETURN_POINTER(j);
}

Datum
journey_send(PG_FUNCTION_ARGS)
{
	Journey    *j = PG_GETARG_JOURNEY(0);
	StringInfoData buf;
	int			i;

	if (j->flags != 0)
		j = journey_normalized_copy(j, false);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, JOURNEY_VERSION);
	pq_sendint64(&buf, j->skipped);
	pq_sendint32(&buf, j->n);
	for (i = 0; i < j->n; i++)
	{
		pq_sendbyte(&buf, j->stays[i].stage);
		pq_sendint64(&buf, j->stays[i].entered);
		pq_sendint64(&buf, j->stays[i].last);
		pq_sendint64(&buf, j->stays[i].events);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}


/*
 * The UTC timestamp text of journey output, for the other summary types'
 * JSON (touch_path): written by format_ts, read back by journey_parse_ts.
 */
void
b2b_append_ts(StringInfo buf, int64 t)
{
	char		s[MAXDATELEN + 1];

	format_ts(t, s, sizeof(s), NULL);
	appendStringInfoString(buf, s);
}

int
b2b_parse_ts(const char *s, size_t len, int64_t *out, void *arg)
{
	return journey_parse_ts(s, len, out, arg);
}
