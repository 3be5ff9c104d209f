/*
 * attribution_path.c — the touch_path type: touch_path_agg(ts, channel
 * [, stage]), rollup(touch_path), its text and binary forms and accessors.
 *
 * The aggregate's state is the touch_path itself, updated in place (SPEC
 * §1): touches are appended as they come, names in first-seen order; the
 * final function sorts the names and the touches, so the result of any
 * split of the rows (parallel workers, partitions, Citus shards) is the
 * same path.  A path is not bounded (it grows with its touches), like a
 * journey; the channel names of one path are capped at ATTR_MAX_CHANNELS.
 */
#include "b2btarget.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "attribution.h"
#include "json_core.h"
#include "stage_core.h"

PG_FUNCTION_INFO_V1(touch_path_in);
PG_FUNCTION_INFO_V1(touch_path_out);
PG_FUNCTION_INFO_V1(touch_path_recv);
PG_FUNCTION_INFO_V1(touch_path_send);
PG_FUNCTION_INFO_V1(touch_path_trans);
PG_FUNCTION_INFO_V1(touch_path_combine);
PG_FUNCTION_INFO_V1(touch_path_final);
PG_FUNCTION_INFO_V1(touch_path_touch_count);
PG_FUNCTION_INFO_V1(touch_path_skipped_rows);
PG_FUNCTION_INFO_V1(touch_path_string);

#define TP_MAX_TOUCHES ((int) ((MaxAllocSize - TP_HDRSZ) / (sizeof(TouchEntry) + ATTR_MAX_NAME + 1)))

static const char *touch_path_hint =
"A touch_path is JSON: {\"touches\": [[\"2025-05-01 09:00:00+00\", \"webinar\"], [\"2025-05-02 10:00:00+00\", \"demo\", \"decision\"], ...], \"skipped\": 0}: each touch a UTC timestamp as touch_path output writes it, a channel name and an optional journey stage.";

static void
tp_corrupt(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("touch_path value is corrupt: %s", what)));
}

static TouchPath *
tp_alloc(int tcap, int names_cap, int flags)
{
	Size		sz = TP_HDRSZ + (Size) tcap * sizeof(TouchEntry) + names_cap;
	TouchPath  *p = (TouchPath *) palloc0(sz);

	SET_VARSIZE(p, sz);
	p->version = TOUCH_PATH_VERSION;
	p->flags = flags;
	p->tcap = tcap;
	return p;
}

/* Room for one more touch and name bytes more; a copy when it does not fit. */
static TouchPath *
tp_reserve(TouchPath *p, int touches, int name_bytes)
{
	int64		tcap = p->tcap,
				ncap = TP_NAMES_CAP(p);
	TouchPath  *np;

	if ((int64) p->n + touches <= tcap && (int64) p->names_len + name_bytes <= ncap)
		return p;
	if ((int64) p->n + touches > TP_MAX_TOUCHES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("touch_path would have more than %d touches", TP_MAX_TOUCHES),
				 errhint("Aggregate the touches of one entity per path.")));
	while (p->n + touches > tcap)
		tcap = tcap < 4 ? 4 : tcap * 2;
	while (p->names_len + name_bytes > ncap)
		ncap = ncap < 32 ? 32 : ncap * 2;
	np = tp_alloc((int) tcap, (int) ncap, p->flags);
	np->nchannels = p->nchannels;
	np->n = p->n;
	np->names_len = p->names_len;
	np->skipped = p->skipped;
	memcpy(np->touches, p->touches, sizeof(TouchEntry) * p->n);
	memcpy(TP_NAMES(np), TP_NAMES(p), p->names_len);
	return np;
}

/* Index of channel name (len bytes) among p's names, or -1. */
static int
tp_find(const TouchPath *p, const char *name, int len)
{
	const char *s = TP_NAMES(p);
	int			i;

	for (i = 0; i < p->nchannels; i++)
	{
		int			l = strlen(s);

		if (l == len && memcmp(s, name, len) == 0)
			return i;
		s += l + 1;
	}
	return -1;
}

static void
check_channel_name(const char *name, int len)
{
	const char *problem = attr_channel_name_problem(name, len);

	if (problem)
		ereport(ERROR,
				(errcode(len > ATTR_MAX_NAME ? ERRCODE_STRING_DATA_RIGHT_TRUNCATION : ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid channel name \"%.*s\"", Min(len, 64), name),
				 errdetail("%s.", problem),
				 errhint("A channel is a non-empty name of at most %d bytes; an empty or NULL channel is skipped and counted.", ATTR_MAX_NAME)));
}

