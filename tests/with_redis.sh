#!/usr/bin/env bash
# Runs a test program against the Redis server named by CACHET_TEST_REDIS_URL, as the test
# scopes' backend. Without a server it skips (exit 77), unless CACHET_REQUIRE_REDIS is set.
if [ -z "${CACHET_TEST_REDIS_URL:-}" ]; then
  echo "CACHET_TEST_REDIS_URL is not set: run tests/run.sh, which starts redis-server"
  [ -n "${CACHET_REQUIRE_REDIS:-}" ] && exit 1
  exit 77
fi
CACHET_TEST_URL="$CACHET_TEST_REDIS_URL" exec "$@"
