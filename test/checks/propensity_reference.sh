#!/usr/bin/env bash
# logistic_fit, predict, auc_agg, log_loss_agg, brier_agg against statsmodels
# and scikit-learn on 100,000 generated rows with 8 features (issue 4).
# Run by test/run.sh against its throwaway cluster (PGHOST/PGPORT/PGUSER).
set -uo pipefail
cd "$(dirname "$0")"
exec /usr/bin/python3 propensity_reference.py generated
