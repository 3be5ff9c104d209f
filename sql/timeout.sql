-- statement_timeout (and so a cancel) takes effect inside every long
-- computation: each query below runs for many seconds without interrupt
-- checks in its loops, and must now end with 57014 soon after the 1 s timeout.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;

-- The SQLSTATE the query ends with, and whether it ended within the bound
-- (query_canceled is not caught by WHEN OTHERS, so it is named).
CREATE FUNCTION pg_temp.cancelled_within(q text, bound interval) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz := clock_timestamp();
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION
	WHEN query_canceled THEN
		RETURN SQLSTATE || CASE WHEN clock_timestamp() - t0 < bound THEN ' within bound' ELSE ' TOO LATE: ' || (clock_timestamp() - t0)::text END;
	WHEN OTHERS THEN
		RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- 200,000 distinct customer histories (a BG/NBD fit takes about 20 s, a
-- Gamma-Gamma fit about 7 s), and 4,000 rows of 400 features (a logistic
-- fit takes about 5 s).
CREATE TABLE timeout_bg AS
SELECT (i % 50)::float8 AS x, CASE WHEN i % 50 = 0 THEN 0 ELSE 1 + (i % 997)::float8 / 997 * 299 END AS tx,
       (300 + i % 13)::float8 AS t
FROM generate_series(1, 200000) i;
CREATE TABLE timeout_lr AS
SELECT i, (hashint4(i) % 3 = 0) AS y,
       ARRAY(SELECT ((hashint8(i::bigint * 1000 + j) % 100000) / 100000.0)::float8 FROM generate_series(1, 400) j) AS f
FROM generate_series(1, 4000) i;

SET statement_timeout = '1s';
-- BG/NBD's BFGS (each objective pass over the histories)
SELECT pg_temp.cancelled_within('SELECT bgnbd_fit(x, tx, t) FROM timeout_bg', '3 s');
-- Gamma-Gamma's BFGS
SELECT pg_temp.cancelled_within('SELECT gamma_gamma_fit(x, 10 + (tx * 7919)::int % 1000) FROM timeout_bg WHERE x > 0', '3 s');
-- logistic_fit's Newton passes over 4,000 x 400
SELECT pg_temp.cancelled_within('SELECT logistic_fit(y, f) FROM timeout_lr', '3 s');
-- clv: 1,200 months, each a 2F1 series of up to 14 million terms
SELECT pg_temp.cancelled_within($q$SELECT clv('{"r":1,"alpha":0.05,"a":2,"b":1}'::bgnbd_model, '{"p":2,"q":3,"v":4}'::gamma_gamma_model, 0, 0, 0.05, 0, 1200, 0.01, 'days')$q$, '3 s');
RESET statement_timeout;

-- a series that cannot converge gives up at once with a clear ERROR
-- (it took 84 s, then raised 22003)
SELECT clv('{"r":1e300,"alpha":1e300,"a":1e300,"b":1e300}'::bgnbd_model, '{"p":2,"q":3,"v":4}'::gamma_gamma_model, 2, 5, 10, 20, 1200, 0.01, 'days');
SET statement_timeout = '1s';
SELECT pg_temp.cancelled_within($q$SELECT clv('{"r":1e300,"alpha":1e300,"a":1e300,"b":1e300}'::bgnbd_model, '{"p":2,"q":3,"v":4}'::gamma_gamma_model, 2, 5, 10, 20, 1200, 0.01, 'days')$q$, '3 s');
RESET statement_timeout;

DROP TABLE timeout_bg, timeout_lr;
