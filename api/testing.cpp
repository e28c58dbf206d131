#include "cachet/testing.hpp"

#include "backends/backends.hpp"
#include "engine/clock.hpp"
#include "engine/url.hpp"
#include "scope_state.hpp"

#include <atomic>
#include <cstdlib>
#include <stdexcept>

namespace cachet {
namespace detail {
namespace {

std::atomic<ScopeState*> innermost{nullptr};
std::mutex scopes_mutex;  // orders entering and leaving scopes

}  // namespace

Result<engine::Storage*> ScopeState::storage_for(Cluster& cluster) {
  std::lock_guard lock(mutex);
  auto it = storages.find(&cluster);
  if (it == storages.end()) {
    it = storages.emplace(&cluster, backends::open_for_test(cluster.name(), cluster.config().eviction_policy, seed))
             .first;
  }
  if (!it->second) return std::unexpected(it->second.error());
  return it->second->get();
}

std::optional<engine::StorageStats> ScopeState::stats_of(const Cluster& cluster) {
  std::lock_guard lock(mutex);
  auto it = storages.find(&cluster);
  if (it == storages.end() || !it->second) return std::nullopt;
  return (*it->second)->stats();
}

ScopeState* active_scope() noexcept { return innermost.load(std::memory_order_acquire); }

void enter_scope(ScopeState* scope) {
  std::lock_guard lock(scopes_mutex);
  scope->outer = innermost.load(std::memory_order_relaxed);
  innermost.store(scope, std::memory_order_release);
}

void leave_scope(ScopeState* scope) {
  std::lock_guard lock(scopes_mutex);
  // Scopes end innermost first; one that ends out of order is unlinked where it stands.
  ScopeState* s = innermost.load(std::memory_order_relaxed);
  if (s == scope) {
    innermost.store(scope->outer, std::memory_order_release);
    return;
  }
  for (; s != nullptr; s = s->outer) {
    if (s->outer == scope) {
      s->outer = scope->outer;
      return;
    }
  }
}

void forget_cluster(const Cluster* cluster) {
  std::lock_guard lock(scopes_mutex);
  for (ScopeState* s = innermost.load(std::memory_order_relaxed); s != nullptr; s = s->outer) {
    std::lock_guard scope_lock(s->mutex);
    s->storages.erase(cluster);
  }
}

void advance_clock(std::chrono::nanoseconds by) {
  if (active_scope() != nullptr) {
    const char* test_url = std::getenv("CACHET_TEST_URL");
    if (test_url != nullptr && *test_url != '\0') {
      const auto url = engine::parse_url(test_url);
      if (!url || url->scheme != "memory") {
        throw std::logic_error(
            "cachet::testing::advance_time: this test scope runs on a real server (CACHET_TEST_URL), whose "
            "clock cannot be moved; wait for the time to pass instead, or run the test on the memory engine");
      }
    }
  }
  if (!engine::clock::advance(by)) {
    throw std::out_of_range("cachet::testing::advance_time: the clock would be more than a hundred years ahead");
  }
}

}  // namespace detail

namespace testing {

Scope::Scope(std::uint64_t seed) : state_(std::make_unique<detail::ScopeState>()) {
  state_->seed = seed;
  detail::enter_scope(state_.get());
}

Scope::~Scope() { detail::leave_scope(state_.get()); }

}  // namespace testing
}  // namespace cachet
