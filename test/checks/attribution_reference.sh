#!/usr/bin/env bash
# test/checks/attribution_reference.sh — attribution_agg's Markov removal
# effects and credits against an independent NumPy solution of the same
# absorbing chain (each channel removed in turn, the linear system solved),
# on generated paths, and on ChannelAttribution's public example paths
# (../shared/data/channel-attribution-pathdata, expanded into entities;
# skipped when absent), where first_touch, last_touch and linear are also
# recomputed in Python from the raw file (issue 15).
#
# Run by test/run.sh against its throwaway cluster (PGHOST/PGPORT/PGUSER);
# exit 0 pass, 1 fail.
set -uo pipefail
cd "$(dirname "$0")"
exec /usr/bin/python3 attribution_reference.py
