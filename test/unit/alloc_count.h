/*
 * alloc_count.h — a counting allocator for the unit tests of the text
 * readers that take alloc/free callbacks (ev_lift_parse, journey_parse):
 * live counts the blocks not given back, and fail_after >= 0 makes that
 * many more allocations succeed and the next one return NULL.
 */
#ifndef B2B_ALLOC_COUNT_H
#define B2B_ALLOC_COUNT_H

#include <stdlib.h>

static int	live = 0;
static int	fail_after = -1;

static void *
t_alloc(size_t size)
{
	void	   *p;

	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	p = malloc(size);
	if (p)
		live++;
	return p;
}

static void
t_free(void *p)
{
	live--;
	free(p);
}

#endif
