/*
 * survival.c — the survival (Kaplan–Meier) and cumulative_incidence
 * (Aalen–Johansen) summary types (SPEC §10): survival_agg(duration, event),
 * cumulative_incidence_agg(duration, outcome), rollup, survival_table,
 * survival_at, median_survival, cumulative_incidence_table.
 *
 * State.  Exact Kaplan–Meier needs every distinct duration with its event
 * and censoring counts, so the state grows with the distinct durations (not
 * with the rows).  It is still the stored type itself, as journey_agg's is
 * (SPEC §1: Citus ships it as text; rollup merges stored values exactly):
 * a sorted, coalesced list of points (time, outcome, count) plus, while
 * aggregating, an unsorted tail of new points.  A row whose point is
 * already in the sorted list bumps its count in place (binary search), so
 * with tied durations the state stops growing; a full tail is sorted and
 * merged into the list.  Both types share this layout; the cumulative
 * incidence value also carries the outcome names (up to 32).
 *
 * The math is in survival_core.c.
 */
#include "b2btarget.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "dynamics.h"
#include "json_core.h"
#include "survival_core.h"

PG_FUNCTION_INFO_V1(survival_in);
PG_FUNCTION_INFO_V1(survival_out);
PG_FUNCTION_INFO_V1(survival_recv);
PG_FUNCTION_INFO_V1(survival_send);
PG_FUNCTION_INFO_V1(cumulative_incidence_in);
PG_FUNCTION_INFO_V1(cumulative_incidence_out);
PG_FUNCTION_INFO_V1(cumulative_incidence_recv);
PG_FUNCTION_INFO_V1(cumulative_incidence_send);
PG_FUNCTION_INFO_V1(survival_trans);
PG_FUNCTION_INFO_V1(cumulative_incidence_trans);
PG_FUNCTION_INFO_V1(survival_combine);
PG_FUNCTION_INFO_V1(cumulative_incidence_combine);
PG_FUNCTION_INFO_V1(survival_final);
PG_FUNCTION_INFO_V1(survival_table);
PG_FUNCTION_INFO_V1(survival_at);
PG_FUNCTION_INFO_V1(survival_median);
PG_FUNCTION_INFO_V1(survival_observations);
PG_FUNCTION_INFO_V1(cumulative_incidence_table);

#define SURV_VERSION 1
#define SURV_KIND_KM	1
#define SURV_KIND_CIF	2

#define SURV_STATE		0x01	/* aggregate state: tail and name order free */

#define SURV_SLOT (SURV_NAME_MAX + 1)	/* bytes per outcome name */

typedef struct Surv
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		kind;
	uint16		flags;
	int32		n;				/* sorted, coalesced points */
	int32		pending;		/* unsorted points after them (states only) */
	int32		noutcomes;		/* 1 for survival */
	int32		reserved;		/* 0 */
	int64		skipped;		/* rows with a NULL duration (or event) */
	char		data[FLEXIBLE_ARRAY_MEMBER];	/* names, then SPoints */
} Surv;

#define SURV_HDRSZ offsetof(Surv, data)
#define SURV_NAMES_SIZE(s) ((s)->kind == SURV_KIND_CIF ? (Size) (s)->noutcomes * SURV_SLOT : 0)
#define SURV_NAME(s, k) ((s)->data + (Size) (k) * SURV_SLOT)	/* outcome k + 1 */
#define SURV_POINTS(s) ((SPoint *) ((s)->data + SURV_NAMES_SIZE(s)))
#define SURV_CAPACITY(s) ((int64) ((VARSIZE(s) - SURV_HDRSZ - SURV_NAMES_SIZE(s)) / sizeof(SPoint)))
#define SURV_MAX_POINTS ((int) ((MaxAllocSize - SURV_HDRSZ - SURV_MAX_OUTCOMES * SURV_SLOT) / sizeof(SPoint)))

/* the tail a state may collect before it is merged (at least) */
#define SURV_MIN_TAIL 1024
/* the sorted list is searched for each new row while at most this long */
#define SURV_SEARCH_MAX 65536

static const char *const kind_name[] = {NULL, "survival", "cumulative_incidence"};

