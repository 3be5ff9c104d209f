#!/usr/bin/env bash
# kmeans_fit and kmeans_train against scikit-learn's KMeans (Debian's
# python3-sklearn) from the same centroids on generated data (issue 16):
# same assignment, centroids within 1e-9, same objective and iterations.
# Run by test/run.sh against its throwaway cluster (PGHOST/PGPORT/PGUSER).
set -uo pipefail
cd "$(dirname "$0")"
/usr/bin/python3 -c 'import sklearn' 2>/dev/null || { echo "python3-sklearn is not installed"; exit 77; }
exec /usr/bin/python3 kmeans_reference.py
