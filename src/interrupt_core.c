/*
 * interrupt_core.c — the hooks of interrupt_core.h (NULL until the server's
 * _PG_init sets them; NULL in the unit tests and fuzzers).
 */
#include "interrupt_core.h"

void		(*b2b_core_interrupt_hook) (void) = NULL;
void	   *(*b2b_core_alloc_hook) (size_t size) = NULL;
void		(*b2b_core_free_hook) (void *p) = NULL;
