/*
 * dynamics.h — shared declarations of the journey-dynamics glue
 * (dynamics.c: stage_transitions; survival.c: survival and cumulative
 * incidence).
 */
#ifndef B2B_DYNAMICS_H
#define B2B_DYNAMICS_H

#include "b2btarget.h"
#include "utils/timestamp.h"

/*
 * An interval as microseconds, months counted as 30 days and days as 24
 * hours (PostgreSQL's own interval comparison).  ERROR 22023 naming what
 * when it is negative (unless allow_negative), 22008 when it is infinite
 * (PostgreSQL 17+) or out of the int64 range.
 */
extern int64 dyn_interval_usecs(const Interval *iv, const char *what, bool allow_negative);

/* Microseconds as an interval of days and time (no months). */
extern Interval *dyn_usecs_interval(int64 us);

#endif