/* The channel index of name in *pp, adding the name (may grow *pp). */
static int
tp_channel(TouchPath **pp, const char *name, int len)
{
	TouchPath  *p = *pp;
	int			i = tp_find(p, name, len);

	if (i >= 0)
		return i;
	check_channel_name(name, len);
	if (p->nchannels >= ATTR_MAX_CHANNELS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("touch_path would have more than %d distinct channels", ATTR_MAX_CHANNELS),
				 errhint("Map detailed sources to at most %d channels (e.g. with a CASE or a lookup table) before touch_path_agg.", ATTR_MAX_CHANNELS)));
	p = *pp = tp_reserve(p, 0, len + 1);
	memcpy(TP_NAMES(p) + p->names_len, name, len);
	TP_NAMES(p)[p->names_len + len] = '\0';
	p->names_len += len + 1;
	return p->nchannels++;
}

/* What is wrong with a touch_path, or NULL. */
static const char *
tp_problem(const TouchPath *p)
{
	const char *s,
			   *end;
	const char *prev = NULL;
	int			i;
	int			used[ATTR_MAX_CHANNELS];

	if (VARSIZE(p) < TP_HDRSZ)
		return "bad size";
	if ((p->flags & ~TP_UNSORTED) != 0 || p->reserved != 0)
		return "bad flags";
	if (p->n < 0 || p->tcap < p->n || p->names_len < 0 || p->skipped < 0 ||
		p->nchannels > ATTR_MAX_CHANNELS ||
		(int64) p->tcap * (int64) sizeof(TouchEntry) > (int64) VARSIZE(p) - (int64) TP_HDRSZ ||
		p->names_len > TP_NAMES_CAP(p))
		return "bad counts";
	if (p->flags == 0 && (p->tcap != p->n || p->names_len != TP_NAMES_CAP(p)))
		return "bad size";
	s = TP_NAMES(p);
	end = s + p->names_len;
	for (i = 0; i < p->nchannels; i++)
	{
		const char *z = memchr(s, '\0', end - s);

		if (z == NULL || attr_channel_name_problem(s, z - s) != NULL)
			return "bad channel name";
		if (p->flags == 0 && prev && strcmp(prev, s) >= 0)
			return "channel names out of order";
		prev = s;
		s = z + 1;
		used[i] = 0;
	}
	if (s != end)
		return "bad channel names";
	for (i = 0; i < p->n; i++)
	{
		const TouchEntry *t = &p->touches[i];

		if (!IS_VALID_TIMESTAMP(t->ts) || t->ch >= p->nchannels ||
			t->stage > B2B_NSTAGES || t->reserved != 0 || t->reserved2 != 0)
			return "bad touch";
		used[t->ch] = 1;
		if (p->flags == 0 && i > 0)
		{
			const TouchEntry *u = &p->touches[i - 1];

			if (u->ts > t->ts || (u->ts == t->ts && (u->ch > t->ch ||
													 (u->ch == t->ch && u->stage > t->stage))))
				return "touches out of order";
		}
	}
	if (p->flags == 0)
		for (i = 0; i < p->nchannels; i++)
			if (!used[i])
				return "unused channel name";
	return NULL;
}

/* Check a detoasted touch_path from disk, another node or a worker. */
TouchPath *
touch_path_validate(TouchPath *p)
{
	const char *problem;

	if (VARSIZE(p) < TP_HDRSZ)
		tp_corrupt("bad size");
	b2b_check_version(p->version, TOUCH_PATH_VERSION, "touch_path");
	if ((problem = tp_problem(p)) != NULL)
		tp_corrupt(problem);
	return p;
}

static int
touch_cmp(const void *a, const void *b)
{
	const TouchEntry *x = a,
			   *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->ch != y->ch)
		return x->ch < y->ch ? -1 : 1;
	return (int) x->stage - (int) y->stage;
}

static const char *const *sort_names_base;

static int
name_idx_cmp(const void *a, const void *b)
{
	return strcmp(sort_names_base[*(const int *) a], sort_names_base[*(const int *) b]);
}

