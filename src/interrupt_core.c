/*
 * interrupt_core.c — the hooks of interrupt_core.h (NULL until the server's
 * _PG_init sets them; NULL in the unit tests and fuzzers).
 */
#include "interrupt_core.h"

#include <string.h>

void		(*b2b_core_interrupt_hook) (void) = NULL;
void	   *(*b2b_core_alloc_hook) (size_t size) = NULL;
void		(*b2b_core_free_hook) (void *p) = NULL;

#define SORT_RUN 4096

void
b2b_core_sort(void *base, size_t n, size_t size,
			  int (*cmp) (const void *, const void *))
{
	char	   *a = base,
			   *buf,
			   *src,
			   *dst;
	size_t		i,
				width;

	if (n <= SORT_RUN || size == 0)
	{
		qsort(base, n, size, cmp);
		return;
	}
	buf = (n > (size_t) -1 / size) ? NULL : b2b_core_alloc(n * size);
	if (buf == NULL)
	{
		qsort(base, n, size, cmp);
		return;
	}
	for (i = 0; i < n; i += SORT_RUN)
	{
		B2B_CORE_CHECK_INTERRUPTS();
		qsort(a + i * size, (n - i < SORT_RUN ? n - i : SORT_RUN), size, cmp);
	}
	src = a;
	dst = buf;
	for (width = SORT_RUN; width < n; width *= 2)
	{
		for (i = 0; i < n; i += 2 * width)
		{
			size_t		l = i,
						lend = (i + width < n) ? i + width : n,
						r = lend,
						rend = (i + 2 * width < n) ? i + 2 * width : n,
						o = i;
			unsigned	tick = 0;

			while (l < lend && r < rend)
			{
				if ((++tick & 16383) == 0)
					B2B_CORE_CHECK_INTERRUPTS();
				if (cmp(src + r * size, src + l * size) < 0)
					memcpy(dst + (o++) * size, src + (r++) * size, size);
				else
					memcpy(dst + (o++) * size, src + (l++) * size, size);
			}
			if (l < lend)
				memcpy(dst + o * size, src + l * size, (lend - l) * size);
			else if (r < rend)
				memcpy(dst + o * size, src + r * size, (rend - r) * size);
			B2B_CORE_CHECK_INTERRUPTS();
		}
		{
			char	   *t = src;

			src = dst;
			dst = t;
		}
	}
	if (src != a)
		memcpy(a, src, n * size);
	b2b_core_free(buf);
}
