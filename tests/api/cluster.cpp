// Clusters (<cachet/cluster.hpp>): a name unique while its cluster lives, its configuration,
// and the storage behind it, or the reason there is none. (Names that break the kebab-case
// rule are compile errors: compile_fail/cluster_name_*.cpp.)
#include "../support.hpp"

#include <string>

namespace {

cachet::Cluster cluster("test-cluster", {.eviction_policy = cachet::EvictionPolicy::VolatileTTL});
cachet::StringKeyspace<std::string> strings(cluster, {.key_pattern = "s/:key"});

}  // namespace

TEST_CASE("a cluster keeps its name and configuration") {
  CHECK(cluster.name() == "test-cluster");
  CHECK(cluster.config().eviction_policy == cachet::EvictionPolicy::VolatileTTL);
  cachet::Cluster plain("test-cluster-default");
  CHECK(plain.config().eviction_policy == cachet::EvictionPolicy::AllKeysLRU);
}

TEST_CASE("a cluster name is unique while its cluster lives") {
  {
    cachet::Cluster once("test-pattern-unique");
    CHECK_THROWS_WITH_AS(cachet::Cluster("test-pattern-unique"), doctest::Contains("\"test-pattern-unique\""),
                         cachet::ConfigError);
  }
  CHECK_NOTHROW(cachet::Cluster("test-pattern-unique"));  // free again once the first is gone
}

TEST_CASE("in a test scope, current_storage() and storage() give the scope's storage") {
  auto current = cluster.current_storage();
  REQUIRE(current);
  CHECK(&cluster.storage() == *current);
  REQUIRE(strings.set("k", "v"));
  CHECK(cluster.storage().strings()->get(strings.stored_key("k")) == "v");
}

TEST_CASE("without storage, current_storage() says why, storage() throws it, and every call answers it") {
  // A test scope opens what CACHET_TEST_URL names: here a URL no backend can open.
  test::ScopedEnv url("CACHET_TEST_URL", "redis://:hunter2@host:notaport");
  cachet::testing::Scope scope;
  const auto current = cluster.current_storage();
  CHECK(test::refusal(current).find("port \"notaport\"") != std::string::npos);
  CHECK(current.error().message.find("hunter2") == std::string::npos);
  CHECK_THROWS_WITH_AS(cluster.storage(), doctest::Contains("port \"notaport\""), cachet::ConfigError);
  const auto r = strings.get("k");
  CHECK(test::code(r) == cachet::Errc::not_configured);
  CHECK(r.error().op == "get");
  CHECK(r.error().key == "s/k");
}
