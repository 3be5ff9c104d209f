/*
 * journey.c — the journey summary type: journey_agg, rollup, accessors,
 * journey_timeline, funnel_agg(journey) and conversion_time_agg.
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
 * itself (SPEC §1: Citus ships it as text), updated in place in the
 * aggregate context; it grows with distinct event instants while
 * aggregating, and the stored result grows with stage changes.
 */
#include "b2btarget.h"

#include <limits.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "funnel.h"
#include "journey.h"
#include "json_core.h"
#include "stage_core.h"

PG_FUNCTION_INFO_V1(journey_in);
PG_FUNCTION_INFO_V1(journey_out);
PG_FUNCTION_INFO_V1(journey_recv);
PG_FUNCTION_INFO_V1(journey_send);
PG_FUNCTION_INFO_V1(journey_trans);
PG_FUNCTION_INFO_V1(journey_combine);
PG_FUNCTION_INFO_V1(journey_final);
PG_FUNCTION_INFO_V1(journey_current_stage);
PG_FUNCTION_INFO_V1(journey_furthest_stage);
PG_FUNCTION_INFO_V1(journey_first_reached);
PG_FUNCTION_INFO_V1(journey_last_reached);
PG_FUNCTION_INFO_V1(journey_time_in_stage);
PG_FUNCTION_INFO_V1(journey_time_in_stage_as_of);
PG_FUNCTION_INFO_V1(journey_time_to_stage);
PG_FUNCTION_INFO_V1(journey_regressions);
PG_FUNCTION_INFO_V1(journey_stage_changes);
PG_FUNCTION_INFO_V1(journey_event_count);
PG_FUNCTION_INFO_V1(journey_skipped_rows);
PG_FUNCTION_INFO_V1(journey_is_stalled);
PG_FUNCTION_INFO_V1(journey_timeline);
PG_FUNCTION_INFO_V1(journey_funnel_trans);
PG_FUNCTION_INFO_V1(conversion_time_trans);
PG_FUNCTION_INFO_V1(conversion_time_combine);
PG_FUNCTION_INFO_V1(conversion_time_serialize);
PG_FUNCTION_INFO_V1(conversion_time_deserialize);
PG_FUNCTION_INFO_V1(conversion_time_final);

#define JOURNEY_MAX_ENTRIES ((int) ((MaxAllocSize - JOURNEY_HDRSZ) / sizeof(JStay)))

static const char *journey_hint =
"A journey is JSON: {\"stays\": [{\"stage\": \"awareness\", \"entered\": \"2025-05-01 09:00:00+00\", \"last\": \"2025-05-03 10:00:00+00\", \"events\": 2}, ...], \"skipped\": 0}, stays in time order, timestamps in UTC as written by journey output.";

/* ---------------------------------------------------------------------
 * Allocation and validation
 * --------------------------------------------------------------------- */

/* A new empty journey with room for cap entries, in CurrentMemoryContext. */
static Journey *
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

static Journey *
journey_alloc(int cap)
{
	return journey_alloc_ex(cap, 0);
}

/*
 * journey_agg's first state holds two points (56 bytes, a 64-byte chunk):
 * a partial state is sent whole, spare room included, so it starts small.
 */
#define JOURNEY_FIRST_POINTS ((int) ((64 - JOURNEY_HDRSZ) / sizeof(JPoint)))

/* journey_trans moves at most this many points to keep a state sorted */
#define JOURNEY_MAX_SHIFT 32

/*
 * Room for extra more entries.  Returns j itself when it fits, else a
 * bigger copy in CurrentMemoryContext: nodeAgg copies a new state pointer
 * into the aggregate context and frees the old one (so never repalloc).
 */
static Journey *
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