static const char *surv_hint =
"A survival value is JSON: {\"points\": [[time_us, events, censored], ...], \"skipped\": 0}, times in microseconds, increasing; build it with survival_agg(duration, event).";
static const char *cif_hint =
"A cumulative_incidence value is JSON: {\"outcomes\": [\"lost\", \"won\"], \"points\": [[time_us, censored, n_lost, n_won], ...], \"skipped\": 0}, outcomes in byte order, times in microseconds, increasing; build it with cumulative_incidence_agg(duration, outcome).";

/* ---------------------------------------------------------------------
 * Allocation, validation, canonical form
 * --------------------------------------------------------------------- */

static Surv *
surv_alloc(int kind, int noutcomes, int64 cap)
{
	Size		names = kind == SURV_KIND_CIF ? (Size) noutcomes * SURV_SLOT : 0;
	Surv	   *s;

	if (cap > SURV_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s would have more than %d distinct points", kind_name[kind], SURV_MAX_POINTS),
				 errhint("Round the durations (e.g. to whole days: date_trunc('day', d)) so that fewer are distinct.")));
	s = (Surv *) palloc0(SURV_HDRSZ + names + (Size) cap * sizeof(SPoint));
	SET_VARSIZE(s, SURV_HDRSZ + names + (Size) cap * sizeof(SPoint));
	s->version = SURV_VERSION;
	s->kind = kind;
	s->noutcomes = noutcomes;
	return s;
}

static void
surv_corrupt(int kind, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("%s value is corrupt: %s", kind_name[kind], what)));
}

static bool
names_sorted(const Surv *s)
{
	int			k;

	for (k = 1; k < s->noutcomes; k++)
		if (strcmp(SURV_NAME(s, k - 1), SURV_NAME(s, k)) >= 0)
			return false;
	return true;
}

/* Check a detoasted value (stored, or an aggregate state from a worker). */
static Surv *
surv_validate(Surv *s, int kind)
{
	int			k;
	const char *e;
	int64		i;

	if (VARSIZE(s) < SURV_HDRSZ)
		surv_corrupt(kind, "bad size");
	b2b_check_version(s->version, SURV_VERSION, kind_name[kind]);
	if (s->kind != kind || (s->flags & ~SURV_STATE) != 0 || s->reserved != 0)
		surv_corrupt(kind, "bad header");
	if (s->noutcomes < 0 || s->noutcomes > SURV_MAX_OUTCOMES ||
		(kind == SURV_KIND_KM && s->noutcomes != 1))
		surv_corrupt(kind, "bad outcome count");
	if (VARSIZE(s) < SURV_HDRSZ + SURV_NAMES_SIZE(s) ||
		(VARSIZE(s) - SURV_HDRSZ - SURV_NAMES_SIZE(s)) % sizeof(SPoint) != 0)
		surv_corrupt(kind, "bad size");
	if (s->n < 0 || s->pending < 0 || s->skipped < 0 ||
		(int64) s->n + s->pending > SURV_CAPACITY(s))
		surv_corrupt(kind, "bad counts");
	if (!(s->flags & SURV_STATE) && (s->pending != 0 || (int64) s->n != SURV_CAPACITY(s)))
		surv_corrupt(kind, "bad counts");
	if (kind == SURV_KIND_CIF)
	{
		for (k = 0; k < s->noutcomes; k++)
		{
			const char *nm = SURV_NAME(s, k);

			if (memchr(nm, '\0', SURV_SLOT) == NULL || nm[0] == '\0')
				surv_corrupt(kind, "bad outcome name");
		}
		for (k = 0; k < s->noutcomes; k++)
		{
			int			m;

			for (m = k + 1; m < s->noutcomes; m++)
				if (strcmp(SURV_NAME(s, k), SURV_NAME(s, m)) == 0)
					surv_corrupt(kind, "duplicate outcome name");
		}
		if (!(s->flags & SURV_STATE) && !names_sorted(s))
			surv_corrupt(kind, "outcome names out of order");
	}
	if ((e = spoints_check(SURV_POINTS(s), s->n, s->noutcomes)) != NULL)
		surv_corrupt(kind, e);
	for (i = s->n; i < (int64) s->n + s->pending; i++)
		if ((e = spoint_check1(&SURV_POINTS(s)[i], s->noutcomes)) != NULL)
			surv_corrupt(kind, e);
	return s;
}

