/*
 * fuzz_targeting.c — fuzz the text readers of target_plan, calibrator and
 * uplift (targeting_core.c): tp_plan_parse, cal_model_parse, up_parse.
 *
 *   SECONDS_EACH=60 bash test/fuzz/run.sh fuzz_targeting
 *
 * Properties: no crash, leak or sanitizer report on any input; what parses
 * passes the type's consistency check (tp_plan_problem, cal_model_problem,
 * up_problem), and a calibrator's predictions stay in [0, 1].
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_core.h"
#include "targeting_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char *const fuzz_seeds[] = {
	"{\"version\": 1, \"budget\": 50, \"candidates\": 3, \"exact\": true, \"upper_bound\": 240, \"ids\": [2, 3], \"p\": [1, 1], \"value\": [120, 150], \"cost\": [20, 30]}",
	"{\"version\": 1, \"budget\": 0, \"candidates\": 0, \"exact\": false, \"upper_bound\": 0, \"ids\": [], \"p\": [], \"value\": [], \"cost\": []}",
	"{\"version\": 1, \"method\": \"platt\", \"rows\": 3, \"positives\": 1, \"a\": -0.20261354391187855, \"b\": 0.6523631498001051}",
	"{\"version\": 1, \"method\": \"isotonic\", \"rows\": 4, \"positives\": 2, \"x\": [0.1, 0.3, 0.4], \"y\": [0, 0.5, 1]}",
	"{\"version\": 1, \"method\": \"isotonic\", \"rows\": 4, \"positives\": 2, \"x\": [0.1], \"y\": [0.5]}",
	"{\"version\": 1, \"scores\": [2, 1], \"treated\": [1, 0], \"treated_conversions\": [1, 0], \"control\": [0, 1], \"control_conversions\": [0, 0]}",
	"{\"version\": 1, \"scores\": [], \"treated\": [], \"treated_conversions\": [], \"control\": [], \"control_conversions\": []}",
	"{\"version\": 1, \"method\": \"isotonic\", \"rows\": 4, \"positives\": 2, \"x\": [0.1, 0.1], \"y\": [0, 1]}",
	"{\"version\": 1, \"scores\": [1, 2], \"treated\": [1, 0]}",
	NULL
};


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* not NUL-terminated on purpose: the readers must respect len */
	char	   *s = malloc(size ? size : 1);
	char		err[BJ_ERR_SIZE];
	tp_plan		p;
	cal_model	m;
	up_groups	u;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	if (tp_plan_parse(s, size, 1000, &p, malloc, free, err, sizeof(err)) == NULL)
	{
		if (tp_plan_problem(&p) != NULL)
			abort();
		free(p.items);
	}
	if (cal_model_parse(s, size, 1000, &m, malloc, free, err, sizeof(err)) == NULL)
	{
		double		probe[] = {-1e300, -1, 0, 0.25, 0.5, 1, 1e300};
		int			i;

		if (cal_model_problem(&m) != NULL)
			abort();
		for (i = 0; i < 7; i++)
		{
			double		q = m.method == CAL_PLATT ? cal_platt_predict(m.a, m.b, probe[i])
				: cal_isotonic_predict(m.x, m.y, m.n, probe[i]);

			if (!(q >= 0 && q <= 1))
				abort();
		}
		free(m.x);
		free(m.y);
	}
	if (up_parse(s, size, 1000, &u, malloc, free, err, sizeof(err)) == NULL)
	{
		if (up_problem(&u) != NULL)
			abort();
		(void) up_qini_auc(&u);
		(void) up_uplift_auc(&u);
		(void) up_at_k(&u, 0.3, 0);
		up_free(&u, free);
	}
	free(s);
	return 0;
}