static void
corrupt(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("journey value is corrupt: %s", what)));
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
		corrupt("bad size");
	b2b_check_version(j->version, JOURNEY_VERSION, "journey");
	if ((j->flags & ~(JOURNEY_UNSORTED | JOURNEY_POINTS)) != 0 || j->reserved != 0 || j->reserved2 != 0)
		corrupt("bad flags");
	if ((VARSIZE(j) - JOURNEY_HDRSZ) % JOURNEY_ENTSZ(j) != 0)
		corrupt("bad size");
	if (j->n < 0 || j->n > JOURNEY_CAPACITY(j) || j->skipped < 0)
		corrupt("bad counts");
	if (j->flags & JOURNEY_POINTS)
	{
		/* an aggregate state of points, in any order */
		const JPoint *p = JOURNEY_POINTS_OF(j);

		for (i = 0; i < j->n; i++)
			if (!ts_valid(p[i].ts) || p[i].stage < 1 || p[i].stage > B2B_NSTAGES || p[i].count < 1)
				corrupt("bad event point");
		return j;
	}
	for (i = 0; i < j->n; i++)
		if (!ts_valid(j->stays[i].entered) || !ts_valid(j->stays[i].last))
			corrupt("timestamp out of range");
	if (j->flags & JOURNEY_UNSORTED)
	{
		/* an aggregate state: entries valid, order not yet established */
		for (i = 0; i < j->n; i++)
			if ((err = jstays_check(&j->stays[i], 1)) != NULL)
				corrupt(err);
	}
	else if ((err = jstays_check(j->stays, j->n)) != NULL)
		corrupt(err);
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
static void
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
static Journey *
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
static const JStay *
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

