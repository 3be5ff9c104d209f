/*
 * attribution.h — the touch_path and attribution summary types (SPEC §7).
 */
#ifndef B2B_ATTRIBUTION_H
#define B2B_ATTRIBUTION_H

#include "b2btarget.h"
#include "attribution_core.h"

#define TOUCH_PATH_VERSION 1
#define ATTRIBUTION_VERSION 1

/* touch_path flags */
#define TP_UNSORTED 0x01		/* only inside an aggregate's own state */

/* One touch: 16 bytes.  ch indexes the path's channel names. */
typedef struct TouchEntry
{
	int64		ts;				/* microseconds since 2000, finite */
	uint16		ch;
	uint8		stage;			/* 0 = none, 1..7 */
	uint8		reserved;		/* 0 */
	int32		reserved2;		/* 0 */
} TouchEntry;

/*
 * One entity's touches.  After the touches (tcap of them) come the channel
 * names, NUL-terminated.  A stored path (flags 0) has tcap == n, its names
 * in strictly ascending byte order, each used by a touch, and its touches
 * sorted by (ts, channel, stage): so equal timestamps are ordered by
 * channel name, whatever the order of the input rows.
 */
typedef struct TouchPath
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint16		nchannels;
	int32		n;				/* touches in use */
	int32		tcap;			/* room for touches */
	int32		names_len;		/* bytes of names in use */
	int32		reserved;		/* 0 */
	int64		skipped;		/* input rows with a NULL ts or channel */
	TouchEntry	touches[FLEXIBLE_ARRAY_MEMBER];
} TouchPath;

#define TP_HDRSZ offsetof(TouchPath, touches)
#define TP_NAMES(p) ((char *) &(p)->touches[(p)->tcap])
#define TP_NAMES_CAP(p) ((int64) VARSIZE(p) - (int64) TP_HDRSZ - (int64) (p)->tcap * (int64) sizeof(TouchEntry))

/*
 * The attribution state: per channel, counts and the sums of each stored
 * model's credit; the Markov moves between (start), the channels,
 * (conversion) and (null).  Arrays are sized by cap (channel room, a power
 * of two from 4 to 256), in this order after the header:
 *   uint16 hash[2 cap]   open addressing, slot = 1 + channel index
 *   int64  touches[cap], conversions[cap]
 *   double credit[ATTR_NSTORED][cap], value[ATTR_NSTORED][cap]
 *   int64  moves[cap + 1][cap + 2]  row 0 (start), 1 + k; column k,
 *                                   cap (conversion), cap + 1 (null)
 *   char   names[]       nchannels NUL-terminated names (room to VARSIZE)
 */
typedef struct Attribution
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* 0 */
	uint16		nchannels;
	uint16		cap;
	uint16		reserved;		/* 0 */
	int32		names_len;
	int64		half_life;		/* microseconds, > 0 */
	int64		paths;			/* paths aggregated */
	int64		conversions;	/* converted paths with a touch before it */
	int64		unattributed;	/* converted paths without one */
	int64		skipped;		/* touch rows skipped by touch_path_agg */
	double		value;			/* value of the conversions */
	double		unattributed_value;
} Attribution;

#define ATTR_HDRSZ MAXALIGN(sizeof(Attribution))

#define PG_GETARG_TOUCH_PATH(n) touch_path_validate((TouchPath *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))
#define PG_GETARG_ATTRIBUTION(n) attribution_validate((Attribution *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

extern TouchPath *touch_path_validate(TouchPath *p);
extern Attribution *attribution_validate(Attribution *a);

#endif
