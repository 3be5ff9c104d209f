/* test_attribution.c — unit tests of attribution_core.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "attribution_core.h"
#include "json_core.h"
#include "../unit/ts_text.h"

#define DAY INT64_C(86400000000)

/* P(conversion) of the chain with channel k removed, by value iteration. */
static double
p_without(int K, const int64_t *c, int k)
{
	double		x[64] = {0},
				y[64];
	int			it,
				s,
				t;

	for (it = 0; it < 20000; it++)
	{
		for (s = 0; s <= K; s++)
		{
			double		tot = 0,
						acc;

			for (t = 0; t < K + 2; t++)
				tot += c[s * (K + 2) + t];
			acc = tot > 0 ? c[s * (K + 2) + K] / tot : 0;
			for (t = 0; t < K; t++)
				if (t != k && tot > 0)
					acc += c[s * (K + 2) + t] / tot * x[t + 1];
			y[s] = (s >= 1 && s - 1 == k) ? 0 : acc;
		}
		memcpy(x, y, sizeof(double) * (K + 1));
	}
	return x[0];
}

int
main(void)
{
	double		w[ATTR_NSTORED * 8];
	double		work[2 * 64 * 64 + 2 * 64];
	double		re[16],
				p;

	/* one touch gets everything in every model */
	{
		int64_t		ts[] = {0};
		int			ch[] = {7};
		uint8_t		st[] = {0};
		int			m;
		int			all = 1;

		attr_path_weights(ts, ch, st, 1, 7 * DAY, w);
		for (m = 0; m < ATTR_NSTORED; m++)
			all &= w[m] == 1.0;
		ok(all, "one touch: share 1 in every stored model");
	}
	/* A > B > C */
	{
		int64_t		ts[] = {0, DAY, 2 * DAY};
		int			ch[] = {0, 1, 2};
		uint8_t		st[] = {0, 0, 0};

		attr_path_weights(ts, ch, st, 3, 7 * DAY, w);
		is_double(w[AM_POSITION_BASED * 3 + 0], 0.4, 1e-15, "position: first 40%%");
		is_double(w[AM_POSITION_BASED * 3 + 1], 0.2, 1e-15, "position: middle 20%%");
		is_double(w[AM_LINEAR * 3 + 1], 1.0 / 3, 1e-15, "linear 1/3");
		is_double(w[AM_W_SHAPED * 3 + 0], 0.9, 1e-15, "w_shaped without stages: first touch 90%%");
		is_double(w[AM_W_SHAPED * 3 + 2], 0.05, 1e-15, "w_shaped without stages: others share 10%%");
		is_double(w[AM_TIME_DECAY * 3 + 0] / w[AM_TIME_DECAY * 3 + 2], pow(2, -2.0 / 7), 1e-12, "time_decay ratio 2^(-age/h)");
	}
	/* two touches: 50/50; shapley over distinct channels */
	{
		int64_t		ts[] = {0, DAY, DAY};
		int			ch[] = {3, 3, 5};
		uint8_t		st[] = {0, 2, 4};

		attr_path_weights(ts, ch, st, 2, DAY, w);
		is_double(w[AM_POSITION_BASED * 2 + 1], 0.5, 1e-15, "position: two touches 50/50");
		attr_path_weights(ts, ch, st, 3, DAY, w);
		is_double(w[AM_SHAPLEY * 3 + 0] + w[AM_SHAPLEY * 3 + 1], 0.5, 1e-15, "shapley: repeated channel gets 1/2 once");
		is_double(w[AM_SHAPLEY * 3 + 2], 0.5, 1e-15, "shapley: other channel 1/2");
		/* milestones: first (0), lead (1), opportunity (2): all three, no rest */
		is_double(w[AM_W_SHAPED * 3 + 1], 1.0 / 3, 1e-15, "w_shaped: three milestones, no rest: 1/3 each");
	}
	/* long path (mark buffer on the heap side) */
	{
		int64_t		ts[80];
		int			ch[80];
		uint8_t		st[80];
		double		big[ATTR_NSTORED * 80];
		double		sum[ATTR_NSTORED] = {0};
		int			i,
					m,
					good = 1;

		for (i = 0; i < 80; i++)
		{
			ts[i] = i * DAY;
			ch[i] = i % 7;
			st[i] = i == 40 ? 4 : 0;
		}
		attr_path_weights(ts, ch, st, 80, 3 * DAY, big);
		for (m = 0; m < ATTR_NSTORED; m++)
		{
			for (i = 0; i < 80; i++)
				sum[m] += big[m * 80 + i];
			good &= fabs(sum[m] - 1) < 1e-12;
		}
		ok(good, "80 touches: every model's shares sum to 1");
		is_double(big[AM_W_SHAPED * 80 + 40], 0.45, 1e-15, "w_shaped: lead = opportunity touch, two milestones 45%% each");
	}
	/* the chain: c1>c2>c3 conv, c1 null, c2>c3 null */
	{
		/* rows start, c1, c2, c3; cols c1 c2 c3 conv null */
		int64_t		c[] = {
			2, 1, 0, 0, 0,
			0, 1, 0, 0, 1,
			0, 0, 2, 0, 0,
			0, 0, 0, 1, 1
		};

		is_int(attr_markov(3, c, 5, &p, re, work), 0, "markov solves");
		is_double(p, 1.0 / 3, 1e-14, "P(conversion) = 1/3");
		is_double(re[0], 0.5, 1e-14, "RE c1 = 0.5");
		is_double(re[1], 1, 1e-14, "RE c2 = 1");
		is_double(re[2], 1, 1e-14, "RE c3 = 1");
	}
	/* a chain with cycles against value iteration with the channel removed */
	{
		int64_t		c[] = {
			5, 3, 1, 2, 0, 0,
			0, 4, 2, 1, 3, 6,
			2, 0, 3, 0, 1, 2,
			1, 2, 0, 5, 2, 3,
			0, 1, 2, 0, 4, 1
		};
		int			k,
					good = 1;

		is_int(attr_markov(4, c, 6, &p, re, work), 0, "cyclic chain solves");
		is_double(p, p_without(4, c, -1), 1e-9, "P(conversion) equals value iteration");
		for (k = 0; k < 4; k++)
			good &= fabs(re[k] - (1 - p_without(4, c, k) / p)) < 1e-9;
		ok(good, "removal effects equal value iteration with each channel removed");
	}
	/* no conversions at all */
	{
		int64_t		c[] = {1, 0, 0, 0, 0, 1};

		is_int(attr_markov(1, c, 3, &p, re, work), 0, "chain without conversions");
		is_double(p, 0, 0, "P = 0");
		is_double(re[0], 0, 0, "RE = 0");
	}
	/* names and models */
	ok(attr_channel_name_problem("", 0) != NULL, "empty name rejected");
	ok(attr_channel_name_problem("(start)", 7) != NULL, "(start) reserved");
	ok(attr_channel_name_problem("(start) ", 8) == NULL, "(start) with a space is a name");
	ok(attr_channel_name_problem("a\0b", 3) != NULL, "NUL rejected");
	is_int(attr_model_parse("markov"), AM_MARKOV, "model markov");
	is_int(attr_model_parse("Markov"), -1, "model names are exact");

	/* touch_path text */
	{
		APText		t;
		char		err[BJ_ERR_SIZE];
		const char *s = "{\"touches\": [[\"2025-01-02 00:00:00+00\", \"web\"], [\"2025-01-01 00:00:00+00\", \"demo\", \"decision\"]], \"skipped\": 3}";

		ok(touch_path_parse(s, strlen(s), 100, ts_text_parse, NULL, &t, malloc, free, err, sizeof err) == NULL, "touch_path parses");
		is_int(t.n, 2, "two touches");
		is_int(t.touches[1].stage, 4, "stage decision");
		is_str(t.names + t.touches[1].name, "demo", "name");
		is_int(t.skipped, 3, "skipped");
		free(t.touches);
		free(t.names);
		ok(touch_path_parse(s, strlen(s), 1, ts_text_parse, NULL, &t, malloc, free, err, sizeof err) != NULL, "touch limit");
		s = "{\"touches\": [[\"2025-01-02 00:00:00+00\", \"(null)\"]]}";
		ok(touch_path_parse(s, strlen(s), 100, ts_text_parse, NULL, &t, malloc, free, err, sizeof err) != NULL, "reserved name rejected");
		ok(t.touches == NULL && t.names == NULL, "nothing left on failure");
	}
	/* attribution text */
	{
		AText		t;
		char		err[BJ_ERR_SIZE];
		const char *s = "{\"half_life_us\": 604800000000, \"paths\": 3, \"conversions\": 1, \"unattributed\": 0, \"value\": 0, \"unattributed_value\": 0, \"skipped\": 0, \"channels\": [{\"name\": \"c1\", \"touches\": 2, \"conversions\": 1, \"credit\": [1, 0, 0.3333333333333333, 0.3, 0.4, 0.9, 0.9, 0.3333333333333333], \"value\": [0, 0, 0, 0, 0, 0, 0, 0]}, {\"name\": \"c2\", \"touches\": 2, \"conversions\": 1, \"credit\": [0, 0, 0.3333333333333333, 0.3, 0.2, 0.05, 0.05, 0.3333333333333333], \"value\": [0, 0, 0, 0, 0, 0, 0, 0]}], \"moves\": [[\"(start)\", \"c1\", 2], [\"c1\", \"c2\", 1], [\"c2\", \"(conversion)\", 1], [\"c1\", \"(null)\", 1]]}";

		ok(attribution_parse(s, strlen(s), &t, malloc, free, err, sizeof err) == NULL, "attribution parses");
		is_int(t.nchannels, 2, "two channels");
		is_int(t.moves[0 * 4 + 0], 2, "start -> c1");
		is_int(t.moves[1 * 4 + 3], 1, "c1 -> null");
		is_int(t.moves[2 * 4 + 2], 1, "c2 -> conversion");
		free(t.channels);
		free(t.moves);
		s = "{\"half_life_us\": 1, \"paths\": 1, \"conversions\": 0, \"unattributed\": 0, \"value\": 0, \"unattributed_value\": 0, \"skipped\": 0, \"channels\": [], \"moves\": [[\"(start)\", \"(start)\", 1]]}";
		ok(attribution_parse(s, strlen(s), &t, malloc, free, err, sizeof err) != NULL, "move into start rejected");
		ok(t.channels == NULL && t.moves == NULL, "nothing left on failure");
	}
	return tap_done();
}
