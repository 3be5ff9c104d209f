/* Unit tests of json_core.c. */
#include "tap.h"
#include "json_core.h"

static int
parse_obj(const char *s, long long *a, double *b)
{
	bj_reader	r;
	char		key[32];
	bool		more;

	bj_init(&r, s, strlen(s));
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		if (strcmp(key, "a") == 0)
		{
			int64_t		v;

			if (bj_int64(&r, &v))
				*a = v;
		}
		else if (strcmp(key, "b") == 0)
			bj_number(&r, b);
		else
			bj_skip_value(&r);
	}
	bj_finish(&r);
	return !r.failed;
}

int
main(void)
{
	long long	a = 0;
	double		b = 0;

	ok(parse_obj("{\"a\": 12, \"b\": 0.1}", &a, &b) && a == 12 && b == 0.1, "simple object");
	ok(parse_obj(" { } ", &a, &b), "empty object");
	ok(parse_obj("{\"x\": [1, {\"y\": null}, \"s\\\"q\", true], \"a\": -3}", &a, &b) && a == -3, "skip nested values");
	ok(!parse_obj("{\"a\": 1,}", &a, &b), "trailing comma");
	ok(!parse_obj("{\"a\": 1 \"b\": 2}", &a, &b), "missing comma");
	ok(!parse_obj("{\"a\": 1.5}", &a, &b), "fraction where integer expected");
	ok(!parse_obj("{\"a\": 9223372036854775808}", &a, &b), "int64 overflow");
	ok(parse_obj("{\"a\": -9223372036854775808}", &a, &b) && a == (-9223372036854775807LL - 1), "int64 min");
	ok(!parse_obj("{\"a\": 1} x", &a, &b), "trailing text");
	ok(!parse_obj("{\"a\": 1", &a, &b), "unterminated object");
	ok(!parse_obj("{\"a", &a, &b), "unterminated key");
	ok(!parse_obj("{\"b\": 1e999}", &a, &b), "number out of range");
	ok(!parse_obj("{\"b\": 01}", &a, &b), "leading zero");
	ok(!parse_obj("{\"b\": .5}", &a, &b), "no leading digit");
	ok(!parse_obj("", &a, &b), "empty text");
	{
		char		deep[200];
		int			i;

		for (i = 0; i < 100; i++)
			deep[i] = '[';
		deep[100] = '\0';
		{
			char		s[256];

			snprintf(s, sizeof(s), "{\"x\": %s}", deep);
			ok(!parse_obj(s, &a, &b), "deep nesting refused, no crash");
		}
	}
	printf("1..%d\n", tap_n);
	return tap_done();
}