static void
append_ts(StringInfo buf, int64 t)
{
	struct pg_tm tm;
	fsec_t		fsec;
	char		s[MAXDATELEN + 1];

	if (timestamp2tm(t, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	tm.tm_isdst = 0;			/* so that the "+00" offset is written */
	EncodeDateTime(&tm, fsec, true, 0, NULL, USE_ISO_DATES, s);
	appendStringInfoString(buf, s);
}

/*
 * Parse a timestamp in the form append_ts writes ("2025-05-01 09:00:00+00",
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
	StringInfoData again;
	bool		ok;
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
	initStringInfo(&again);
	append_ts(&again, t);
	ok = strcmp(again.data, s) == 0;
	pfree(again.data);
	return ok;
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
	int			i;

	if (j->flags != 0)
		j = journey_normalized_copy(j, false);
	initStringInfo(&buf);
	appendStringInfoString(&buf, "{\"stays\": [");
	for (i = 0; i < j->n; i++)
	{
		const JStay *s = &j->stays[i];

		appendStringInfo(&buf, "%s{\"stage\": \"%s\", \"entered\": \"",
						 i > 0 ? ", " : "", stage_name(s->stage));
		append_ts(&buf, s->entered);
		appendStringInfoString(&buf, "\", \"last\": \"");
		append_ts(&buf, s->last);
		appendStringInfo(&buf, "\", \"events\": " INT64_FORMAT "}", s->events);
	}
	appendStringInfo(&buf, "], \"skipped\": " INT64_FORMAT "}", j->skipped);
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

#define RECV_FAIL(...) ereport(ERROR, \
		(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION), \
		 errmsg("invalid binary journey: " __VA_ARGS__)))

	if (buf->len - buf->cursor < 13)
		RECV_FAIL("%d bytes is too short", buf->len - buf->cursor);
	version = pq_getmsgbyte(buf);
	if (version != JOURNEY_VERSION)
		RECV_FAIL("unknown version %d", version);
	skipped = (int64) pq_getmsgint64(buf);
	n = (int) pq_getmsgint(buf, 4);
	if (skipped < 0)
		RECV_FAIL("negative skipped count");
	if (n < 0 || n > JOURNEY_MAX_ENTRIES || (int64) (buf->len - buf->cursor) != (int64) n * 25)
		RECV_FAIL("%d entries do not match the %d bytes that follow", n, buf->len - buf->cursor);
	j = journey_alloc(n);
	j->n = n;
	j->skipped = skipped;
	for (i = 0; i < n; i++)
	{
		JStay	   *s = &j->stays[i];

		s->stage = pq_getmsgbyte(buf);
		s->entered = (int64) pq_getmsgint64(buf);
		s->last = (int64) pq_getmsgint64(buf);
		s->events = (int64) pq_getmsgint64(buf);
		if (!ts_valid(s->entered) || !ts_valid(s->last))
			RECV_FAIL("timestamp out of range");
	}
	if ((err = jstays_check(j->stays, n)) != NULL)
		RECV_FAIL("%s", err);
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

/* ---------------------------------------------------------------------
 * Aggregates
 * --------------------------------------------------------------------- */

static void
check_event_ts(TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("journey event timestamp cannot be %s",
						TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity"),
				 errhint("Filter such rows out, e.g. WHERE isfinite(ts).")));
}

/*
 * journey_agg(ts, stage) transition.  Non-strict: a row with a NULL ts or
 * stage is skipped and counted.  Appends a point; repeats at the same
 * instant and stage only bump the count.
 */
Datum
journey_trans(PG_FUNCTION_ARGS)
{
	Journey    *j;
	TimestampTz t;
	int			s;
	JPoint	   *last;

	b2b_agg_context(fcinfo, "journey_trans");
	if (PG_ARGISNULL(0))
		j = journey_alloc_ex(JOURNEY_FIRST_POINTS, JOURNEY_POINTS);
	else
		j = (Journey *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		j->skipped++;
		PG_RETURN_POINTER(j);
	}
	t = PG_GETARG_TIMESTAMPTZ(1);
	s = PG_GETARG_JOURNEY_STAGE_CHECKED(2);
	check_event_ts(t);

	if (j->n > 0)
	{
		JPoint	   *p = JOURNEY_POINTS_OF(j);
		JPoint		x = {t, s, 1};
		int			k = j->n;

		last = &p[k - 1];
		if (last->ts == t && last->stage == s && last->count < PG_INT32_MAX)
		{
			last->count++;
			PG_RETURN_POINTER(j);
		}

		/*
		 * Keep the points sorted, so the combine can merge and the final
		 * function need not sort, while the new point lands near the end;
		 * otherwise give up order for this state (the final sorts it).
		 */
		if (!(j->flags & JOURNEY_UNSORTED) && jpoint_cmp(last, &x) > 0)
		{
			while (k > 0 && j->n - k < JOURNEY_MAX_SHIFT && jpoint_cmp(&p[k - 1], &x) > 0)
				k--;
			if (k > 0 && jpoint_cmp(&p[k - 1], &x) == 0 && p[k - 1].count < PG_INT32_MAX)
			{
				p[k - 1].count++;
				PG_RETURN_POINTER(j);
			}
			if (k == 0 || jpoint_cmp(&p[k - 1], &x) < 0)
			{
				j = journey_reserve(j, 1);
				p = JOURNEY_POINTS_OF(j);
				memmove(&p[k + 1], &p[k], sizeof(JPoint) * (j->n - k));
				p[k] = x;
				j->n++;
				PG_RETURN_POINTER(j);
			}
			j->flags |= JOURNEY_UNSORTED;
		}
	}
	j = journey_reserve(j, 1);
	last = &JOURNEY_POINTS_OF(j)[j->n++];
	last->ts = t;
	last->count = 1;
	last->stage = s;
	PG_RETURN_POINTER(j);
}

/*
 * Combine (and rollup's transition): append b's entries to a.  Sorting and
 * merging wait for the final function, so the result of any split is the
 * sorted union of all entries.
 */
Datum
journey_combine(PG_FUNCTION_ARGS)
{
	Journey    *a;
	Journey    *b;

	b2b_agg_context(fcinfo, "journey_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	b = PG_GETARG_JOURNEY(1);
	if (PG_ARGISNULL(0))
	{
		/* a copy of b (b is not ours), left with spare room */
		a = journey_alloc_ex(Max(b->n, 8), b->flags);
		a->n = b->n;
		a->skipped = b->skipped;
		memcpy(a->stays, b->stays, JOURNEY_ENTSZ(b) * b->n);
		PG_RETURN_POINTER(a);
	}
	a = (Journey *) PG_GETARG_POINTER(0);
	if (pg_add_s64_overflow(a->skipped, b->skipped, &a->skipped))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("journey skipped count out of range")));
	if (b->n == 0)
		PG_RETURN_POINTER(a);
	if ((a->flags & JOURNEY_POINTS) && (b->flags & JOURNEY_POINTS))
	{
		/* two journey_agg states: merge sorted points, else append */
		JPoint	   *pa;
		const JPoint *pb = JOURNEY_POINTS_OF(b);

		a = journey_reserve(a, b->n);
		pa = JOURNEY_POINTS_OF(a);
		if ((a->flags | b->flags) & JOURNEY_UNSORTED)
		{
			memcpy(&pa[a->n], pb, sizeof(JPoint) * b->n);
			a->flags |= JOURNEY_UNSORTED;
		}
		else if (a->n > 0 && jpoint_cmp(&pa[a->n - 1], &pb[0]) > 0)
			jpoints_merge_into(pa, a->n, pb, b->n);
		else
			memcpy(&pa[a->n], pb, sizeof(JPoint) * b->n);
		a->n += b->n;
		PG_RETURN_POINTER(a);
	}
	if (a->flags & JOURNEY_POINTS)
	{
		/* mixing forms (rollup over partial states): continue as stays */
		Journey    *na = journey_alloc_ex(a->n + b->n, JOURNEY_UNSORTED);

		journey_copy_as_stays(a, na->stays);
		na->n = a->n;
		na->skipped = a->skipped;
		a = na;
	}
	if (b->flags != 0)
		a->flags |= JOURNEY_UNSORTED;
	else if (a->n > 0 && jstay_cmp(&a->stays[a->n - 1], &b->stays[0]) >= 0)
		a->flags |= JOURNEY_UNSORTED;
	else if (a->n > 0)
	{
		/* in order, but a's last range may still overlap b's first entry */
		const JStay *p = &a->stays[a->n - 1];

		if (b->stays[0].entered < p->last ||
			(b->stays[0].entered == p->last && b->stays[0].stage <= p->stage))
			a->flags |= JOURNEY_UNSORTED;
	}
	a = journey_reserve(a, b->n);
	journey_copy_as_stays(b, &a->stays[a->n]);
	a->n += b->n;
	PG_RETURN_POINTER(a);
}

