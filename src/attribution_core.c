/*
 * attribution_core.c — touchpoint attribution models and text readers
 * (see attribution_core.h).  Plain C: no postgres.h.
 */
#include "attribution_core.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_core.h"
#include "stage_core.h"

const char *const attr_model_names[ATTR_NMODELS] = {
	"first_touch", "last_touch", "linear", "time_decay", "position_based",
	"w_shaped", "full_path", "shapley", "markov"
};

const int	attr_model_order[ATTR_NMODELS] = {
	AM_FIRST_TOUCH, AM_LAST_TOUCH, AM_LINEAR, AM_TIME_DECAY,
	AM_POSITION_BASED, AM_W_SHAPED, AM_FULL_PATH, AM_MARKOV, AM_SHAPLEY
};

const char	attr_model_list[] =
"first_touch, last_touch, linear, time_decay, position_based, w_shaped, full_path, markov, shapley";

int
attr_model_parse(const char *s)
{
	int			m;

	for (m = 0; m < ATTR_NMODELS; m++)
		if (strcmp(s, attr_model_names[m]) == 0)
			return m;
	return -1;
}

const char *
attr_channel_name_problem(const char *name, size_t len)
{
	if (len == 0)
		return "a channel name cannot be empty";
	if (len > ATTR_MAX_NAME)
		return "a channel name is at most 255 bytes";
	if (memchr(name, '\0', len) != NULL)
		return "a channel name cannot contain a NUL byte";
	if ((len == strlen(ATTR_START) && memcmp(name, ATTR_START, len) == 0) ||
		(len == strlen(ATTR_CONV) && memcmp(name, ATTR_CONV, len) == 0) ||
		(len == strlen(ATTR_NULL) && memcmp(name, ATTR_NULL, len) == 0))
		return "(start), (conversion) and (null) are the Markov chain's own states";
	return NULL;
}

/*
 * Milestone shares: the distinct milestone touches mark[] (n entries, 1 for
 * a milestone) share 90% equally and the others 10% equally; with no other
 * touches the milestones share everything.
 */
static void
milestone_shares(const bool *mark, int n, double *w)
{
	int			m = 0,
				i;

	for (i = 0; i < n; i++)
		m += mark[i];
	for (i = 0; i < n; i++)
	{
		if (m == n)
			w[i] = 1.0 / m;
		else if (mark[i])
			w[i] = 0.9 / m;
		else
			w[i] = 0.1 / (n - m);
	}
}

/* Index of the first touch at or past stage s, or -1. */
static int
first_at_or_past(const uint8_t *stage, int n, int s)
{
	int			i;

	for (i = 0; i < n; i++)
		if (stage[i] >= s)
			return i;
	return -1;
}

