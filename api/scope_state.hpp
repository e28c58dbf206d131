// What a testing::Scope holds while it is active: one fresh storage per cluster that asks.
// Shared by the cluster (which looks for an active scope on every call) and testing.cpp.
#pragma once

#include "cachet/cluster.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace cachet::detail {

struct ScopeState {
  std::uint64_t seed = 0;
  std::mutex mutex;
  // A cluster's storage in the scope, or the problem opening it (CACHET_TEST_URL).
  std::map<const Cluster*, Result<std::unique_ptr<engine::Storage>>> storages;
  ScopeState* outer = nullptr;

  Result<engine::Storage*> storage_for(Cluster& cluster);
  // The figures of the cluster's storage in this scope, if the scope opened one.
  std::optional<engine::StorageStats> stats_of(const Cluster& cluster);
};

// The innermost active scope, or nullptr.
ScopeState* active_scope() noexcept;
void enter_scope(ScopeState* scope);
void leave_scope(ScopeState* scope);
// Drops what the active scopes hold for a cluster that is being destroyed.
void forget_cluster(const Cluster* cluster);

}  // namespace cachet::detail
