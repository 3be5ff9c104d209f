-- segment: input, output, order, operator classes, rfm -> segment, actions, binary I/O.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS b2btarget;
RESET client_min_messages;

SELECT s, s::segment AS seg FROM (VALUES ('champions'), (' Loyal Customers '), ('potential-loyalists'),
  ('NEW_CUSTOMERS'), ('promising'), ('need attention'), ('About to sleep'), ('at_risk'),
  ('Can''t Lose Them'), ('hibernating')) v(s);

-- SQLSTATE of each bad input (the messages and hints are shown below).
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
SELECT q, pg_temp.sqlstate_of(q) FROM (VALUES
  ($q$SELECT 'champion'::segment$q$),
  ($q$SELECT ''::segment$q$),
  ($q$SELECT 'lost'::segment$q$),
  ($q$SELECT 0::segment$q$),
  ($q$SELECT 11::segment$q$)) v(q);
SELECT 'champion'::segment;
SELECT 'lost'::segment;
SELECT 11::segment;

-- every segment, in business-value order, with its rule and action
SELECT * FROM segments();

-- every one of the 25 R x F cells maps to exactly one segment (M does not matter)
SELECT r, string_agg(format('F%s %s', f, segment(rfm(r, f, 3))), ', ' ORDER BY f) AS cells
FROM generate_series(1, 5) r, generate_series(1, 5) f GROUP BY r ORDER BY r DESC;
SELECT count(*) AS cells, count(*) FILTER (WHERE matches = 1) AS in_exactly_one_rule,
       count(*) FILTER (WHERE agrees) AS segment_agrees_with_rule
FROM (SELECT r, f, count(DISTINCT s.segment) AS matches,
             bool_and(segment(rfm(r, f, m)) = s.segment) AS agrees
      FROM generate_series(1, 5) r, generate_series(1, 5) f, generate_series(1, 5) m, segments() s
      WHERE r BETWEEN s.r_min AND s.r_max AND f BETWEEN s.f_min AND s.f_max
      GROUP BY r, f) x;
-- the cast, and NULL
SELECT '5-5-1'::rfm::segment AS cast_55, segment(NULL::rfm), segment_action(NULL);

-- order: champions first; comparison against the rank
SELECT count(*) AS mismatches
FROM generate_series(1, 10) a, generate_series(1, 10) b
WHERE ((a::segment <  b::segment) <> (a <  b))
   OR ((a::segment <= b::segment) <> (a <= b))
   OR ((a::segment =  b::segment) <> (a =  b))
   OR ((a::segment <> b::segment) <> (a <> b))
   OR ((a::segment >= b::segment) <> (a >= b))
   OR ((a::segment >  b::segment) <> (a >  b));
SELECT i, i::segment, (i::segment)::integer AS back, segment_rank(i::segment), (i::segment)::text::segment = i::segment AS text_round_trip
FROM generate_series(1, 10) i;

-- generated customers: segment of their rfm cell against a plain CASE on the scores
CREATE TABLE segment_t AS
SELECT i AS customer_id, rfm(1 + (i * 7) % 5, 1 + (i * 13 / 5) % 5, 1 + (i / 25) % 5) AS cell
FROM generate_series(1, 50000) i;
ANALYZE segment_t;
SELECT count(*) AS mismatches FROM segment_t
WHERE segment(cell)::text <> CASE
	WHEN r_score(cell) = 5 AND f_score(cell) >= 4 THEN 'champions'
	WHEN r_score(cell) IN (3, 4) AND f_score(cell) >= 4 THEN 'loyal_customers'
	WHEN r_score(cell) >= 4 AND f_score(cell) IN (2, 3) THEN 'potential_loyalists'
	WHEN r_score(cell) = 5 AND f_score(cell) = 1 THEN 'new_customers'
	WHEN r_score(cell) = 4 AND f_score(cell) = 1 THEN 'promising'
	WHEN r_score(cell) = 3 AND f_score(cell) = 3 THEN 'need_attention'
	WHEN r_score(cell) = 3 AND f_score(cell) <= 2 THEN 'about_to_sleep'
	WHEN r_score(cell) <= 2 AND f_score(cell) IN (3, 4) THEN 'at_risk'
	WHEN r_score(cell) <= 2 AND f_score(cell) = 5 THEN 'cant_lose_them'
	WHEN r_score(cell) <= 2 AND f_score(cell) <= 2 THEN 'hibernating' END;

