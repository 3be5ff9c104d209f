/*
 * fuzz_attribution.c — fuzz the text readers of touch_path and attribution
 * (attribution_core.c): touch_path_parse with the timestamp reader of
 * test/unit/ts_text.h standing in for the server's, and attribution_parse.
 *
 *   SECONDS_EACH=60 bash test/fuzz/run.sh fuzz_attribution
 *
 * Properties: no crash, leak or sanitizer report on any input; a parsed
 * touch_path has valid names and stages and respects the touch limit; a
 * parsed attribution passes attribution_text_problem, and printed as
 * attribution output prints it (shortest round-trip doubles) it parses
 * back to the same values.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attribution_core.h"
#include "json_core.h"
#include "../unit/ts_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_SMALL_MAX 3

const char *const fuzz_seeds[] = {
	"{\"touches\": [[\"2025-01-01 00:00:00+00\", \"c1\"], [\"2025-01-02 00:00:00+00\", \"c2\"], [\"2025-01-03 00:00:00+00\", \"c3\", \"decision\"]], \"skipped\": 0}",
	"{\"touches\": [[\"2025-01-01 00:00:00+00\", \"web\", \"awareness\"]], \"skipped\": 2}",
	"{\"touches\": []}",
	"{\"touches\": [[\"2025-01-01 00:00:00+00\", \"(start)\"]]}",
	"{\"touches\": [[\"2025-01-01 00:00:00+00\", \"\"]]}",
	"{\"touches\": [[\"2025-01-01 00:00:00+00\", \"w\", \"x\", 1]]}",
	"{\"half_life_us\": 604800000000, \"paths\": 3, \"conversions\": 1, \"unattributed\": 0, \"value\": 0, \"unattributed_value\": 0, \"skipped\": 0, \"channels\": [{\"name\": \"c1\", \"touches\": 2, \"conversions\": 1, \"credit\": [1, 0, 0.3333333333333333, 0.3009235493096271, 0.4, 0.9, 0.9, 0.3333333333333333], \"value\": [0, 0, 0, 0, 0, 0, 0, 0]}, {\"name\": \"c2\", \"touches\": 2, \"conversions\": 1, \"credit\": [0, 0, 0.3333333333333333, 0.3322465352102637, 0.2, 0.05, 0.05, 0.3333333333333333], \"value\": [0, 0, 0, 0, 0, 0, 0, 0]}, {\"name\": \"c3\", \"touches\": 2, \"conversions\": 1, \"credit\": [0, 1, 0.3333333333333333, 0.3668299154801092, 0.4, 0.05, 0.05, 0.3333333333333333], \"value\": [0, 0, 0, 0, 0, 0, 0, 0]}], \"moves\": [[\"(start)\", \"c1\", 2], [\"(start)\", \"c2\", 1], [\"c1\", \"c2\", 1], [\"c1\", \"(null)\", 1], [\"c2\", \"c3\", 2], [\"c3\", \"(conversion)\", 1], [\"c3\", \"(null)\", 1]]}",
	"{\"half_life_us\": 1, \"paths\": 0, \"conversions\": 0, \"unattributed\": 0, \"value\": 0, \"unattributed_value\": 0, \"skipped\": 0, \"channels\": [], \"moves\": []}",
	"{\"half_life_us\": 1, \"paths\": 1, \"conversions\": 0, \"unattributed\": 0, \"value\": 0, \"unattributed_value\": 0, \"skipped\": 0, \"channels\": [{\"name\": \"a\", \"touches\": 1, \"conversions\": 0, \"credit\": [0,0,0,0,0,0,0,0], \"value\": [0,0,0,0,0,0,0,0]}], \"moves\": [[\"a\", \"a\", 1]]}",
	NULL
};

static void
check_path(const char *text, size_t len)
{
	static char err[BJ_ERR_SIZE];
	APText		t,
				s;
	const char *problem = touch_path_parse(text, len, (size_t) 1 << 24, ts_text_parse, NULL,
										   &t, malloc, free, err, sizeof(err));
	const char *small = touch_path_parse(text, len, FUZZ_SMALL_MAX, ts_text_parse, NULL,
										 &s, malloc, free, err, sizeof(err));
	size_t		i;

	if (small == NULL)
	{
		if (problem != NULL || s.n != t.n || s.n > FUZZ_SMALL_MAX)
			abort();
		free(s.touches);
		free(s.names);
	}
	else if (problem == NULL && t.n <= FUZZ_SMALL_MAX)
		abort();
	if (problem != NULL)
	{
		if (t.touches != NULL || t.names != NULL || t.n != 0)
			abort();
		return;
	}
	for (i = 0; i < t.n; i++)
	{
		const char *name = t.names + t.touches[i].name;

		if (attr_channel_name_problem(name, strlen(name)) != NULL || t.touches[i].stage > 7)
			abort();
	}
	if (t.skipped < 0)
		abort();
	free(t.touches);
	free(t.names);
}

/* Print an attribution as attribution_out does (%.17g also round-trips). */
static char *
print_attribution(const AText *t, size_t *len)
{
	size_t		cap = 512 + (size_t) t->nchannels * (600 + 2 * 16 * 26) +
		(size_t) (t->nchannels + 1) * (t->nchannels + 2) * (2 * ATTR_MAX_NAME + 40);
	char	   *b = malloc(cap);
	size_t		k = 0;
	int			K = t->nchannels,
				i,
				m,
				c;
	bool		first = true;

	if (b == NULL)
		abort();
	k += snprintf(b + k, cap - k, "{\"half_life_us\": %" PRId64 ", \"paths\": %" PRId64 ", \"conversions\": %" PRId64
				  ", \"unattributed\": %" PRId64 ", \"value\": %.17g, \"unattributed_value\": %.17g, \"skipped\": %" PRId64 ", \"channels\": [",
				  t->half_life, t->paths, t->conversions, t->unattributed, t->value, t->unattributed_value, t->skipped);
	for (i = 0; i < K; i++)
	{
		const AChannel *ch = &t->channels[i];
		const char *p;

		k += snprintf(b + k, cap - k, "%s{\"name\": \"", i ? ", " : "");
		for (p = ch->name; *p; p++)
		{
			if (*p == '"' || *p == '\\')
				k += snprintf(b + k, cap - k, "\\%c", *p);
			else if ((unsigned char) *p < 0x20)
				k += snprintf(b + k, cap - k, "\\u%04x", (unsigned char) *p);
			else
				b[k++] = *p;
		}
		k += snprintf(b + k, cap - k, "\", \"touches\": %" PRId64 ", \"conversions\": %" PRId64 ", \"credit\": [",
					  ch->touches, ch->conversions);
		for (m = 0; m < ATTR_NSTORED; m++)
			k += snprintf(b + k, cap - k, "%s%.17g", m ? ", " : "", ch->credit[m]);
		k += snprintf(b + k, cap - k, "], \"value\": [");
		for (m = 0; m < ATTR_NSTORED; m++)
			k += snprintf(b + k, cap - k, "%s%.17g", m ? ", " : "", ch->value[m]);
		k += snprintf(b + k, cap - k, "]}");
	}
	k += snprintf(b + k, cap - k, "], \"moves\": [");
	for (i = 0; i <= K; i++)
		for (c = 0; c < K + 2; c++)
		{
			int64_t		v = t->moves[(size_t) i * (K + 2) + c];
			const char *from = i == 0 ? ATTR_START : t->channels[i - 1].name;
			const char *to = c < K ? t->channels[c].name : c == K ? ATTR_CONV : ATTR_NULL;

			if (v == 0)
				continue;
			/* names with quotes are skipped by the check below */
			k += snprintf(b + k, cap - k, "%s[\"%s\", \"%s\", %" PRId64 "]", first ? "" : ", ", from, to, v);
			first = false;
		}
	k += snprintf(b + k, cap - k, "]}");
	if (k >= cap)
		abort();
	*len = k;
	return b;
}