/* Final function of journey_agg and rollup(journey): sort and coalesce. */
Datum
journey_final(PG_FUNCTION_ARGS)
{
	Journey    *j;

	b2b_agg_context(fcinfo, "journey_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	j = (Journey *) PG_GETARG_POINTER(0);
	/* rows that were all NULL still give a journey, so rollup counts them */
	if (j->n == 0 && j->skipped == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(journey_normalized_copy(j, true));
}

/* ---------------------------------------------------------------------
 * Accessors
 * --------------------------------------------------------------------- */

static Interval *
interval_from_usecs(int64 us)
{
	Interval   *r = (Interval *) palloc(sizeof(Interval));

	r->month = 0;
	r->day = (int32) (us / USECS_PER_DAY);
	r->time = us % USECS_PER_DAY;
	return r;
}

Datum
journey_current_stage(PG_FUNCTION_ARGS)
{
	int			n;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);

	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_JOURNEY_STAGE(s[n - 1].stage);
}

Datum
journey_furthest_stage(PG_FUNCTION_ARGS)
{
	int			n,
				i,
				m = 0;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);

	for (i = 0; i < n; i++)
		m = Max(m, s[i].stage);
	if (m == 0)
		PG_RETURN_NULL();
	PG_RETURN_JOURNEY_STAGE(m);
}

/* Index of the first stay at or past stage, or -1. */
static int
first_reached_idx(const JStay *s, int n, int stage)
{
	int			i;

	for (i = 0; i < n; i++)
		if (s[i].stage >= stage)
			return i;
	return -1;
}

Datum
journey_first_reached(PG_FUNCTION_ARGS)
{
	int			n;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);
	int			i = first_reached_idx(s, n, PG_GETARG_JOURNEY_STAGE_CHECKED(1));

	if (i < 0)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(s[i].entered);
}

/* When the entity last moved to the stage or past it from below. */
Datum
journey_last_reached(PG_FUNCTION_ARGS)
{
	int			n,
				i;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);
	int			stage = PG_GETARG_JOURNEY_STAGE_CHECKED(1);

	for (i = n - 1; i >= 0; i--)
		if (s[i].stage >= stage && (i == 0 || s[i - 1].stage < stage))
			PG_RETURN_TIMESTAMPTZ(s[i].entered);
	PG_RETURN_NULL();
}

static int64
time_in_stage(const JStay *s, int n, int stage, int64 end)
{
	int64		total = 0;
	int			i;

	for (i = 0; i < n; i++)
		if (s[i].stage == stage)
			total += (i + 1 < n ? s[i + 1].entered : end) - s[i].entered;
	return total;
}

Datum
journey_time_in_stage(PG_FUNCTION_ARGS)
{
	int			n;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);
	int			stage = PG_GETARG_JOURNEY_STAGE_CHECKED(1);

	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(interval_from_usecs(time_in_stage(s, n, stage, s[n - 1].last)));
}