#define PG_GETARG_SURV(n, kind) \
	surv_validate((Surv *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)), kind)

static void
count_overflow(int kind)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s count out of range", kind_name[kind])));
}

/*
 * A copy of s with its tail sorted and merged in, room for extra more
 * points, the flags of a state (extra > 0) or of a stored value (extra 0,
 * names sorted, points remapped).  s's own tail is sorted in place.
 */
static Surv *
surv_compact(Surv *s, int64 extra)
{
	SPoint	   *p = SURV_POINTS(s);
	size_t		np = s->pending;
	SPoint	   *q;
	Surv	   *r;
	size_t		i = 0,
				j = 0,
				k = 0;
	SPoint	   *tail = p + s->n;

	spoints_sort(tail, np);
	if (!spoints_coalesce(tail, &np))
		count_overflow(s->kind);
	r = surv_alloc(s->kind, s->noutcomes, (int64) s->n + np + extra);
	r->skipped = s->skipped;
	memcpy(r->data, s->data, SURV_NAMES_SIZE(s));
	q = SURV_POINTS(r);
	while (i < (size_t) s->n || j < np)
	{
		int			c;

		if (i >= (size_t) s->n)
			c = 1;
		else if (j >= np)
			c = -1;
		else
			c = spoint_cmp(&p[i], &tail[j]);
		if (c < 0)
			q[k++] = p[i++];
		else if (c > 0)
			q[k++] = tail[j++];
		else
		{
			q[k] = p[i++];
			if (q[k].count > PG_INT64_MAX - tail[j].count)
				count_overflow(s->kind);
			q[k++].count += tail[j++].count;
		}
	}
	r->n = (int32) k;
	if (extra > 0)
		r->flags = SURV_STATE;
	else
	{
		SET_VARSIZE(r, SURV_HDRSZ + SURV_NAMES_SIZE(r) + k * sizeof(SPoint));
		if (r->kind == SURV_KIND_CIF && !names_sorted(r))
		{
			/* sort the names (bytewise) and renumber the points */
			int			order[SURV_MAX_OUTCOMES];
			int			newidx[SURV_MAX_OUTCOMES + 1];
			char		names[SURV_MAX_OUTCOMES][SURV_SLOT];
			int			a,
						b;
			size_t		m;

			for (a = 0; a < r->noutcomes; a++)
				order[a] = a;
			for (a = 1; a < r->noutcomes; a++)
				for (b = a; b > 0 && strcmp(SURV_NAME(r, order[b - 1]), SURV_NAME(r, order[b])) > 0; b--)
				{
					int			x = order[b];

					order[b] = order[b - 1];
					order[b - 1] = x;
				}
			memcpy(names, r->data, SURV_NAMES_SIZE(r));
			newidx[0] = 0;
			for (a = 0; a < r->noutcomes; a++)
			{
				memcpy(SURV_NAME(r, a), names[order[a]], SURV_SLOT);
				newidx[order[a] + 1] = a + 1;
			}
			for (m = 0; m < k; m++)
				q[m].outcome = newidx[q[m].outcome];
			spoints_sort(q, k);
		}
		{
			const char *e = spoints_check(q, k, r->noutcomes);

			if (e != NULL)
				count_overflow(r->kind);	/* only the total can fail here */
		}
	}
	return r;
}

/*
 * A copy of state a with the sorted points b[0..nb) (outcomes renumbered
 * by map, which keeps their order) merged into its sorted list; a's tail
 * is carried over.
 */
