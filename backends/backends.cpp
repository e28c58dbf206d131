#include "backends.hpp"

#include "engine/environment.hpp"
#include "engine/failing_storage.hpp"
#include "memory/memory_storage.hpp"
#include "redis/redis_storage.hpp"

#include <cstdlib>

namespace cachet::backends {
namespace {

std::unique_ptr<engine::Storage> failing(Error error) {
  return std::make_unique<engine::FailingStorage>(std::move(error));
}

}  // namespace

Result<std::unique_ptr<engine::Storage>> open(const engine::BackendUrl& url, std::string_view cluster,
                                              EvictionPolicy policy) {
  switch (url.kind) {
    case engine::BackendUrl::Kind::memory:
      return std::make_unique<memory::MemoryStorage>(
          memory::MemoryConfig{.limits = url.memory, .policy = policy, .cluster = std::string(cluster)});
    case engine::BackendUrl::Kind::redis:
      return std::make_unique<redis::RedisStorage>(url.redis);
  }
  return fail(Errc::not_configured, "unknown backend");
}

std::unique_ptr<engine::Storage> open_for_cluster(std::string_view cluster, EvictionPolicy policy) {
  const auto environment = engine::current_environment();
  if (!environment) return failing(environment.error());
  if (*environment == engine::Environment::test) return open_for_test(cluster, policy, 0);

  const auto url = engine::cluster_url(cluster);
  if (!url) {
    if (*environment == engine::Environment::production) {
      return failing(Error{Errc::not_configured, {}, {},
                           "cluster \"" + std::string(cluster) + "\" has no URL in production: set " +
                               engine::cluster_url_variable(cluster) +
                               " (or CACHET_URL) to redis://host:port or memory://?max_memory=256mb"});
    }
    const auto max_keys = engine::dev_max_keys();
    if (!max_keys) return failing(max_keys.error());
    return std::make_unique<memory::MemoryStorage>(memory::MemoryConfig{
        .limits = {.max_keys = *max_keys},
        .policy = EvictionPolicy::AllKeysRandom,
        .development = true,
        .cluster = std::string(cluster),
    });
  }
  auto parsed = engine::parse_backend_url(url->url);
  if (!parsed) {
    Error e = parsed.error();
    e.message = "cluster \"" + std::string(cluster) + "\", URL from " + url->source + ": " + e.message;
    return failing(std::move(e));
  }
  auto storage = open(*parsed, cluster, policy);
  if (!storage) return failing(storage.error());
  return std::move(*storage);
}

std::unique_ptr<engine::Storage> open_for_test(std::string_view cluster, EvictionPolicy policy, std::uint64_t seed) {
  // CACHET_TEST_URL runs test scopes on a real server: each cluster gets its own key prefix
  // there, emptied when the scope opens it.
  if (const char* test_url = std::getenv("CACHET_TEST_URL"); test_url != nullptr && *test_url != '\0') {
    auto parsed = engine::parse_backend_url(test_url);
    if (!parsed) return failing(parsed.error());
    if (parsed->kind == engine::BackendUrl::Kind::redis) {
      parsed->redis.key_prefix += std::string(cluster) + ":";
      auto storage = open(*parsed, cluster, policy);
      if (!storage) return failing(storage.error());
      if (auto cleared = (*storage)->clear(); !cleared) return failing(cleared.error());
      return std::move(*storage);
    }
  }
  memory::MemoryConfig config{.policy = policy, .cluster = std::string(cluster), .seed = seed};
  if (const auto url = engine::cluster_url(cluster)) {
    if (auto parsed = engine::parse_backend_url(url->url); parsed && parsed->kind == engine::BackendUrl::Kind::memory) {
      config.limits = parsed->memory;
    }
  }
  return std::make_unique<memory::MemoryStorage>(std::move(config));
}

}  // namespace cachet::backends
