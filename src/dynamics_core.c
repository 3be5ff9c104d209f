/*
 * dynamics_core.c — stage transitions and the absorbing chain (SPEC §10).
 * Plain C: see dynamics_core.h.
 */
#include "dynamics_core.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_core.h"

typedef __int128 i128;

#define I128_MAX ((i128) (((unsigned __int128) 1 << 127) - 1))

static i128
cell_dwell(const DynCell *c)
{
	return (i128) (((unsigned __int128) (uint64_t) c->dwell_hi << 64) | c->dwell_lo);
}

static void
cell_set_dwell(DynCell *c, i128 v)
{
	c->dwell_hi = (int64_t) (v >> 64);
	c->dwell_lo = (uint64_t) v;
}

double
dyn_cell_dwell(const DynCell *c)
{
	return (double) cell_dwell(c);
}

const char *
dyn_dest_name(int d)
{
	if (d >= 0 && d < B2B_NSTAGES)
		return stage_name(d + 1);
	if (d == DYN_LOST)
		return "lost";
	if (d == DYN_OPEN)
		return "open";
	return NULL;
}

/* Add one move of dwell us (>= 0) to cell (from, d). */
static int
add_move(DynTable *t, int from, int d, int64_t us)
{
	DynCell    *c = &t->cell[from - 1][d];
	i128		v = cell_dwell(c);

	if (c->moves == INT64_MAX || us < 0 || v > I128_MAX - us)
		return DYN_OVERFLOW;
	c->moves++;
	cell_set_dwell(c, v + us);
	return DYN_OK;
}

int
dyn_add_journey(DynTable *t, const JStay *s, size_t n,
				bool has_lost, int64_t lost_after,
				bool has_as_of, int64_t as_of)
{
	size_t		i;
	int			rc;

	if (t->journeys == INT64_MAX)
		return DYN_OVERFLOW;
	t->journeys++;
	for (i = 0; i + 1 < n; i++)
		if ((rc = add_move(t, s[i].stage, s[i + 1].stage - 1,
						   s[i + 1].entered - s[i].entered)) != DYN_OK)
			return rc;
	if (n > 0)
	{
		const JStay *l = &s[n - 1];

		if (has_lost && has_as_of && l->stage < STAGE_PURCHASE &&
			as_of - l->last > lost_after)
			return add_move(t, l->stage, DYN_LOST, l->last - l->entered);
		return add_move(t, l->stage, DYN_OPEN,
						(has_as_of ? as_of : l->last) - l->entered);
	}
	return DYN_OK;
}

int
dyn_add_table(DynTable *a, const DynTable *b)
{
	int			i,
				d;

	if (a->journeys > INT64_MAX - b->journeys)
		return DYN_OVERFLOW;
	for (i = 0; i < B2B_NSTAGES; i++)
		for (d = 0; d < DYN_NDEST; d++)
		{
			const DynCell *y = &b->cell[i][d];
			DynCell    *x = &a->cell[i][d];
			i128		vx = cell_dwell(x),
						vy = cell_dwell(y);

			if (x->moves > INT64_MAX - y->moves || vx > I128_MAX - vy)
				return DYN_OVERFLOW;
		}
	a->journeys += b->journeys;
	for (i = 0; i < B2B_NSTAGES; i++)
		for (d = 0; d < DYN_NDEST; d++)
		{
			DynCell    *x = &a->cell[i][d];

			x->moves += b->cell[i][d].moves;
			cell_set_dwell(x, cell_dwell(x) + cell_dwell(&b->cell[i][d]));
		}
	return DYN_OK;
}

const char *
dyn_check(const DynTable *t)
{
	int			i,
				d;

	if (t->journeys < 0)
		return "negative journey count";
	for (i = 0; i < B2B_NSTAGES; i++)
		for (d = 0; d < DYN_NDEST; d++)
		{
			const DynCell *c = &t->cell[i][d];

			if (c->moves < 0 || cell_dwell(c) < 0)
				return "negative count or time";
			if (c->moves == 0 && cell_dwell(c) != 0)
				return "time without moves";
			if (d == i && c->moves != 0)
				return "move from a stage to itself";
		}
	return NULL;
}

/* ---------------------------------------------------------------------
 * The absorbing chain
 * --------------------------------------------------------------------- */

