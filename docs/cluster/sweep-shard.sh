#!/usr/bin/env bash
# One shard of a sweep, or the merge of all shards: what each task of a Slurm job array, a GitHub
# Actions matrix job or a Kubernetes Indexed Job runs (see docs/sweeps.md).
#
#   docs/cluster/sweep-shard.sh INDEX COUNT   # run shard INDEX (1-based) of COUNT
#   docs/cluster/sweep-shard.sh merge         # gather the finished shards into $OUT/summary.csv
#
# What to sweep comes from the environment, so that every task of a job runs the same plan:
#   NOTEBOOK  the lesson (default notebooks/04-mini-gpt.ipynb)
#   OUT       the sweep folder, shared by every task (default sweeps/cluster)
#   PARAMS    the -p arguments, split on spaces (default: a width × depth grid of the mini GPT)
#   SWEEP_FLAGS  more flags for every task, e.g. "--repeat 3" or "--timeout 3600"
# Run it from the project folder, after `npm install`.
set -euo pipefail
NOTEBOOK="${NOTEBOOK:-notebooks/04-mini-gpt.ipynb}"
OUT="${OUT:-sweeps/cluster}"
PARAMS="${PARAMS:--p mode=workshop -p nEmbd=64,96,128 -p nLayer=2,4}"
read -r -a params <<<"$PARAMS"
read -r -a flags <<<"${SWEEP_FLAGS:-}"
cli=(node "$(dirname "$0")/../../tools/bin/llm-lessons.js" sweep "$NOTEBOOK" "${params[@]}" --out "$OUT" "${flags[@]}")
case "${1:-}" in
  merge) exec "${cli[@]}" --merge ;;
  "") echo "usage: $0 INDEX COUNT | merge" >&2; exit 2 ;;
  *) exec "${cli[@]}" --shard "$1/${2:?usage: $0 INDEX COUNT}" ;;
esac
