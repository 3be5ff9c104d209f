/*
 * committee_core.c — buying roles and the committee summary.  Plain C.
 */
#include "committee_core.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json_core.h"
#include "propensity_core.h"

static const char *const role_names[B2B_NROLES + 1] = {
	NULL, "decision_maker", "economic_buyer", "executive_sponsor", "champion",
	"technical_evaluator", "influencer", "end_user", "procurement", "legal",
	"blocker", "other"
};

const char *
role_name(int r)
{
	return (r >= 1 && r <= B2B_NROLES) ? role_names[r] : NULL;
}

const char *
role_names_list(void)
{
	return "decision_maker, economic_buyer, executive_sponsor, champion, "
		"technical_evaluator, influencer, end_user, procurement, legal, "
		"blocker, other";
}

/*
 * Every accepted spelling, folded (lower-case letters and digits, the word
 * "and" dropped).  The canonical names come first for each role; HubSpot's
 * buying roles (DECISION_MAKER, BUDGET_HOLDER, EXECUTIVE_SPONSOR, CHAMPION,
 * INFLUENCER, END_USER, LEGAL_AND_COMPLIANCE, BLOCKER, OTHER) and
 * Salesforce's contact roles (Decision Maker, Economic Buyer, Economic
 * Decision Maker, Executive Sponsor, Technical Buyer, Evaluator, Influencer,
 * Business User, Other) are among them.
 */
static const struct
{
	const char *alias;
	int			role;
}			role_aliases[] = {
	{"decisionmaker", ROLE_DECISION_MAKER},
	{"dm", ROLE_DECISION_MAKER},
	{"decider", ROLE_DECISION_MAKER},
	{"finaldecisionmaker", ROLE_DECISION_MAKER},
	{"approver", ROLE_DECISION_MAKER},
	{"economicbuyer", ROLE_ECONOMIC_BUYER},
	{"budgetholder", ROLE_ECONOMIC_BUYER},
	{"budgetowner", ROLE_ECONOMIC_BUYER},
	{"economicdecisionmaker", ROLE_ECONOMIC_BUYER},
	{"financialbuyer", ROLE_ECONOMIC_BUYER},
	{"executivesponsor", ROLE_EXECUTIVE_SPONSOR},
	{"execsponsor", ROLE_EXECUTIVE_SPONSOR},
	{"sponsor", ROLE_EXECUTIVE_SPONSOR},
	{"champion", ROLE_CHAMPION},
	{"internalchampion", ROLE_CHAMPION},
	{"coach", ROLE_CHAMPION},
	{"technicalevaluator", ROLE_TECHNICAL_EVALUATOR},
	{"technicalbuyer", ROLE_TECHNICAL_EVALUATOR},
	{"evaluator", ROLE_TECHNICAL_EVALUATOR},
	{"techevaluator", ROLE_TECHNICAL_EVALUATOR},
	{"influencer", ROLE_INFLUENCER},
	{"enduser", ROLE_END_USER},
	{"user", ROLE_END_USER},
	{"businessuser", ROLE_END_USER},
	{"procurement", ROLE_PROCUREMENT},
	{"purchasing", ROLE_PROCUREMENT},
	{"purchaser", ROLE_PROCUREMENT},
	{"legal", ROLE_LEGAL},
	{"legalcompliance", ROLE_LEGAL},
	{"compliance", ROLE_LEGAL},
	{"legalcounsel", ROLE_LEGAL},
	{"counsel", ROLE_LEGAL},
	{"blocker", ROLE_BLOCKER},
	{"detractor", ROLE_BLOCKER},
	{"other", ROLE_OTHER},
};

#define N_ALIASES ((int) (sizeof(role_aliases) / sizeof(role_aliases[0])))

int
role_alias_count(void)
{
	return N_ALIASES;
}

const char *
role_alias(int i, int *role)
{
	if (i < 0 || i >= N_ALIASES)
		return NULL;
	*role = role_aliases[i].role;
	return role_aliases[i].alias;
}

static bool
role_separator(unsigned char c)
{
	return isspace(c) || c == '_' || c == '-' || c == '.' || c == '/' || c == '&';
}

/*
 * Fold role text word by word: letters lower-cased, digits kept, separators
 * and the word "and" dropped.  Any other character makes the text no role.
 */
static bool
role_fold(const char *s, size_t len, char *out, size_t outsz)
{
	size_t		n = 0,
				i = 0;

	while (i < len)
	{
		size_t		start = i,
					k;

		if (role_separator((unsigned char) s[i]))
		{
			i++;
			continue;
		}
		while (i < len && isalnum((unsigned char) s[i]))
			i++;
		if (i == start)
			return false;		/* a character outside the accepted set */
		if (i - start == 3 && strncasecmp(s + start, "and", 3) == 0)
			continue;
		if (n + (i - start) >= outsz)
			return false;
		for (k = start; k < i; k++)
			out[n++] = (char) tolower((unsigned char) s[k]);
	}
	out[n] = '\0';
	return n > 0;
}

int
role_parse(const char *s, size_t len)
{
	char		key[64];
	int			i;

	if (!role_fold(s, len, key, sizeof(key)))
		return 0;
	for (i = 0; i < N_ALIASES; i++)
		if (strcmp(key, role_aliases[i].alias) == 0)
			return role_aliases[i].role;
	return 0;
}

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

