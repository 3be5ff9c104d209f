/*
 * interrupt_core.h — what a plain-C core (src/ *_core.c, no postgres.h) calls
 * so that a long computation can be cancelled, and where it takes the memory
 * such a computation needs.
 *
 * In the server, _PG_init (src/common.c) points b2b_core_interrupt_hook at a
 * function that runs CHECK_FOR_INTERRUPTS(): a cancel or statement_timeout
 * then raises its ERROR (57014) from inside the core loop, leaving the core
 * by longjmp.  So memory a core holds across B2B_CORE_CHECK_INTERRUPTS()
 * must come from b2b_core_alloc() (palloc in the server: freed with the
 * query's memory context), never from malloc.  In the unit tests and
 * fuzzers both hooks are NULL: no check, and malloc/free.
 *
 * Call B2B_CORE_CHECK_INTERRUPTS() once per iteration of every loop that
 * can run long (an optimiser iteration, a pass over the data, a series
 * term, a month of a CLV sum): the check is one load and a predictable
 * branch when nothing is pending, so per iteration of anything that does
 * more than a few dozen floating-point operations is cheap enough.  In a
 * tighter loop use B2B_CORE_CHECK_INTERRUPTS_EVERY(counter, 1024).
 */
#ifndef B2B_INTERRUPT_CORE_H
#define B2B_INTERRUPT_CORE_H

#include <stddef.h>
#include <stdlib.h>

/* Set by the server's _PG_init; NULL in the unit tests. */
extern void (*b2b_core_interrupt_hook) (void);

#define B2B_CORE_CHECK_INTERRUPTS() \
	do { \
		if (b2b_core_interrupt_hook) \
			b2b_core_interrupt_hook(); \
	} while (0)

/* Check every n-th call; counter is an unsigned variable of the caller. */
#define B2B_CORE_CHECK_INTERRUPTS_EVERY(counter, n) \
	do { \
		if (((counter)++ % (n)) == 0) \
			B2B_CORE_CHECK_INTERRUPTS(); \
	} while (0)

/*
 * Memory of an interruptible computation.  NULL on failure (out of memory or
 * more than the server allocates at once); b2b_core_free(NULL) is a no-op.
 */
extern void *(*b2b_core_alloc_hook) (size_t size);
extern void (*b2b_core_free_hook) (void *p);

static inline void *
b2b_core_alloc(size_t size)
{
	if (size == 0)
		size = 1;
	return b2b_core_alloc_hook ? b2b_core_alloc_hook(size) : malloc(size);
}

static inline void
b2b_core_free(void *p)
{
	if (p == NULL)
		return;
	if (b2b_core_free_hook)
		b2b_core_free_hook(p);
	else
		free(p);
}

/*
 * qsort that a cancel can interrupt: runs of a few thousand elements sorted
 * by qsort, then merged pass by pass (stable within the merge) with a check
 * between blocks.  Its buffer comes from b2b_core_alloc(); without one (out
 * of memory) it falls back to one qsort.  Small arrays: just qsort.
 */
extern void b2b_core_sort(void *base, size_t n, size_t size,
						  int (*cmp) (const void *, const void *));

#endif							/* B2B_INTERRUPT_CORE_H */
