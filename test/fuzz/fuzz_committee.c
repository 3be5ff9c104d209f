/*
 * fuzz_committee.c — fuzz the committee text reader and the role parser.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *       test/fuzz/fuzz_committee.c src/[a-z]*_core.c -lm -o fuzz_committee.bin
 *   ./fuzz_committee.bin -max_total_time=60
 *
 * Without libFuzzer (gcc), build with -DFUZZ_STANDALONE: it reads each file
 * named on the command line as one input.
 *
 * Properties: no crash or sanitizer report on any input; a committee that
 * parses passes cm_check, merging it into an empty state gives it back, and
 * printed with committee_out's writer (cm_write) it reads back the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "committee_core.h"
#include "../unit/out_buf.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Seeds for test/fuzz/driver.c, the smoke run of every test run. */
const char *const fuzz_seeds[] = {
	"decision maker", "Budget Holder", "Legal & Compliance", "champion",
	"{\"version\": 1}", NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cm_state	c,
				e;
	char		err[200];
	double		v;
	out_buf		b;

	(void) role_parse((const char *) data, size);
	memset(&c, 0, sizeof(c));
	memset(&e, 0, sizeof(e));
	if (!cm_parse((const char *) data, size, &c, err, sizeof(err)))
		return 0;
	if (cm_check(&c) != NULL)
		abort();
	cm_init(&e);
	if (cm_merge(&e, &c) != CM_OK || memcmp(&e, &c, COMMITTEE_SIZE) != 0)
		abort();
	if (cm_consensus(&c) < 0 || cm_consensus(&c) > B2B_NSTAGES)
		abort();
	if (cm_alignment(&c, &v) && !(v >= 0 && v <= 1))
		abort();
	if (cm_account_p(&c, &v) && !(v >= 0 && v <= 1))
		abort();
	if (cm_any_p(&c, &v) && !(v >= 0 && v <= 1))
		abort();
	out_buf_init(&b);
	cm_write(&b.w, &c);
	memset(&e, 0, sizeof(e));
	if (!cm_parse(b.s, b.len, &e, err, sizeof(err)))
	{
		fprintf(stderr, "printed committee does not parse: %s\n%s\n", err, b.s);
		abort();
	}
	if (memcmp(&e, &c, COMMITTEE_SIZE) != 0)
		abort();
	out_buf_free(&b);
	return 0;
}

#ifdef FUZZ_STANDALONE
int
main(int argc, char **argv)
{
	int			i;

	for (i = 1; i < argc; i++)
	{
		FILE	   *f = fopen(argv[i], "rb");
		char	   *buf;
		long		n;

		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc(n > 0 ? n : 1);
		if (fread(buf, 1, n, f) == (size_t) n)
			LLVMFuzzerTestOneInput((const uint8_t *) buf, n);
		free(buf);
		fclose(f);
	}
	return 0;
}
#endif