static Surv *
surv_merge(Surv *a, const SPoint *b, int64 nb, const int *map)
{
	const SPoint *p = SURV_POINTS(a);
	int64		na = a->n,
				np = a->pending,
				i = 0,
				j = 0,
				k = 0;
	Surv	   *r = surv_alloc(a->kind, a->noutcomes,
							   na + nb + np + Max((na + nb + np) / 4, SURV_MIN_TAIL));
	SPoint	   *q = SURV_POINTS(r);

	r->flags = SURV_STATE;
	r->skipped = a->skipped;
	memcpy(r->data, a->data, SURV_NAMES_SIZE(a));
	while (i < na || j < nb)
	{
		SPoint		y;
		int			c;

		if (((i + j) & 0xFFFFF) == 0xFFFFF)
			CHECK_FOR_INTERRUPTS();
		if (j < nb)
		{
			y = b[j];
			y.outcome = map[y.outcome];
		}
		c = i >= na ? 1 : j >= nb ? -1 : spoint_cmp(&p[i], &y);
		if (c < 0)
			q[k++] = p[i++];
		else if (c > 0)
		{
			q[k++] = y;
			j++;
		}
		else
		{
			q[k] = p[i++];
			if (q[k].count > PG_INT64_MAX - y.count)
				count_overflow(a->kind);
			q[k++].count += y.count;
			j++;
		}
	}
	r->n = (int32) k;
	memcpy(q + k, p + na, np * sizeof(SPoint));
	r->pending = (int32) np;
	return r;
}

/* The canonical (stored) form of s: s itself when it already is. */
static Surv *
surv_canonical(Surv *s)
{
	if (!(s->flags & SURV_STATE))
		return s;
	return surv_compact(s, 0);
}

/*
 * Add count at (time, outcome) to state *sp (ours: in place when the
 * point is known or the tail has room; else a bigger merged copy).
 */
static void
surv_add(Surv **sp, int64 time, int outcome, int64 count)
{
	Surv	   *s = *sp;
	SPoint		key;
	SPoint	   *p = SURV_POINTS(s);
	long		k;

	key.time = time;
	key.outcome = outcome;
	key.reserved = 0;
	key.count = count;
	for (;;)
	{
		/*
		 * Tied durations find their point in the sorted list; once the list
		 * is long (mostly distinct durations) a search costs cache misses
		 * for little gain, and the tail's merge coalesces repeats anyway.
		 */
		k = s->n <= SURV_SEARCH_MAX ? spoints_find(p, s->n, &key) : -1;
		if (k < 0 && s->pending > 0 && spoint_cmp(&p[s->n + s->pending - 1], &key) == 0)
			k = s->n + s->pending - 1;
		if (k >= 0)
		{
			if (p[k].count > PG_INT64_MAX - count)
				count_overflow(s->kind);
			p[k].count += count;
			return;
		}
		if ((int64) s->n + s->pending < SURV_CAPACITY(s))
			break;
		s = *sp = surv_compact(s, Max(((int64) s->n + s->pending) / 4, SURV_MIN_TAIL));
		p = SURV_POINTS(s);
	}
	p[s->n + s->pending] = key;
	s->pending++;
}

/* ---------------------------------------------------------------------
 * Text and binary I/O
 * --------------------------------------------------------------------- */

static Datum
surv_in_common(FunctionCallInfo fcinfo, int kind)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char		err[BJ_ERR_SIZE];
	SText	   *t = palloc(sizeof(SText));
	Surv	   *s;
	int			k;

	if (surv_parse(str, strlen(str), kind == SURV_KIND_CIF, SURV_MAX_POINTS, t,
				   palloc, pfree, err, sizeof(err)) != NULL)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type %s: \"%s\"", kind_name[kind], str),
						 errdetail("%s", err),
						 errhint("%s", kind == SURV_KIND_CIF ? cif_hint : surv_hint)));
	s = surv_alloc(kind, t->noutcomes, t->n);
	s->n = (int32) t->n;
	s->skipped = t->skipped;
	if (kind == SURV_KIND_CIF)
		for (k = 0; k < t->noutcomes; k++)
			strlcpy(SURV_NAME(s, k), t->names[k], SURV_SLOT);
	if (t->n > 0)
	{
		memcpy(SURV_POINTS(s), t->points, t->n * sizeof(SPoint));
		pfree(t->points);
	}
	PG_RETURN_POINTER(s);
}

Datum
survival_in(PG_FUNCTION_ARGS)
{
	return surv_in_common(fcinfo, SURV_KIND_KM);
}

Datum
cumulative_incidence_in(PG_FUNCTION_ARGS)
{
	return surv_in_common(fcinfo, SURV_KIND_CIF);
}