Datum
journey_time_in_stage_as_of(PG_FUNCTION_ARGS)
{
	int			n;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);
	int			stage = PG_GETARG_JOURNEY_STAGE_CHECKED(1);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(2);

	if (n == 0)
		PG_RETURN_NULL();
	if (TIMESTAMP_NOT_FINITE(as_of) || as_of < s[n - 1].last)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of %s precedes the journey's last event or is not finite",
						DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(as_of)))),
				 errhint("Give an as_of at or after the last event, e.g. now(), or use time_in_stage(j, stage) to count to the last event.")));
	PG_RETURN_INTERVAL_P(interval_from_usecs(time_in_stage(s, n, stage, as_of)));
}

static void
check_stage_order(int from, int to, const char *fname)
{
	if (to < from)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s from %s to %s runs backwards",
						fname, stage_name(from), stage_name(to)),
				 errhint("Give the earlier stage first: %s(j, '%s', '%s').",
						 fname, stage_name(to), stage_name(from))));
}

/* Time from first reaching from to first reaching to, in microseconds. */
static bool
time_to_stage(const JStay *s, int n, int from, int to, int64 *us)
{
	int			a = first_reached_idx(s, n, from);
	int			b = first_reached_idx(s, n, to);

	if (a < 0 || b < 0)
		return false;
	*us = s[b].entered - s[a].entered;
	return true;
}

Datum
journey_time_to_stage(PG_FUNCTION_ARGS)
{
	int			n;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);
	int			from = PG_GETARG_JOURNEY_STAGE_CHECKED(1);
	int			to = PG_GETARG_JOURNEY_STAGE_CHECKED(2);
	int64		us;

	check_stage_order(from, to, "time_to_stage");
	if (!time_to_stage(s, n, from, to, &us))
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(interval_from_usecs(us));
}

Datum
journey_regressions(PG_FUNCTION_ARGS)
{
	int			n,
				i,
				r = 0;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);

	for (i = 1; i < n; i++)
		if (s[i].stage < s[i - 1].stage)
			r++;
	PG_RETURN_INT32(r);
}

Datum
journey_stage_changes(PG_FUNCTION_ARGS)
{
	int			n;

	journey_stays_arg(fcinfo, 0, &n);
	PG_RETURN_INT32(n > 0 ? n - 1 : 0);
}

Datum
journey_event_count(PG_FUNCTION_ARGS)
{
	int			n,
				i;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);
	int64		total = 0;

	for (i = 0; i < n; i++)
		if (pg_add_s64_overflow(total, s[i].events, &total))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("journey event count out of range")));
	PG_RETURN_INT64(total);
}

Datum
journey_skipped_rows(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_JOURNEY(0)->skipped);
}

/*
 * Interval as microseconds, months counted as 30 days and days as 24 hours
 * (PostgreSQL's own interval comparison); saturates instead of overflowing.
 */
static int64
interval_usecs(const Interval *iv)
{
	int64		m,
				d,
				r;

	if (pg_mul_s64_overflow((int64) iv->month * 30 + iv->day, USECS_PER_DAY, &d))
		return iv->month * 30 + iv->day > 0 ? PG_INT64_MAX : PG_INT64_MIN;
	m = d;
	if (pg_add_s64_overflow(m, iv->time, &r))
		return m > 0 ? PG_INT64_MAX : PG_INT64_MIN;
	return r;
}

Datum
journey_is_stalled(PG_FUNCTION_ARGS)
{
	int			n;
	const JStay *s = journey_stays_arg(fcinfo, 0, &n);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	Interval   *threshold = PG_GETARG_INTERVAL_P(2);
	int64		th = interval_usecs(threshold);

	if (th < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stall threshold %s is negative",
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(threshold)))),
				 errhint("Give a positive interval, e.g. '60 days'.")));
	if (TIMESTAMP_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite timestamp"),
				 errhint("Use now() or a date, e.g. '2026-11-01'.")));
	if (n == 0)
		PG_RETURN_NULL();
	/* both within the timestamp range, so the difference fits */
	PG_RETURN_BOOL(as_of - s[n - 1].entered > th);
}