/*
 * Solve A X = B for X in place (A m x m, B m x k, row-major with stride
 * B2B_NSTAGES), Gaussian elimination with partial pivoting.  A is
 * nonsingular by construction (I - Q over states that absorb).
 */
static void
solve(double A[B2B_NSTAGES][B2B_NSTAGES], double B[B2B_NSTAGES][B2B_NSTAGES + 4],
	  int m, int k)
{
	int			col,
				r,
				c;

	for (col = 0; col < m; col++)
	{
		int			piv = col;

		for (r = col + 1; r < m; r++)
			if (fabs(A[r][col]) > fabs(A[piv][col]))
				piv = r;
		if (piv != col)
		{
			for (c = 0; c < m; c++)
			{
				double		x = A[col][c];

				A[col][c] = A[piv][c];
				A[piv][c] = x;
			}
			for (c = 0; c < k; c++)
			{
				double		x = B[col][c];

				B[col][c] = B[piv][c];
				B[piv][c] = x;
			}
		}
		for (r = col + 1; r < m; r++)
		{
			double		f = A[r][col] / A[col][col];

			if (f == 0)
				continue;
			for (c = col; c < m; c++)
				A[r][c] -= f * A[col][c];
			for (c = 0; c < k; c++)
				B[r][c] -= f * B[col][c];
		}
	}
	for (r = m - 1; r >= 0; r--)
		for (c = 0; c < k; c++)
		{
			double		x = B[r][c];
			int			j;

			for (j = r + 1; j < m; j++)
				x -= A[r][j] * B[j][c];
			B[r][c] = x / A[r][r];
		}
}

void
dyn_chain(const DynTable *t, int target, DynChain *ch)
{
	int			m = target - 1;
	double		P[B2B_NSTAGES][DYN_NDEST];
	double		meanw[B2B_NSTAGES][DYN_NDEST];
	bool		exits[B2B_NSTAGES];
	int			stage_of[B2B_NSTAGES];
	int			k = 0;
	int			i,
				j,
				d;
	bool		changed;
	double		A[B2B_NSTAGES][B2B_NSTAGES];
	double		B[B2B_NSTAGES][B2B_NSTAGES + 4];
	bool		stuck_reachable[B2B_NSTAGES];

	memset(ch, 0, sizeof(*ch));
	ch->target = target;
	ch->ntransient = m;
	for (i = 0; i < B2B_NSTAGES; i++)
	{
		ch->reach[i] = ch->lost[i] = ch->moves_to[i] = ch->time_to[i] =
			ch->moves_all[i] = NAN;
		for (j = 0; j < B2B_NSTAGES; j++)
			ch->N[i][j] = NAN;
	}

	for (i = 0; i < m; i++)
	{
		double		tot = 0;

		for (d = 0; d < DYN_NDEST; d++)
			if (d != DYN_OPEN)
				tot += (double) t->cell[i][d].moves;
		ch->has_data[i] = tot > 0;
		for (d = 0; d < DYN_NDEST; d++)
		{
			const DynCell *c = &t->cell[i][d];

			P[i][d] = (d != DYN_OPEN && tot > 0) ? (double) c->moves / tot : 0;
			meanw[i][d] = c->moves > 0 ? dyn_cell_dwell(c) / (double) c->moves : 0;
		}
	}

	/* which transient stages can reach an absorbing state or a dead end */
	for (i = 0; i < m; i++)
	{
		exits[i] = !ch->has_data[i] || P[i][DYN_LOST] > 0;
		for (d = m; d < B2B_NSTAGES; d++)
			if (P[i][d] > 0)
				exits[i] = true;
	}
	do
	{
		changed = false;
		for (i = 0; i < m; i++)
			if (!exits[i])
				for (j = 0; j < m; j++)
					if (P[i][j] > 0 && exits[j])
					{
						exits[i] = changed = true;
						break;
					}
	} while (changed);

	for (i = 0; i < m; i++)
	{
		ch->stuck[i] = !exits[i];
		if (exits[i])
			stage_of[k++] = i;
	}

	/*
	 * Stuck mass can be reached from i when i reaches (through states that
	 * absorb) a state with a move into a stuck state.
	 */
	for (i = 0; i < m; i++)
	{
		stuck_reachable[i] = ch->stuck[i];
		for (j = 0; j < m; j++)
			if (ch->stuck[j] && P[i][j] > 0)
				stuck_reachable[i] = true;
	}
	do
	{
		changed = false;
		for (i = 0; i < m; i++)
			if (!stuck_reachable[i])
				for (j = 0; j < m; j++)
					if (P[i][j] > 0 && stuck_reachable[j])
					{
						stuck_reachable[i] = changed = true;
						break;
					}
	} while (changed);

	for (i = 0; i < m; i++)
		if (ch->stuck[i] && ch->has_data[i])
		{
			ch->reach[i] = 0;
			ch->lost[i] = 0;
		}
	if (k == 0)
		return;

	/* A = I - Q over the k states that absorb; B = [b | l | identity] */
	for (i = 0; i < k; i++)
	{
		int			si = stage_of[i];
		double		b = 0;

		for (j = 0; j < k; j++)
			A[i][j] = (i == j ? 1.0 : 0.0) - P[si][stage_of[j]];
		for (d = m; d < B2B_NSTAGES; d++)
			b += P[si][d];
		for (j = 0; j < k + 4; j++)
			B[i][j] = 0;
		B[i][0] = b;
		B[i][1] = P[si][DYN_LOST];
		B[i][2 + i] = 1;
	}
	solve(A, B, k, k + 2);
	for (i = 0; i < k; i++)
	{
		int			si = stage_of[i];

		ch->reach[si] = B[i][0];
		ch->lost[si] = B[i][1];
		for (j = 0; j < k; j++)
			ch->N[si][stage_of[j]] = B[i][2 + j];
	}
	/* N h, N c and N 1 */
	for (i = 0; i < k; i++)
	{
		int			si = stage_of[i];
		double		nh = 0,
					nc = 0,
					n1 = 0;

		for (j = 0; j < k; j++)
		{
			int			sj = stage_of[j];
			double		c = 0;

			for (d = 0; d < k; d++)
				c += P[sj][stage_of[d]] * meanw[sj][stage_of[d]] * ch->reach[stage_of[d]];
			for (d = m; d < B2B_NSTAGES; d++)
				c += P[sj][d] * meanw[sj][d];
			nh += ch->N[si][sj] * ch->reach[sj];
			nc += ch->N[si][sj] * c;
			n1 += ch->N[si][sj];
		}
		if (ch->has_data[si] && ch->reach[si] > 0)
		{
			ch->moves_to[si] = nh / ch->reach[si];
			ch->time_to[si] = nc / ch->reach[si];
		}
		ch->moves_all[si] = stuck_reachable[si] ? INFINITY : n1;
	}
	/* a stage without data has no estimate of its own */
	for (i = 0; i < m; i++)
		if (!ch->has_data[i])
			ch->reach[i] = ch->lost[i] = ch->moves_all[i] = NAN;
}