static Datum
surv_out_common(FunctionCallInfo fcinfo, int kind)
{
	Surv	   *s = surv_canonical(PG_GETARG_SURV(0, kind));
	const SPoint *p = SURV_POINTS(s);
	StringInfoData buf;
	int			i = 0,
				k;
	int64		row[SURV_MAX_OUTCOMES + 1];
	bool		first = true;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	if (kind == SURV_KIND_CIF)
	{
		char		q[6 * SURV_SLOT + 3];

		appendStringInfoString(&buf, "\"outcomes\": [");
		for (k = 0; k < s->noutcomes; k++)
		{
			surv_json_string(SURV_NAME(s, k), q);
			appendStringInfo(&buf, "%s%s", k ? ", " : "", q);
		}
		appendStringInfoString(&buf, "], ");
	}
	appendStringInfoString(&buf, "\"points\": [");
	while (i < s->n)
	{
		int64		t = p[i].time;

		memset(row, 0, sizeof(row));
		for (; i < s->n && p[i].time == t; i++)
			row[p[i].outcome] = p[i].count;
		appendStringInfo(&buf, "%s[" INT64_FORMAT, first ? "" : ", ", t);
		if (kind == SURV_KIND_KM)
			appendStringInfo(&buf, ", " INT64_FORMAT ", " INT64_FORMAT, row[1], row[0]);
		else
			for (k = 0; k <= s->noutcomes; k++)
				appendStringInfo(&buf, ", " INT64_FORMAT, row[k]);
		appendStringInfoChar(&buf, ']');
		first = false;
	}
	appendStringInfo(&buf, "], \"skipped\": " INT64_FORMAT "}", s->skipped);
	PG_RETURN_CSTRING(buf.data);
}

Datum
survival_out(PG_FUNCTION_ARGS)
{
	return surv_out_common(fcinfo, SURV_KIND_KM);
}

Datum
cumulative_incidence_out(PG_FUNCTION_ARGS)
{
	return surv_out_common(fcinfo, SURV_KIND_CIF);
}

/*
 * Binary form: version byte, kind byte, int64 skipped, int32 outcome
 * count, per outcome (cumulative_incidence only) a length byte and the
 * name's bytes, int32 point count, per point int64 time, int32 outcome,
 * int64 count.  Always canonical; receive checks every field.
 */
static Datum
surv_recv_common(FunctionCallInfo fcinfo, int kind)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Surv	   *s;
	int			v,
				nout,
				k;
	int64		skipped,
				n,
				i;
	char		names[SURV_MAX_OUTCOMES][SURV_SLOT];
	const char *e;

#define SV_RECV_FAIL(...) ereport(ERROR, \
		(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION), \
		 errmsg("invalid binary %s: %s", kind_name[kind], psprintf(__VA_ARGS__))))
#define SV_NEED(b) do { if (buf->len - buf->cursor < (b)) SV_RECV_FAIL("truncated after %d bytes", buf->cursor); } while (0)

	SV_NEED(14);
	if ((v = pq_getmsgbyte(buf)) != SURV_VERSION)
		SV_RECV_FAIL("unknown version %d", v);
	if ((v = pq_getmsgbyte(buf)) != kind)
		SV_RECV_FAIL("kind %d, expected %d", v, kind);
	skipped = (int64) pq_getmsgint64(buf);
	nout = (int) pq_getmsgint(buf, 4);
	if (skipped < 0)
		SV_RECV_FAIL("negative skipped count");
	if (nout < 0 || nout > SURV_MAX_OUTCOMES || (kind == SURV_KIND_KM && nout != 1))
		SV_RECV_FAIL("%d outcomes", nout);
	if (kind == SURV_KIND_CIF)
		for (k = 0; k < nout; k++)
		{
			int			len;

			SV_NEED(1);
			len = pq_getmsgbyte(buf);
			if (len < 1 || len > SURV_NAME_MAX)
				SV_RECV_FAIL("outcome name of %d bytes", len);
			SV_NEED(len);
			memcpy(names[k], pq_getmsgbytes(buf, len), len);
			names[k][len] = '\0';
			if (strlen(names[k]) != (size_t) len)
				SV_RECV_FAIL("NUL in an outcome name");
			if (k > 0 && strcmp(names[k - 1], names[k]) >= 0)
				SV_RECV_FAIL("outcome names not distinct and in byte order");
		}
	SV_NEED(4);
	n = (int64) (int32) pq_getmsgint(buf, 4);
	if (n < 0 || n > SURV_MAX_POINTS || (int64) (buf->len - buf->cursor) != n * 20)
		SV_RECV_FAIL("%lld points do not match the %d bytes that follow",
					 (long long) n, buf->len - buf->cursor);
	s = surv_alloc(kind, nout, n);
	s->n = (int32) n;
	s->skipped = skipped;
	if (kind == SURV_KIND_CIF)
		for (k = 0; k < nout; k++)
			strlcpy(SURV_NAME(s, k), names[k], SURV_SLOT);
	for (i = 0; i < n; i++)
	{
		SPoint	   *p = &SURV_POINTS(s)[i];

		p->time = (int64) pq_getmsgint64(buf);
		p->outcome = (int32) pq_getmsgint(buf, 4);
		p->count = (int64) pq_getmsgint64(buf);
	}
	if ((e = spoints_check(SURV_POINTS(s), n, nout)) != NULL)
		SV_RECV_FAIL("%s", e);
	PG_RETURN_POINTER(s);
}