void
attr_path_weights(const int64_t *ts, const int *ch, const uint8_t *stage,
				  int n, double half_life, double *w)
{
	double	   *f;
	double		sum;
	int			i,
				j,
				d;
	int			lead,
				opp,
				purchase;
	bool		markbuf[64];
	bool	   *mark;
	int			seenbuf[ATTR_MAX_CHANNELS];

	if (n <= 0)
		return;
	memset(w, 0, sizeof(double) * ATTR_NSTORED * (size_t) n);

	w[AM_FIRST_TOUCH * n] = 1.0;
	w[AM_LAST_TOUCH * n + n - 1] = 1.0;

	f = &w[AM_LINEAR * n];
	for (i = 0; i < n; i++)
		f[i] = 1.0 / n;

	f = &w[AM_TIME_DECAY * n];
	sum = 0;
	for (i = 0; i < n; i++)
		sum += (f[i] = exp2(-(double) (ts[n - 1] - ts[i]) / half_life));
	for (i = 0; i < n; i++)
		f[i] /= sum;

	f = &w[AM_POSITION_BASED * n];
	if (n == 1)
		f[0] = 1.0;
	else if (n == 2)
		f[0] = f[1] = 0.5;
	else
	{
		f[0] = f[n - 1] = 0.4;
		for (i = 1; i < n - 1; i++)
			f[i] = 0.2 / (n - 2);
	}

	/* W-shaped and full path: milestones by the stage of each touch */
	mark = n <= (int) sizeof(markbuf) ? markbuf : (bool *) &w[AM_SHAPLEY * n];
	lead = first_at_or_past(stage, n, ATTR_STAGE_CONSIDERATION);
	opp = first_at_or_past(stage, n, ATTR_STAGE_DECISION);
	purchase = first_at_or_past(stage, n, ATTR_STAGE_PURCHASE);
	memset(mark, 0, sizeof(bool) * (size_t) n);
	mark[0] = true;
	if (lead >= 0)
		mark[lead] = true;
	if (opp >= 0)
		mark[opp] = true;
	milestone_shares(mark, n, &w[AM_W_SHAPED * n]);
	if (purchase >= 0)
		mark[purchase] = true;
	milestone_shares(mark, n, &w[AM_FULL_PATH * n]);
	if (mark != markbuf)
		memset(mark, 0, sizeof(bool) * (size_t) n);

	/* Shapley (simplified): the path's distinct channels share equally */
	f = &w[AM_SHAPLEY * n];
	d = 0;
	for (i = 0; i < n; i++)
	{
		for (j = 0; j < d; j++)
			if (seenbuf[j] == ch[i])
				break;
		if (j == d && d < ATTR_MAX_CHANNELS)
		{
			seenbuf[d++] = ch[i];
			f[i] = 1.0;
		}
	}
	for (i = 0; i < n; i++)
		f[i] /= d;
}

