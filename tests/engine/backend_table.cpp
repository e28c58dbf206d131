// The table from URL scheme to backend (backends/backends.cpp): which URLs configure() takes,
// and what cachet::register_backend refuses. Opening a user's backend through a keyspace:
// tests/api/storage.cpp.
#include "../support.hpp"

#include "backends/backends.hpp"

#include <cachet/storage.hpp>

#include <atomic>
#include <string>

namespace {

// A factory that opens nothing: it answers `unavailable`, so a test sees that it ran.
cachet::Result<std::unique_ptr<cachet::Storage>> refuse(const cachet::BackendUrl&, const cachet::BackendContext&) {
  return cachet::fail(cachet::Errc::unavailable, "nobody home");
}

}  // namespace

TEST_CASE("check_url takes the built-in schemes and asks their backend about the options") {
  CHECK(cachet::backends::check_url("memory://?max_keys=10"));
  CHECK(cachet::backends::check_url("redis://host:6380/1"));
  CHECK(cachet::backends::check_url("rediss://host:6380/1?tls_verify=ca"));
  CHECK(cachet::backends::check_url("unix:///run/redis.sock?db=1"));
  CHECK(test::refusal(cachet::backends::check_url("memory://?max_keys=lots")).find("max_keys") != std::string::npos);
  CHECK(test::refusal(cachet::backends::check_url("redis://host?colour=blue")).find("colour") != std::string::npos);
  CHECK(test::refusal(cachet::backends::check_url("localhost:6379")).find("scheme") != std::string::npos);
}

TEST_CASE("an unknown scheme is refused, naming it and the schemes there are") {
  const std::string message = test::refusal(cachet::backends::check_url("mysql://db"));
  CHECK(message.find("unknown scheme \"mysql\"") != std::string::npos);
  CHECK(message.find("memory://, redis://, redis-cluster://, rediss://, rediss-cluster://, unix://") != std::string::npos);
}

TEST_CASE("register_backend refuses a scheme that is not [a-z][a-z0-9+.-]*, and an empty factory") {
  for (std::string_view bad : {"", "1db", "My", "my db", "my_db", "-db", "db:"}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH_AS(cachet::register_backend(bad, refuse), doctest::Contains("a scheme is a lowercase letter"),
                         cachet::ConfigError);
  }
  CHECK_THROWS_WITH_AS(cachet::register_backend("table-empty", cachet::BackendFactory()),
                       doctest::Contains("the factory is empty"), cachet::ConfigError);
  CHECK(test::refusal(cachet::backends::check_url("table-empty://x")).find("unknown scheme") != std::string::npos);
}

TEST_CASE("a scheme is registered once, and the built-in ones cannot be replaced") {
  REQUIRE_NOTHROW(cachet::register_backend("table-once", refuse));
  CHECK_THROWS_WITH_AS(cachet::register_backend("table-once", refuse), doctest::Contains("already has a backend"),
                       cachet::ConfigError);
  for (std::string_view builtin : {"memory", "redis", "rediss", "unix"}) {
    CAPTURE(builtin);
    CHECK_THROWS_WITH_AS(cachet::register_backend(builtin, refuse), doctest::Contains("already has a backend"),
                         cachet::ConfigError);
  }
  // The built-in backends are still the ones that answer.
  CHECK(test::refusal(cachet::backends::check_url("memory://?max_keys=lots")).find("max_keys") != std::string::npos);
}

TEST_CASE("a registered scheme's URLs pass check_url and reach its factory with the URL and the cluster") {
  static std::atomic<int> calls{0};
  static cachet::BackendUrl seen;
  static std::string cluster;
  static cachet::EvictionPolicy policy{};
  cachet::register_backend("table-seen", [](const cachet::BackendUrl& url, const cachet::BackendContext& context)
                                             -> cachet::Result<std::unique_ptr<cachet::Storage>> {
    ++calls;
    seen = url;
    cluster = std::string(context.cluster);
    policy = context.eviction_policy;
    return cachet::fail(cachet::Errc::unavailable, "nobody home");
  });
  // A user's backend reads its own options: the table has nothing to check.
  CHECK(cachet::backends::check_url("table-seen://anything?colour=blue"));
  CHECK(calls == 0);

  test::ScopedEnv env("CACHET_ENV", "production");
  test::ScopedEnv url("CACHET_CLUSTER_TABLE_CLUSTER_URL", "TABLE-SEEN://h1:1,h2/p?colour=blue");
  const auto opened = cachet::backends::open_for_cluster("table-cluster", cachet::EvictionPolicy::VolatileTTL);
  CHECK(calls == 1);
  CHECK(seen.scheme == "table-seen");
  REQUIRE(seen.hosts.size() == 2);
  CHECK(seen.hosts[0].name == "h1");
  CHECK(seen.hosts[0].port == 1);
  CHECK(seen.hosts[1].name == "h2");
  CHECK(seen.path == "/p");
  CHECK(seen.options == std::vector<std::pair<std::string, std::string>>{{"colour", "blue"}});
  CHECK(cluster == "table-cluster");
  CHECK(policy == cachet::EvictionPolicy::VolatileTTL);
  // The factory's error comes back naming the cluster and where its URL came from.
  REQUIRE(!opened);
  CHECK(opened.error().code == cachet::Errc::unavailable);
  CHECK(opened.error().message == "cluster \"table-cluster\", URL from CACHET_CLUSTER_TABLE_CLUSTER_URL: nobody home");
}

TEST_CASE("a factory that opens no storage is refused rather than handed on") {
  cachet::register_backend("table-null", [](const cachet::BackendUrl&, const cachet::BackendContext&)
                                             -> cachet::Result<std::unique_ptr<cachet::Storage>> { return nullptr; });
  test::ScopedEnv env("CACHET_ENV", "production");
  test::ScopedEnv url("CACHET_CLUSTER_TABLE_NULL_URL", "table-null://");
  const auto opened = cachet::backends::open_for_cluster("table-null", cachet::EvictionPolicy::AllKeysLRU);
  CHECK(test::refusal(opened).find("opened no storage") != std::string::npos);
}
