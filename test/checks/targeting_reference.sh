#!/usr/bin/env bash
# calibration_fit, calibrate, calibration_table against scikit-learn
# (IsotonicRegression, _sigmoid_calibration, calibration_curve) and the
# uplift metrics against a re-implementation of scikit-uplift's written for
# this check, on generated data (issue 14).  Run by test/run.sh against its
# throwaway cluster (PGHOST/PGPORT/PGUSER).
set -uo pipefail
cd "$(dirname "$0")"
/usr/bin/python3 -c 'import sklearn, numpy' 2>/dev/null || { echo "skip: python3-sklearn is not installed"; exit 77; }
exec /usr/bin/python3 targeting_reference.py
