-- b2btarget 1.0 -> 1.1 upgrade script, assembled by the Makefile: this part
-- (changes to objects that exist in 1.0), then the parts new in 1.1
-- (NEW_PARTS: targeting, attribution, k-means, journey dynamics and
-- survival, scale-out), then src/sql/99_wire.sql, which gives the new
-- summary types their =, hash class and json casts.
\echo Use "ALTER EXTENSION b2btarget UPDATE TO '1.1'" to load this file. \quit

-- No object of 1.0 changes in 1.1.
