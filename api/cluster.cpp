#include "cachet/cluster.hpp"

#include "backends/backends.hpp"
#include "cluster_stats.hpp"
#include "engine/environment.hpp"
#include "engine/pattern_registry.hpp"
#include "scope_state.hpp"

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace cachet {

struct Cluster::State {
  std::string name;
  ClusterConfig config;
  engine::PatternRegistry patterns;
  std::mutex mutex;
  std::atomic<engine::Storage*> resolved{nullptr};
  std::atomic<const Error*> failed{nullptr};  // why the environment gives no storage
  // Every storage opened (and every problem met) for the cluster, kept while it lives: after
  // configure() replaces one, calls already under way on other threads may still use it.
  std::vector<std::unique_ptr<engine::Storage>> opened;
  std::vector<std::unique_ptr<Error>> failures;

  Result<engine::Storage*> environment_storage() {
    if (auto* s = resolved.load(std::memory_order_acquire)) return s;
    if (const Error* e = failed.load(std::memory_order_acquire)) return std::unexpected(*e);
    std::lock_guard lock(mutex);
    if (auto* s = resolved.load(std::memory_order_acquire)) return s;
    if (const Error* e = failed.load(std::memory_order_acquire)) return std::unexpected(*e);
    auto storage = backends::open_for_cluster(name, config.eviction_policy);
    if (!storage) {
      failures.push_back(std::make_unique<Error>(std::move(storage.error())));
      failed.store(failures.back().get(), std::memory_order_release);
      return std::unexpected(*failures.back());
    }
    opened.push_back(std::move(*storage));
    resolved.store(opened.back().get(), std::memory_order_release);
    return opened.back().get();
  }
  // Counters summed over every storage opened; gauges from the one in use now.
  std::optional<engine::StorageStats> environment_stats() {
    std::lock_guard lock(mutex);
    if (opened.empty()) return std::nullopt;
    engine::StorageStats out;
    const engine::Storage* current = resolved.load(std::memory_order_acquire);
    auto add = [](std::optional<std::uint64_t>& total, const std::optional<std::uint64_t>& figure) {
      if (figure) total = total.value_or(0) + *figure;
    };
    for (const auto& storage : opened) {
      const engine::StorageStats s = storage->stats();
      add(out.evictions, s.evictions);
      add(out.expirations, s.expirations);
      add(out.dev_purges, s.dev_purges);
      add(out.reconnects, s.reconnects);
      if (storage.get() == current) {
        out.keys = s.keys;
        out.memory_bytes = s.memory_bytes;
        out.connections = s.connections;
      }
    }
    return out;
  }
  void forget_storage() {
    std::lock_guard lock(mutex);
    resolved.store(nullptr, std::memory_order_release);
    failed.store(nullptr, std::memory_order_release);
  }
};

namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, Cluster*, std::less<>> clusters;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

Cluster::Cluster(ClusterName name, ClusterConfig config) : state_(new State()) {
  state_->name = std::string(name.view());
  state_->config = config;
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  if (!r.clusters.emplace(state_->name, this).second) {
    const std::string taken = state_->name;
    delete state_;
    throw ConfigError("cachet: cluster \"" + taken + "\" is declared twice; cluster names must be unique");
  }
}

Cluster::~Cluster() {
  detail::forget_cluster(this);
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  if (auto it = r.clusters.find(state_->name); it != r.clusters.end() && it->second == this) r.clusters.erase(it);
  delete state_;
}

std::string_view Cluster::name() const { return state_->name; }
const ClusterConfig& Cluster::config() const { return state_->config; }

Result<engine::Storage*> Cluster::current_storage() {
  if (auto* scope = detail::active_scope()) return scope->storage_for(*this);
  return state_->environment_storage();
}

engine::Storage* Cluster::ready_storage() const noexcept {
  if (detail::active_scope() != nullptr) return nullptr;
  return state_->resolved.load(std::memory_order_acquire);
}

engine::Storage& Cluster::storage() {
  auto storage = current_storage();
  if (!storage) throw ConfigError(storage.error().what());
  return **storage;
}

std::uint64_t Cluster::add_pattern(std::string_view pattern) { return state_->patterns.add(pattern); }
void Cluster::release_pattern(std::uint64_t handle) { state_->patterns.release(handle); }

void configure(std::string_view cluster, std::string_view url) {
  if (auto ok = backends::check_url(url); !ok) {
    throw ConfigError("cachet: configure(\"" + std::string(cluster) + "\"): " + ok.error().message);
  }
  engine::set_configured_url(cluster, std::string(url));
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  if (auto it = r.clusters.find(cluster); it != r.clusters.end()) it->second->state_->forget_storage();
}

namespace detail {

std::vector<ClusterStats> cluster_stats() {
  std::vector<ClusterStats> out;
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  ScopeState* scope = active_scope();
  for (auto& [name, cluster] : r.clusters) {
    std::optional<engine::StorageStats> stats =
        scope != nullptr ? scope->stats_of(*cluster) : cluster->state_->environment_stats();
    if (stats) out.push_back({name, std::move(*stats)});
  }
  return out;
}

}  // namespace detail

std::vector<Error> verify() {
  std::vector<Error> problems;
  // Development is the default so that a first run needs no set-up; a production process
  // deployed without CACHET_ENV would quietly run on the small per-process cache, so the
  // start-up check says so. Setting CACHET_ENV=development, or any environment, silences it.
  if (!engine::environment_is_set()) {
    const auto bound = engine::dev_max_keys();
    const std::string cache = bound ? std::to_string(*bound) + "-key development cache" : "development cache";
    problems.push_back(Error{Errc::not_configured, "verify", "",
                             "CACHET_ENV is not set: clusters use the " + cache +
                                 " (or a URL given for them); set CACHET_ENV=production and each cluster's URL "
                                 "in production, or CACHET_ENV=development to use it on purpose"});
  }
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  for (auto& [name, cluster] : r.clusters) {
    auto storage = cluster->state_->environment_storage();
    auto ok = storage ? (*storage)->ping() : Result<void>(std::unexpected(storage.error()));
    if (!ok) {
      Error e = ok.error();
      e.op = "verify";
      e.key = name;
      problems.push_back(std::move(e));
    }
  }
  return problems;
}

}  // namespace cachet
