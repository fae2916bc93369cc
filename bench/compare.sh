#!/usr/bin/env bash
# Side-by-side benchmark of briefing and Hugo on the same generated briefing corpus.
#
#   bench/compare.sh [--sizes "1000 10000 100000"] [--runs 3] [extra run_bench.sh options]
#
# Builds briefing in release mode, then runs ../shared/bench/run_bench.sh (or $RUN_BENCH) with
# both tools. It prints, per size and tool: the median wall time of the runs, the median CPU
# time, the peak RSS, the HTML pages written, and each tool's time divided by briefing's (the
# "time/briefing" column is the Hugo / briefing ratio). Needs Hugo and GNU time:
# apt-get install -y hugo time. 100,000 briefs need about 20 GB of memory for Hugo and 5 GB of
# disk; set TMPDIR to choose where the corpora and outputs go (TMPDIR=/dev/shm keeps the disk out).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
run_bench=${RUN_BENCH:-$root/../shared/bench/run_bench.sh}
sizes="1000 10000 100000" runs=3 extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) extra+=("$1"); shift ;;
  esac
done
[ -f "$run_bench" ] || { echo "compare.sh: $run_bench not found; set RUN_BENCH" >&2; exit 1; }
command -v hugo >/dev/null || { echo "compare.sh: hugo not found (apt-get install -y hugo)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "compare.sh: GNU time not found (apt-get install -y time)" >&2; exit 1; }

(cd "$root" && cargo build --release --quiet)
exec bash "$run_bench" --sizes "$sizes" --runs "$runs" --tools "briefing hugo" \
  --briefing "$root/target/release/briefing" "${extra[@]}"
