-- b2btarget install script of the version under development (default_version), assembled by the Makefile from src/sql/*.sql.
\echo Use "CREATE EXTENSION b2btarget" to load this file. \quit