/*
 * The stored form of p: names sorted and only those used, touches sorted
 * by (ts, channel, stage), exact size.  p itself when it is that already.
 */
static TouchPath *
tp_normalized(TouchPath *p)
{
	const char *names[ATTR_MAX_CHANNELS];
	int			order[ATTR_MAX_CHANNELS];
	int			rank[ATTR_MAX_CHANNELS];
	int			used[ATTR_MAX_CHANNELS] = {0};
	const char *s = TP_NAMES(p);
	int			i,
				k = 0,
				len = 0;
	TouchPath  *r;
	char	   *dst;

	if (p->flags == 0)
		return p;
	for (i = 0; i < p->nchannels; i++)
	{
		names[i] = s;
		s += strlen(s) + 1;
	}
	for (i = 0; i < p->n; i++)
		used[p->touches[i].ch] = 1;
	for (i = 0; i < p->nchannels; i++)
		if (used[i])
		{
			order[k++] = i;
			len += strlen(names[i]) + 1;
		}
	sort_names_base = names;
	qsort(order, k, sizeof(int), name_idx_cmp);
	r = tp_alloc(p->n, len, 0);
	r->n = p->n;
	r->nchannels = k;
	r->names_len = len;
	r->skipped = p->skipped;
	dst = TP_NAMES(r);
	for (i = 0; i < k; i++)
	{
		int			l = strlen(names[order[i]]) + 1;

		rank[order[i]] = i;
		memcpy(dst, names[order[i]], l);
		dst += l;
	}
	for (i = 0; i < p->n; i++)
	{
		r->touches[i] = p->touches[i];
		r->touches[i].ch = rank[p->touches[i].ch];
	}
	qsort(r->touches, r->n, sizeof(TouchEntry), touch_cmp);
	return r;
}

/* The names of a stored path by channel index (palloc'd array). */
static const char **
tp_name_array(const TouchPath *p)
{
	const char **names = palloc(sizeof(char *) * Max(p->nchannels, 1));
	const char *s = TP_NAMES(p);
	int			i;

	for (i = 0; i < p->nchannels; i++)
	{
		names[i] = s;
		s += strlen(s) + 1;
	}
	return names;
}

/* ---------------------------------------------------------------------
 * Text and binary I/O
 * --------------------------------------------------------------------- */

static void
append_json_string(StringInfo buf, const char *s)
{
	/* escape_json writes a JSON string literal with its quotes */
	escape_json(buf, s);
}

Datum
touch_path_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	APText		t;
	char		err[BJ_ERR_SIZE];
	const char *problem;
	TouchPath  *p;
	size_t		i;

	problem = touch_path_parse(str, strlen(str), TP_MAX_TOUCHES, b2b_parse_ts, NULL,
							   &t, palloc, pfree, err, sizeof(err));
	if (problem)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type touch_path: \"%s\"", str),
						 errdetail("%s", problem),
						 errhint("%s", touch_path_hint)));
	p = tp_alloc((int) t.n, 64, TP_UNSORTED);
	p->skipped = t.skipped;
	for (i = 0; i < t.n; i++)
	{
		const char *name = t.names + t.touches[i].name;
		int			ch = tp_channel(&p, name, strlen(name));
		TouchEntry *e = &p->touches[p->n++];

		e->ts = t.touches[i].ts;
		e->ch = ch;
		e->stage = t.touches[i].stage;
	}
	pfree(t.touches);
	pfree(t.names);
	PG_RETURN_POINTER(tp_normalized(p));
}

