/*
 * committee_core.c — the committee summary: its math and its text form
 * (see committee_core.h).  Plain C.
 */
#include "committee_core.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_core.h"
#include "propensity_core.h"

/* ---------------------------------------------------------------------
 * The committee state
 * --------------------------------------------------------------------- */

void
cm_init(cm_state *c)
{
	memset((char *) c + offsetof(cm_state, version), 0,
		   COMMITTEE_SIZE - offsetof(cm_state, version));
	c->version = COMMITTEE_VERSION;
}

static double
clamp_p(double p)
{
	if (p < CM_P_MIN)
		return CM_P_MIN;
	if (p > 1.0 - CM_P_MIN)
		return 1.0 - CM_P_MIN;
	return p;
}

cm_status
cm_add(cm_state *c, int role, int stage, bool has_p, double p, double w)
{
	int			r;
	double		sw = 0,
				pw = 0,
				pwl = 0,
				pl = 0,
				ps = 0;

	if (role == 0)
		role = ROLE_OTHER;
	if (role < 1 || role > B2B_NROLES)
		return CM_BAD_ROLE;
	if (stage < 0 || stage > B2B_NSTAGES)
		return CM_BAD_STAGE;
	if (!(w >= 0 && isfinite(w)))
		return CM_BAD_WEIGHT;
	if (has_p && !(p >= 0 && p <= 1))
		return CM_BAD_P;
	r = role - 1;

	/* check everything first, so an error leaves the state as it was */
	if (c->role[r].n == INT32_MAX ||
		(stage > 0 && c->stage_n[stage - 1] == INT32_MAX))
		return CM_COUNT_OVERFLOW;
	if (stage > 0)
	{
		sw = c->stage_w[stage - 1] + w;
		if (!isfinite(sw))
			return CM_SUM_OVERFLOW;
	}
	if (has_p)
	{
		double		l1 = log1p(-p);	/* log(1 - p), shared by both pools */
		double		lg = (p >= CM_P_MIN && p <= 1.0 - CM_P_MIN)
			? log(p) - l1 : prop_logit(clamp_p(p));

		pw = c->pool_w + w;
		pwl = c->pool_wlogit + w * lg;
		pl = c->pool_log_none + l1;
		ps = c->role[r].psum + p;
		if (!isfinite(pw) || !isfinite(pwl))
			return CM_SUM_OVERFLOW;
	}

	c->role[r].n++;
	if (stage > 0)
	{
		c->stage_n[stage - 1]++;
		c->stage_w[stage - 1] = sw;
		c->role_stages[r] |= (uint8_t) (1u << (stage - 1));
	}
	if (has_p)
	{
		c->role[r].pn++;
		c->role[r].psum = ps;
		c->pool_w = pw;
		c->pool_wlogit = pwl;
		c->pool_log_none = pl;
	}
	return CM_OK;
}

static bool
add_i32(int32_t *dst, int32_t a, int32_t b)
{
	int64_t		s = (int64_t) a + (int64_t) b;

	if (s > INT32_MAX || s < INT32_MIN)
		return false;
	*dst = (int32_t) s;
	return true;
}

cm_status
cm_merge(cm_state *dst, const cm_state *src)
{
	cm_state	t;
	int			i;

	memcpy(&t, dst, COMMITTEE_SIZE);
	for (i = 0; i < B2B_NROLES; i++)
	{
		if (!add_i32(&t.role[i].n, t.role[i].n, src->role[i].n) ||
			!add_i32(&t.role[i].pn, t.role[i].pn, src->role[i].pn))
			return CM_COUNT_OVERFLOW;
		t.role[i].psum += src->role[i].psum;
		t.role_stages[i] |= src->role_stages[i];
	}
	for (i = 0; i < B2B_NSTAGES; i++)
	{
		if (!add_i32(&t.stage_n[i], t.stage_n[i], src->stage_n[i]))
			return CM_COUNT_OVERFLOW;
		t.stage_w[i] += src->stage_w[i];
		if (!isfinite(t.stage_w[i]))
			return CM_SUM_OVERFLOW;
	}
	t.pool_w += src->pool_w;
	t.pool_wlogit += src->pool_wlogit;
	t.pool_log_none += src->pool_log_none;
	if (!isfinite(t.pool_w) || !isfinite(t.pool_wlogit))
		return CM_SUM_OVERFLOW;
	memcpy(dst, &t, COMMITTEE_SIZE);
	return CM_OK;
}

