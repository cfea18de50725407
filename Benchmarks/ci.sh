#!/usr/bin/env bash
# Benchmark of `tripgen ci --env local` on this repository.
#
# 1. The first run (no images in .tripgen/images yet): its stage timings from the JSON report, i.e.
#    swift build per service, image assembly per service, render, plan. Whether the release build
#    folder was cold or warm is printed with it: it decides most of the time.
# 2. Unchanged revision, after the first run: RUNS runs of `tripgen ci --env local`, median wall
#    time (target under 3 s). Reference, measured in the same run: what a pipeline without
#    source-addressed tags pays just to find out that nothing changed, a no-op
#    `swift build -c release --static-swift-stdlib --product X` for each of the four products.
#
# Usage: bash Benchmarks/ci.sh [runs, default 5]. FIRST=skip skips step 1 (images already built).
# TRIPGEN overrides the binary (default: .build/release/tripgen, else .build/debug/tripgen).
set -euo pipefail

RUNS=${1:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
TRIPGEN=${TRIPGEN:-}
if [[ -z "$TRIPGEN" ]]; then
  if [[ -x .build/release/tripgen ]]; then TRIPGEN=.build/release/tripgen; else TRIPGEN=.build/debug/tripgen; fi
fi
[[ -x "$TRIPGEN" ]] || { echo "build tripgen first: swift build --product tripgen" >&2; exit 1; }
SERVICES=(user-service trip-service ai-service location-service)
echo "tripgen: $TRIPGEN; revision $(git rev-parse --short HEAD); $(nproc) cores"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

if [[ "${FIRST:-}" != "skip" ]]; then
  state=warm; [[ -d .build/release ]] || state=cold
  rm -rf .tripgen/images
  echo "first run (release build folder $state):"
  start=$(now)
  "$TRIPGEN" ci --env local --output json > /tmp/tripgen-ci-first.json
  end=$(now)
  python3 - /tmp/tripgen-ci-first.json "$start" "$end" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
for timing in report["timings"]:
    print(f"  {timing['stage']:<32} {timing['seconds']:8.2f} s")
print(f"  {'total (wall)':<32} {float(sys.argv[3]) - float(sys.argv[2]):8.2f} s")
for image in report["images"]:
    print(f"  {image['service']:<18} {image['outcome']:<8} {image['size'] / 1e6:6.1f} MB  {image['tag']}")
PY
fi

echo "unchanged revision, $RUNS runs:"
times=()
for _ in $(seq "$RUNS"); do
  start=$(now)
  "$TRIPGEN" ci --env local > /tmp/tripgen-ci-unchanged.log
  end=$(now)
  grep -q "reused" /tmp/tripgen-ci-unchanged.log || { echo "expected every image reused" >&2; exit 1; }
  times+=("$(python3 -c "print($end - $start)")")
done
ours=$(printf '%s\n' "${times[@]}" | median)

reference=()
for _ in $(seq "$RUNS"); do
  start=$(now)
  for service in "${SERVICES[@]}"; do
    swift build -c release --static-swift-stdlib --product "$service" > /dev/null 2>&1
  done
  end=$(now)
  reference+=("$(python3 -c "print($end - $start)")")
done
theirs=$(printf '%s\n' "${reference[@]}" | median)
printf '  tripgen ci --env local (all reused)      median %6.2f s\n' "$ours"
printf '  reference: 4 no-op swift build --product  median %6.2f s\n' "$theirs"
printf '  ratio tripgen/reference                          %6.2f\n' "$(python3 -c "print($ours / $theirs)")"
