// Clusters: named groups of keyspaces that share one storage backend, chosen lazily (on
// first use) from the environment, so clusters and keyspaces can be globals.
#pragma once

#include "engine/require_cxx23.hpp"

#include "engine/error.hpp"
#include "engine/eviction_policy.hpp"
#include "engine/storage.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace cachet {

namespace detail {
// Reached while a cluster name is checked at compile time: a compile error showing the rule.
void cluster_name_error(const char* message);
struct ClusterStats;
std::vector<ClusterStats> cluster_stats();
}  // namespace detail

// A cluster's name: kebab-case, ^[a-z]([-a-z0-9]*[a-z0-9])?$, checked at compile time.
class ClusterName {
 public:
  consteval ClusterName(const char* name) : name_(name) {
    if (name_.empty()) detail::cluster_name_error("cluster name must not be empty");
    if (name_.front() < 'a' || name_.front() > 'z') detail::cluster_name_error("cluster name must start with a lowercase letter");
    if (name_.back() == '-') detail::cluster_name_error("cluster name must not end with '-'");
    for (char c : name_) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) detail::cluster_name_error("cluster name must be kebab-case: lowercase letters, digits and '-'");
    }
  }
  constexpr std::string_view view() const { return name_; }

 private:
  std::string_view name_;
};

struct ClusterConfig {
  EvictionPolicy eviction_policy = EvictionPolicy::AllKeysLRU;
};

class Cluster {
 public:
  // Throws cachet::ConfigError if another live cluster has the same name.
  Cluster(ClusterName name, ClusterConfig config = {});
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  std::string_view name() const;
  const ClusterConfig& config() const;

  // The storage behind the cluster now: the active test scope's, else the backend the
  // environment names (opened on first use); or the problem that leaves the cluster without
  // one (CACHET_ENV, its URL). Keyspaces call it on every operation.
  [[nodiscard]] Result<engine::Storage*> current_storage();
  // The same for tests and tools, which want the storage itself: throws cachet::ConfigError
  // with the problem when there is none.
  engine::Storage& storage();

  // For keyspaces, the fast way to current_storage(): the storage when it is the environment's
  // and already open, else null (a test scope is active, or the first use has yet to open it;
  // then current_storage() says which). No Result to build: every keyspace call asks.
  engine::Storage* ready_storage() const noexcept;

  // For keyspaces: registers a key pattern (throws ConfigError naming both patterns on a
  // conflict) and releases it.
  std::uint64_t add_pattern(std::string_view pattern);
  void release_pattern(std::uint64_t handle);

  struct State;

 private:
  friend void configure(std::string_view cluster, std::string_view url);
  friend std::vector<Error> verify();
  friend std::vector<detail::ClusterStats> detail::cluster_stats();
  State* state_;  // owned (a raw pointer: this header stays free of <memory>)
};

// Sets the URL of a cluster (by name) when no CACHET_CLUSTER_<NAME>_URL or CACHET_URL does.
// Call it before first use; a later call takes effect on the cluster's next operation.
// Throws ConfigError for a malformed URL (its message never shows the password).
void configure(std::string_view cluster, std::string_view url);

// Opens every declared cluster's backend and checks that it answers; returns the problems
// (empty when all is well), each naming the cluster and what to set.
std::vector<Error> verify();

}  // namespace cachet