int
cm_bits(unsigned m)
{
	int			n = 0;

	for (; m; m >>= 1)
		n += m & 1;
	return n;
}

/* Highest and lowest set bit of a stage mask, as a stage (0 when empty). */
static int
mask_high(unsigned m)
{
	int			s = 0;

	for (; m; m >>= 1)
		s++;
	return s;
}

static int
mask_low(unsigned m)
{
	int			s;

	for (s = 1; m; m >>= 1, s++)
		if (m & 1)
			return s;
	return 0;
}

/* Stages with at least one member, bit s-1 for stage s. */
static unsigned
staged_mask(const cm_state *c)
{
	unsigned	m = 0;
	int			s;

	for (s = 0; s < B2B_NSTAGES; s++)
		if (c->stage_n[s] > 0)
			m |= 1u << s;
	return m;
}

unsigned
cm_role_mask(const cm_state *c)
{
	unsigned	m = 0;
	int			r;

	for (r = 1; r <= B2B_NROLES; r++)
		if (c->role[r - 1].n > 0)
			m |= 1u << r;
	return m;
}

const char *
cm_check(const cm_state *c)
{
	int64_t		members = 0,
				staged = 0,
				with_p = 0;
	double		lmax = prop_logit(1.0 - CM_P_MIN);
	int			r,
				s;

	if (c->version != COMMITTEE_VERSION)
		return "unknown layout version";
	for (r = 0; r < B2B_NROLES; r++)
	{
		if (c->role[r].n < 0 || c->role[r].pn < 0)
			return "negative count";
		if (c->role[r].pn > c->role[r].n)
			return "more members with a propensity than members in a role";
		if (!isfinite(c->role[r].psum) || c->role[r].psum < 0 ||
			c->role[r].psum > c->role[r].pn ||
			(c->role[r].pn == 0 && c->role[r].psum != 0))
			return "sum of propensities out of range for a role";
		if (c->role_stages[r] & 0x80)
			return "stage set out of range";
		if (cm_bits(c->role_stages[r]) > c->role[r].n)
			return "a role stands in more stages than it has members";
		members += c->role[r].n;
		with_p += c->role[r].pn;
	}
	for (s = 0; s < B2B_NSTAGES; s++)
	{
		int			roles_here = 0;

		for (r = 0; r < B2B_NROLES; r++)
			if (c->role_stages[r] & (1u << s))
				roles_here++;
		if (c->stage_n[s] < 0)
			return "negative count";
		if (c->stage_n[s] < roles_here || (c->stage_n[s] > 0 && roles_here == 0))
			return "stage counts do not match the roles' stages";
		if (!isfinite(c->stage_w[s]) || c->stage_w[s] < 0 ||
			(c->stage_n[s] == 0 && c->stage_w[s] != 0))
			return "stage weight out of range";
		staged += c->stage_n[s];
	}
	if (staged > members)
		return "more members in stages than members";
	if (!isfinite(c->pool_w) || c->pool_w < 0 || !isfinite(c->pool_wlogit) ||
		fabs(c->pool_wlogit) > c->pool_w * lmax * (1 + 1e-9) ||
		isnan(c->pool_log_none) || c->pool_log_none > 0)
		return "propensity sums out of range";
	if (with_p == 0 && (c->pool_w != 0 || c->pool_wlogit != 0 ||
						c->pool_log_none != 0))
		return "propensity sums without members with a propensity";
	return NULL;
}