/* ---------------------------------------------------------------------
 * Text form
 * --------------------------------------------------------------------- */

static size_t
fmt_i128(char *buf, i128 v)
{
	char		tmp[48];
	int			n = 0;
	size_t		k = 0;
	unsigned __int128 u = (unsigned __int128) v;	/* v >= 0 */

	do
	{
		tmp[n++] = (char) ('0' + (int) (u % 10));
		u /= 10;
	} while (u > 0);
	while (n > 0)
		buf[k++] = tmp[--n];
	buf[k] = '\0';
	return k;
}

size_t
dyn_format(const DynTable *t, char *buf, size_t bufsz)
{
	size_t		p = 0;
	int			i,
				d;
	bool		first = true;
	char		num[48];

	if (bufsz < DYN_TEXT_MAX)
		return 0;
	p += snprintf(buf + p, bufsz - p, "{\"journeys\": %lld, \"moves\": [",
				  (long long) t->journeys);
	for (i = 0; i < B2B_NSTAGES; i++)
		for (d = 0; d < DYN_NDEST; d++)
		{
			const DynCell *c = &t->cell[i][d];

			if (c->moves == 0)
				continue;
			fmt_i128(num, cell_dwell(c));
			p += snprintf(buf + p, bufsz - p,
						  "%s{\"from\": \"%s\", \"to\": \"%s\", \"moves\": %lld, \"dwell_us\": %s}",
						  first ? "" : ", ", stage_name(i + 1), dyn_dest_name(d),
						  (long long) c->moves, num);
			first = false;
		}
	p += snprintf(buf + p, bufsz - p, "]}");
	return p;
}

