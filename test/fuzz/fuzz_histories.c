/*
 * fuzz_histories.c — fuzz the text reader of repeat_histories (rh_parse,
 * histories_core.c).
 *
 *   SECONDS_EACH=60 bash test/fuzz/run.sh fuzz_histories
 *
 * Properties: no crash, leak or sanitizer report on any input; what parses
 * passes rh_problem, writes back to a text that parses to the same
 * histories, and merging it with itself doubles every count.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/out_buf.h"
#include "histories_core.h"
#include "json_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *const fuzz_seeds[] = {
	"{\"version\": 1, \"kind\": \"bgnbd\", \"skipped\": 2, \"histories\": [[0,0,30,3],[1,2.5,30,1],[2,10,31,2]]}",
	"{\"version\": 1, \"kind\": \"gamma_gamma\", \"skipped\": 0, \"histories\": [[1,9.99,2],[3,100,1]]}",
	"{\"version\": 1, \"kind\": \"bgnbd\", \"skipped\": 0, \"histories\": [[1,5,10,1],[0,0,10,1]]}",
	"{\"kind\": \"bgnbd\", \"version\": 1, \"skipped\": 0, \"histories\": []}",
	NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *copy = malloc(size ? size : 1);
	char		err[BJ_ERR_SIZE];
	rh_set		s,
				t;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	if (rh_parse(copy, size, &s, err, sizeof(err)) == NULL)
	{
		out_buf		ob;
		size_t		i;
		bool		overflow;

		if (rh_problem(&s) != NULL)
			abort();
		out_buf_init(&ob);
		rh_write(&ob.w, &s);
		if (rh_parse(ob.s, ob.len, &t, err, sizeof(err)) != NULL || t.nsorted != s.nsorted || t.kind != s.kind ||
			t.skipped != s.skipped)
			abort();
		for (i = 0; i < s.nsorted; i++)
			if (rh_cmp(&s.e[i], &t.e[i]) != 0 || s.e[i].n != t.e[i].n)
				abort();
		if (s.nsorted > 0)
		{
			rh_entry   *d = malloc(2 * s.nsorted * sizeof(rh_entry));
			size_t		n;

			if (d == NULL)
				abort();
			memcpy(d, s.e, s.nsorted * sizeof(rh_entry));
			memcpy(d + s.nsorted, t.e, s.nsorted * sizeof(rh_entry));
			n = rh_normalize(d, s.nsorted, s.nsorted, &overflow);
			if (n == (size_t) -1 ? !overflow : n != s.nsorted)
				abort();
			for (i = 0; n != (size_t) -1 && i < n; i++)
				if (d[i].n != 2 * s.e[i].n)
					abort();
			free(d);
		}
		free(t.e);
		free(s.e);
		out_buf_free(&ob);
	}
	free(copy);
	return 0;
}
