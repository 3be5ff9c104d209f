/* tap.h — the smallest TAP producer, for the plain-C unit tests. */
#ifndef B2B_TAP_H
#define B2B_TAP_H
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	tap_n = 0;
static int	tap_failed = 0;

#define ok(cond, ...) do { \
	tap_n++; \
	if (cond) printf("ok %d - ", tap_n); \
	else { printf("not ok %d - ", tap_n); tap_failed++; } \
	printf(__VA_ARGS__); printf("\n"); \
} while (0)

#define is_int(got, want, ...) do { \
	long long g_ = (long long) (got), w_ = (long long) (want); \
	ok(g_ == w_, __VA_ARGS__); \
	if (g_ != w_) printf("#   got %lld, want %lld\n", g_, w_); \
} while (0)

#define is_double(got, want, reltol, ...) do { \
	double g_ = (got), w_ = (want); \
	int c_ = (g_ == w_) || fabs(g_ - w_) <= (reltol) * fmax(fabs(w_), 1e-300); \
	ok(c_, __VA_ARGS__); \
	if (!c_) printf("#   got %.17g, want %.17g\n", g_, w_); \
} while (0)

#define is_str(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	int c_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_; \
	ok(c_, __VA_ARGS__); \
	if (!c_) printf("#   got \"%s\", want \"%s\"\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
} while (0)

#define tap_done() (tap_failed ? 1 : 0)
/*
 * A malloc'd copy of s with nothing after its bytes (no NUL), so a reader
 * that overruns len trips the sanitizer; *n gets the length.
 */
static inline char *
copy_of(const char *s, size_t *n)
{
	char	   *c;

	*n = strlen(s);
	c = malloc(*n ? *n : 1);
	memcpy(c, s, *n);
	return c;
}

#endif
