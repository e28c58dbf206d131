#!/usr/bin/env bash
# Builds the benchmark (release), prints its table to stdout and draws the same run's
# comparisons as an SVG chart (bench/chart.sh, gnuplot):
#
#   bench/run.sh            the full run (7 repetitions per figure; a few minutes)
#   bench/run.sh --quick    3 repetitions, shorter runs (under a minute)
#   bench/run.sh --chart FILE.svg ...   where the chart goes (default: bench.svg in the build
#                           directory, build-bench/), its figures beside it in FILE.tsv (what
#                           bench/chart.sh FILE.tsv FILE.svg draws again); without gnuplot,
#                           the table and the figures only
#
# Starts its own redis-server on a free loopback port (no persistence, in a temporary
# directory) and stops it on exit, also on failure or Ctrl-C; with CACHET_BENCH_REDIS_URL
# set it uses that server instead, and FLUSHes the database the URL names. Likewise a Redis
# Cluster of three masters set up as that one server is (no replicas, no persistence) for the
# cluster rows, unless CACHET_BENCH_REDIS_CLUSTER_URL names one. Without a redis-server the
# Redis rows say n/a. Build output goes to stderr, so stdout is the table.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${CACHET_BENCH_BUILD_DIR:-$root/build-bench}
shown="bench/run.sh${*:+ $*}"

chart=$build/bench.svg
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --chart ] && [ $# -ge 2 ]; then
    chart=$2
    shift 2
  else
    args+=("$1")
    shift
  fi
done

options=(-Dbench=true -Dtests=disabled -Dexamples=disabled --buildtype=release)
if [ -f "$build/build.ninja" ]; then
  meson configure "$build" "${options[@]}" >&2
else
  meson setup "$build" "$root" "${options[@]}" >&2
fi
ninja -C "$build" bench/cachet_bench >&2

work=$(mktemp -d /tmp/cachet-bench.XXXXXX)
redis_pid=""
cluster_pids=()
bench_pid=""
cleanup() {
  for pid in "$bench_pid" "$redis_pid" "${cluster_pids[@]}"; do
    if [ -n "$pid" ]; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
  else
    local port
    while :; do
      port=$((20000 + RANDOM % 40000))
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
  fi
}

# Answers once the server on $1 answers PING; fails if it exited or never did.
await_redis() {
  for _ in $(seq 100); do
    redis-cli -p "$1" ping 2>/dev/null | grep -q PONG && return 0
    kill -0 "$redis_pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

if [ -z "${CACHET_BENCH_REDIS_URL:-}" ]; then
  if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then
    for attempt in 1 2 3; do  # a port taken between choosing it and binding it: try another
      port=$(free_port)
      tls_port=$(free_port)
      # One server, two ports: plaintext and TLS (certificates made for this run), same data.
      tls_args=()
      if [ -z "${CACHET_BENCH_REDIS_TLS_URL:-}" ] && command -v openssl >/dev/null &&
         "$root/tests/tls/make_certs.sh" "$work/tls" 2>/dev/null; then
        tls_args=(--tls-port "$tls_port" --tls-cert-file "$work/tls/server.crt" --tls-key-file "$work/tls/server.key"
          --tls-ca-cert-file "$work/tls/ca.crt" --tls-auth-clients no)
      fi
      redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
        --dir "$work" --logfile "$work/redis.log" "${tls_args[@]}" &
      redis_pid=$!
      if await_redis "$port"; then
        export CACHET_BENCH_REDIS_URL="redis://127.0.0.1:$port"
        if [ ${#tls_args[@]} -gt 0 ]; then
          export CACHET_BENCH_REDIS_TLS_URL="rediss://127.0.0.1:$tls_port?tls_ca_file=$work/tls/ca.crt"
        fi
        break
      fi
      kill "$redis_pid" 2>/dev/null || true
      wait "$redis_pid" 2>/dev/null || true
      redis_pid=""
      echo "bench/run.sh: redis-server did not start on port $port (attempt $attempt):" >&2
      cat "$work/redis.log" >&2 || true
    done
  else
    echo "bench/run.sh: no redis-server installed; the Redis rows will say n/a" >&2
  fi
fi

# The cluster: three masters, each alone on its slots as the one server is alone on all of them,
# so that the rows compare routing, not replication.
if [ -z "${CACHET_BENCH_REDIS_CLUSTER_URL:-}" ] && [ -n "$redis_pid" ]; then
  nodes=()
  for _ in 1 2 3; do
    while :; do  # the node's port and its cluster bus port (+10000) must both be free
      node_port=$((20000 + RANDOM % 25000))
      python3 -c "import socket
for p in ($node_port, $node_port + 10000): s = socket.socket(); s.bind(('127.0.0.1', p)); s.close()" 2>/dev/null && break
    done
    redis-server --port "$node_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
      --dir "$work" --logfile "$work/cluster-$node_port.log" --cluster-enabled yes \
      --cluster-config-file "$work/nodes-$node_port.conf" &
    cluster_pids+=($!)
    nodes+=("127.0.0.1:$node_port")
    await_redis "$node_port" || { echo "bench/run.sh: a cluster node did not start" >&2; break; }
  done
  if [ ${#nodes[@]} -eq 3 ] && redis-cli --cluster create "${nodes[@]}" --cluster-yes >"$work/cluster.log" 2>&1; then
    for _ in $(seq 100); do
      redis-cli -p "${nodes[0]#*:}" cluster info | grep -q cluster_state:ok && break
      sleep 0.1
    done
    export CACHET_BENCH_REDIS_CLUSTER_URL="redis-cluster://${nodes[0]},${nodes[1]}"
  else
    echo "bench/run.sh: the Redis Cluster did not come up; the cluster rows will say n/a" >&2
  fi
fi

# In the background and waited for, so that a signal to this script is handled at once
# (bash runs traps only between commands) and the cleanup stops the benchmark too.
data=${chart%.svg}.tsv
"$build/bench/cachet_bench" --command "$shown" --data "$data" "${args[@]}" &
bench_pid=$!
status=0
wait "$bench_pid" || status=$?
bench_pid=""
if [ "$status" -eq 0 ] && [ -s "$data" ]; then
  if command -v gnuplot >/dev/null; then
    mode=full
    for arg in "${args[@]}"; do [ "$arg" = --quick ] && mode=quick; done
    "$root/bench/chart.sh" "$data" "$chart" "cachet vs its baselines ($mode run, $(date -u +%Y-%m-%d))"
    echo "bench/run.sh: chart written to $chart" >&2
  else
    echo "bench/run.sh: no gnuplot (apt-get install gnuplot-nox): table only, no chart" >&2
  fi
fi
exit "$status"
