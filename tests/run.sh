#!/usr/bin/env bash
# Builds cachet and runs the whole test suite: the api, engine and memory rooms' tests and the
# conformance suite on the memory engine, the api tests, the conformance suite and the Redis
# backend's own tests against real redis-server processes on loopback (the last two again over
# TLS, and on a Redis Cluster of six nodes and one of three over TLS), the compile-fail rules
# and the arrows between rooms, the examples, the benchmark's quick mode and its chart, and the
# packaging (a program built against an install with pkg-config, CMake and Meson); then all of that
# but the benchmark again under ASan+UBSan, the tests that run threads under TSan, and each libFuzzer target
# for a bounded time.
# Starts the servers on free ports and stops them on exit, also when tests fail.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${CACHET_BUILD_DIR:-build-tests}
work=$(mktemp -d /tmp/cachet-tests.XXXXXX)
pids=()

stop_servers() {
  # Cluster nodes the failover test restarted itself wrote their pids beside their configs.
  for file in "$work"/cluster/restarted-*.pid; do [ -f "$file" ] && pids+=("$(cat "$file")"); done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  rm -rf "$work"
}
trap stop_servers EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_redis NAME PORT [extra redis-server arguments...]: no persistence, loopback only.
start_redis() {
  local name=$1 port=$2
  shift 2
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --dir "$work" --logfile "$work/$name.log" "$@" &
  pids+=($!)
  for _ in $(seq 100); do
    redis-cli -p "$port" --no-auth-warning "${auth[@]}" ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.05
  done
  echo "redis-server $name did not start on port $port:" >&2
  cat "$work/$name.log" >&2
  exit 1
}

port=$(free_port)
socket="$work/redis.sock"
auth=()
start_redis plain "$port" --unixsocket "$socket" --unixsocketperm 700
auth_port=$(free_port)
auth=(-a cachet-secret)
start_redis auth "$auth_port" --requirepass cachet-secret --user cachet on '>cachet-acl-secret' '~*' '&*' '+@all'

# TLS: a throwaway CA and certificates made now (nothing secret is committed), a server with a
# TLS port beside a plaintext one (which the tests use to look behind cachet's back, and as the
# plaintext port a TLS URL must not be pointed at), and one that requires a client certificate
# and a password.
certs="$work/tls"
tests/tls/make_certs.sh "$certs"
tls_server=(--tls-cert-file "$certs/server.crt" --tls-key-file "$certs/server.key" --tls-ca-cert-file "$certs/ca.crt")
tls_plain_port=$(free_port)
tls_port=$(free_port)
auth=()
start_redis tls "$tls_plain_port" --tls-port "$tls_port" "${tls_server[@]}" --tls-auth-clients no \
  --unixsocket "$work/tls.sock" --unixsocketperm 700
mtls_plain_port=$(free_port)
mtls_port=$(free_port)
auth=(-a cachet-secret)
start_redis mtls "$mtls_plain_port" --tls-port "$mtls_port" "${tls_server[@]}" --tls-auth-clients yes \
  --requirepass cachet-secret --user cachet on '>cachet-acl-secret' '~*' '&*' '+@all'

export CACHET_TEST_REDIS_URL="redis://127.0.0.1:$port"
export CACHET_TEST_REDIS_SOCKET="$socket"
export CACHET_TEST_REDIS_AUTH_URL="redis://127.0.0.1:$auth_port"
export CACHET_TEST_TLS_DIR="$certs"
export CACHET_TEST_REDIS_TLS_URL="rediss://127.0.0.1:$tls_port"
export CACHET_TEST_REDIS_TLS_SOCKET="$work/tls.sock"
export CACHET_TEST_REDIS_PLAIN_PORT="$tls_plain_port"
export CACHET_TEST_REDIS_MTLS_URL="rediss://127.0.0.1:$mtls_port"
# A Redis Cluster: six nodes on loopback (three masters, each with a replica), a short node
# timeout so that a failover takes seconds. The tests find the nodes' configs in its directory
# (the failover test restarts the master it killed from its own).
# A node also listens on its port + 10000 (the cluster bus): both must be free.
cluster_free_port() {
  python3 -c '
import random, socket
while True:
    port = random.randint(20000, 45000)
    try:
        for p in (port, port + 10000):
            s = socket.socket(); s.bind(("127.0.0.1", p)); s.close()
        print(port); break
    except OSError:
        pass'
}
# create_cluster NAME REPLICAS PORT...: makes the nodes on PORTs one cluster and waits until every
# node reports it healthy.
create_cluster() {
  local name=$1 replicas=$2
  shift 2
  redis-cli --cluster create "${@/#/127.0.0.1:}" --cluster-replicas "$replicas" --cluster-yes >"$work/$name-create.log"
  local healthy port
  for _ in $(seq 200); do
    healthy=1
    for port in "$@"; do
      redis-cli -p "$port" cluster info | grep -q cluster_state:ok || healthy=0
    done
    [ "$healthy" = 1 ] && return 0
    sleep 0.1
  done
  echo "the Redis Cluster $name did not come up" >&2
  cat "$work/$name-create.log" >&2
  exit 1
}
mkdir -p "$work/cluster"
cluster_ports=()
for _ in 1 2 3 4 5 6; do
  cluster_port=$(cluster_free_port)
  cluster_ports+=("$cluster_port")
  start_redis "cluster-$cluster_port" "$cluster_port" --cluster-enabled yes \
    --cluster-config-file "$work/cluster/nodes-$cluster_port.conf" --cluster-node-timeout 1000