/* Σ of the role counts: all members, or those with a propensity. */
static int64_t
role_total(const cm_state *c, bool with_p)
{
	int64_t		n = 0;
	int			r;

	for (r = 0; r < B2B_NROLES; r++)
		n += with_p ? c->role[r].pn : c->role[r].n;
	return n;
}

int64_t
cm_members(const cm_state *c)
{
	return role_total(c, false);
}

int64_t
cm_with_p(const cm_state *c)
{
	return role_total(c, true);
}

int64_t
cm_staged(const cm_state *c)
{
	int64_t		n = 0;
	int			s;

	for (s = 0; s < B2B_NSTAGES; s++)
		n += c->stage_n[s];
	return n;
}

int
cm_leading(const cm_state *c)
{
	return mask_high(staged_mask(c));
}

int
cm_lagging(const cm_state *c)
{
	return mask_low(staged_mask(c));
}

/* The weighted median: the lowest stage where the cumulative weight reaches
 * half of the total. */
int
cm_consensus(const cm_state *c)
{
	double		total = 0,
				cum = 0;
	int			s;

	for (s = 0; s < B2B_NSTAGES; s++)
		total += c->stage_w[s];
	if (!(total > 0))
		return 0;
	for (s = 0; s < B2B_NSTAGES; s++)
	{
		cum += c->stage_w[s];
		if (c->stage_w[s] > 0 && 2 * cum >= total)
			return s + 1;
	}
	return cm_leading(c);
}

int
cm_role_furthest(const cm_state *c, int role)
{
	return mask_high(c->role_stages[role - 1]);
}

int
cm_role_earliest(const cm_state *c, int role)
{
	return mask_low(c->role_stages[role - 1]);
}

/* 1 − H/ln 7, H the entropy of the weighted stage distribution. */
bool
cm_alignment(const cm_state *c, double *out)
{
	double		total = 0,
				h = 0,
				a;
	int			s;

	for (s = 0; s < B2B_NSTAGES; s++)
		total += c->stage_w[s];
	if (!(total > 0))
		return false;
	for (s = 0; s < B2B_NSTAGES; s++)
	{
		double		q = c->stage_w[s] / total;

		if (q > 0)
			h -= q * log(q);
	}
	a = 1.0 - h / log((double) B2B_NSTAGES);
	*out = a < 0 ? 0 : (a > 1 ? 1 : a);
	return true;
}

bool
cm_account_p(const cm_state *c, double *out)
{
	if (!(c->pool_w > 0))
		return false;
	*out = prop_from_logit(c->pool_wlogit / c->pool_w);
	return true;
}

bool
cm_any_p(const cm_state *c, double *out)
{
	if (cm_with_p(c) == 0)
		return false;
	*out = -expm1(c->pool_log_none);
	return true;
}

/* ---------------------------------------------------------------------
 * Text input (JSON).  The form cm_out writes:
 *
 * {"version": 1, "members": 5,
 *  "roles": {"champion": {"members": 2, "with_p": 2, "sum_p": 0.9,
 *                         "stages": ["evaluation", "decision"]}, ...},
 *  "stages": {"evaluation": {"members": 3, "weight": 3}, ...},
 *  "pool": {"weight": 4, "weighted_logit": -1.5, "log_none": -2.1}}
 *
 * Roles and stages without members are left out; keys in any order.
 * --------------------------------------------------------------------- */

static bool
read_count(bj_reader *r, int32_t *out, const char *what)
{
	int64_t		v;

	if (!bj_int64(r, &v))
		return false;
	if (v < 0 || v > INT32_MAX)
		return bj_fail(r, "%s %lld out of range (0 to 2147483647)", what,
					   (long long) v);
	*out = (int32_t) v;
	return true;
}

/* The keys of each object of the text form, all required. */
static const char *const role_keys[] = {"members", "with_p", "sum_p", "stages"};
static const char *const stage_keys[] = {"members", "weight"};
static const char *const pool_keys[] = {"weight", "weighted_logit", "log_none"};
static const char *const committee_keys[] = {"version", "members", "roles", "stages", "pool"};

