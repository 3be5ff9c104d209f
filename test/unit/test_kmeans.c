/* Unit tests of kmeans_core.c (no server). */
#include <stdio.h>
#include <stdlib.h>

#include "tap.h"
#include "kmeans_core.h"

/* JSON output as the server writes it, with %.17g numbers. */
typedef struct sbuf
{
	char		s[1 << 16];
	size_t		n;
} sbuf;

static void
put(void *ctx, const char *s, size_t len)
{
	sbuf	   *b = ctx;

	if (b->n + len < sizeof b->s)
	{
		memcpy(b->s + b->n, s, len);
		b->n += len;
		b->s[b->n] = '\0';
	}
}

static void
putf(void *ctx, double v)
{
	char		tmp[40];

	snprintf(tmp, sizeof tmp, "%.17g", v);
	put(ctx, tmp, strlen(tmp));
}

static double passdata[1 << 14],
			work[1 << 14],
			modeldata[1 << 14];

/* Lloyd from given centroids, scale none, as kmeans_fit does. */
static void
fit_from(double *rows, size_t n, int d, const double *init, int k, int max_iter, km_fields *f)
{
	km_block	b = {rows, n};
	double		mom[6 * 16];

	memset(f, 0, sizeof *f);
	f->k = k;
	f->d = d;
	f->rows = n;
	f->data = modeldata;
	memset(modeldata, 0, sizeof modeldata);
	km_moments_rows(&b, 1, d, km_mean(f), km_sd(f), mom);
	memcpy(km_cent(f), init, sizeof(double) * k * d);
	f->objective = NAN;
	f->silhouette = NAN;
	km_lloyd(f, &b, 1, max_iter, passdata, work);
}

