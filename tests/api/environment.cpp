// Choosing the backend: CACHET_ENV, each cluster's URL, configure() and verify().
#include "../support.hpp"

#include "backends/backends.hpp"
#include "engine/environment.hpp"

#include <cstdlib>
#include <optional>
#include <string>

namespace {


// What an operation on the cluster's environment-chosen backend answers.
cachet::Result<std::string> probe(std::string_view cluster) {
  auto storage = cachet::backends::open_for_cluster(cluster, cachet::EvictionPolicy::AllKeysLRU);
  if (!storage) return std::unexpected(storage.error());
  auto& strings = *(*storage)->strings();
  if (auto written = strings.set("probe", "ok", cachet::engine::SetCondition::always,
                                 cachet::engine::ExpiryAction::persist());
      !written) {
    return std::unexpected(written.error());
  }
  return strings.get("probe");
}

const cachet::Error* problem_of(const std::vector<cachet::Error>& problems, std::string_view cluster) {
  for (const auto& p : problems) {
    if (p.key == cluster) return &p;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("the URL variable of a cluster is its name upper-cased with '-' as '_'") {
  CHECK(cachet::engine::cluster_url_variable("my-cache-cluster") == "CACHET_CLUSTER_MY_CACHE_CLUSTER_URL");
  CHECK(cachet::engine::cluster_url_variable("c2") == "CACHET_CLUSTER_C2_URL");
}

TEST_CASE("with CACHET_ENV unset or development, a cluster works with no configuration") {
  test::ScopedEnv url("CACHET_URL", std::nullopt);
  {
    test::ScopedEnv env("CACHET_ENV", std::nullopt);
    CHECK(probe("env-dev") == "ok");
  }
  test::ScopedEnv env("CACHET_ENV", "development");
  CHECK(probe("env-dev") == "ok");
}

TEST_CASE("an unknown CACHET_ENV fails every operation with not_configured naming the allowed values") {
  test::ScopedEnv env("CACHET_ENV", "staging");
  const auto r = probe("env-unknown");
  CHECK(test::code(r) == cachet::Errc::not_configured);
  CHECK(r.error().message.find("\"staging\"") != std::string::npos);
  CHECK(r.error().message.find("development, test, production") != std::string::npos);
}

TEST_CASE("in production a cluster without a URL fails with not_configured naming the variable to set") {
  test::ScopedEnv env("CACHET_ENV", "production");
  test::ScopedEnv url("CACHET_URL", std::nullopt);
  const auto r = probe("env-no-url");
  CHECK(test::code(r) == cachet::Errc::not_configured);
  CHECK(r.error().message.find("CACHET_CLUSTER_ENV_NO_URL_URL") != std::string::npos);
}

TEST_CASE("the cluster's own variable wins over CACHET_URL, which wins over configure()") {
  test::ScopedEnv env("CACHET_ENV", "production");
  cachet::configure("env-order", "memory://?max_keys=1");
  {
    test::ScopedEnv url("CACHET_URL", std::nullopt);
    CHECK(cachet::engine::cluster_url("env-order")->source == "cachet::configure");
    CHECK(probe("env-order") == "ok");
  }
  test::ScopedEnv shared("CACHET_URL", "memory://");
  CHECK(cachet::engine::cluster_url("env-order")->source == "CACHET_URL");
  test::ScopedEnv own("CACHET_CLUSTER_ENV_ORDER_URL", "memory://?max_keys=5");
  const auto chosen = cachet::engine::cluster_url("env-order");
  CHECK(chosen->source == "CACHET_CLUSTER_ENV_ORDER_URL");
  CHECK(chosen->url == "memory://?max_keys=5");
}

TEST_CASE("a bad URL in a variable fails every operation, naming the variable and the problem") {
  test::ScopedEnv env("CACHET_ENV", "production");
  test::ScopedEnv own("CACHET_CLUSTER_ENV_BAD_URL", "redis://:topsecret@host:port");
  const auto r = probe("env-bad");
  CHECK(test::code(r) == cachet::Errc::not_configured);
  CHECK(r.error().message.find("CACHET_CLUSTER_ENV_BAD_URL") != std::string::npos);
  CHECK(r.error().message.find("port \"port\"") != std::string::npos);
  CHECK(r.error().message.find("topsecret") == std::string::npos);
}

TEST_CASE("configure() throws ConfigError for a malformed URL, without the password") {
  try {
    cachet::configure("env-configure", "redis://:topsecret@");
    FAIL("configure accepted a URL without a host");
  } catch (const cachet::ConfigError& e) {
    const std::string what = e.what();
    CHECK(what.find("no host") != std::string::npos);
    CHECK(what.find("topsecret") == std::string::npos);
  }
}

TEST_CASE("CACHET_ENV=test needs no URL: each cluster gets memory storage") {
  test::ScopedEnv env("CACHET_ENV", "test");
  test::ScopedEnv url("CACHET_URL", std::nullopt);
  CHECK(probe("env-test") == "ok");
}

TEST_CASE("a bad CACHET_DEV_MAX_KEYS fails development operations, naming the variable") {
  test::ScopedEnv env("CACHET_ENV", "development");
  test::ScopedEnv url("CACHET_URL", std::nullopt);
  test::ScopedEnv bound("CACHET_DEV_MAX_KEYS", "many");
  const auto r = probe("env-dev-bound");
  CHECK(test::code(r) == cachet::Errc::not_configured);
  CHECK(r.error().message.find("CACHET_DEV_MAX_KEYS") != std::string::npos);
}

TEST_CASE("verify() reports each misconfigured cluster, and configure() mends it on the next use") {
  test::ScopedEnv env("CACHET_ENV", "production");
  test::ScopedEnv url("CACHET_URL", std::nullopt);
  cachet::Cluster cluster("env-verify");
  const auto before = cachet::verify();
  const cachet::Error* problem = problem_of(before, "env-verify");
  REQUIRE(problem != nullptr);
  CHECK(problem->code == cachet::Errc::not_configured);
  CHECK(problem->op == "verify");
  CHECK(problem->message.find("CACHET_CLUSTER_ENV_VERIFY_URL") != std::string::npos);

  cachet::configure("env-verify", "memory://?max_keys=10");
  CHECK(problem_of(cachet::verify(), "env-verify") == nullptr);
}

TEST_CASE("verify() says when CACHET_ENV is not set, so production cannot run on the development cache unnoticed") {
  test::ScopedEnv url("CACHET_URL", std::nullopt);
  test::ScopedEnv bound("CACHET_DEV_MAX_KEYS", std::nullopt);
  const auto unset_problem = [](const std::vector<cachet::Error>& problems) -> const cachet::Error* {
    for (const auto& p : problems) {
      if (p.message.starts_with("CACHET_ENV is not set")) return &p;
    }
    return nullptr;
  };
  for (const std::optional<std::string>& unset : {std::optional<std::string>(), std::optional<std::string>("")}) {
    test::ScopedEnv env("CACHET_ENV", unset);
    const auto problems = cachet::verify();
    const cachet::Error* problem = problem_of(problems, "");
    REQUIRE(problem != nullptr);
    CHECK(problem->code == cachet::Errc::not_configured);
    CHECK(problem->what().starts_with("cachet: verify: CACHET_ENV is not set: clusters use the 100-key development cache"));
    CHECK(problem->message.find("CACHET_ENV=production") != std::string::npos);
  }
  {
    test::ScopedEnv env("CACHET_ENV", std::nullopt);
    test::ScopedEnv bigger("CACHET_DEV_MAX_KEYS", "5000");
    const auto problems = cachet::verify();
    const cachet::Error* problem = unset_problem(problems);
    REQUIRE(problem != nullptr);
    CHECK(problem->message.find("the 5000-key development cache") != std::string::npos);
  }
  // Development chosen on purpose, or any other environment, is not a problem.
  {
    test::ScopedEnv env("CACHET_ENV", "development");
    CHECK(unset_problem(cachet::verify()) == nullptr);
  }
  {
    test::ScopedEnv env("CACHET_ENV", "production");
    test::ScopedEnv memory("CACHET_URL", "memory://");
    CHECK(unset_problem(cachet::verify()) == nullptr);
  }
}