/* A non-negative JSON integer up to 2^127 - 1. */
static bool
read_i128(bj_reader *r, i128 *out)
{
	unsigned __int128 v = 0;
	size_t		p,
				start;

	if (r->failed)
		return false;
	bj_skip_ws(r);
	p = start = r->pos;
	if (p >= r->len || r->s[p] < '0' || r->s[p] > '9')
		return bj_fail(r, "expected a non-negative integer");
	if (r->s[p] == '0' && p + 1 < r->len && r->s[p + 1] >= '0' && r->s[p + 1] <= '9')
		return bj_fail(r, "leading zero");
	for (; p < r->len && r->s[p] >= '0' && r->s[p] <= '9'; p++)
	{
		v = v * 10 + (unsigned) (r->s[p] - '0');
		if (v > (unsigned __int128) I128_MAX || p - start > 40)
			return bj_fail(r, "integer out of range");
	}
	if (p < r->len && (r->s[p] == '.' || r->s[p] == 'e' || r->s[p] == 'E'))
		return bj_fail(r, "expected an integer");
	r->pos = p;
	*out = (i128) v;
	return true;
}

static int
dest_parse(const char *s)
{
	int			d;

	for (d = 0; d < DYN_NDEST; d++)
		if (strcmp(s, dyn_dest_name(d)) == 0)
			return d;
	return -1;
}

const char *
dyn_parse(const char *str, size_t len, DynTable *t, char *err, size_t errsz)
{
	static const char *const keys[] = {"journeys", "moves"};
	static const char *const mkeys[] = {"from", "to", "moves", "dwell_us"};
	bj_reader	r;
	char		key[32];
	bool		more;
	bool		seen[2] = {false, false};
	DynTable	v;
	const char *problem;

	memset(&v, 0, sizeof(v));
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		int			ki = bj_key_index(&r, key, keys, 2, seen);

		if (ki == 0)
		{
			if (bj_int64(&r, &v.journeys) && v.journeys < 0)
				bj_fail(&r, "negative journey count");
		}
		else if (ki == 1)
		{
			bool		emore;

			bj_begin_array(&r);
			while (bj_next_elem(&r, &emore) && emore)
			{
				bool		mseen[4] = {false, false, false, false};
				bool		kmore;
				char		name[32];
				int			from = 0,
							to = -1;
				int64_t		moves = 0;
				i128		dwell = 0;

				bj_begin_object(&r);
				while (bj_next_key(&r, key, sizeof(key), &kmore) && kmore)
				{
					int			mk = bj_key_index(&r, key, mkeys, 4, mseen);

					if (mk == 0 && bj_string(&r, name, sizeof(name)))
					{
						from = stage_parse(name, strlen(name));
						if (from == 0 || strcmp(name, stage_name(from)) != 0)
							bj_fail(&r, "unknown stage \"%s\"", name);
					}
					else if (mk == 1 && bj_string(&r, name, sizeof(name)))
					{
						if ((to = dest_parse(name)) < 0)
							bj_fail(&r, "unknown destination \"%s\"", name);
					}
					else if (mk == 2)
					{
						if (bj_int64(&r, &moves) && moves <= 0)
							bj_fail(&r, "moves must be positive");
					}
					else if (mk == 3)
						read_i128(&r, &dwell);
					if (r.failed)
						break;
				}
				if (!r.failed && !(mseen[0] && mseen[1] && mseen[2] && mseen[3]))
					bj_fail(&r, "a move needs \"from\", \"to\", \"moves\" and \"dwell_us\"");
				if (r.failed)
					break;
				if (to == from - 1)
					bj_fail(&r, "move from \"%s\" to itself", stage_name(from));
				else if (v.cell[from - 1][to].moves != 0)
					bj_fail(&r, "duplicate move from \"%s\" to \"%s\"",
							stage_name(from), dyn_dest_name(to));
				if (r.failed)
					break;
				v.cell[from - 1][to].moves = moves;
				cell_set_dwell(&v.cell[from - 1][to], dwell);
			}
		}
		if (r.failed)
			break;
	}
	bj_finish_keys(&r, keys, 2, seen);
	if (!r.failed && (problem = dyn_check(&v)) != NULL)
		bj_fail(&r, "%s", problem);
	if (r.failed)
	{
		snprintf(err, errsz, "%s", r.err);
		return err;
	}
	*t = v;
	return NULL;
}
