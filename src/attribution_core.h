/*
 * attribution_core.h — touchpoint attribution (SPEC §7): the per-path
 * credits of the heuristic models, the exact Markov removal effects, and the
 * text readers of touch_path and attribution.  Plain C (no postgres.h):
 * unit-tested and fuzzed alone.
 */
#ifndef B2B_ATTRIBUTION_CORE_H
#define B2B_ATTRIBUTION_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Distinct channels of one touch_path and of one attribution. */
#define ATTR_MAX_CHANNELS 255
/* Bytes of one channel name (not counting the NUL). */
#define ATTR_MAX_NAME 255

/*
 * Models.  The first ATTR_NSTORED are additive per converted path: the
 * attribution state keeps, per model and channel, the sum of the path's
 * credit fractions and of value times those fractions.  Markov is computed
 * from the transition counts at report time.
 */
enum
{
	AM_FIRST_TOUCH,
	AM_LAST_TOUCH,
	AM_LINEAR,
	AM_TIME_DECAY,
	AM_POSITION_BASED,
	AM_W_SHAPED,
	AM_FULL_PATH,
	AM_SHAPLEY,
	ATTR_NSTORED,
	AM_MARKOV = ATTR_NSTORED,
	ATTR_NMODELS
};

/* Model names, by the enum above. */
extern const char *const attr_model_names[ATTR_NMODELS];
/* Report order of the models (markov before shapley, as SPEC lists them). */
extern const int attr_model_order[ATTR_NMODELS];
/* "first_touch, last_touch, ..." for error hints. */
extern const char attr_model_list[];

/* Model index of a name (exact, lower case), or -1. */
extern int	attr_model_parse(const char *s);

/* The three Markov states that are not channels (names reserved). */
#define ATTR_START	"(start)"
#define ATTR_CONV	"(conversion)"
#define ATTR_NULL	"(null)"

/* 0 when name (len bytes) can be a channel; else a static message. */
extern const char *attr_channel_name_problem(const char *name, size_t len);

/* Journey stage ordinals the milestones look for. */
#define ATTR_STAGE_CONSIDERATION 2
#define ATTR_STAGE_DECISION 4
#define ATTR_STAGE_PURCHASE 5

/*
 * Credit fractions of one path's touches, in path order (ts, then channel
 * name): for model m < ATTR_NSTORED, w[m * n + i] is the share of touch i
 * (each model's shares sum to 1).  ts[] is in microseconds, half_life too
 * (> 0).  time_decay's weight 2^(-age / half_life), age measured back from
 * the conversion, is normalised per path, so ages are taken from the last
 * touch instead (the same shares, and no underflow on old paths).
 * stage[i] is 0 (none) or 1..7.  Shapley's share of a touch is
 * 1 / (distinct channels) for the first touch of each channel, else 0 (the
 * per-channel sums are what count); ch[i] identifies the channel (any
 * integers, equal for one channel).  n >= 1.
 */
extern void attr_path_weights(const int64_t *ts, const int *ch,
							  const uint8_t *stage, int n, double half_life,
							  double *w);

/*
 * Exact first-order Markov removal effects.  K channels; counts is the
 * (K + 1) x (K + 2) matrix of moves, row 0 = (start), row 1 + k = channel k;
 * column k = channel k, column K = (conversion), column K + 1 = (null);
 * row stride ld.  Writes *p_conv (probability of conversion from start)
 * and re[k] = 1 - P(conversion | k removed) / p_conv (0 when p_conv is 0).
 * work needs 2 * (K + 1) * (K + 1) + 2 * (K + 1) doubles.  Returns 0, or -1 when
 * the system is singular (only for counts no set of paths gives).
 */
extern int	attr_markov(int K, const int64_t *counts, int ld, double *p_conv,
						double *re, double *work);

/* ---- text input ---- */

typedef int (*attr_ts_fn) (const char *s, size_t len, int64_t *out, void *arg);
typedef void *(*attr_alloc_fn) (size_t size);
typedef void (*attr_free_fn) (void *ptr);

/* One touch read from text: name is an offset into APText.names. */
typedef struct APTouch
{
	int64_t		ts;
	uint32_t	name;			/* offset of the NUL-terminated name */
	uint8_t		stage;			/* 0 or 1..7 */
} APTouch;

typedef struct APText
{
	APTouch    *touches;
	size_t		n;
	char	   *names;			/* the names, NUL-terminated, one per touch */
	int64_t		skipped;
} APText;

/*
 * Parse touch_path text: {"touches": [[ts, channel] or [ts, channel,
 * stage], ...], "skipped": n}, touches in any order, channel names checked
 * with attr_channel_name_problem, stages by name.  At most max_touches.
 * Returns NULL (t's arrays from alloc) or what is wrong (in err, with the
 * position); then *t is all zero and nothing is left allocated.
 */
extern const char *touch_path_parse(const char *str, size_t len,
									size_t max_touches, attr_ts_fn parse_ts,
									void *ts_arg, APText *t,
									attr_alloc_fn alloc, attr_free_fn dealloc,
									char *err, size_t errsz);

/* One channel of an attribution read from text. */
typedef struct AChannel
{
	char		name[ATTR_MAX_NAME + 1];
	int64_t		touches;
	int64_t		conversions;
	double		credit[ATTR_NSTORED];
	double		value[ATTR_NSTORED];
} AChannel;

typedef struct AText
{
	int64_t		half_life;		/* microseconds, > 0 */
	int64_t		paths;
	int64_t		conversions;
	int64_t		unattributed;
	int64_t		skipped;
	double		value;
	double		unattributed_value;
	int			nchannels;
	AChannel   *channels;		/* nchannels, names strictly ascending */
	int64_t    *moves;			/* (K + 1) x (K + 2) as attr_markov */
} AText;

/*
 * What is wrong with an attribution read from text or binary (names valid
 * and strictly ascending, counts and credits not negative, moves well
 * formed), or NULL.
 */
extern const char *attribution_text_problem(const AText *t);

/*
 * Parse attribution text (the JSON attribution output writes; see
 * attribution.c).  Channels must be in strictly ascending byte order of
 * their names; transitions name channels or (start)/(conversion)/(null).
 * Returns NULL (t's arrays from alloc) or what is wrong.
 */
extern const char *attribution_parse(const char *str, size_t len, AText *t,
									 attr_alloc_fn alloc, attr_free_fn dealloc,
									 char *err, size_t errsz);

#endif