int
main(void)
{
	km_fields	f;
	char		err[200];

	/* scikit-learn's test_kmeans_results: weights 3, 1, 1, 3 as repeated rows */
	{
		double		rows[] = {0, 0, 0, 0, 0, 0, 0.5, 0, 0.5, 1, 1, 1, 1, 1, 1, 1};
		double		init[] = {0, 0, 1, 1};

		fit_from(rows, 8, 2, init, 2, 300, &f);
		is_double(km_cent(&f)[0], 0.125, 0, "sklearn case: centroid 1 x");
		is_double(km_cent(&f)[1], 0, 0, "sklearn case: centroid 1 y");
		is_double(km_cent(&f)[2], 0.875, 0, "sklearn case: centroid 2 x");
		is_double(km_cent(&f)[3], 1, 0, "sklearn case: centroid 2 y");
		is_double(f.objective, 0.375, 1e-15, "sklearn case: inertia 0.375");
		is_int(f.iterations, 2, "sklearn case: 2 iterations");
		ok(f.flags & KM_CONVERGED, "sklearn case: converged");
		is_double(km_members(&f)[0], 4, 0, "sklearn case: 4 rows in cluster 1");
		ok(km_fields_problem(&f) == NULL, "sklearn case: fields valid");

		/* max_iter 1: not converged, evaluated at the final centroids */
		fit_from(rows, 8, 2, init, 2, 1, &f);
		is_int(f.iterations, 1, "one pass: 1 iteration");
		ok(!(f.flags & KM_CONVERGED), "one pass: not converged");
		is_double(f.objective, 0.375, 1e-15, "one pass: objective of the final centroids");

		/* max_iter 0: evaluation only */
		fit_from(rows, 8, 2, init, 2, 0, &f);
		is_int(f.iterations, 0, "no pass: 0 iterations");
		is_double(f.objective, 3 * 0 + 0.25 + 0.25 + 0, 1e-15, "no pass: objective of the start");
	}

	/* an empty cluster takes the farthest row */
	{
		double		rows[] = {0, 1, 2, 10};
		double		init[] = {0, 100};
		km_fields	g;

		fit_from(rows, 4, 1, init, 2, 300, &f);
		g = f;
		ok(f.flags & KM_CONVERGED, "empty cluster: converged");
		is_double(km_cent(&g)[1], 10, 0, "empty cluster: relocated to the farthest row");
		is_double(km_cent(&g)[0], 1, 0, "empty cluster: the rest keep their mean");
		is_double(km_members(&g)[1], 1, 0, "empty cluster: one member");
	}

	/* moments: constant feature has sd 0; population sd */
	{
		double		rows[] = {5, 1, 5, 2, 5, 3, 5, 4};
		km_block	b = {rows, 4};
		double		mean[2],
					sd[2],
					mom[12];

		km_moments_rows(&b, 1, 2, mean, sd, mom);
		is_double(mean[0], 5, 0, "constant feature: mean");
		is_double(sd[0], 0, 0, "constant feature: sd exactly 0");
		is_double(mean[1], 2.5, 0, "mean");
		is_double(sd[1], sqrt(1.25), 1e-15, "population sd");
	}

	/* a pass split in two and merged gives the same model */
	{
		double		rows[200 * 3];
		double		cent[3 * 3] = {0, 0, 0, 5, 5, 5, -5, 5, 0};
		km_fields	m,
					p1,
					p2,
					o1,
					o2;
		static double md[4096],
					pd1[4096],
					pd2[4096],
					od1[4096],
					od2[4096];
		int			i;
		unsigned	s = 1;

		for (i = 0; i < 600; i++)
		{
			s = s * 1103515245 + 12345;
			rows[i] = ((s >> 8) % 10000) / 1000.0 - 5 + (i % 3);
		}
		memset(&m, 0, sizeof m);
		m.k = 3;
		m.d = 3;
		m.data = md;
		m.objective = m.silhouette = NAN;
		memcpy(km_cent(&m), cent, sizeof cent);
		p1.data = pd1;
		p2.data = pd2;
		km_pass_begin(&p1, &m, true);
		km_pass_begin(&p2, &m, true);
		for (i = 0; i < 200; i++)
			km_pass_add(&p1, rows + 3 * i);
		for (i = 199; i >= 0; i--)
			km_pass_add(i % 2 ? &p2 : &p2, rows + 3 * i);
		km_pass_finish(&p1, &o1, od1, work);
		memset(pd2, 0, sizeof pd2);
		km_pass_begin(&p2, &m, true);
		for (i = 199; i >= 100; i--)
			km_pass_add(&p2, rows + 3 * i);
		{
			km_fields	p3;
			static double pd3[4096];

			p3.data = pd3;
			km_pass_begin(&p3, &m, true);
			for (i = 0; i < 100; i++)
				km_pass_add(&p3, rows + 3 * i);
			ok(km_same_model(&p2, &p3), "passes of one model");
			km_pass_merge(&p2, &p3);
		}
		km_pass_finish(&p2, &o2, od2, work);
		ok(memcmp(km_cent(&o1), km_cent(&o2), sizeof(double) * 9) == 0,
		   "split and reordered pass: same centroids to the bit");
		ok(memcmp(km_members(&o1), km_members(&o2), sizeof(double) * 3) == 0,
		   "split pass: same members");
		is_double(o1.objective, o2.objective, 1e-15, "split pass: same objective");
		ok(km_fields_problem(&p2) == NULL, "pass state valid");

		/* seeding does not depend on the order of the rows */
		{
			double		rev[600],
						c1[9],
						c2[9],
						c3[9],
						closest[200];
			uint64_t	hashes[200];
			km_block	b1 = {rows, 200},
						b2[2] = {{rev, 120}, {rev + 360, 80}};

			for (i = 0; i < 200; i++)
				memcpy(rev + 3 * i, rows + 3 * (199 - i), sizeof(double) * 3);
			km_seed_plusplus(&b1, 1, 3, 3, 42, c1, closest, hashes);
			km_seed_plusplus(b2, 2, 3, 3, 42, c2, closest, hashes);
			ok(memcmp(c1, c2, sizeof c1) == 0, "k-means++: same seeds for any row order");
			km_seed_plusplus(&b1, 1, 3, 3, 43, c3, closest, hashes);
			ok(memcmp(c1, c3, sizeof c1) != 0, "k-means++: another seed, other seeds");
			is_int(km_local_trials(1), 2, "local trials k=1");
			is_int(km_local_trials(6), 3, "local trials k=6");
			is_int(km_local_trials(8), 4, "local trials k=8");
		}

		/* JSON round trip of a model and of a pass state */
		{
			sbuf	   *b = calloc(1, sizeof(sbuf));
			km_fields	r;
			const char *problem;

			km_write_json(&o1, put, putf, b);
			problem = km_parse(b->s, b->n, &r, malloc, free, err, sizeof err);
			ok(problem == NULL, "model JSON parses: %s", problem ? problem : "");
			if (problem == NULL)
			{
				ok(r.k == 3 && r.d == 3 && r.rows == o1.rows && r.flags == o1.flags &&
				   memcmp(r.data, o1.data, sizeof(double) * km_data_len(3, 3, 0)) == 0 &&
				   r.objective == o1.objective && r.silhouette == o1.silhouette,
				   "model JSON round-trips exactly");
				free(r.data);
			}
			b->n = 0;
			km_write_json(&p2, put, putf, b);
			problem = km_parse(b->s, b->n, &r, malloc, free, err, sizeof err);
			ok(problem == NULL, "pass JSON parses: %s", problem ? problem : "");
			if (problem == NULL)
			{
				ok(r.flags == p2.flags &&
				   memcmp(r.data, p2.data, sizeof(double) * km_data_len(3, 3, KM_PASS)) == 0,
				   "pass JSON round-trips exactly");
				free(r.data);
			}
			free(b);
		}
	}

	/* the rng is deterministic */
	{
		km_rng		a,
					b;

		km_rng_init(&a, 7);
		km_rng_init(&b, 7);
		ok(km_rng_next(&a) == km_rng_next(&b), "rng deterministic per seed");
	}

	/* bad text */
	{
		static const char *bad[] = {
			"",
			"{}",
			"{\"version\": 2}",
			"{\"version\": 1, \"state\": \"model\", \"k\": 1, \"dimensions\": 1, \"scale\": \"none\", \"rows\": 1, \"skipped\": 0, \"iterations\": 1, \"converged\": true, \"objective\": 0, \"simple_silhouette\": \"NaN\", \"mean\": [0], \"sd\": [0], \"centroids\": [[0, 1]], \"members\": [1]}",
			"{\"version\": 1, \"state\": \"model\", \"k\": 1, \"dimensions\": 1, \"scale\": \"none\", \"rows\": 2, \"skipped\": 0, \"iterations\": 1, \"converged\": true, \"objective\": 0, \"simple_silhouette\": \"NaN\", \"mean\": [0], \"sd\": [0], \"centroids\": [[0]], \"members\": [1]}",
			"{\"version\": 1, \"state\": \"model\", \"k\": 1, \"dimensions\": 1, \"scale\": \"bogus\", \"rows\": 1, \"skipped\": 0, \"iterations\": 1, \"converged\": true, \"objective\": 0, \"simple_silhouette\": \"NaN\", \"mean\": [0], \"sd\": [0], \"centroids\": [[0]], \"members\": [1]}",
			"{\"version\": 1, \"state\": \"model\", \"k\": 1, \"dimensions\": 1, \"scale\": \"none\", \"rows\": 1, \"skipped\": 0, \"iterations\": 1, \"converged\": true, \"objective\": 0, \"simple_silhouette\": \"NaN\", \"mean\": [0], \"sd\": [-1], \"centroids\": [[0]], \"members\": [1]}",
			NULL
		};
		static const char *good = "{\"version\": 1, \"state\": \"model\", \"k\": 1, \"dimensions\": 1, \"scale\": \"none\", \"rows\": 1, \"skipped\": 0, \"iterations\": 1, \"converged\": true, \"objective\": 0, \"simple_silhouette\": \"NaN\", \"mean\": [0], \"sd\": [0], \"centroids\": [[0]], \"members\": [1]}";
		int			i;
		km_fields	r;

		for (i = 0; bad[i]; i++)
			ok(km_parse(bad[i], strlen(bad[i]), &r, malloc, free, err, sizeof err) != NULL,
			   "bad text %d rejected", i);
		ok(km_parse(good, strlen(good), &r, malloc, free, err, sizeof err) == NULL, "good text accepted");
		free(r.data);
	}
	printf("1..%d\n", tap_n);
	return tap_done();
}