int
attr_markov(int K, const int64_t *counts, int ld, double *p_conv,
			double *re, double *work)
{
	int			S = K + 1;
	double	   *A = work;
	double	   *N = work + (size_t) S * S;
	double	   *r = N + (size_t) S * S;
	double	   *x = r + S;
	int			s,
				t,
				k,
				c;
	double		p;

	/* A = I - Q over the transient states, r = one-step conversion */
	for (s = 0; s < S; s++)
	{
		const int64_t *row = &counts[(size_t) s * ld];
		double		tot = 0;

		for (c = 0; c < K + 2; c++)
			tot += (double) row[c];
		for (t = 0; t < S; t++)
		{
			double		q = (t >= 1 && tot > 0) ? (double) row[t - 1] / tot : 0;

			A[(size_t) s * S + t] = (s == t ? 1.0 : 0.0) - q;
			N[(size_t) s * S + t] = s == t ? 1.0 : 0.0;
		}
		r[s] = tot > 0 ? (double) row[K] / tot : 0;
	}

	/* N = A^-1 by Gauss-Jordan elimination with partial pivoting */
	for (k = 0; k < S; k++)
	{
		int			piv = k;
		double		best = fabs(A[(size_t) k * S + k]);
		double		inv;

		for (s = k + 1; s < S; s++)
			if (fabs(A[(size_t) s * S + k]) > best)
				best = fabs(A[(size_t) (piv = s) * S + k]);
		if (!(best > 1e-300))
			return -1;
		if (piv != k)
			for (t = 0; t < S; t++)
			{
				double		tmp = A[(size_t) k * S + t];

				A[(size_t) k * S + t] = A[(size_t) piv * S + t];
				A[(size_t) piv * S + t] = tmp;
				tmp = N[(size_t) k * S + t];
				N[(size_t) k * S + t] = N[(size_t) piv * S + t];
				N[(size_t) piv * S + t] = tmp;
			}
		inv = 1.0 / A[(size_t) k * S + k];
		for (t = 0; t < S; t++)
		{
			A[(size_t) k * S + t] *= inv;
			N[(size_t) k * S + t] *= inv;
		}
		for (s = 0; s < S; s++)
		{
			double		fct = A[(size_t) s * S + k];

			if (s == k || fct == 0)
				continue;
			for (t = 0; t < S; t++)
			{
				A[(size_t) s * S + t] -= fct * A[(size_t) k * S + t];
				N[(size_t) s * S + t] -= fct * N[(size_t) k * S + t];
			}
		}
	}

	/* x = N r: probability of conversion from each state */
	for (s = 0; s < S; s++)
	{
		double		acc = 0;

		for (t = 0; t < S; t++)
			acc += N[(size_t) s * S + t] * r[t];
		x[s] = acc;
	}
	p = x[0];
	*p_conv = p < 0 ? 0 : (p > 1 ? 1 : p);

	/*
	 * Removing channel k sends every move into it to (null), so
	 * P(conversion without k) = p - P(reach k) * x_k, and by the strong
	 * Markov property P(reach k from start) = N[0][k] / N[k][k].
	 */
	for (k = 0; k < K; k++)
	{
		double		e;

		if (!(p > 0))
		{
			re[k] = 0;
			continue;
		}
		e = N[k + 1] / N[(size_t) (k + 1) * S + k + 1] * x[k + 1] / p;
		re[k] = e < 0 ? 0 : (e > 1 ? 1 : e);
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * touch_path text
 * --------------------------------------------------------------------- */

const char *
touch_path_parse(const char *str, size_t len, size_t max_touches,
				 attr_ts_fn parse_ts, void *ts_arg, APText *t,
				 attr_alloc_fn alloc, attr_free_fn dealloc,
				 char *err, size_t errsz)
{
	bj_reader	r;
	char		key[32];
	char		val[ATTR_MAX_NAME + 2];
	bool		more;
	bool		seen_touches = false,
				seen_skipped = false;
	int64_t		skipped = 0;
	size_t		n = 0,
				cap = 8,
				nlen = 0,
				ncap = 128;
	APTouch    *touches = alloc(sizeof(APTouch) * cap);
	char	   *names = alloc(ncap);

	memset(t, 0, sizeof(*t));
	if (touches == NULL || names == NULL)
	{
		if (touches)
			dealloc(touches);
		if (names)
			dealloc(names);
		return "out of memory";
	}
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (!r.failed && bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		if (strcmp(key, "touches") == 0 && !seen_touches)
		{
			seen_touches = true;
			if (!bj_begin_array(&r))
				break;
			while (bj_next_elem(&r, &more) && more)
			{
				APTouch		tc = {0};
				size_t		l;
				const char *problem;

				if (!bj_begin_array(&r) || !bj_next_elem(&r, &more))
					break;
				if (!more)
				{
					bj_fail(&r, "a touch is [timestamp, channel] or [timestamp, channel, stage]");
					break;
				}
				if (!bj_string(&r, val, 64))
					break;
				if (!parse_ts(val, strlen(val), &tc.ts, ts_arg))
				{
					bj_fail(&r, "bad timestamp \"%s\"", val);
					break;
				}
				if (!bj_next_elem(&r, &more))
					break;
				if (!more)
				{
					bj_fail(&r, "a touch is [timestamp, channel] or [timestamp, channel, stage]");
					break;
				}
				if (!bj_string(&r, val, sizeof(val)))
					break;
				l = strlen(val);
				if ((problem = attr_channel_name_problem(val, l)) != NULL)
				{
					bj_fail(&r, "%s", problem);
					break;
				}
				if (!bj_next_elem(&r, &more))
					break;
				if (more)
				{
					char		sv[32];

					if (!bj_string(&r, sv, sizeof(sv)))
						break;
					tc.stage = (uint8_t) stage_parse(sv, strlen(sv));
					if (tc.stage == 0 || strcmp(sv, stage_name(tc.stage)) != 0)
					{
						bj_fail(&r, "unknown stage \"%s\"", sv);
						break;
					}
					if (!bj_next_elem(&r, &more))
						break;
					if (more)
					{
						bj_fail(&r, "a touch is [timestamp, channel] or [timestamp, channel, stage]");
						break;
					}
				}
				if (n >= max_touches)
				{
					bj_fail(&r, "too many touches");
					break;
				}
				if (n == cap)
				{
					APTouch    *bigger = alloc(sizeof(APTouch) * cap * 2);

					if (bigger == NULL)
					{
						bj_fail(&r, "out of memory");
						break;
					}
					memcpy(bigger, touches, sizeof(APTouch) * n);
					dealloc(touches);
					touches = bigger;
					cap *= 2;
				}
				if (nlen + l + 1 > ncap || nlen + l + 1 > UINT32_MAX)
				{
					char	   *bigger;

					if (nlen + l + 1 > UINT32_MAX / 2)
					{
						bj_fail(&r, "too many touches");
						break;
					}
					while (nlen + l + 1 > ncap)
						ncap *= 2;
					bigger = alloc(ncap);
					if (bigger == NULL)
					{
						bj_fail(&r, "out of memory");
						break;
					}
					memcpy(bigger, names, nlen);
					dealloc(names);
					names = bigger;
				}
				tc.name = (uint32_t) nlen;
				memcpy(names + nlen, val, l + 1);
				nlen += l + 1;
				touches[n++] = tc;
			}
		}
		else if (strcmp(key, "skipped") == 0 && !seen_skipped)
		{
			seen_skipped = true;
			if (bj_int64(&r, &skipped) && skipped < 0)
				bj_fail(&r, "negative skipped count");
		}
		else
			bj_fail(&r, "unknown or repeated key \"%s\"", key);
	}
	bj_finish(&r);
	if (!r.failed && !seen_touches)
		bj_fail(&r, "missing key \"touches\"");
	if (r.failed)
	{
		dealloc(touches);
		dealloc(names);
		snprintf(err, errsz, "%s", r.err);
		return err;
	}
	t->touches = touches;
	t->n = n;
	t->names = names;
	t->skipped = skipped;
	return NULL;
}

/* ---------------------------------------------------------------------
 * attribution text
 * --------------------------------------------------------------------- */

/* Read a JSON array of exactly ATTR_NSTORED finite numbers >= 0. */
static bool
read_model_array(bj_reader *r, double *out)
{
	bool		more;
	int			i = 0;

	if (!bj_begin_array(r))
		return false;
	while (bj_next_elem(r, &more) && more)
	{
		if (i == ATTR_NSTORED)
			return bj_fail(r, "credit and value have one number per stored model (%d)", ATTR_NSTORED);
		if (!bj_number(r, &out[i]))
			return false;
		if (!(out[i] >= 0))
			return bj_fail(r, "credits and values cannot be negative");
		i++;
	}
	if (!r->failed && i != ATTR_NSTORED)
		return bj_fail(r, "credit and value have one number per stored model (%d)", ATTR_NSTORED);
	return !r->failed;
}

static bool
read_channel(bj_reader *r, AChannel *c)
{
	static const char *const keys[] = {"name", "touches", "conversions", "credit", "value"};
	bool		seen[5] = {false};
	char		key[32];
	bool		more;

	if (!bj_begin_object(r))
		return false;
	while (bj_next_key(r, key, sizeof(key), &more) && more)
	{
		switch (bj_key_index(r, key, keys, 5, seen))
		{
			case 0:
				if (bj_string(r, c->name, sizeof(c->name)))
				{
					const char *problem = attr_channel_name_problem(c->name, strlen(c->name));

					if (problem)
						bj_fail(r, "%s", problem);
				}
				break;
			case 1:
				if (bj_int64(r, &c->touches) && c->touches < 0)
					bj_fail(r, "negative touches");
				break;
			case 2:
				if (bj_int64(r, &c->conversions) && c->conversions < 0)
					bj_fail(r, "negative conversions");
				break;
			case 3:
				read_model_array(r, c->credit);
				break;
			case 4:
				read_model_array(r, c->value);
				break;
			default:
				break;
		}
		if (r->failed)
			return false;
	}
	if (r->failed)
		return false;
	if (!seen[0] || !seen[1] || !seen[2] || !seen[3] || !seen[4])
		return bj_fail(r, "a channel needs name, touches, conversions, credit and value");
	return true;
}

/* State index of a transition end: 0 start, 1 + k channel k, K+1 conv, K+2 null. */
static int
state_index(const AText *t, const char *name)
{
	int			lo = 0,
				hi = t->nchannels - 1;

	if (strcmp(name, ATTR_START) == 0)
		return 0;
	if (strcmp(name, ATTR_CONV) == 0)
		return t->nchannels + 1;
	if (strcmp(name, ATTR_NULL) == 0)
		return t->nchannels + 2;
	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int			c = strcmp(name, t->channels[mid].name);

		if (c == 0)
			return mid + 1;
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -1;
}

static bool
read_moves(bj_reader *r, AText *t)
{
	int			K = t->nchannels;
	bool		more;
	char		from[ATTR_MAX_NAME + 2],
				to[ATTR_MAX_NAME + 2];

	if (!bj_begin_array(r))
		return false;
	while (bj_next_elem(r, &more) && more)
	{
		int64_t		cnt;
		int			f,
					g;
		int64_t    *cell;

		if (!bj_begin_array(r) ||
			!bj_next_elem(r, &more) || !more || !bj_string(r, from, sizeof(from)) ||
			!bj_next_elem(r, &more) || !more || !bj_string(r, to, sizeof(to)) ||
			!bj_next_elem(r, &more) || !more || !bj_int64(r, &cnt) ||
			!bj_next_elem(r, &more) || more)
			return bj_fail(r, "a move is [from, to, count]");
		f = state_index(t, from);
		g = state_index(t, to);
		if (f < 0 || g < 0)
			return bj_fail(r, "a move names an unknown channel");
		if (f > K || g == 0 || f == g)
			return bj_fail(r, "no move leaves (conversion) or (null), enters (start), or stays in one channel");
		if (cnt <= 0)
			return bj_fail(r, "a move count is positive");
		cell = &t->moves[(size_t) f * (K + 2) + (g - 1)];
		if (*cell != 0)
			return bj_fail(r, "repeated move");
		*cell = cnt;
	}
	return !r->failed;
}

const char *
attribution_text_problem(const AText *t)
{
	int			K = t->nchannels;
	int			k,
				m,
				c;

	if (t->half_life <= 0)
		return "half_life_us must be positive";
	if (t->paths < 0 || t->conversions < 0 || t->unattributed < 0 || t->skipped < 0)
		return "negative count";
	if (t->conversions > t->paths || t->unattributed > t->paths - t->conversions)
		return "more conversions than paths";
	if (!(t->value >= 0) || !(t->unattributed_value >= 0) ||
		!isfinite(t->value) || !isfinite(t->unattributed_value))
		return "bad value";
	if (K < 0 || K > ATTR_MAX_CHANNELS)
		return "too many channels";
	for (k = 0; k < K; k++)
	{
		const AChannel *ch = &t->channels[k];
		size_t		l = strnlen(ch->name, sizeof(ch->name));

		if (l == sizeof(ch->name) || attr_channel_name_problem(ch->name, l) != NULL)
			return "bad channel name";
		if (k > 0 && strcmp(t->channels[k - 1].name, ch->name) >= 0)
			return "channels are in strictly ascending byte order of their names";
		if (ch->touches < 0 || ch->conversions < 0 || ch->conversions > t->conversions)
			return "bad channel counts";
		for (m = 0; m < ATTR_NSTORED; m++)
			if (!(ch->credit[m] >= 0) || !(ch->value[m] >= 0) ||
				!isfinite(ch->credit[m]) || !isfinite(ch->value[m]))
				return "bad credit";
	}
	for (k = 0; k <= K; k++)
		for (c = 0; c < K + 2; c++)
		{
			int64_t		v = t->moves ? t->moves[(size_t) k * (K + 2) + c] : 0;

			if (v < 0 || (k >= 1 && c == k - 1 && v != 0))
				return "bad move";
		}
	return NULL;
}

const char *
attribution_parse(const char *str, size_t len, AText *t,
				  attr_alloc_fn alloc, attr_free_fn dealloc,
				  char *err, size_t errsz)
{
	static const char *const keys[] = {
		"half_life_us", "paths", "conversions", "unattributed", "value",
		"unattributed_value", "skipped", "channels", "moves"
	};
	bool		seen[9] = {false};
	bj_reader	r;
	char		key[32];
	bool		more;
	int			cap = 0;

	memset(t, 0, sizeof(*t));
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (!r.failed && bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		int			i = bj_key_index(&r, key, keys, 9, seen);

		switch (i)
		{
			case 0:
				if (bj_int64(&r, &t->half_life) && t->half_life <= 0)
					bj_fail(&r, "half_life_us must be positive");
				break;
			case 1:
			case 2:
			case 3:
			case 6:
				{
					int64_t    *dst = i == 1 ? &t->paths : i == 2 ? &t->conversions :
					i == 3 ? &t->unattributed : &t->skipped;

					if (bj_int64(&r, dst) && *dst < 0)
						bj_fail(&r, "negative count \"%s\"", key);
				}
				break;
			case 4:
			case 5:
				{
					double	   *dst = i == 4 ? &t->value : &t->unattributed_value;

					if (bj_number(&r, dst) && !(*dst >= 0))
						bj_fail(&r, "negative value \"%s\"", key);
				}
				break;
			case 7:
				if (!bj_begin_array(&r))
					break;
				while (bj_next_elem(&r, &more) && more)
				{
					if (t->nchannels == ATTR_MAX_CHANNELS)
					{
						bj_fail(&r, "more than %d channels", ATTR_MAX_CHANNELS);
						break;
					}
					if (t->nchannels == cap)
					{
						int			nc = cap ? cap * 2 : 8;
						AChannel   *bigger;

						if (nc > ATTR_MAX_CHANNELS)
							nc = ATTR_MAX_CHANNELS;
						bigger = alloc(sizeof(AChannel) * nc);
						if (bigger == NULL)
						{
							bj_fail(&r, "out of memory");
							break;
						}
						if (t->channels)
						{
							memcpy(bigger, t->channels, sizeof(AChannel) * t->nchannels);
							dealloc(t->channels);
						}
						t->channels = bigger;
						cap = nc;
					}
					memset(&t->channels[t->nchannels], 0, sizeof(AChannel));
					if (!read_channel(&r, &t->channels[t->nchannels]))
						break;
					if (t->nchannels > 0 &&
						strcmp(t->channels[t->nchannels - 1].name, t->channels[t->nchannels].name) >= 0)
					{
						bj_fail(&r, "channels are in strictly ascending byte order of their names");
						break;
					}
					t->nchannels++;
				}
				break;
			case 8:
				if (!seen[7])
				{
					bj_fail(&r, "\"moves\" comes after \"channels\"");
					break;
				}
				t->moves = alloc(sizeof(int64_t) * (size_t) (t->nchannels + 1) * (t->nchannels + 2));
				if (t->moves == NULL)
				{
					bj_fail(&r, "out of memory");
					break;
				}
				memset(t->moves, 0, sizeof(int64_t) * (size_t) (t->nchannels + 1) * (t->nchannels + 2));
				read_moves(&r, t);
				break;
			default:
				break;
		}
	}
	bj_finish_keys(&r, keys, 9, seen);
	if (!r.failed)
	{
		const char *problem = attribution_text_problem(t);

		if (problem)
			bj_fail(&r, "%s", problem);
	}
	if (r.failed)
	{
		if (t->channels)
			dealloc(t->channels);
		if (t->moves)
			dealloc(t->moves);
		memset(t, 0, sizeof(*t));
		snprintf(err, errsz, "%s", r.err);
		return err;
	}
	return NULL;
}
