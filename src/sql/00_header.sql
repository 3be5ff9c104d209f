-- b2btarget 1.0 install script, assembled by the Makefile from src/sql/*.sql.
\echo Use "CREATE EXTENSION b2btarget" to load this file. \quit

