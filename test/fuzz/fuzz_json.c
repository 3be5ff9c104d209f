/* Fuzz target: the JSON pull reader on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_core.h"

const char *const fuzz_seeds[] = {
	"{\"awareness\": 10, \"consideration\": 6}",
	"{\"a\": [1, 2.5e3, -0.0, \"x\\u0041\", true, false, null, {\"b\": {}}]}",
	"[[[[[]]]]]",
	"{\"s\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}",
	NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* not NUL-terminated on purpose: the reader must respect len */
	char	   *copy = malloc(size ? size : 1);
	bj_reader	r;

	memcpy(copy, data, size);
	bj_init(&r, copy, size);
	if (bj_skip_value(&r))
		bj_finish(&r);
	free(copy);
	return 0;
}
