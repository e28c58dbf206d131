#!/usr/bin/env bash
# with_redis.sh [--tls] PROGRAM [ARGS...]: runs a test program against the Redis server named by
# CACHET_TEST_REDIS_URL, as the test scopes' backend. With --tls, against the TLS servers
# instead: CACHET_TEST_REDIS_TLS_URL becomes the main server (and the scopes' backend), its
# unix socket CACHET_TEST_REDIS_TLS_SOCKET, and the mutual-TLS server with the test client's
# certificate the authenticating one, so the same program runs every test over TLS. With
# --cluster, against the Redis Cluster named by CACHET_TEST_REDIS_CLUSTER_URL; with --tls-cluster,
# against the one over TLS, CACHET_TEST_REDIS_TLS_CLUSTER_URL (trusting CACHET_TEST_TLS_DIR's CA).
# Without a server it skips (exit 77), unless CACHET_REQUIRE_REDIS is set.
skip() {
  echo "$1: run tests/run.sh, which starts the servers"
  [ -n "${CACHET_REQUIRE_REDIS:-}" ] && exit 1
  exit 77
}
if [ "${1:-}" = --tls ]; then
  shift
  [ -n "${CACHET_TEST_REDIS_TLS_URL:-}" ] && [ -n "${CACHET_TEST_REDIS_MTLS_URL:-}" ] &&
    [ -n "${CACHET_TEST_TLS_DIR:-}" ] || skip "CACHET_TEST_REDIS_TLS_URL, CACHET_TEST_REDIS_MTLS_URL or CACHET_TEST_TLS_DIR is not set"
  dir=$CACHET_TEST_TLS_DIR
  export CACHET_TEST_REDIS_URL="$CACHET_TEST_REDIS_TLS_URL?tls_ca_file=$dir/ca.crt"
  export CACHET_TEST_REDIS_SOCKET="${CACHET_TEST_REDIS_TLS_SOCKET:-}"
  export CACHET_TEST_REDIS_AUTH_URL="$CACHET_TEST_REDIS_MTLS_URL?tls_ca_file=$dir/ca.crt&tls_cert_file=$dir/client.crt&tls_key_file=$dir/client.key"
fi
if [ "${1:-}" = --cluster ]; then  # the Redis Cluster is the scopes' backend
  shift
  [ -n "${CACHET_TEST_REDIS_CLUSTER_URL:-}" ] || skip "CACHET_TEST_REDIS_CLUSTER_URL is not set"
  [ -n "${CACHET_TEST_REDIS_URL:-}" ] || skip "CACHET_TEST_REDIS_URL is not set"
  CACHET_TEST_URL="$CACHET_TEST_REDIS_CLUSTER_URL" exec "$@"
fi
if [ "${1:-}" = --tls-cluster ]; then  # the Redis Cluster over TLS is the scopes' backend
  shift
  [ -n "${CACHET_TEST_REDIS_TLS_CLUSTER_URL:-}" ] && [ -n "${CACHET_TEST_TLS_DIR:-}" ] ||
    skip "CACHET_TEST_REDIS_TLS_CLUSTER_URL or CACHET_TEST_TLS_DIR is not set"
  CACHET_TEST_URL="$CACHET_TEST_REDIS_TLS_CLUSTER_URL?tls_ca_file=$CACHET_TEST_TLS_DIR/ca.crt" exec "$@"
fi
[ -n "${CACHET_TEST_REDIS_URL:-}" ] || skip "CACHET_TEST_REDIS_URL is not set"
CACHET_TEST_URL="$CACHET_TEST_REDIS_URL" exec "$@"
