# b2btarget — PGXS build.
#
#   make                 build the shared library and the install script
#   make install         install into the server found by $(PG_CONFIG)
#   make installcheck    run the pg_regress suite against a server of your own
#   make test            everything: throwaway cluster, both regress passes,
#                        unit tests, checks (same as: bash test/run.sh)
#   make demo            the targeting demo (same as: bash test/demo.sh)
#   make unit            plain-C unit tests of the core (no server needed)

EXTENSION = b2btarget
MODULE_big = b2btarget
# The version is written once, as default_version in the control file.
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

# Every src/*.c is part of the module: *_core.c files are plain C (no
# postgres.h) and are also linked into the unit tests and fuzzers.
SRCS = $(sort $(wildcard src/*.c))
OBJS = $(SRCS:.c=.o)

# The install script of the version under development (default_version) is
# assembled from the per-capability parts in src/sql/, in file-name order, so
# each capability keeps its SQL beside its C.
SQL_PARTS = $(sort $(wildcard src/sql/*.sql))

# Released versions, oldest first.  Their install scripts b2btarget--V.sql
# are committed and frozen: never edit one (test/checks/release.sh compares
# each with the commit that added it).  After a release, every SQL change goes
# into the next version: set default_version to it; its upgrade script from
# the newest release is assembled from src/sql/upgrade/<from>--<to>.sql (the
# ALTERs of existing objects) followed by NEW_PARTS (the src/sql/ parts that
# are new since that release, whole).  test/checks/upgrade.sh runs the chain
# on every run and compares it with a fresh install.
RELEASED = 1.0
NEW_PARTS = src/sql/90_targeting.sql src/sql/91_attribution.sql src/sql/92_kmeans.sql \
	src/sql/93_dynamics.sql src/sql/94_scaleout.sql src/sql/95_sketches.sql \
	src/sql/96_histories.sql src/sql/97_scoring.sql src/sql/99_wire.sql
LAST_RELEASE = $(lastword $(RELEASED))
ifeq ($(filter $(EXTVERSION),$(RELEASED)),)
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
ifneq ($(LAST_RELEASE),)
UPGRADE_SCRIPT = $(EXTENSION)--$(LAST_RELEASE)--$(EXTVERSION).sql
DATA_built += $(UPGRADE_SCRIPT)
endif
endif
DATA = $(filter-out $(DATA_built),$(wildcard $(EXTENSION)--*.sql))

REGRESS = $(basename $(notdir $(sort $(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=. --load-extension=plpgsql

PG_CPPFLAGS = -I$(srcdir)/src
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers
SHLIB_LINK = -lm

EXTRA_CLEAN = test/unit/obj test/unit/*.bin test/fuzz/*.bin results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

ifneq ($(filter $(EXTENSION)--$(EXTVERSION).sql,$(DATA_built)),)
$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS)
	cat $(SQL_PARTS) > $@
endif
ifneq ($(UPGRADE_SCRIPT),)
$(UPGRADE_SCRIPT): src/sql/upgrade/$(LAST_RELEASE)--$(EXTVERSION).sql $(NEW_PARTS)
	cat $^ > $@
endif

# For scripts: make -s print-RELEASED, print-EXTVERSION, …
print-%:
	@echo $($*)

.PHONY: test demo unit
test:
	bash test/run.sh
demo:
	bash test/demo.sh
unit:
	bash test/unit/run.sh

# No compiler dependency tracking here: a header change rebuilds every object
# (an inline function in a header must never be left stale in one of them).
$(OBJS): $(wildcard src/*.h)
