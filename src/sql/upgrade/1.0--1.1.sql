-- b2btarget 1.0 -> 1.1 upgrade script, assembled by the Makefile: this part
-- (changes to objects that exist in 1.0), then the parts new in 1.1
-- (NEW_PARTS: targeting, attribution, k-means, journey dynamics and
-- survival, scale-out), then src/sql/99_wire.sql, which gives the new
-- summary types their =, hash class and json casts.
\echo Use "ALTER EXTENSION b2btarget UPDATE TO '1.1'" to load this file. \quit

-- predict's planner support also rewrites calls with a model that is not a
-- constant (into predict_features, new in 97_scoring.sql); its comment says so.
COMMENT ON FUNCTION predict_support(internal) IS 'planner support of predict: inlines a constant model into its linear expression; with any other model and ARRAY[...] features, calls predict_features (no array per row)';
