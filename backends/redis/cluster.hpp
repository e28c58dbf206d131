// A Redis Cluster's slot map and a connection pool per master, for the client's routing.
//
// The map is learnt with CLUSTER SLOTS from any node known (the masters of the map, then the
// seeds the URL names), on first need and again after a node could not be reached; a MOVED
// answer moves one slot without asking anyone. A node that no longer owns a slot after a
// refresh is dropped: its pool closes once the calls using it end. Every pool has the URL's
// pool_size, so the bound holds per node.
#pragma once

#include "connection_pool.hpp"
#include "redis_url.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::redis {

using NodePool = std::shared_ptr<ConnectionPool>;

class ClusterRouter {
 public:
  ClusterRouter(const RedisOptions& options, std::string script);

  // The pool of the master that owns `slot` (any master for a negative slot), learning the map
  // first when it is unknown or stale; Errc::unavailable when no node answers or none owns it.
  Result<NodePool> node_for(int slot, Deadline deadline);
  // The pool of the node at host:port, made if it is new (the target of MOVED and ASK).
  NodePool node_at(std::string_view host, int port);
  // MOVED: `slot` now belongs to host:port.
  void moved(int slot, std::string_view host, int port);
  // Learns the map again, unless another call did since it was at `seen` (generation()).
  // Answers not_configured when a node is not in cluster mode.
  Result<void> refresh(std::uint64_t seen, Deadline deadline);
  // Asks for a refresh on next use (a round trip to a node failed).
  void invalidate() { stale_.store(true, std::memory_order_relaxed); }
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // The masters' pools (clear(), PING), after learning the map if needed.
  Result<std::vector<NodePool>> masters(Deadline deadline);

  std::uint64_t connections() const;
  std::uint64_t reconnects() const;

 private:
  NodePool make_pool(const std::string& host, int port) const;

  const RedisOptions options_;
  const std::string script_;

  mutable std::shared_mutex mutex_;
  std::vector<NodePool> slots_;                      // 16384 entries; null: no owner known
  std::map<std::string, NodePool, std::less<>> nodes_;  // by "host:port"
  std::atomic<std::uint64_t> dropped_reconnects_{0};  // of pools dropped with their node

  // One refresh at a time; the others wait (within their deadline) and use its map.
  std::mutex refresh_mutex_;
  std::condition_variable refreshed_;
  bool refreshing_ = false;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<bool> stale_{true};
};

}  // namespace cachet::redis