done
create_cluster cluster 1 "${cluster_ports[@]}"
export CACHET_TEST_REDIS_CLUSTER_URL="redis-cluster://127.0.0.1:${cluster_ports[0]},127.0.0.1:${cluster_ports[1]}"
export CACHET_TEST_REDIS_CLUSTER_PORTS="${cluster_ports[*]}"
export CACHET_TEST_REDIS_CLUSTER_DIR="$work/cluster"
# A second cluster over TLS (three masters; the cluster bus and replication speak TLS too). Each
# node also keeps a plaintext port, which the tests use to look behind cachet's back: the node
# tells a TLS client the TLS ports (which rediss-cluster:// must use) and others the plaintext ones.
tls_cluster_ports=()
tls_cluster_tls_ports=()
for _ in 1 2 3; do
  # With tls-cluster yes the cluster bus listens on the TLS port + 10000.
  cluster_port=$(free_port)
  cluster_tls_port=$(cluster_free_port)
  tls_cluster_ports+=("$cluster_port")
  tls_cluster_tls_ports+=("$cluster_tls_port")
  start_redis "tls-cluster-$cluster_port" "$cluster_port" --tls-port "$cluster_tls_port" "${tls_server[@]}" \
    --tls-auth-clients no --tls-cluster yes --tls-replication yes --cluster-enabled yes \
    --cluster-config-file "$work/tls-cluster-nodes-$cluster_port.conf" --cluster-node-timeout 1000
done
create_cluster tls-cluster 0 "${tls_cluster_ports[@]}"
export CACHET_TEST_REDIS_TLS_CLUSTER_URL="rediss-cluster://127.0.0.1:${tls_cluster_tls_ports[0]},127.0.0.1:${tls_cluster_tls_ports[1]}"
export CACHET_TEST_REDIS_TLS_CLUSTER_PORTS="${tls_cluster_ports[*]}"
export CACHET_TEST_REDIS_TLS_CLUSTER_TLS_PORTS="${tls_cluster_tls_ports[*]}"

# The benchmark's quick mode (a test) compares TLS with TCP on one server: the TLS one's two
# ports, in database 14, which no test uses.
export CACHET_BENCH_REDIS_URL="redis://127.0.0.1:$tls_plain_port/14"
export CACHET_BENCH_REDIS_TLS_URL="rediss://127.0.0.1:$tls_port/14?tls_ca_file=$certs/ca.crt"
# ... and the cluster rows compare the test cluster with that same plaintext server.
export CACHET_BENCH_REDIS_CLUSTER_URL="$CACHET_TEST_REDIS_CLUSTER_URL"
export CACHET_REQUIRE_REDIS=1  # the Redis runs must fail, not skip, if the variables went missing

# The whole suite: api (memory and Redis), engine, memory, conformance (memory and Redis), Redis
# backend, compile-fail rules and arrows, examples, the benchmark's quick mode, and packaging.
# Every build here makes line tables only (-g1, after the build type's -g): full debug info made
# a quarter to a third of the compile time, and reports and backtraces need file and line only.
setup() {  # setup DIR [meson options...]
  local dir=$1
  shift
  set -- -Dcpp_args=-g1 "$@"
  [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@"
  meson configure "$dir" "$@" >/dev/null
  ninja -C "$dir"
}
# pkgconfig.relocatable is the project default; said here too for build directories made before it.
setup "$build" -Dbench=true -Dpkgconfig.relocatable=true
meson test -C "$build" --print-errorlogs --num-processes 2

# The whole suite again under AddressSanitizer with UndefinedBehaviorSanitizer (every test
# that runs our code: the compile-fail suite only runs the compiler, the install suite only
# packages, and the benchmark's quick mode, which measures rather than tests and took three
# minutes of CI there, runs in the plain build only), then every test that runs our code under
# ThreadSanitizer: the threaded ones among them are memory (stress), api and api-redis
# (threads), conformance-memory and conformance-redis(-tls), redis(-tls) (pool, faults,
# multiplex) and redis-cluster. The conformance suite's two cluster runs are left out of both
# (two minutes of CI each): they run the commands conformance-redis runs, through the cluster
# routing redis-cluster runs, and no thread the others do not. Any report fails the run. Both
# build at -O0: with the sanitizers, -O2 takes two to three times as long to compile and -Og
# still 1.3 times as long, and the runs are dominated by the servers and the threads.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 TSAN_OPTIONS=halt_on_error=1
setup "$build-address" -Db_sanitize=address,undefined -Db_lundef=false -Doptimization=0 -Dbench=false
meson test -C "$build-address" --print-errorlogs --num-processes 2 --no-suite compile-fail --no-suite install \
  --no-suite conformance-cluster
setup "$build-thread" -Db_sanitize=thread -Db_lundef=false -Doptimization=0 -Dexamples=disabled -Dbench=false
meson test -C "$build-thread" --print-errorlogs --num-processes 2 --no-suite compile-fail --no-suite install \
  --no-suite conformance-cluster

# Each libFuzzer target for a bounded time from its committed corpus (clang 19, ASan+UBSan).
fuzz/run.sh "${CACHET_FUZZ_SECONDS:-10}"
