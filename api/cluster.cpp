#include "cachet/cluster.hpp"

#include "backends/backends.hpp"
#include "engine/environment.hpp"
#include "engine/pattern_registry.hpp"
#include "engine/url.hpp"
#include "scope_state.hpp"

#include <atomic>
#include <map>
#include <mutex>
#include <string>

namespace cachet {

struct Cluster::State {
  std::string name;
  ClusterConfig config;
  engine::PatternRegistry patterns;
  std::mutex mutex;
  std::atomic<engine::Storage*> resolved{nullptr};
  // Every storage opened for the cluster, kept while it lives: after configure() replaces
  // one, calls already under way on other threads may still be using it.
  std::vector<std::unique_ptr<engine::Storage>> opened;

  engine::Storage& environment_storage() {
    if (auto* s = resolved.load(std::memory_order_acquire)) return *s;
    std::lock_guard lock(mutex);
    if (auto* s = resolved.load(std::memory_order_acquire)) return *s;
    opened.push_back(backends::open_for_cluster(name, config.eviction_policy));
    resolved.store(opened.back().get(), std::memory_order_release);
    return *opened.back();
  }
  void forget_storage() {
    std::lock_guard lock(mutex);
    resolved.store(nullptr, std::memory_order_release);
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

Cluster::Cluster(ClusterName name, ClusterConfig config) : state_(std::make_unique<State>()) {
  state_->name = std::string(name.view());
  state_->config = config;
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  if (!r.clusters.emplace(state_->name, this).second) {
    throw ConfigError("cachet: cluster \"" + state_->name + "\" is declared twice; cluster names must be unique");
  }
}

Cluster::~Cluster() {
  detail::forget_cluster(this);
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  if (auto it = r.clusters.find(state_->name); it != r.clusters.end() && it->second == this) r.clusters.erase(it);
}

std::string_view Cluster::name() const { return state_->name; }
const ClusterConfig& Cluster::config() const { return state_->config; }

engine::Storage& Cluster::storage() {
  if (auto* scope = detail::active_scope()) return scope->storage_for(*this);
  return state_->environment_storage();
}

std::uint64_t Cluster::add_pattern(std::string_view pattern) { return state_->patterns.add(pattern); }
void Cluster::release_pattern(std::uint64_t handle) { state_->patterns.release(handle); }

void configure(std::string_view cluster, std::string_view url) {
  if (auto parsed = engine::parse_backend_url(url); !parsed) {
    throw ConfigError("cachet: configure(\"" + std::string(cluster) + "\"): " + parsed.error().message);
  }
  engine::set_configured_url(cluster, std::string(url));
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  if (auto it = r.clusters.find(cluster); it != r.clusters.end()) it->second->state_->forget_storage();
}

std::vector<Error> verify() {
  std::vector<Error> problems;
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  for (auto& [name, cluster] : r.clusters) {
    if (auto ok = cluster->state_->environment_storage().ping(); !ok) {
      Error e = ok.error();
      e.op = "verify";
      e.key = name;
      problems.push_back(std::move(e));
    }
  }
  return problems;
}

}  // namespace cachet