/* One row per stay: stage, entered, left_at (next stay's entry), last_event, events. */
Datum
journey_timeline(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			n,
				i;
	const JStay *s;

	InitMaterializedSRF(fcinfo, 0);
	s = journey_stays_arg(fcinfo, 0, &n);
	for (i = 0; i < n; i++)
	{
		Datum		values[5];
		bool		nulls[5] = {false};

		values[0] = JourneyStageGetDatum(s[i].stage);
		values[1] = TimestampTzGetDatum(s[i].entered);
		if (i + 1 < n)
			values[2] = TimestampTzGetDatum(s[i + 1].entered);
		else
			nulls[2] = true;
		values[3] = TimestampTzGetDatum(s[i].last);
		values[4] = Int64GetDatum(s[i].events);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* funnel_agg(journey): count each journey at its furthest stage. */
Datum
journey_funnel_trans(PG_FUNCTION_ARGS)
{
	Funnel	   *f;
	int			n,
				i,
				m = 0;
	const JStay *s;

	b2b_agg_context(fcinfo, "journey_funnel_trans");
	f = (Funnel *) PG_GETARG_POINTER(0);
	s = journey_stays_arg(fcinfo, 1, &n);
	for (i = 0; i < n; i++)
		m = Max(m, s[i].stage);
	if (m > 0)
		f->at[m - 1]++;
	PG_RETURN_POINTER(f);
}

/* ---------------------------------------------------------------------
 * conversion_time_agg(journey, from, to): exact mean and median of
 * time_to_stage over journeys.  Internal state: 8 bytes per converted
 * journey (the durations, kept for the exact median).
 * --------------------------------------------------------------------- */

typedef struct ConvState
{
	int32		from;
	int32		to;
	int64		reached;		/* journeys that reached from */
	int64		n;				/* journeys that also reached to */
	int64		cap;
	int64	   *us;				/* durations */
} ConvState;

#define CONV_SER_VERSION 1

static ConvState *
conv_new(MemoryContext ctx, int from, int to, int64 cap)
{
	ConvState  *c = MemoryContextAllocZero(ctx, sizeof(ConvState));

	c->from = from;
	c->to = to;
	c->cap = Max(cap, 16);
	c->us = MemoryContextAlloc(ctx, sizeof(int64) * c->cap);
	return c;
}

static void
conv_reserve(ConvState *c, int64 extra)
{
	if (c->n + extra > c->cap)
	{
		int64		cap = Max(c->cap * 2, c->n + extra);

		if ((Size) cap > MaxAllocSize / sizeof(int64))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("conversion_time_agg holds too many durations")));
		c->us = repalloc(c->us, sizeof(int64) * cap);
		c->cap = cap;
	}
}

Datum
conversion_time_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = b2b_agg_context(fcinfo, "conversion_time_trans");
	ConvState  *c = PG_ARGISNULL(0) ? NULL : (ConvState *) PG_GETARG_POINTER(0);
	int			from,
				to,
				n;
	const JStay *s;
	int64		us;

	if (PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("conversion_time_agg stages cannot be NULL"),
				 errhint("Give both stages, e.g. conversion_time_agg(j, 'awareness', 'purchase').")));
	from = PG_GETARG_JOURNEY_STAGE_CHECKED(2);
	to = PG_GETARG_JOURNEY_STAGE_CHECKED(3);
	check_stage_order(from, to, "conversion_time_agg");
	if (c == NULL)
		c = conv_new(ctx, from, to, 16);
	else if (c->from != from || c->to != to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("conversion_time_agg stages must be the same for every row of a group"),
				 errhint("Pass constant stages.")));
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(c);
	s = journey_stays_arg(fcinfo, 1, &n);
	if (first_reached_idx(s, n, from) < 0)
		PG_RETURN_POINTER(c);
	c->reached++;
	if (time_to_stage(s, n, from, to, &us))
	{
		conv_reserve(c, 1);
		c->us[c->n++] = us;
	}
	PG_RETURN_POINTER(c);
}

Datum
conversion_time_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = b2b_agg_context(fcinfo, "conversion_time_combine");
	ConvState  *a = PG_ARGISNULL(0) ? NULL : (ConvState *) PG_GETARG_POINTER(0);
	ConvState  *b = PG_ARGISNULL(1) ? NULL : (ConvState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		a = conv_new(ctx, b->from, b->to, b->n);
	}
	else if (a->from != b->from || a->to != b->to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("conversion_time_agg stages must be the same for every row of a group"),
				 errhint("Pass constant stages.")));
	{
		MemoryContext old = MemoryContextSwitchTo(ctx);

		conv_reserve(a, b->n);
		MemoryContextSwitchTo(old);
	}
	memcpy(a->us + a->n, b->us, sizeof(int64) * b->n);
	a->n += b->n;
	a->reached += b->reached;
	PG_RETURN_POINTER(a);
}

