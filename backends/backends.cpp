#include "backends.hpp"

#include "engine/backend.hpp"
#include "engine/environment.hpp"
#include "engine/url.hpp"
#include "memory/memory_storage.hpp"
#include "memory/memory_url.hpp"
#include "redis/redis_storage.hpp"
#include "redis/redis_url.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace cachet::backends {
namespace {

using engine::BackendContext;
using engine::BackendFactory;
using engine::Url;

Result<std::unique_ptr<engine::Storage>> open_memory(const Url& url, const BackendContext& context) {
  auto options = memory::parse_url(url);
  if (!options) return std::unexpected(std::move(options.error()));
  return std::make_unique<memory::MemoryStorage>(memory::MemoryConfig{
      .limits = *options, .policy = context.eviction_policy, .cluster = std::string(context.cluster),
      .seed = context.seed});
}

Result<std::unique_ptr<engine::Storage>> open_redis(const Url& url, const BackendContext&) {
  auto options = redis::parse_url(url);
  if (!options) return std::unexpected(std::move(options.error()));
  return std::make_unique<redis::RedisStorage>(*options);
}

// A factory and, for the built-in backends, the check configure() runs without opening.
struct Backend {
  BackendFactory open;
  Result<void> (*check)(const Url&) = nullptr;
};

template <class T>
Result<void> checked(Result<T> parsed) {
  if (!parsed) return std::unexpected(std::move(parsed.error()));
  return {};
}
Result<void> check_memory(const Url& url) { return checked(memory::parse_url(url)); }
Result<void> check_redis(const Url& url) { return checked(redis::parse_url(url)); }

struct Table {
  std::mutex mutex;
  std::map<std::string, Backend, std::less<>> backends{
      {"memory", {open_memory, check_memory}},
      {"redis", {open_redis, check_redis}},
      {"rediss", {open_redis, check_redis}},
      {"redis-cluster", {open_redis, check_redis}},
      {"rediss-cluster", {open_redis, check_redis}},
      {"unix", {open_redis, check_redis}},
  };

  std::optional<Backend> find(std::string_view scheme) {
    std::lock_guard lock(mutex);
    auto it = backends.find(scheme);
    if (it == backends.end()) return std::nullopt;
    return it->second;
  }
  std::string schemes() {
    std::lock_guard lock(mutex);
    std::string out;
    for (const auto& [scheme, backend] : backends) {
      out += out.empty() ? "" : ", ";
      out += scheme + "://";
    }
    return out;
  }
};

Table& table() {
  static Table instance;
  return instance;
}

Result<Backend> backend_for(const Url& url) {
  if (auto backend = table().find(url.scheme)) return *backend;
  return url.error("unknown scheme \"" + url.scheme + "\" (use " + table().schemes() + ")");
}

Result<std::unique_ptr<engine::Storage>> open(const Url& url, const BackendContext& context) {
  auto backend = backend_for(url);
  if (!backend) return std::unexpected(std::move(backend.error()));
  auto storage = backend->open(url, context);
  if (storage && *storage == nullptr) {
    return fail(Errc::not_configured, "the backend for " + url.scheme + ":// opened no storage");
  }
  return storage;
}

bool valid_scheme(std::string_view scheme) {
  if (scheme.empty() || scheme.front() < 'a' || scheme.front() > 'z') return false;
  for (char c : scheme) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) return false;
  }
  return true;
}

}  // namespace

Result<void> check_url(std::string_view text) {
  auto url = engine::parse_url(text);
  if (!url) return std::unexpected(std::move(url.error()));
  auto backend = backend_for(*url);
  if (!backend) return std::unexpected(std::move(backend.error()));
  if (backend->check) return backend->check(*url);
  return {};
}

Result<std::unique_ptr<engine::Storage>> open_for_cluster(std::string_view cluster, EvictionPolicy policy) {
  const auto environment = engine::current_environment();
  if (!environment) return std::unexpected(environment.error());
  if (*environment == engine::Environment::test) return open_for_test(cluster, policy, 0);

  const auto configured = engine::cluster_url(cluster);
  if (!configured) {
    if (*environment == engine::Environment::production) {
      return fail(Errc::not_configured, "cluster \"" + std::string(cluster) + "\" has no URL in production: set " +
                                            engine::cluster_url_variable(cluster) +
                                            " (or CACHET_URL) to redis://host:port or memory://?max_memory=256mb");
    }
    const auto max_keys = engine::dev_max_keys();
    if (!max_keys) return std::unexpected(max_keys.error());
    return std::make_unique<memory::MemoryStorage>(memory::MemoryConfig{
        .limits = {.max_keys = *max_keys},
        .policy = EvictionPolicy::AllKeysRandom,
        .development = true,
        .cluster = std::string(cluster),
    });
  }
  auto opened = [&]() -> Result<std::unique_ptr<engine::Storage>> {
    auto url = engine::parse_url(configured->url);
    if (!url) return std::unexpected(std::move(url.error()));
    return open(*url, {.cluster = cluster, .eviction_policy = policy});
  }();
  if (!opened) {
    Error e = std::move(opened.error());
    e.message = "cluster \"" + std::string(cluster) + "\", URL from " + configured->source + ": " + e.message;
    return std::unexpected(std::move(e));
  }
  return opened;
}

Result<std::unique_ptr<engine::Storage>> open_for_test(std::string_view cluster, EvictionPolicy policy,
                                                       std::uint64_t seed) {
  const BackendContext context{.cluster = cluster, .eviction_policy = policy, .seed = seed};
  // CACHET_TEST_URL runs test scopes on another backend (a real server): each cluster gets a
  // key prefix of its own there, emptied when the scope opens it.
  if (const char* test_url = std::getenv("CACHET_TEST_URL"); test_url != nullptr && *test_url != '\0') {
    auto url = engine::parse_url(test_url);
    if (!url) return std::unexpected(std::move(url.error()));
    if (url->scheme != "memory") {
      const std::string own = std::string(cluster) + ":";
      auto prefix = std::find_if(url->options.begin(), url->options.end(),
                                 [](const auto& option) { return option.first == "key_prefix"; });
      if (prefix == url->options.end()) url->options.emplace_back("key_prefix", own);
      else prefix->second += own;
      auto storage = open(*url, context);
      if (!storage) return storage;
      if (auto cleared = (*storage)->clear(); !cleared) return std::unexpected(std::move(cleared.error()));
      return storage;
    }
  }
  memory::MemoryConfig config{.policy = policy, .cluster = std::string(cluster), .seed = seed};
  if (const auto configured = engine::cluster_url(cluster)) {
    if (auto url = engine::parse_url(configured->url); url && url->scheme == "memory") {
      if (auto options = memory::parse_url(*url)) config.limits = *options;
    }
  }
  return std::make_unique<memory::MemoryStorage>(std::move(config));
}

}  // namespace cachet::backends

namespace cachet {

void register_backend(std::string_view scheme, engine::BackendFactory factory) {
  if (!backends::valid_scheme(scheme)) {
    throw ConfigError("cachet: register_backend(\"" + std::string(scheme) +
                      "\"): a scheme is a lowercase letter followed by letters, digits, '+', '-' or '.'");
  }
  if (!factory) throw ConfigError("cachet: register_backend(\"" + std::string(scheme) + "\"): the factory is empty");
  auto& t = backends::table();
  std::lock_guard lock(t.mutex);
  if (!t.backends.emplace(std::string(scheme), backends::Backend{std::move(factory), nullptr}).second) {
    throw ConfigError("cachet: register_backend(\"" + std::string(scheme) + "\"): the scheme already has a backend");
  }
}

}  // namespace cachet