static bool
read_role(bj_reader *r, cm_state *c, int role)
{
	char		key[32];
	bool		more;
	bool		seen[4] = {false};
	int			i = role - 1;

	if (!bj_begin_object(r))
		return false;
	while (bj_next_key(r, key, sizeof(key), &more) && more)
	{
		switch (bj_key_index(r, key, role_keys, 4, seen))
		{
			case 0:
				read_count(r, &c->role[i].n, "members");
				break;
			case 1:
				read_count(r, &c->role[i].pn, "with_p");
				break;
			case 2:
				bj_number(r, &c->role[i].psum);
				break;
			case 3:
				{
					bool		el;

					if (!bj_begin_array(r))
						return false;
					while (bj_next_elem(r, &el) && el)
					{
						char		sname[32];
						int			s;

						if (!bj_string(r, sname, sizeof(sname)))
							return false;
						s = stage_parse(sname, strlen(sname));
						if (s == 0 || strcmp(sname, stage_name(s)) != 0)
							return bj_fail(r, "unknown stage \"%s\"", sname);
						if (c->role_stages[i] & (1u << (s - 1)))
							return bj_fail(r, "duplicate stage \"%s\"", sname);
						c->role_stages[i] |= (uint8_t) (1u << (s - 1));
					}
				}
				break;
		}
		if (r->failed)
			return false;
	}
	if (!bj_require_keys(r, role_keys, 4, seen))
		return false;
	if (c->role[i].n == 0)
		return bj_fail(r, "role \"%s\" listed with no members", role_name(role));
	return true;
}

static bool
read_stage(bj_reader *r, cm_state *c, int s)
{
	char		key[32];
	bool		more;
	bool		seen[2] = {false};

	if (!bj_begin_object(r))
		return false;
	while (bj_next_key(r, key, sizeof(key), &more) && more)
	{
		switch (bj_key_index(r, key, stage_keys, 2, seen))
		{
			case 0:
				read_count(r, &c->stage_n[s - 1], "members");
				break;
			case 1:
				bj_number(r, &c->stage_w[s - 1]);
				break;
		}
		if (r->failed)
			return false;
	}
	if (!bj_require_keys(r, stage_keys, 2, seen))
		return false;
	if (c->stage_n[s - 1] == 0)
		return bj_fail(r, "stage \"%s\" listed with no members", stage_name(s));
	return true;
}

static bool
read_pool(bj_reader *r, cm_state *c)
{
	char		key[32];
	bool		more;
	bool		seen[3] = {false};

	if (!bj_begin_object(r))
		return false;
	while (bj_next_key(r, key, sizeof(key), &more) && more)
	{
		switch (bj_key_index(r, key, pool_keys, 3, seen))
		{
			case 0:
				bj_number(r, &c->pool_w);
				break;
			case 1:
				bj_number(r, &c->pool_wlogit);
				break;
			case 2:
				/* "-Infinity" once a member has p = 1 */
				if (bj_number_special(r, &c->pool_log_none) &&
					isinf(c->pool_log_none) && c->pool_log_none > 0)
					bj_fail(r, "\"log_none\" must not be positive");
				break;
		}
		if (r->failed)
			return false;
	}
	return bj_require_keys(r, pool_keys, 3, seen);
}