static void
check_attribution(const char *text, size_t len)
{
	static char err[BJ_ERR_SIZE];
	AText		t,
				u;
	const char *problem = attribution_parse(text, len, &t, malloc, free, err, sizeof(err));
	char	   *again;
	size_t		alen;
	int			k,
				plain = 1;

	if (problem != NULL)
	{
		if (t.channels != NULL || t.moves != NULL || t.nchannels != 0)
			abort();
		return;
	}
	if (attribution_text_problem(&t) != NULL)
		abort();
	for (k = 0; k < t.nchannels; k++)
		if (strpbrk(t.channels[k].name, "\"\\") != NULL)
			plain = 0;
	if (plain)
	{
		again = print_attribution(&t, &alen);
		if (attribution_parse(again, alen, &u, malloc, free, err, sizeof(err)) != NULL)
		{
			fprintf(stderr, "printed attribution does not parse: %s\n", again);
			abort();
		}
		if (u.nchannels != t.nchannels || u.paths != t.paths || u.value != t.value ||
			(t.nchannels > 0 && memcmp(u.channels, t.channels, sizeof(AChannel) * t.nchannels) != 0) ||
			memcmp(u.moves, t.moves, sizeof(int64_t) * (t.nchannels + 1) * (t.nchannels + 2)) != 0)
			abort();
		free(u.channels);
		free(u.moves);
		free(again);
	}
	free(t.channels);
	free(t.moves);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* not NUL-terminated on purpose: the readers must respect len */
	char	   *copy = malloc(size ? size : 1);

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	check_path(copy, size);
	check_attribution(copy, size);
	free(copy);
	return 0;
}