Datum
survival_recv(PG_FUNCTION_ARGS)
{
	return surv_recv_common(fcinfo, SURV_KIND_KM);
}

Datum
cumulative_incidence_recv(PG_FUNCTION_ARGS)
{
	return surv_recv_common(fcinfo, SURV_KIND_CIF);
}

static Datum
surv_send_common(FunctionCallInfo fcinfo, int kind)
{
	Surv	   *s = surv_canonical(PG_GETARG_SURV(0, kind));
	StringInfoData buf;
	int			k,
				i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SURV_VERSION);
	pq_sendbyte(&buf, kind);
	pq_sendint64(&buf, s->skipped);
	pq_sendint32(&buf, s->noutcomes);
	if (kind == SURV_KIND_CIF)
		for (k = 0; k < s->noutcomes; k++)
		{
			int			len = (int) strlen(SURV_NAME(s, k));

			pq_sendbyte(&buf, len);
			pq_sendbytes(&buf, SURV_NAME(s, k), len);
		}
	pq_sendint32(&buf, s->n);
	for (i = 0; i < s->n; i++)
	{
		const SPoint *p = &SURV_POINTS(s)[i];

		pq_sendint64(&buf, p->time);
		pq_sendint32(&buf, p->outcome);
		pq_sendint64(&buf, p->count);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
survival_send(PG_FUNCTION_ARGS)
{
	return surv_send_common(fcinfo, SURV_KIND_KM);
}

Datum
cumulative_incidence_send(PG_FUNCTION_ARGS)
{
	return surv_send_common(fcinfo, SURV_KIND_CIF);
}

/* ---------------------------------------------------------------------
 * Aggregates
 * --------------------------------------------------------------------- */

static Surv *
state_arg(FunctionCallInfo fcinfo, int kind)
{
	if (PG_ARGISNULL(0))
	{
		Surv	   *s = surv_alloc(kind, kind == SURV_KIND_KM ? 1 : 0, 64);

		s->flags = SURV_STATE;
		return s;
	}
	return (Surv *) PG_GETARG_POINTER(0);
}

/* survival_agg(duration, event): non-strict; a NULL duration or event is
 * skipped and counted. */
Datum
survival_trans(PG_FUNCTION_ARGS)
{
	Surv	   *s;

	b2b_agg_context(fcinfo, "survival_trans");
	s = state_arg(fcinfo, SURV_KIND_KM);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		s->skipped++;
	else
		surv_add(&s, dyn_interval_usecs(PG_GETARG_INTERVAL_P(1), "duration", false),
				 PG_GETARG_BOOL(2) ? 1 : 0, 1);
	PG_RETURN_POINTER(s);
}

/* Outcome index (1..) of name in s, adding it; s may be replaced. */
static int
cif_outcome(Surv **sp, const char *name, int len)
{
	Surv	   *s = *sp;
	int			k;

	for (k = 0; k < s->noutcomes; k++)
	{
		const char *nm = SURV_NAME(s, k);

		if (strncmp(nm, name, len) == 0 && nm[len] == '\0')
			return k + 1;
	}
	if (s->noutcomes >= SURV_MAX_OUTCOMES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cumulative_incidence_agg takes at most %d distinct outcomes", SURV_MAX_OUTCOMES),
				 errhint("Map the outcomes to a few classes, e.g. CASE WHEN won THEN 'won' ELSE 'lost' END.")));
	{
		/* a copy with one more name slot */
		Surv	   *r = surv_alloc(SURV_KIND_CIF, s->noutcomes + 1,
								   Max(SURV_CAPACITY(s), (int64) SURV_MIN_TAIL / 16));

		r->flags = SURV_STATE;
		r->n = s->n;
		r->pending = s->pending;
		r->skipped = s->skipped;
		memcpy(r->data, s->data, SURV_NAMES_SIZE(s));
		memcpy(SURV_NAME(r, s->noutcomes), name, len);
		memcpy(SURV_POINTS(r), SURV_POINTS(s), sizeof(SPoint) * ((Size) s->n + s->pending));
		*sp = r;
		return r->noutcomes;
	}
}

