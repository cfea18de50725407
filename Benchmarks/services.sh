#!/usr/bin/env bash
# Benchmarks of the four TripGen services (release builds) on 127.0.0.1: idle resident memory of each,
# and requests per second with p99 latency (wrk) for log-in, trip list and place search. The reference,
# measured in the same run, is the cheapest route of the same server: GET /actuator/health/liveness.
#
# Usage: swift build -c release --static-swift-stdlib --product user-service (and trip-, location-,
# ai-service; the flags the image build uses, Sources/OCI/SwiftProductBuilder.swift), then
#   bash Benchmarks/services.sh [seconds per run, default 10]
# EXTRA_ENV="NAME=value ..." adds variables to every service's environment (EVENT_LOOP_THREADS=2
# MALLOC_ARENA_MAX=8, say, to measure without the idle-memory tuning of ServiceKit's ProcessTuning).
# Needs Debian's postgresql, redis-server, wrk and curl (scripts/packages.txt). Everything it starts
# listens on 127.0.0.1 only and is stopped at the end.
set -euo pipefail

DURATION=${1:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# BIN overrides where the binaries are (a debug build, say: .build/debug).
BIN=${BIN:-$ROOT/.build/release}
DATA="$ROOT/Benchmarks/.data/services"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PG_PORT=${PG_PORT:-54471}
REDIS_PORT=${REDIS_PORT:-56471}
REDIS_PASSWORD=bench-redis-password
JWT_SECRET=bench-jwt-secret-0123456789-0123456789-0123
SERVICES=(user-service trip-service location-service ai-service)
declare -A PORTS=([user-service]=18471 [trip-service]=18472 [location-service]=18473 [ai-service]=18474)
declare -A PIDS=()
REDIS_PID=

for service in "${SERVICES[@]}"; do
  [[ -x "$BIN/$service" ]] || { echo "missing $BIN/$service: build it with -c release or set BIN" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

cleanup() {
  for service in "${!PIDS[@]}"; do kill "${PIDS[$service]}" 2>/dev/null || true; done
  [[ -n "$REDIS_PID" ]] && kill "$REDIS_PID" 2>/dev/null || true
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DATA/pg" -m fast -w stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

rm -rf "$DATA" && mkdir -p "$DATA" && chmod 777 "$DATA"
runuser -u postgres -- "$PG_BIN/initdb" -D "$DATA/pg" -U postgres --auth=trust --no-sync >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DATA/pg" -l "$DATA/pg.log" -w \
  -o "-p $PG_PORT -k $DATA -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null
psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE tripgen"
for file in schema.sql sample-data.sql; do
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d tripgen \
    -f "$ROOT/charts/tripgen/files/sql/$file"
done
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
  --requirepass "$REDIS_PASSWORD" --logfile "$DATA/redis.log" &
REDIS_PID=$!

for service in "${SERVICES[@]}"; do
  env -i PATH=/usr/bin:/bin PORT="${PORTS[$service]}" HOST=127.0.0.1 SERVICE_NAME="$service" \
    DB_HOST=127.0.0.1 DB_PORT="$PG_PORT" DB_NAME=tripgen DB_USER=postgres \
    REDIS_HOST=127.0.0.1 REDIS_PORT="$REDIS_PORT" REDIS_PASSWORD="$REDIS_PASSWORD" \
    JWT_SECRET="$JWT_SECRET" CACHE_TTL_SECONDS=600 LOG_LEVEL_ROOT=WARN LOG_LEVEL_APPLICATION=WARN \
    LOG_LEVEL_DATABASE=WARN LOG_LEVEL_SECURITY=WARN ${EXTRA_ENV:-} \
    "$BIN/$service" >"$DATA/$service.log" 2>&1 &
  PIDS[$service]=$!
done

for service in "${SERVICES[@]}"; do
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:${PORTS[$service]}/actuator/health/readiness" >/dev/null && break
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:${PORTS[$service]}/actuator/health/readiness" >/dev/null \
    || { echo "$service is not ready; log:" >&2; cat "$DATA/$service.log" >&2; exit 1; }
done

rss() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# Where the resident memory is: anonymous (heap, stacks) and file-backed (code, read-only data), the
# proportional share (Pss: pages shared with other processes counted in part), and the threads.
breakdown() {
  local pid=$1
  awk '/^RssAnon/ { anon = $2 } /^RssFile/ { file = $2 } /^Threads/ { threads = $2 }
    END { printf "anon %.1f, file %.1f, threads %d", anon / 1024, file / 1024, threads }' "/proc/$pid/status"
  awk '/^Pss:/ { printf ", Pss %.1f", $2 / 1024 }' "/proc/$pid/smaps_rollup"
}
sleep 3
echo "## Idle resident memory (MiB), after start-up and one readiness check"
for service in "${SERVICES[@]}"; do
  echo "$service: $(rss "${PIDS[$service]}") ($(breakdown "${PIDS[$service]}"))"
done

TOKEN=$(curl -fs -X POST -H 'Content-Type: application/json' \
  -d '{"email":"member1@tripgen.dev","password":"tripgen-dev-password"}' \
  "http://127.0.0.1:${PORTS[user-service]}/api/v1/auth/login" \
  | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
for day in 01 05 10 15 20; do
  curl -fs -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" \
    -d "{\"destinationId\":1,\"title\":\"Trip $day\",\"startDate\":\"2026-05-$day\",\"endDate\":\"2026-05-$day\"}" \
    "http://127.0.0.1:${PORTS[trip-service]}/api/v1/trips" >/dev/null
done

cat >"$DATA/login.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"email":"member1@tripgen.dev","password":"tripgen-dev-password"}'
wrk.headers["Content-Type"] = "application/json"
LUA

run() { # name, url, extra wrk arguments
  local name=$1 url=$2
  shift 2
  local output
  output=$(wrk -t2 -c16 -d"${DURATION}s" --latency "$@" "$url")
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$output")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$output")
  errors=$(awk '/Non-2xx/ { print $5 }' <<<"$output")
  printf '| %s | %s | %s | %s |\n' "$name" "$rps" "$p99" "${errors:-0}"
}

echo
echo "## Load: wrk, 2 threads, 16 connections, ${DURATION}s each"
echo "| endpoint | requests/s | p99 | non-2xx |"
echo "| --- | --- | --- | --- |"
run "reference: user-service GET /actuator/health/liveness" \
  "http://127.0.0.1:${PORTS[user-service]}/actuator/health/liveness"
run "POST /api/v1/auth/login (PBKDF2, 210,000 iterations)" \
  "http://127.0.0.1:${PORTS[user-service]}/api/v1/auth/login" -s "$DATA/login.lua"
run "reference: trip-service GET /actuator/health/liveness" \
  "http://127.0.0.1:${PORTS[trip-service]}/actuator/health/liveness"
run "GET /api/v1/trips (5 trips)" "http://127.0.0.1:${PORTS[trip-service]}/api/v1/trips" \
  -H "Authorization: Bearer $TOKEN"
run "reference: location-service GET /actuator/health/liveness" \
  "http://127.0.0.1:${PORTS[location-service]}/actuator/health/liveness"
run "GET /api/v1/places?q=seoul (cached in Redis)" \
  "http://127.0.0.1:${PORTS[location-service]}/api/v1/places?q=seoul" \
  -H "Authorization: Bearer $TOKEN"
run "GET /api/v1/places around a point (radius 50 km, cached)" \
  "http://127.0.0.1:${PORTS[location-service]}/api/v1/places?lat=37.5&lon=127.0&radiusKm=50&limit=50" \
  -H "Authorization: Bearer $TOKEN"

echo
echo "## Resident memory after the load (MiB)"
for service in "${SERVICES[@]}"; do echo "$service: $(rss "${PIDS[$service]}")"; done

echo
echo "## Graceful shutdown: SIGTERM, then the exit status"
for service in "${SERVICES[@]}"; do
  kill -TERM "${PIDS[$service]}"
  status=0
  wait "${PIDS[$service]}" || status=$?
  echo "$service: exit $status"
  unset "PIDS[$service]"
done
