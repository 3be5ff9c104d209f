/*
 * funnel_core.c — see funnel_core.h.  Plain C: no postgres.h.
 */
#include "funnel_core.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int
funnel_reached_exceeds(const int64_t reached[B2B_NSTAGES])
{
	int			i;

	for (i = 1; i < B2B_NSTAGES; i++)
		if (reached[i] > reached[i - 1])
			return i + 1;
	return 0;
}

const char *
funnel_parse(const char *str, size_t len, int64_t reached[B2B_NSTAGES],
			 char *err, size_t errsz)
{
	bj_reader	r;
	char		key[64];
	bool		more;
	int64_t		v[B2B_NSTAGES] = {0};
	bool		seen[B2B_NSTAGES] = {false};
	int			i;
	const char *const *funnel_keys = stage_names_array();

	bj_init(&r, str, len);
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		int			k = bj_key_index(&r, key, funnel_keys, B2B_NSTAGES, seen);

		if (k < 0 || !bj_int64(&r, &v[k]))
			break;
		if (v[k] < 0)
		{
			bj_fail(&r, "negative count for \"%s\"", key);
			break;
		}
	}
	bj_finish_keys(&r, funnel_keys, B2B_NSTAGES, seen);
	if (!r.failed && (i = funnel_reached_exceeds(v)) != 0)
		bj_fail(&r, "\"%s\" (%lld) exceeds \"%s\" (%lld)",
				stage_name(i), (long long) v[i - 1],
				stage_name(i - 1), (long long) v[i - 2]);
	if (r.failed)
	{
		snprintf(err, errsz, "%s", r.err);
		return err;
	}
	memcpy(reached, v, sizeof(v));
	return NULL;
}

void
funnel_write(const bj_writer *w, const int64_t reached[B2B_NSTAGES])
{
	int			s;

	bj_put(w, "{");
	for (s = 1; s <= B2B_NSTAGES; s++)
		bj_putf(w, "%s\"%s\": %" PRId64, s > 1 ? ", " : "", stage_name(s),
				reached[s - 1]);
	bj_put(w, "}");
}
