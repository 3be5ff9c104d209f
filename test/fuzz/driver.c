/*
 * driver.c — runs a libFuzzer target without libFuzzer: deterministic
 * pseudo-random inputs (and mutations of the seed inputs the target lists),
 * so every test run smoke-tests the harness under ASan/UBSan.  The real
 * coverage-guided fuzzing is `bash test/fuzz/run.sh` (clang, by hand).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern const char *const fuzz_seeds[];

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int
main(int argc, char **argv)
{
	long		iters = argc > 1 ? atol(argv[1]) : 200000;
	static const char alphabet[] = "{}[]\":,.-+0123456789eEaAtfnul \\%/_&xyzadvocyprheins";
	uint8_t		buf[512];
	long		i;
	int			nseeds = 0;

	while (fuzz_seeds[nseeds])
		nseeds++;
	for (i = 0; i < nseeds; i++)
		LLVMFuzzerTestOneInput((const uint8_t *) fuzz_seeds[i], strlen(fuzz_seeds[i]));
	for (i = 0; i < iters; i++)
	{
		size_t		n;
		size_t		k;

		if (nseeds > 0 && (next() & 1))
		{
			/* mutate a seed: flip, insert, delete or truncate */
			const char *s = fuzz_seeds[next() % nseeds];
			int			m,
						edits = 1 + (int) (next() % 4);

			n = strlen(s);
			if (n > sizeof(buf))
				n = sizeof(buf);
			memcpy(buf, s, n);
			for (m = 0; m < edits && n > 0; m++)
			{
				size_t		pos = next() % n;

				switch (next() % 4)
				{
					case 0:
						buf[pos] = (uint8_t) alphabet[next() % (sizeof(alphabet) - 1)];
						break;
					case 1:
						buf[pos] = (uint8_t) next();
						break;
					case 2:
						memmove(buf + pos, buf + pos + 1, n - pos - 1);
						n--;
						break;
					case 3:
						n = pos;
						break;
				}
			}
		}
		else
		{
			n = next() % 64;
			for (k = 0; k < n; k++)
				buf[k] = (uint8_t) ((next() & 3) ? alphabet[next() % (sizeof(alphabet) - 1)] : next());
		}
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("ok - %s: %ld inputs without a sanitizer report\n", argv[0], iters + nseeds);
	return 0;
}
