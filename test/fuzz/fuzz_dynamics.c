/*
 * fuzz_dynamics.c — fuzz the text readers of journey dynamics: dyn_parse
 * (stage_transitions, dynamics_core.c) and surv_parse (survival and
 * cumulative_incidence, survival_core.c).
 *
 *   SECONDS_EACH=60 bash test/fuzz/run.sh fuzz_dynamics
 *
 * Properties: no crash or sanitizer report on any input; a value that
 * parses passes its checker, and printed as the output functions print it,
 * parses back to the same value.  The first input byte picks the reader.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynamics_core.h"
#include "json_core.h"
#include "survival_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *const fuzz_seeds[] = {
	"0{\"journeys\": 2, \"moves\": [{\"from\": \"consideration\", \"to\": \"evaluation\", \"moves\": 1, \"dwell_us\": 86400000000}, {\"from\": \"consideration\", \"to\": \"lost\", \"moves\": 1, \"dwell_us\": 0}]}",
	"0{\"journeys\": 1, \"moves\": [{\"from\": \"decision\", \"to\": \"open\", \"moves\": 9223372036854775807, \"dwell_us\": 170141183460469231731687303715884105727}]}",
	"0{\"journeys\": 0, \"moves\": []}",
	"0{\"journeys\": 1, \"moves\": [{\"from\": \"decision\", \"to\": \"decision\", \"moves\": 1, \"dwell_us\": 0}]}",
	"1{\"points\": [[216000000000, 1, 0], [345600000000, 2, 0], [432000000000, 1, 0], [518400000000, 0, 2]], \"skipped\": 0}",
	"1{\"points\": [], \"skipped\": 3}",
	"1{\"points\": [[1, 9223372036854775807, 0], [2, 1, 0]]}",
	"2{\"outcomes\": [\"1\", \"2\"], \"points\": [[86400000000, 1, 0, 0], [172800000000, 0, 1, 0]], \"skipped\": 0}",
	"2{\"outcomes\": [\"back\\\\slash\", \"say \\\"hi\\\"\", \"tab\\u0009here\"], \"points\": [[86400000000, 0, 1, 1, 1]], \"skipped\": 0}",
	"2{\"outcomes\": [], \"points\": [[1, 1]]}",
	NULL
};

static void *
xalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

static void
check_dyn(const char *text, size_t len)
{
	static char err[BJ_ERR_SIZE];
	static char buf[DYN_TEXT_MAX];
	DynTable	t,
				again;
	size_t		k;

	if (dyn_parse(text, len, &t, err, sizeof(err)) != NULL)
		return;
	if (dyn_check(&t) != NULL)
		abort();
	k = dyn_format(&t, buf, sizeof(buf));
	if (k == 0 || k >= sizeof(buf))
		abort();
	if (dyn_parse(buf, k, &again, err, sizeof(err)) != NULL)
	{
		fprintf(stderr, "printed table does not parse: %s (%s)\n", buf, err);
		abort();
	}
	if (memcmp(&t, &again, sizeof(t)) != 0)
		abort();
	/* the chain must not crash on any valid table */
	{
		DynChain	c;
		int			target;

		for (target = 2; target <= B2B_NSTAGES; target++)
			dyn_chain(&t, target, &c);
	}
}

/* print as survival_out / cumulative_incidence_out do */
static char *
print_surv(const SText *t, bool cif, size_t *len)
{
	size_t		cap = 256 + t->n * 80 + (size_t) t->noutcomes * (6 * SURV_NAME_MAX + 8);
	char	   *buf = xalloc(cap);
	size_t		k = 0,
				i = 0;
	int			o;

	k += snprintf(buf + k, cap - k, "{");
	if (cif)
	{
		k += snprintf(buf + k, cap - k, "\"outcomes\": [");
		for (o = 0; o < t->noutcomes; o++)
		{
			if (o)
				k += snprintf(buf + k, cap - k, ", ");
			k += surv_json_string(t->names[o], buf + k);
		}
		k += snprintf(buf + k, cap - k, "], ");
	}
	k += snprintf(buf + k, cap - k, "\"points\": [");
	while (i < t->n)
	{
		int64_t		row[SURV_MAX_OUTCOMES + 1] = {0};
		int64_t		tm = t->points[i].time;

		for (; i < t->n && t->points[i].time == tm; i++)
			row[t->points[i].outcome] = t->points[i].count;
		k += snprintf(buf + k, cap - k, "%s[%" PRId64, k > 0 && buf[k - 1] == '[' ? "" : ", ", tm);
		if (!cif)
			k += snprintf(buf + k, cap - k, ", %" PRId64 ", %" PRId64, row[1], row[0]);
		else
			for (o = 0; o <= t->noutcomes; o++)
				k += snprintf(buf + k, cap - k, ", %" PRId64, row[o]);
		k += snprintf(buf + k, cap - k, "]");
	}
	k += snprintf(buf + k, cap - k, "], \"skipped\": %" PRId64 "}", t->skipped);
	if (k >= cap)
		abort();
	*len = k;
	return buf;
}

static void
check_surv(const char *text, size_t len, bool cif)
{
	static char err[BJ_ERR_SIZE];
	SText	   *t = xalloc(sizeof(SText));
	SText	   *again = xalloc(sizeof(SText));
	char	   *buf;
	size_t		k;

	if (surv_parse(text, len, cif, 100000, t, xalloc, free, err, sizeof(err)) != NULL)
		goto out;
	if (spoints_check(t->points, t->n, t->noutcomes) != NULL)
		abort();
	buf = print_surv(t, cif, &k);
	if (surv_parse(buf, k, cif, 100000, again, xalloc, free, err, sizeof(err)) != NULL)
	{
		fprintf(stderr, "printed value does not parse: %s (%s)\n", buf, err);
		abort();
	}
	if (again->n != t->n || again->skipped != t->skipped || again->noutcomes != t->noutcomes ||
		(t->n && memcmp(again->points, t->points, t->n * sizeof(SPoint)) != 0) ||
		memcmp(again->names, t->names, sizeof(t->names)) != 0)
		abort();
	/* the estimators must not crash on any valid value */
	{
		KmIter		it;
		KmRow		r;
		AjIter	   *aj = xalloc(sizeof(AjIter));
		int64_t		tm,
					risk;

		km_begin(&it, t->points, t->n);
		while (km_next(&it, &r))
			if (!(r.survival >= 0 && r.survival <= 1 && r.lower <= r.survival + 1e-12 && r.upper >= r.survival - 1e-12))
				abort();
		aj_begin(aj, t->points, t->n, t->noutcomes);
		while (aj_next(aj, &tm, &risk))
			;
		free(aj);
	}
	free(buf);
	free(again->points);
	free(t->points);
out:
	free(t);
	free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *copy;

	if (size < 1)
		return 0;
	copy = malloc(size);
	if (copy == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	switch (data[0] % 3)
	{
		case 0:
			check_dyn(copy, size - 1);
			break;
		case 1:
			check_surv(copy, size - 1, false);
			break;
		default:
			check_surv(copy, size - 1, true);
			break;
	}
	free(copy);
	return 0;
}
