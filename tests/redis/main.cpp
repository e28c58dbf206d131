// The Redis backend's test program: doctest's runner, after checking that a server is named.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  const char* url = std::getenv("CACHET_TEST_REDIS_URL");
  if (url == nullptr || *url == '\0') {
    std::fputs(
        "redis_tests: CACHET_TEST_REDIS_URL is not set. These tests need real Redis servers:\n"
        "  redis-server --port 6390 --save '' --appendonly no --daemonize yes \\\n"
        "      --unixsocket /tmp/cachet-redis-6390.sock\n"
        "  redis-server --port 6391 --save '' --appendonly no --daemonize yes \\\n"
        "      --requirepass cachet-secret --user cachet on '>cachet-acl-secret' '~*' '&*' '+@all'\n"
        "  CACHET_TEST_REDIS_URL=redis://127.0.0.1:6390 \\\n"
        "  CACHET_TEST_REDIS_SOCKET=/tmp/cachet-redis-6390.sock \\\n"
        "  CACHET_TEST_REDIS_AUTH_URL=redis://127.0.0.1:6391 meson test -C build redis\n"
        "They use databases 9-12 of the first server (database 0 is left to the conformance run).\n",
        stderr);
    return 1;
  }
  doctest::Context context(argc, argv);
  return context.run();
}
