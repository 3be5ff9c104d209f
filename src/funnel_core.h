/*
 * funnel_core.h — the funnel's text form, read and written.  Plain C (no
 * postgres.h): unit-tested (test/unit/test_funnel.c) and fuzzed
 * (test/fuzz/fuzz_funnel.c) alone.  The type itself is in funnel.h.
 *
 * The text form is a JSON object of the entities that reached each stage,
 * every stage once (exact lower-case names, in stage order when written),
 * counts not negative and never increasing along the stages.
 */
#ifndef B2B_FUNNEL_CORE_H
#define B2B_FUNNEL_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "json_core.h"
#include "stage_core.h"

/*
 * The first stage s (2..7) whose count exceeds that of stage s - 1, or 0
 * when the counts never increase.
 */
extern int	funnel_reached_exceeds(const int64_t reached[B2B_NSTAGES]);

/*
 * Parse len bytes of str (no NUL needed) into reached[] (stage s at s - 1).
 * Returns NULL, or err with what is wrong and its character position.
 */
extern const char *funnel_parse(const char *str, size_t len,
								int64_t reached[B2B_NSTAGES],
								char *err, size_t errsz);

/* Write the text form of reached[] (funnel_out). */
extern void funnel_write(const bj_writer *w, const int64_t reached[B2B_NSTAGES]);

#endif
