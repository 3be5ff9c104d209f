/* Unit tests of bgnbd_core.c: special functions, likelihoods, fits. */
#include <stdint.h>
#include <stdlib.h>

#include "tap.h"
#include "bgnbd_core.h"

/* xorshift64*: a seeded generator for the simulations */
static uint64_t rng_state = 88172645463325252ULL;

static double
unif(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return ((rng_state * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}

static double
rexp1(void)
{
	return -log(1.0 - unif());
}

/* Marsaglia-Tsang gamma(shape, 1) */
static double
rgamma(double k)
{
	double		d,
				c;

	if (k < 1)
		return rgamma(k + 1) * pow(unif(), 1.0 / k);
	d = k - 1.0 / 3;
	c = 1.0 / sqrt(9 * d);
	for (;;)
	{
		double		x,
					v,
					u;

		do
		{
			double		u1 = unif(),
						u2 = unif();

			x = sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		u = unif();
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
}

static double
rbeta(double a, double b)
{
	double		x = rgamma(a);

	return x / (x + rgamma(b));
}

/* One BG/NBD customer observed for T: returns x, tx. */
static void
sim_customer(const bgnbd_params *p, double T, double *x, double *tx)
{
	double		lam = rgamma(p->r) / p->alpha;
	double		pd = rbeta(p->a, p->b);
	double		t = 0;

	*x = 0;
	*tx = 0;
	for (;;)
	{
		t += rexp1() / lam;
		if (t > T)
			break;
		*x += 1;
		*tx = t;
		if (unif() < pd)
			break;
	}
}

int
main(void)
{
	static const double h[][5] = {
		{0.5, 1.5, 2.5, 0.3, 1.1080625510569324},
		{2.24, 4.43, 4.22, 0.47, 4.4891363486100238},
		{1.0, 1.0, 2.0, 0.9, 2.5584278811044943},
		{3.5, 2.0, 1.2, 0.95, 934686.01603263302},
		{0.3, 3.0, 2.5, 0.999, 66.57143792730335},
		{50.24, 52.43, 52.22, 0.8, 1.8205824010606682e+35},
		{1.2, 0.7, 0.4, 0.6, 5.42871821817422},
		{10, 20, 5, 0.5, 1647138133.3333335},
	};
	static const double dg[][2] = {
		{0.1, -10.423754940411076}, {1, -0.57721566490153287},
		{2.5, 0.70315664064524319}, {7.9, 2.002238487563571},
		{8.1, 2.0288674570805818}, {30, 3.3844381326855251},
		{0.001, -1000.5755719318103},
	};
	bgnbd_params paper = {0.243, 4.414, 0.793, 2.426};
	bgnbd_params truth = {0.6, 12.0, 0.7, 3.0};
	size_t		i;
	int			n;

	/* special functions against SciPy's hyp2f1 and digamma */
	for (i = 0; i < sizeof(h) / sizeof(h[0]); i++)
		is_double(b2b_hyp2f1(h[i][0], h[i][1], h[i][2], h[i][3]), h[i][4], 1e-12,
				  "2F1(%g, %g; %g; %g)", h[i][0], h[i][1], h[i][2], h[i][3]);
	is_double(b2b_hyp2f1(1, 1, 2, 0.99), -log(0.01) / 0.99, 1e-12, "2F1(1,1;2;z) = -log(1-z)/z near 1");
	is_double(b2b_hyp2f1(2, 3, 3, 0.5), 4.0, 1e-14, "2F1(a,b;b;z) = (1-z)^-a");
	is_double(b2b_hyp2f1(1, 1, 2, 0), 1.0, 0, "2F1 at z = 0");
	ok(isnan(b2b_hyp2f1(1, 1, 2, 1.0)), "2F1 at z = 1 is outside the domain");
	ok(isnan(b2b_hyp2f1(1, 1, -0.5, 0.5)), "2F1 with c <= 0 is outside the domain");
	ok(b2b_log_hyp2f1(800, 900, 2, 0.9) > 700 && isfinite(b2b_log_hyp2f1(800, 900, 2, 0.9)),
	   "log 2F1 beyond the double range stays finite");
	for (i = 0; i < sizeof(dg) / sizeof(dg[0]); i++)
		is_double(b2b_digamma(dg[i][0]), dg[i][1], 1e-13, "digamma(%g)", dg[i][0]);

	/* published CDNOW predictions from the paper's parameters */
	is_double(bgnbd_expected_cond(&paper, 39, 2, 30.43, 38.86), 1.226, 5e-4,
			  "E[X(39) | x=2, tx=30.43, T=38.86] = 1.226 (Fader, Hardie, Lee 2005)");
	is_double(bgnbd_p_alive(&paper, 0, 0, 38.86), 1.0, 0, "p_alive with no repeat purchase is 1");
	ok(bgnbd_p_alive(&paper, 5, 10, 38.86) < bgnbd_p_alive(&paper, 5, 30, 38.86),
	   "p_alive grows with recency");
	ok(bgnbd_p_alive(&paper, 2, 10, 38.86) > bgnbd_p_alive(&paper, 8, 10, 38.86),
	   "p_alive falls with frequency at old recency");
	is_double(bgnbd_expected_cond(&paper, 39, 0, 0, 0), bgnbd_expected_new(&paper, 39), 1e-12,
			  "conditional at T = 0 equals unconditional");
	{
		double		sum = 0,
					mean = 0;

		for (n = 0; n < 400; n++)
		{
			double		pn = bgnbd_prob_n(&paper, n, 39);

			sum += pn;
			mean += n * pn;
		}
		is_double(sum, 1.0, 1e-9, "P(X(39) = n) sums to 1");
		is_double(mean, bgnbd_expected_new(&paper, 39), 1e-8, "sum n P(n) = E[X(39)]");
	}
	is_double(bgnbd_prob_n(&paper, 0, 0), 1.0, 0, "P(X(0) = 0) = 1");
	is_double(bgnbd_expected_cond(&paper, 0, 3, 20, 30), 0.0, 0, "E over a zero horizon");
	ok(bgnbd_expected_cond(&paper, 52, 3, 20, 30) > bgnbd_expected_cond(&paper, 26, 3, 20, 30),
	   "expected purchases grow with the horizon");

	/* gradient against central differences */
	{
		bgnbd_params p = {0.7, 3.0, 1.3, 2.2};
		double		g[4],
					x[3][3] = {{0, 0, 5}, {4, 7.5, 9}, {1, 0.3, 12}};
		int			k,
					j;

		for (k = 0; k < 3; k++)
		{
			bgnbd_loglik1(&p, x[k][0], x[k][1], x[k][2], g);
			for (j = 0; j < 4; j++)
			{
				bgnbd_params lo = p,
							hi = p;
				double	   *pl = &lo.r + j,
						   *ph = &hi.r + j,
							eps = 1e-6,
							fd;

				*pl *= exp(-eps);
				*ph *= exp(eps);
				fd = (bgnbd_loglik1(&hi, x[k][0], x[k][1], x[k][2], NULL) -
					  bgnbd_loglik1(&lo, x[k][0], x[k][1], x[k][2], NULL)) / (2 * eps);
				ok(fabs(fd - g[j]) < 1e-6 * fmax(1, fabs(fd)), "BG/NBD gradient %d of history %d", j, k);
			}
		}
	}
	{
		gg_params	p = {2.5, 3.5, 12.0};
		double		g[3];
		int			j;

		gg_loglik1(&p, 3, 17.5, g);
		for (j = 0; j < 3; j++)
		{
			gg_params	lo = p,
						hi = p;
			double		eps = 1e-6,
						fd;

			(&lo.p)[j] *= exp(-eps);
			(&hi.p)[j] *= exp(eps);
			fd = (gg_loglik1(&hi, 3, 17.5, NULL) - gg_loglik1(&lo, 3, 17.5, NULL)) / (2 * eps);
			ok(fabs(fd - g[j]) < 1e-6 * fmax(1, fabs(fd)), "Gamma-Gamma gradient %d", j);
		}
	}

	/* recover known parameters from 20,000 simulated customers */
	{
		int			N = 20000;
		bgnbd_obs  *obs = malloc(sizeof(bgnbd_obs) * N);
		bgnbd_params fit;
		b2b_fit_info info;

		for (n = 0; n < N; n++)
		{
			obs[n].T = 20 + (n % 50);
			sim_customer(&truth, obs[n].T, &obs[n].x, &obs[n].tx);
			obs[n].n = 1;
		}
		ok(bgnbd_fit(obs, N, 0, &fit, &info), "simulated fit runs");
		ok(info.converged, "simulated fit converged (%d iterations)", info.iterations);
		is_double(fit.r, truth.r, 0.15, "r recovered (%g)", fit.r);
		is_double(fit.alpha, truth.alpha, 0.2, "alpha recovered (%g)", fit.alpha);
		is_double(fit.a, truth.a, 0.3, "a recovered (%g)", fit.a);
		is_double(fit.b, truth.b, 0.35, "b recovered (%g)", fit.b);
		{
			bgnbd_params pen;
			b2b_fit_info pinfo;

			bgnbd_fit(obs, N, 0.1, &pen, &pinfo);
			ok(pinfo.loglik < info.loglik, "an l2 penalty lowers the likelihood");
		}
		free(obs);
	}

	/* Gamma-Gamma: recover from simulated spend */
	{
		int			N = 5000,
					k;
		gg_obs	   *obs = malloc(sizeof(gg_obs) * N);
		gg_params	truth_gg = {6.0, 4.0, 15.0},
					fit;
		b2b_fit_info info;

		for (n = 0; n < N; n++)
		{
			double		nu = rgamma(truth_gg.q) / truth_gg.v;
			double		s = 0;

			obs[n].x = 1 + n % 6;
			for (k = 0; k < obs[n].x; k++)
				s += rgamma(truth_gg.p) / nu;
			obs[n].m = s / obs[n].x;
			obs[n].n = 1;
		}
		ok(gg_fit(obs, N, 0, &fit, &info) && info.converged, "Gamma-Gamma fit converged");
		is_double(fit.p, truth_gg.p, 0.15, "p recovered (%g)", fit.p);
		is_double(fit.q, truth_gg.q, 0.2, "q recovered (%g)", fit.q);
		is_double(fit.v, truth_gg.v, 0.3, "v recovered (%g)", fit.v);
		free(obs);
	}
	{
		gg_params	p = {6.25, 3.74, 15.44};

		/* w = 6.25*2/(12.5+2.74); mean = 15.44*6.25/2.74 */
		is_double(gg_expected_spend(&p, 2, 20), (1 - 12.5 / 15.24) * (96.5 / 2.74) + 12.5 / 15.24 * 20, 1e-13,
				  "expected spend by hand");
		is_double(gg_expected_spend(&p, 0, 0), 96.5 / 2.74, 1e-13, "no repeat purchase: population mean");
		p.q = 0.9;
		ok(isnan(gg_expected_spend(&p, 2, 20)), "q <= 1 has no mean spend");
	}
	/* CLV: a model with no dropout and constant discount by hand */
	{
		double		c = b2b_clv(&paper, 2, 30.43, 38.86, 10, 1, 0, 4.345);

		is_double(c, 10 * bgnbd_expected_cond(&paper, 4.345, 2, 30.43, 38.86), 1e-14, "one-month CLV");
		c = b2b_clv(&paper, 2, 30.43, 38.86, 10, 12, 0, 4.345);
		is_double(c, 10 * bgnbd_expected_cond(&paper, 12 * 4.345, 2, 30.43, 38.86), 1e-12,
				  "undiscounted CLV telescopes");
	}
	/* a sample with no drop-out does not identify the model */
	{
		bgnbd_obs	o[10];
		bgnbd_params fit;
		b2b_fit_info info;

		for (n = 0; n < 10; n++)
		{
			o[n].x = n;
			o[n].tx = n ? 10 : 0;
			o[n].T = 10;
			o[n].n = 1;
		}
		ok(bgnbd_fit(o, 10, 0, &fit, &info) && !info.converged, "degenerate sample is not reported converged");
	}
	/* input checks */
	ok(bgnbd_check_obs(2, 3, 4) == NULL, "valid history");
	ok(bgnbd_check_obs(-1, 0, 4) != NULL, "negative frequency");
	ok(bgnbd_check_obs(1.5, 1, 4) != NULL, "fractional frequency");
	ok(bgnbd_check_obs(2, 5, 4) != NULL, "recency > T");
	ok(bgnbd_check_obs(2, 0, 4) != NULL, "frequency with zero recency");
	ok(bgnbd_check_obs(0, 1, 4) != NULL, "recency without frequency");
	ok(bgnbd_check_obs(NAN, 1, 4) != NULL, "NaN");
	ok(bgnbd_check_obs(1, 1, INFINITY) != NULL, "infinite T");
	ok(gg_check_obs(2, 0) != NULL, "zero spend");
	printf("1..%d\n", tap_n);
	return tap_done();
}