-- GROUP BY with hash and with sort, DISTINCT, ORDER BY: same counts
SET enable_sort = off;
CREATE TABLE segment_hashed AS SELECT segment(cell) AS s, count(*) AS n FROM segment_t GROUP BY 1;
RESET enable_sort;
SET enable_hashagg = off;
SELECT s, n, n = (SELECT h.n FROM segment_hashed h WHERE h.s = g.s) AS same_as_hashed
FROM (SELECT segment(cell) AS s, count(*) AS n FROM segment_t GROUP BY 1) g ORDER BY s;
RESET enable_hashagg;
SELECT count(DISTINCT segment(cell)) AS distinct_segments FROM segment_t;

-- btree index and hash index
CREATE TABLE segment_idx AS SELECT customer_id, segment(cell) AS s FROM segment_t;
CREATE INDEX segment_idx_btree ON segment_idx (s);
CREATE INDEX segment_idx_hash ON segment_idx USING hash (s);
ANALYZE segment_idx;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT count(*) FROM segment_idx WHERE s < 'potential_loyalists';
SELECT count(*) FROM segment_idx WHERE s < 'potential_loyalists';
SELECT count(*) FROM segment_t WHERE segment(cell) IN ('champions', 'loyal_customers');
SET enable_indexonlyscan = off;
SET enable_bitmapscan = on;
DROP INDEX segment_idx_btree;
EXPLAIN (COSTS OFF) SELECT count(*) FROM segment_idx WHERE s = 'at_risk';
SELECT count(*) FROM segment_idx WHERE s = 'at_risk';
RESET enable_indexonlyscan;
RESET enable_seqscan;
RESET enable_bitmapscan;
RESET max_parallel_workers_per_gather;

-- binary COPY round trip and crafted binary values
CREATE TABLE segment_copy (customer_id int, s segment);
\copy segment_idx TO 'results/segment.bin' (FORMAT binary)
\copy segment_copy FROM 'results/segment.bin' (FORMAT binary)
SELECT count(*) AS binary_mismatches FROM segment_idx a FULL JOIN segment_copy b USING (customer_id) WHERE a.s IS DISTINCT FROM b.s;
CREATE TABLE segment_raw (b bytea);
CREATE TABLE segment_recv (s segment);
INSERT INTO segment_raw VALUES ('\x0009');
\copy segment_raw TO 'results/segment_raw.bin' (FORMAT binary)
\copy segment_recv FROM 'results/segment_raw.bin' (FORMAT binary)
SELECT s FROM segment_recv;
TRUNCATE segment_raw;
INSERT INTO segment_raw VALUES ('\x000b');
\copy segment_raw TO 'results/segment_raw.bin' (FORMAT binary)
\copy segment_recv FROM 'results/segment_raw.bin' (FORMAT binary)
TRUNCATE segment_raw;
INSERT INTO segment_raw VALUES ('\x01');
\copy segment_raw TO 'results/segment_raw.bin' (FORMAT binary)
\copy segment_recv FROM 'results/segment_raw.bin' (FORMAT binary)
TRUNCATE segment_raw;
INSERT INTO segment_raw VALUES ('\x0101');
\copy segment_raw TO 'results/segment_raw.bin' (FORMAT binary)
\copy segment_recv FROM 'results/segment_raw.bin' (FORMAT binary)

DROP TABLE segment_t, segment_hashed, segment_idx, segment_copy, segment_raw, segment_recv;