/* cumulative_incidence_agg(duration, outcome): NULL outcome = censored. */
Datum
cumulative_incidence_trans(PG_FUNCTION_ARGS)
{
	Surv	   *s;
	int64		t;
	int			outcome = 0;

	b2b_agg_context(fcinfo, "cumulative_incidence_trans");
	s = state_arg(fcinfo, SURV_KIND_CIF);
	if (PG_ARGISNULL(1))
	{
		s->skipped++;
		PG_RETURN_POINTER(s);
	}
	t = dyn_interval_usecs(PG_GETARG_INTERVAL_P(1), "duration", false);
	if (!PG_ARGISNULL(2))
	{
		text	   *o = PG_GETARG_TEXT_PP(2);
		int			len = VARSIZE_ANY_EXHDR(o);

		if (len < 1 || len > SURV_NAME_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("outcome \"%s\" has %d bytes", text_to_cstring(o), len),
					 errhint("Name each outcome with 1 to %d bytes, e.g. 'won' or 'lost'; a NULL outcome is a censoring.", SURV_NAME_MAX)));
		if (memchr(VARDATA_ANY(o), '\0', len) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("outcome contains a NUL byte")));
		outcome = cif_outcome(&s, VARDATA_ANY(o), len);
	}
	surv_add(&s, t, outcome, 1);
	PG_RETURN_POINTER(s);
}

/*
 * Combine (and rollup's transition): add b's points into a.  Non-strict:
 * either side may be NULL.  b is validated (it may come from disk, a worker
 * or another node).
 */