static bool
read_role(bj_reader *r, cm_state *c, int role)
{
	char		key[32];
	bool		more;
	bool		seen_n = false;
	int			i = role - 1;

	if (!bj_begin_object(r))
		return false;
	while (bj_next_key(r, key, sizeof(key), &more) && more)
	{
		if (strcmp(key, "members") == 0)
		{
			if (!read_count(r, &c->role[i].n, "members"))
				return false;
			seen_n = true;
		}
		else if (strcmp(key, "with_p") == 0)
		{
			if (!read_count(r, &c->role[i].pn, "with_p"))
				return false;
		}
		else if (strcmp(key, "sum_p") == 0)
		{
			if (!bj_number(r, &c->role[i].psum))
				return false;
		}
		else if (strcmp(key, "stages") == 0)
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
		else
			return bj_fail(r, "unknown key \"%s\"", key);
	}
	if (!r->failed && !seen_n)
		return bj_fail(r, "role \"%s\" without \"members\"", role_name(role));
	if (!r->failed && c->role[i].n == 0)
		return bj_fail(r, "role \"%s\" listed with no members", role_name(role));
	return !r->failed;
}

static bool
read_stage(bj_reader *r, cm_state *c, int s)
{
	char		key[32];
	bool		more;
	bool		seen_n = false,
				seen_w = false;

	if (!bj_begin_object(r))
		return false;
	while (bj_next_key(r, key, sizeof(key), &more) && more)
	{
		if (strcmp(key, "members") == 0)
		{
			if (!read_count(r, &c->stage_n[s - 1], "members"))
				return false;
			seen_n = true;
		}
		else if (strcmp(key, "weight") == 0)
		{
			if (!bj_number(r, &c->stage_w[s - 1]))
				return false;
			seen_w = true;
		}
		else
			return bj_fail(r, "unknown key \"%s\"", key);
	}
	if (!r->failed && (!seen_n || !seen_w))
		return bj_fail(r, "stage \"%s\" needs \"members\" and \"weight\"",
					   stage_name(s));
	if (!r->failed && c->stage_n[s - 1] == 0)
		return bj_fail(r, "stage \"%s\" listed with no members", stage_name(s));
	return !r->failed;
}

static bool
read_pool(bj_reader *r, cm_state *c)
{
	char		key[32];
	bool		more;
	int			seen = 0;

	if (!bj_begin_object(r))
		return false;
	while (bj_next_key(r, key, sizeof(key), &more) && more)
	{
		if (strcmp(key, "weight") == 0 && !(seen & 1))
		{
			bj_number(r, &c->pool_w);
			seen |= 1;
		}
		else if (strcmp(key, "weighted_logit") == 0 && !(seen & 2))
		{
			bj_number(r, &c->pool_wlogit);
			seen |= 2;
		}
		else if (strcmp(key, "log_none") == 0 && !(seen & 4))
		{
			/* "-Infinity" once a member has p = 1 */
			if (bj_number_special(r, &c->pool_log_none) &&
				isinf(c->pool_log_none) && c->pool_log_none > 0)
				bj_fail(r, "\"log_none\" must not be positive");
			seen |= 4;
		}
		else
			return bj_fail(r, "unknown or duplicate key \"%s\"", key);
		if (r->failed)
			return false;
	}
	if (!r->failed && seen != 7)
		return bj_fail(r, "\"pool\" needs \"weight\", \"weighted_logit\" and \"log_none\"");
	return !r->failed;
}

bool
cm_parse(const char *str, size_t len, cm_state *c, char *err, size_t errsz)
{
	bj_reader	r;
	char		key[32];
	bool		more;
	int64_t		members = -1,
				version = -1;
	bool		seen_roles = false,
				seen_stages = false,
				seen_pool = false;
	const char *why;

	cm_init(c);
	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		if (strcmp(key, "version") == 0 && version < 0)
		{
			if (bj_int64(&r, &version) && version != COMMITTEE_VERSION)
				bj_fail(&r, "unsupported layout version %lld (this build reads %d)",
						(long long) version, COMMITTEE_VERSION);
		}
		else if (strcmp(key, "members") == 0 && members < 0)
		{
			if (bj_int64(&r, &members) && members < 0)
				bj_fail(&r, "negative \"members\"");
		}
		else if (strcmp(key, "roles") == 0 && !seen_roles)
		{
			bool		m2;
			char		rk[64];

			seen_roles = true;
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
		else if (strcmp(key, "stages") == 0 && !seen_stages)
		{
			bool		m2;
			char		sk[32];

			seen_stages = true;
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
		else if (strcmp(key, "pool") == 0 && !seen_pool)
		{
			seen_pool = true;
			read_pool(&r, c);
		}
		else
			bj_fail(&r, "unknown or duplicate key \"%s\"", key);
		if (r.failed)
			break;
	}
	bj_finish(&r);
	if (!r.failed && (version < 0 || members < 0 || !seen_roles ||
					  !seen_stages || !seen_pool))
		bj_fail(&r, "missing key (needs \"version\", \"members\", \"roles\", \"stages\" and \"pool\")");
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
