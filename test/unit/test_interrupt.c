/*
 * test_interrupt.c — interrupt_core: the interruptible sort, and that the
 * long core loops call the interrupt hook (here a counter; a longjmp in the
 * server) and take their memory from b2b_core_alloc.
 */
#include <stdint.h>
#include <stdlib.h>

#include "tap.h"
#include "bgnbd_core.h"
#include "interrupt_core.h"

static long hook_calls;
static long allocs, frees;

static void
count_hook(void)
{
	hook_calls++;
}

static void *
count_alloc(size_t n)
{
	allocs++;
	return malloc(n);
}

static void
count_free(void *p)
{
	frees++;
	free(p);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *) a,
				y = *(const uint64_t *) b;

	return (x > y) - (x < y);
}

typedef struct
{
	int			key;
	int			seq;
} pair;

static int
cmp_pair(const void *a, const void *b)
{
	return ((const pair *) a)->key - ((const pair *) b)->key;
}

int
main(void)
{
	size_t		sizes[] = {0, 1, 4096, 4097, 10000, 100003};
	size_t		s,
				i;
	uint64_t	st = 12345;

	printf("1..13\n");
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
	{
		size_t		n = sizes[s];
		uint64_t   *a = malloc(sizeof(uint64_t) * (n + 1)),
				   *b = malloc(sizeof(uint64_t) * (n + 1));
		int			same;

		for (i = 0; i < n; i++)
		{
			st = st * 6364136223846793005ULL + 1442695040888963407ULL;
			a[i] = b[i] = (st >> 20) % (n / 3 + 1);
		}
		b2b_core_sort(a, n, sizeof(uint64_t), cmp_u64);
		qsort(b, n, sizeof(uint64_t), cmp_u64);
		same = n == 0 || memcmp(a, b, sizeof(uint64_t) * n) == 0;
		ok(same, "b2b_core_sort of %zu keys equals qsort", n);
		free(a);
		free(b);
	}
	{
		/* the merge passes keep equal keys in run order */
		size_t		n = 50000;
		pair	   *p = malloc(sizeof(pair) * n);
		int			stable_runs = 1;

		for (i = 0; i < n; i++)
		{
			p[i].key = (int) ((i * 7919) % 13);
			p[i].seq = (int) i;
		}
		b2b_core_sort(p, n, sizeof(pair), cmp_pair);
		for (i = 1; i < n; i++)
			if (p[i - 1].key > p[i].key)
				stable_runs = 0;
		ok(stable_runs, "b2b_core_sort orders 50000 structs");
		free(p);
	}

	b2b_core_interrupt_hook = count_hook;
	b2b_core_alloc_hook = count_alloc;
	b2b_core_free_hook = count_free;
	{
		size_t		n = 20000;
		uint64_t   *a = malloc(sizeof(uint64_t) * n);

		for (i = 0; i < n; i++)
			a[i] = (i * 2654435761u) % 100000;
		hook_calls = allocs = frees = 0;
		b2b_core_sort(a, n, sizeof(uint64_t), cmp_u64);
		ok(hook_calls >= 5, "the sort checks for interrupts (%ld checks)", hook_calls);
		ok(allocs == 1 && frees == 1, "the sort's buffer comes from b2b_core_alloc");
		free(a);
	}
	{
		bgnbd_obs	o[3] = {{0, 0, 10, 5}, {2, 6, 10, 3}, {5, 9, 10, 2}};
		bgnbd_params fit;
		b2b_fit_info info;

		hook_calls = allocs = frees = 0;
		(void) bgnbd_fit(o, 3, 0, &fit, &info);
		ok(hook_calls > info.iterations, "bgnbd_fit checks for interrupts every iteration (%ld checks, %d iterations)", hook_calls, info.iterations);
		ok(allocs > 0 && allocs == frees, "bgnbd_fit frees what it takes from b2b_core_alloc (%ld)", allocs);
	}
	{
		bgnbd_params p = {1e300, 1e300, 1e300, 1e300};

		hook_calls = 0;
		ok(!isfinite(b2b_clv(&p, 2, 5, 10, 1.0, 1200, 0.01, 30.0)), "clv with extreme parameters gives up (NaN)");
		ok(hook_calls >= 1 && hook_calls < 10000, "... after a bounded number of checks (%ld)", hook_calls);
	}
	b2b_core_interrupt_hook = NULL;
	b2b_core_alloc_hook = NULL;
	b2b_core_free_hook = NULL;
	return tap_done();
}