static Datum
surv_combine_common(FunctionCallInfo fcinfo, int kind)
{
	Surv	   *a;
	Surv	   *b;
	const SPoint *p;
	int64		i,
				nb;
	int			map[SURV_MAX_OUTCOMES + 1];
	int			k;

	b2b_agg_context(fcinfo, kind == SURV_KIND_KM ? "survival_combine" : "cumulative_incidence_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	b = PG_GETARG_SURV(1, kind);
	a = state_arg(fcinfo, kind);
	if (pg_add_s64_overflow(a->skipped, b->skipped, &a->skipped))
		count_overflow(kind);
	map[0] = 0;
	map[1] = 1;
	if (kind == SURV_KIND_CIF)
		for (k = 0; k < b->noutcomes; k++)
			map[k + 1] = cif_outcome(&a, SURV_NAME(b, k), (int) strlen(SURV_NAME(b, k)));
	p = SURV_POINTS(b);
	nb = (int64) b->n + b->pending;
	if (b->pending == 0 && b->n >= SURV_MIN_TAIL && (int64) b->n * 8 >= a->n)
	{
		/* a big sorted b (a worker's or a stored value): one linear merge */
		bool		monotonic = true;

		for (k = 1; k < b->noutcomes; k++)
			if (map[k + 1] <= map[k])
				monotonic = false;
		if (monotonic)
		{
			a = surv_merge(a, p, b->n, map);
			PG_RETURN_POINTER(a);
		}
	}
	for (i = 0; i < nb; i++)
	{
		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		surv_add(&a, p[i].time, map[p[i].outcome], p[i].count);
	}
	PG_RETURN_POINTER(a);
}

Datum
survival_combine(PG_FUNCTION_ARGS)
{
	return surv_combine_common(fcinfo, SURV_KIND_KM);
}

Datum
cumulative_incidence_combine(PG_FUNCTION_ARGS)
{
	return surv_combine_common(fcinfo, SURV_KIND_CIF);
}

/* Final function of both aggregates and their rollups: the stored form. */
Datum
survival_final(PG_FUNCTION_ARGS)
{
	Surv	   *s;

	b2b_agg_context(fcinfo, "survival_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (Surv *) PG_GETARG_POINTER(0);
	PG_RETURN_POINTER(surv_compact(s, 0));
}

/* ---------------------------------------------------------------------
 * Accessors
 * --------------------------------------------------------------------- */

/* survival_table(s): one row per distinct time. */
Datum
survival_table(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Surv	   *s;
	KmIter		it;
	KmRow		r;
	int64		rows = 0;

	InitMaterializedSRF(fcinfo, 0);
	s = surv_canonical(PG_GETARG_SURV(0, SURV_KIND_KM));
	km_begin(&it, SURV_POINTS(s), s->n);
	while (km_next(&it, &r))
	{
		Datum		values[7];
		bool		nulls[7] = {false};

		if ((++rows & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		values[0] = IntervalPGetDatum(dyn_usecs_interval(r.time));
		values[1] = Int64GetDatum(r.at_risk);
		values[2] = Int64GetDatum(r.events);
		values[3] = Int64GetDatum(r.censored);
		values[4] = Float8GetDatum(r.survival);
		values[5] = Float8GetDatum(r.lower);
		values[6] = Float8GetDatum(r.upper);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

Datum
survival_at(PG_FUNCTION_ARGS)
{
	Surv	   *s = surv_canonical(PG_GETARG_SURV(0, SURV_KIND_KM));
	int64		t = dyn_interval_usecs(PG_GETARG_INTERVAL_P(1), "time", false);

	PG_RETURN_FLOAT8(km_survival_at(SURV_POINTS(s), s->n, t));
}

Datum
survival_median(PG_FUNCTION_ARGS)
{
	Surv	   *s = surv_canonical(PG_GETARG_SURV(0, SURV_KIND_KM));
	int64		t;

	if (!km_median(SURV_POINTS(s), s->n, &t))
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(dyn_usecs_interval(t));
}

/* observations(s): rows counted (events + censorings). */
Datum
survival_observations(PG_FUNCTION_ARGS)
{
	Surv	   *s = surv_canonical(PG_GETARG_SURV(0, SURV_KIND_KM));
	int64		total = 0;
	int			i;

	for (i = 0; i < s->n; i++)
		total += SURV_POINTS(s)[i].count;	/* bounded by spoints_check */
	PG_RETURN_INT64(total);
}

/* cumulative_incidence_table(c): one row per distinct time and outcome. */
Datum
cumulative_incidence_table(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Surv	   *s;
	AjIter	   *it = palloc(sizeof(AjIter));
	int64		t,
				at_risk,
				rows = 0;
	text	   *names[SURV_MAX_OUTCOMES];
	int			k;

	InitMaterializedSRF(fcinfo, 0);
	s = surv_canonical(PG_GETARG_SURV(0, SURV_KIND_CIF));
	for (k = 0; k < s->noutcomes; k++)
		names[k] = cstring_to_text(SURV_NAME(s, k));
	aj_begin(it, SURV_POINTS(s), s->n, s->noutcomes);
	while (aj_next(it, &t, &at_risk))
	{
		if ((++rows & 0xFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (k = 0; k < s->noutcomes; k++)
		{
			Datum		values[4];
			bool		nulls[4] = {false};

			values[0] = IntervalPGetDatum(dyn_usecs_interval(t));
			values[1] = PointerGetDatum(names[k]);
			values[2] = Int64GetDatum(at_risk);
			values[3] = Float8GetDatum(it->inc[k]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}