bool
cm_parse(const char *str, size_t len, cm_state *c, char *err, size_t errsz)
{
	bj_reader	r;
	char		key[32];
	bool		more;
	int64_t		members = -1,
				version = -1;
	bool		seen[5] = {false};
	const char *why;

	cm_init(c);
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		int			k = bj_key_index(&r, key, committee_keys, 5, seen);

		if (k == 0)
		{
			if (bj_int64(&r, &version) && version != COMMITTEE_VERSION)
				bj_fail(&r, "unsupported layout version %lld (this build reads %d)",
						(long long) version, COMMITTEE_VERSION);
		}
		else if (k == 1)
		{
			if (bj_int64(&r, &members) && members < 0)
				bj_fail(&r, "negative \"members\"");
		}
		else if (k == 2)
		{
			bool		m2;
			char		rk[64];

			bj_begin_object(&r);
			while (bj_next_key(&r, rk, sizeof(rk), &m2) && m2)
			{
				int			role = role_parse(rk, strlen(rk));

				if (role == 0 || strcmp(rk, role_name(role)) != 0)
				{
					bj_fail(&r, "unknown role \"%s\"", rk);
					break;
				}
				if (c->role[role - 1].n != 0)
				{
					bj_fail(&r, "duplicate role \"%s\"", rk);
					break;
				}
				if (!read_role(&r, c, role))
					break;
			}
		}
		else if (k == 3)
		{
			bool		m2;
			char		sk[32];

			bj_begin_object(&r);
			while (bj_next_key(&r, sk, sizeof(sk), &m2) && m2)
			{
				int			s = stage_parse(sk, strlen(sk));

				if (s == 0 || strcmp(sk, stage_name(s)) != 0)
				{
					bj_fail(&r, "unknown stage \"%s\"", sk);
					break;
				}
				if (c->stage_n[s - 1] != 0)
				{
					bj_fail(&r, "duplicate stage \"%s\"", sk);
					break;
				}
				if (!read_stage(&r, c, s))
					break;
			}
		}
		else if (k == 4)
			read_pool(&r, c);
		if (r.failed)
			break;
	}
	bj_finish_keys(&r, committee_keys, 5, seen);
	if (!r.failed && members != cm_members(c))
		bj_fail(&r, "\"members\" is %lld but the roles add up to %lld",
				(long long) members, (long long) cm_members(c));
	if (r.failed)
	{
		snprintf(err, errsz, "%s", r.err);
		return false;
	}
	why = cm_check(c);
	if (why)
	{
		snprintf(err, errsz, "%s", why);
		return false;
	}
	return true;
}

void
cm_write(const bj_writer *w, const cm_state *c)
{
	bool		first = true;
	int			r,
				s;

	bj_putf(w, "{\"version\": %d, \"members\": %lld, \"roles\": {",
			COMMITTEE_VERSION, (long long) cm_members(c));
	for (r = 1; r <= B2B_NROLES; r++)
	{
		bool		sfirst = true;

		if (c->role[r - 1].n == 0)
			continue;
		bj_putf(w, "%s\"%s\": {\"members\": %d, \"with_p\": %d, \"sum_p\": ",
				first ? "" : ", ", role_name(r),
				(int) c->role[r - 1].n, (int) c->role[r - 1].pn);
		bj_put_double(w, c->role[r - 1].psum);
		bj_put(w, ", \"stages\": [");
		for (s = 1; s <= B2B_NSTAGES; s++)
			if (c->role_stages[r - 1] & (1u << (s - 1)))
			{
				bj_putf(w, "%s\"%s\"", sfirst ? "" : ", ", stage_name(s));
				sfirst = false;
			}
		bj_put(w, "]}");
		first = false;
	}
	bj_put(w, "}, \"stages\": {");
	first = true;
	for (s = 1; s <= B2B_NSTAGES; s++)
	{
		if (c->stage_n[s - 1] == 0)
			continue;
		bj_putf(w, "%s\"%s\": {\"members\": %d, \"weight\": ",
				first ? "" : ", ", stage_name(s), (int) c->stage_n[s - 1]);
		bj_put_double(w, c->stage_w[s - 1]);
		bj_put(w, "}");
		first = false;
	}
	bj_put(w, "}, \"pool\": {\"weight\": ");
	bj_put_double(w, c->pool_w);
	bj_put(w, ", \"weighted_logit\": ");
	bj_put_double(w, c->pool_wlogit);
	bj_put(w, ", \"log_none\": ");
	/* -Infinity (a member with p = 1) as the JSON string the reader takes */
	if (isinf(c->pool_log_none))
		bj_put(w, "\"-Infinity\"");
	else
		bj_put_double(w, c->pool_log_none);
	bj_put(w, "}}");
}