Datum
conversion_time_serialize(PG_FUNCTION_ARGS)
{
	ConvState  *c;
	StringInfoData buf;
	int64		i;

	b2b_agg_context(fcinfo, "conversion_time_serialize");
	c = (ConvState *) PG_GETARG_POINTER(0);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CONV_SER_VERSION);
	pq_sendbyte(&buf, c->from);
	pq_sendbyte(&buf, c->to);
	pq_sendint64(&buf, c->reached);
	pq_sendint64(&buf, c->n);
	for (i = 0; i < c->n; i++)
		pq_sendint64(&buf, c->us[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
conversion_time_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = b2b_agg_context(fcinfo, "conversion_time_deserialize");
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	ConvState  *c;
	int			version,
				from,
				to;
	int64		reached,
				n,
				i;

	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	if (buf.len < 19)
		corrupt("conversion_time_agg state too short");
	version = pq_getmsgbyte(&buf);
	from = pq_getmsgbyte(&buf);
	to = pq_getmsgbyte(&buf);
	reached = (int64) pq_getmsgint64(&buf);
	n = (int64) pq_getmsgint64(&buf);
	if (version != CONV_SER_VERSION || from < 1 || from > B2B_NSTAGES ||
		to < from || to > B2B_NSTAGES || n < 0 || reached < n ||
		n != (buf.len - buf.cursor) / 8 || (buf.len - buf.cursor) % 8 != 0)
		corrupt("conversion_time_agg state is inconsistent");
	c = conv_new(ctx, from, to, n);
	c->reached = reached;
	for (i = 0; i < n; i++)
	{
		c->us[i] = (int64) pq_getmsgint64(&buf);
		if (c->us[i] < 0)
			corrupt("negative duration in conversion_time_agg state");
	}
	c->n = n;
	PG_RETURN_POINTER(c);
}

static int
int64_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a,
				y = *(const int64 *) b;

	return x < y ? -1 : x > y;
}

/* (journeys, converted, conversion, mean, median) */
Datum
conversion_time_final(PG_FUNCTION_ARGS)
{
	ConvState  *c;
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false};
	int64		i;

	b2b_agg_context(fcinfo, "conversion_time_final");
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("conversion_time_final must return a composite type")));
	tupdesc = BlessTupleDesc(tupdesc);
	if (PG_ARGISNULL(0))
	{
		values[0] = Int64GetDatum(0);
		values[1] = Int64GetDatum(0);
		nulls[2] = nulls[3] = nulls[4] = true;
	}
	else
	{
		int64	   *us;
		int128		sum = 0;

		c = (ConvState *) PG_GETARG_POINTER(0);
		values[0] = Int64GetDatum(c->reached);
		values[1] = Int64GetDatum(c->n);
		if (c->reached > 0)
			values[2] = Float8GetDatum((double) c->n / (double) c->reached);
		else
			nulls[2] = true;
		if (c->n == 0)
			nulls[3] = nulls[4] = true;
		else
		{
			/* sort a copy: the final function may run again on the state */
			us = palloc(sizeof(int64) * c->n);
			memcpy(us, c->us, sizeof(int64) * c->n);
			qsort(us, c->n, sizeof(int64), int64_cmp);
			for (i = 0; i < c->n; i++)
				sum += us[i];
			/* mean and median rounded to the microsecond, half away from zero */
			values[3] = IntervalPGetDatum(interval_from_usecs((int64) ((sum + c->n / 2) / c->n)));
			if (c->n % 2)
				values[4] = IntervalPGetDatum(interval_from_usecs(us[c->n / 2]));
			else
			{
				int64		lo = us[c->n / 2 - 1],
							hi = us[c->n / 2];

				values[4] = IntervalPGetDatum(interval_from_usecs(lo + (hi - lo + 1) / 2));
			}
		}
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * The UTC timestamp text of journey output, for the other summary types'
 * JSON (touch_path): written by append_ts, read back by journey_parse_ts.
 */
void
b2b_append_ts(StringInfo buf, int64 t)
{
	append_ts(buf, t);
}

int
b2b_parse_ts(const char *s, size_t len, int64_t *out, void *arg)
{
	return journey_parse_ts(s, len, out, arg);
}
