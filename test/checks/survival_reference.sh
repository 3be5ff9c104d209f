#!/usr/bin/env bash
# survival_agg / survival_table / median_survival and cumulative_incidence_agg
# against lifelines' formulas re-implemented in numpy (lifelines is not in
# Debian) on generated durations with heavy ties and censoring (issue 17).
# Run by test/run.sh against its throwaway cluster (PGHOST/PGPORT/PGUSER).
set -uo pipefail
cd "$(dirname "$0")"
exec /usr/bin/python3 survival_reference.py
