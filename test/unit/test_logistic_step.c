/* Unit tests of logistic_step_core.c and lr_fit_passes (no server). */
#include <stdlib.h>

#include "tap.h"
#include "logistic_core.h"
#include "logistic_step_core.h"

static double work[1 << 16];

/* rows of (x1, x2, y) */
#define N 40
static double rows[N * 3];

/* lr_pass_fn over the rows, split in two halves summed separately */
static void
split_pass(void *arg, const double *beta, lr_sums *out)
{
	double		g2[3] = {0},
				H2[6] = {0},
				z[3];
	lr_sums		second = {0, g2, H2, 0};
	int			i;

	(void) arg;
	for (i = 0; i < N; i++)
		lr_accumulate(2, beta, rows + 3 * i, rows[3 * i + 2], z, i < N / 2 ? out : &second);
	out->ll += second.ll;
	out->nsep += second.nsep;
	for (i = 0; i < 3; i++)
		out->g[i] += g2[i];
	for (i = 0; i < 6; i++)
		out->H[i] += H2[i];
}

int
main(void)
{
	char		err[160];
	ls_fields	f;
	const char *problem;
	int			i;

	/* lr_fit_passes with the rows split = lr_fit on the rows */
	{
		lr_block	b = {rows, N};
		lr_problem	prob = {2, 0.5, 1, &b};
		double		beta[3],
					se[3],
					beta2[3],
					se2[3];
		lr_result	r1 = {.beta = beta, .se = se},
					r2 = {.beta = beta2, .se = se2};
		lr_options	opt = {LR_MAX_ITER, LR_DEFAULT_TOL};
		size_t		npos = 0;

		for (i = 0; i < N; i++)
		{
			rows[3 * i] = (i % 7) - 3;
			rows[3 * i + 1] = ((i * 5) % 11) / 3.0;
			rows[3 * i + 2] = ((i * 13) % 10) < 4 + (i % 7) / 2;
			npos += rows[3 * i + 2] > 0.5;
		}
		is_int(lr_fit(&prob, &r1, work), LR_OK, "lr_fit converges");
		is_int(lr_fit_passes(2, 0.5, N, npos, &opt, split_pass, NULL, &r2, work), LR_OK,
			   "lr_fit_passes converges");
		is_int(r1.iterations, r2.iterations, "same iterations");
		for (i = 0; i < 3; i++)
		{
			is_double(beta2[i], beta[i], 1e-12, "coefficient %d equal", i);
			is_double(se2[i], se[i], 1e-12, "standard error %d equal", i);
		}
		opt.max_iter = 1;
		is_int(lr_fit_passes(2, 0.5, N, npos, &opt, split_pass, NULL, &r2, work), LR_NO_CONVERGENCE,
			   "one iteration is not enough");
		is_int(lr_fit_passes(2, 0.5, N, 0, &opt, split_pass, NULL, &r2, work), LR_ONE_CLASS,
			   "no positives: one class");
		is_int(lr_fit_passes(2, 0.5, 0, 0, &opt, split_pass, NULL, &r2, work), LR_NO_ROWS,
			   "no rows");
	}

	/* lr_accumulate at zero: ll = -n log 2, H00 = n / 4 */
	{
		double		beta[3] = {0, 0, 0},
					g[3] = {0},
					H[6] = {0},
					z[3];
		lr_sums		s = {0, g, H, 0};

		for (i = 0; i < N; i++)
			lr_accumulate(2, beta, rows + 3 * i, rows[3 * i + 2], z, &s);
		is_double(s.ll, -N * log(2.0), 1e-14, "log-likelihood at zero");
		is_double(H[0], N / 4.0, 1e-15, "Hessian[0][0] at zero");
		is_int(lr_tri_size(3), 6, "packed triangle of 3 terms");
	}

	/* the text reader */
	problem = ls_parse("{\"version\": 1, \"terms\": 2, \"rows_used\": 3, \"rows_skipped\": 1, "
					   "\"positives\": 1, \"separated\": 0, \"log_likelihood\": -2.5, \"beta\": [0.5, -1], "
					   "\"gradient\": [0.25, 1e-300], \"hessian\": [0.75, 0.1, 2]}", 191,
					   &f, malloc, free, err, sizeof(err));
	is_str(problem, NULL, "a state parses");
	if (problem == NULL)
	{
		is_int(f.nterms, 2, "terms");
		is_int(f.rows_used, 3, "rows_used");
		is_double(f.beta[1], -1, 0, "beta[1]");
		is_double(f.gradient[1], 1e-300, 0, "gradient[1]");
		is_double(f.hessian[2], 2, 0, "hessian[2]");
		ls_fields_free(&f, free);
	}
	{
		static const char *const bad[] = {
			"{\"version\": 1, \"terms\": 1, \"rows_used\": 1, \"rows_skipped\": 0, \"positives\": 1, \"separated\": 0, \"log_likelihood\": -1, \"beta\": [0], \"gradient\": [0]}",
			"{\"version\": 1, \"terms\": 1, \"rows_used\": 1, \"rows_skipped\": 0, \"positives\": 1, \"separated\": 0, \"log_likelihood\": -1, \"beta\": [0], \"gradient\": [0], \"hessian\": []}",
			"{\"version\": 1, \"terms\": 1, \"rows_used\": 1, \"rows_skipped\": 0, \"positives\": 2, \"separated\": 0, \"log_likelihood\": -1, \"beta\": [0], \"gradient\": [0], \"hessian\": [1]}",
			"{\"version\": 1, \"terms\": 1, \"rows_used\": 1, \"rows_skipped\": -1, \"positives\": 1, \"separated\": 0, \"log_likelihood\": -1, \"beta\": [0], \"gradient\": [0], \"hessian\": [1]}",
			"{\"version\": 1, \"terms\": 1, \"rows_used\": 1, \"rows_skipped\": 0, \"positives\": 1, \"separated\": 0, \"log_likelihood\": -1, \"beta\": [\"NaN\"], \"gradient\": [0], \"hessian\": [1]}",
			"{\"version\": 1, \"terms\": 0, \"rows_used\": 1, \"rows_skipped\": 0, \"positives\": 0, \"separated\": 0, \"log_likelihood\": -1, \"beta\": [], \"gradient\": [], \"hessian\": []}",
			"{\"version\": 1, \"terms\": 1, \"terms\": 1}",
			"{\"version\": 1, \"terms\": 1, \"rows_used\": 1, \"rows_skipped\": 0, \"positives\": 1, \"separated\": 0, \"log_likelihood\": -1, \"beta\": [0], \"gradient\": [0], \"hessian\": [1], \"x\": 1}",
			"{\"version\": 1, \"terms\": 1, \"rows_used\": 1, \"rows_skipped\": 0, \"positives\": 1, \"separated\": 0, \"log_likelihood\": -1, \"beta\": [0], \"gradient\": [0], \"hessian\": [1]} x",
			NULL
		};

		for (i = 0; bad[i]; i++)
		{
			problem = ls_parse(bad[i], strlen(bad[i]), &f, malloc, free, err, sizeof(err));
			ok(problem != NULL && f.beta == NULL, "bad state %d rejected: %s", i, problem ? problem : "(accepted)");
		}
	}
	return tap_done();
}