Datum
touch_path_out(PG_FUNCTION_ARGS)
{
	TouchPath  *p = tp_normalized(PG_GETARG_TOUCH_PATH(0));
	const char **names = tp_name_array(p);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "{\"touches\": [");
	for (i = 0; i < p->n; i++)
	{
		const TouchEntry *t = &p->touches[i];

		appendStringInfoString(&buf, i ? ", [\"" : "[\"");
		b2b_append_ts(&buf, t->ts);
		appendStringInfoString(&buf, "\", ");
		append_json_string(&buf, names[t->ch]);
		if (t->stage)
			appendStringInfo(&buf, ", \"%s\"", stage_name(t->stage));
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfo(&buf, "], \"skipped\": " INT64_FORMAT "}", p->skipped);
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: version byte, int64 skipped, int16 channels, each an int16
 * length and its bytes (ascending), int32 touches, each int64 ts, int16
 * channel index, a stage byte (0 = none).  Receive checks everything the
 * stored form requires.
 */
Datum
touch_path_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	TouchPath  *p;
	int			version,
				nch,
				n,
				i,
				len = 0;
	int64		skipped;
	int			start;
	char	   *dst;

#define TP_RECV_FAIL(...) ereport(ERROR, \
		(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION), \
		 errmsg("invalid binary touch_path: " __VA_ARGS__)))

	if (buf->len - buf->cursor < 11)
		TP_RECV_FAIL("%d bytes is too short", buf->len - buf->cursor);
	version = pq_getmsgbyte(buf);
	if (version != TOUCH_PATH_VERSION)
		TP_RECV_FAIL("unknown version %d", version);
	skipped = (int64) pq_getmsgint64(buf);
	if (skipped < 0)
		TP_RECV_FAIL("negative skipped count");
	nch = (int16) pq_getmsgint(buf, 2);
	if (nch < 0 || nch > ATTR_MAX_CHANNELS)
		TP_RECV_FAIL("%d channels", nch);
	start = buf->cursor;
	for (i = 0; i < nch; i++)
	{
		int			l;

		if (buf->len - buf->cursor < 2)
			TP_RECV_FAIL("truncated channel name");
		l = (int16) pq_getmsgint(buf, 2);
		if (l < 0 || buf->len - buf->cursor < l)
			TP_RECV_FAIL("truncated channel name");
		buf->cursor += l;
		len += l + 1;
	}
	if (buf->len - buf->cursor < 4)
		TP_RECV_FAIL("truncated touch count");
	n = (int) pq_getmsgint(buf, 4);
	if (n < 0 || n > TP_MAX_TOUCHES || (int64) (buf->len - buf->cursor) != (int64) n * 11)
		TP_RECV_FAIL("%d touches do not match the %d bytes that follow", n, buf->len - buf->cursor);
	p = tp_alloc(n, len, 0);
	p->skipped = skipped;
	p->nchannels = nch;
	p->names_len = len;
	p->n = n;
	buf->cursor = start;
	dst = TP_NAMES(p);
	for (i = 0; i < nch; i++)
	{
		int			l = (int16) pq_getmsgint(buf, 2);
		const char *s = pq_getmsgbytes(buf, l);

		if (attr_channel_name_problem(s, l) != NULL)
			TP_RECV_FAIL("bad channel name");
		memcpy(dst, s, l);
		dst[l] = '\0';
		dst += l + 1;
	}
	pq_getmsgint(buf, 4);
	for (i = 0; i < n; i++)
	{
		TouchEntry *t = &p->touches[i];

		t->ts = (int64) pq_getmsgint64(buf);
		t->ch = (uint16) pq_getmsgint(buf, 2);
		t->stage = pq_getmsgbyte(buf);
		if (!IS_VALID_TIMESTAMP(t->ts))
			TP_RECV_FAIL("timestamp out of range");
		if (t->ch >= nch || t->stage > B2B_NSTAGES)
			TP_RECV_FAIL("bad touch");
	}
	{
		const char *problem = tp_problem(p);

		if (problem)
			TP_RECV_FAIL("%s", problem);
	}
	PG_RETURN_POINTER(p);
}

Datum
touch_path_send(PG_FUNCTION_ARGS)
{
	TouchPath  *p = tp_normalized(PG_GETARG_TOUCH_PATH(0));
	const char **names = tp_name_array(p);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, TOUCH_PATH_VERSION);
	pq_sendint64(&buf, p->skipped);
	pq_sendint16(&buf, p->nchannels);
	for (i = 0; i < p->nchannels; i++)
	{
		int			l = strlen(names[i]);

		pq_sendint16(&buf, l);
		pq_sendbytes(&buf, names[i], l);
	}
	pq_sendint32(&buf, p->n);
	for (i = 0; i < p->n; i++)
	{
		pq_sendint64(&buf, p->touches[i].ts);
		pq_sendint16(&buf, p->touches[i].ch);
		pq_sendbyte(&buf, p->touches[i].stage);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------------
 * Aggregates
 * --------------------------------------------------------------------- */

/*
 * touch_path_agg(ts, channel [, stage]) transition.  Non-strict: a row with
 * a NULL ts or channel, or an empty channel name, is skipped and counted.
 */
Datum
touch_path_trans(PG_FUNCTION_ARGS)
{
	TouchPath  *p;
	TimestampTz ts;
	text	   *chan;
	int			ch,
				stage = 0;
	TouchEntry *e;

	b2b_agg_context(fcinfo, "touch_path_trans");
	if (PG_ARGISNULL(0))
		p = tp_alloc(4, 32, TP_UNSORTED);
	else
		p = (TouchPath *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) ||
		VARSIZE_ANY_EXHDR(chan = PG_GETARG_TEXT_PP(2)) == 0)
	{
		p->skipped++;
		PG_RETURN_POINTER(p);
	}
	ts = PG_GETARG_TIMESTAMPTZ(1);
	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("touch timestamp cannot be %s",
						TIMESTAMP_IS_NOBEGIN(ts) ? "-infinity" : "infinity"),
				 errhint("Filter such rows out, e.g. WHERE isfinite(ts).")));
	if (PG_NARGS() > 3 && !PG_ARGISNULL(3))
		stage = PG_GETARG_JOURNEY_STAGE_CHECKED(3);

	/* the same channel as the last touch is the common case */
	if (p->n > 0)
	{
		const TouchEntry *last = &p->touches[p->n - 1];
		const char *s = TP_NAMES(p);
		int			i;

		for (i = 0; i < last->ch; i++)
			s += strlen(s) + 1;
		if ((int) strlen(s) == (int) VARSIZE_ANY_EXHDR(chan) &&
			memcmp(s, VARDATA_ANY(chan), VARSIZE_ANY_EXHDR(chan)) == 0)
			ch = last->ch;
		else
			ch = tp_channel(&p, VARDATA_ANY(chan), VARSIZE_ANY_EXHDR(chan));
	}
	else
		ch = tp_channel(&p, VARDATA_ANY(chan), VARSIZE_ANY_EXHDR(chan));
	p = tp_reserve(p, 1, 0);
	e = &p->touches[p->n++];
	e->ts = ts;
	e->ch = ch;
	e->stage = stage;
	PG_RETURN_POINTER(p);
}

/* Combine (and rollup's transition): append b's touches to a. */
Datum
touch_path_combine(PG_FUNCTION_ARGS)
{
	TouchPath  *a;
	TouchPath  *b;
	const char **names;
	int			map[ATTR_MAX_CHANNELS];
	int			i;

	b2b_agg_context(fcinfo, "touch_path_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	b = PG_GETARG_TOUCH_PATH(1);
	if (PG_ARGISNULL(0))
		a = tp_alloc(Max(b->n, 4), Max(b->names_len, 32), TP_UNSORTED);
	else
		a = (TouchPath *) PG_GETARG_POINTER(0);
	if (pg_add_s64_overflow(a->skipped, b->skipped, &a->skipped))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("touch_path skipped count out of range")));
	names = tp_name_array(b);
	for (i = 0; i < b->nchannels; i++)
		map[i] = tp_channel(&a, names[i], strlen(names[i]));
	a = tp_reserve(a, b->n, 0);
	for (i = 0; i < b->n; i++)
	{
		TouchEntry *e = &a->touches[a->n++];

		*e = b->touches[i];
		e->ch = map[b->touches[i].ch];
	}
	a->flags |= TP_UNSORTED;
	PG_RETURN_POINTER(a);
}

Datum
touch_path_final(PG_FUNCTION_ARGS)
{
	b2b_agg_context(fcinfo, "touch_path_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(tp_normalized((TouchPath *) PG_GETARG_POINTER(0)));
}

/* ---------------------------------------------------------------------
 * Accessors
 * --------------------------------------------------------------------- */

Datum
touch_path_touch_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_TOUCH_PATH(0)->n);
}

Datum
touch_path_skipped_rows(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_TOUCH_PATH(0)->skipped);
}

/* 'web > email > demo': the channels in path order (repeats kept). */
Datum
touch_path_string(PG_FUNCTION_ARGS)
{
	TouchPath  *p = tp_normalized(PG_GETARG_TOUCH_PATH(0));
	const char **names = tp_name_array(p);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < p->n; i++)
	{
		if (i)
			appendStringInfoString(&buf, " > ");
		appendStringInfoString(&buf, names[p->touches[i].ch]);
	}
	PG_RETURN_TEXT_P(cstring_to_text(buf.data));
}
