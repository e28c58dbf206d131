// The slot map: CLUSTER SLOTS read into an owner per slot, and the pools of the nodes it names.
#include "cluster.hpp"

#include "engine/hash_slot.hpp"

#include <set>

namespace cachet::redis {
namespace {

std::string address(std::string_view host, int port) { return std::string(host) + ":" + std::to_string(port); }

struct Range {
  int first, last;
  std::string host;
  int port;
};

// CLUSTER SLOTS: [[first, last, [host, port, id, ...], replicas...], ...]. An empty host means
// the node asked (`asked`).
Result<std::vector<Range>> parse_slots(const redisReply& reply, const std::string& asked) {
  if (reply.type == REDIS_REPLY_ERROR) return std::unexpected(reply_error(reply));
  if (reply.type != REDIS_REPLY_ARRAY) return fail(Errc::protocol, "CLUSTER SLOTS answered something other than a list");
  std::vector<Range> ranges;
  for (std::size_t i = 0; i < reply.elements; ++i) {
    const redisReply& r = *reply.element[i];
    if (r.type != REDIS_REPLY_ARRAY || r.elements < 3 || r.element[0]->type != REDIS_REPLY_INTEGER ||
        r.element[1]->type != REDIS_REPLY_INTEGER || r.element[2]->type != REDIS_REPLY_ARRAY ||
        r.element[2]->elements < 2 || r.element[2]->element[0]->type != REDIS_REPLY_STRING ||
        r.element[2]->element[1]->type != REDIS_REPLY_INTEGER) {
      return fail(Errc::protocol, "CLUSTER SLOTS answered a malformed slot range");
    }
    const long long first = r.element[0]->integer, last = r.element[1]->integer;
    if (first < 0 || last < first || last >= hash_slot_count) {
      return fail(Errc::protocol, "CLUSTER SLOTS answered a slot range out of bounds");
    }
    std::string host(r.element[2]->element[0]->str, r.element[2]->element[0]->len);
    if (host.empty() || host == "?") host = asked;
    ranges.push_back({int(first), int(last), std::move(host), int(r.element[2]->element[1]->integer)});
  }
  return ranges;
}

}  // namespace

ClusterRouter::ClusterRouter(const RedisOptions& options, std::string script)
    : options_(options), script_(std::move(script)), slots_(hash_slot_count) {}

NodePool ClusterRouter::make_pool(const std::string& host, int port) const {
  RedisOptions node = options_;
  node.host = host;
  node.port = port;
  node.seeds.clear();
  return std::make_shared<ConnectionPool>(std::move(node), script_);
}

NodePool ClusterRouter::node_at(std::string_view host, int port) {
  const std::string key = address(host, port);
  {
    std::shared_lock lock(mutex_);
    if (auto it = nodes_.find(key); it != nodes_.end()) return it->second;
  }
  std::unique_lock lock(mutex_);
  auto& pool = nodes_[key];
  if (!pool) pool = make_pool(std::string(host), port);
  return pool;
}

void ClusterRouter::moved(int slot, std::string_view host, int port) {
  if (slot < 0 || slot >= hash_slot_count) return;
  NodePool pool = node_at(host, port);
  std::unique_lock lock(mutex_);
  slots_[std::size_t(slot)] = std::move(pool);
}

Result<void> ClusterRouter::refresh(std::uint64_t seen, Deadline deadline) {
  {
    std::unique_lock lock(refresh_mutex_);
    if (!refreshed_.wait_until(lock, deadline, [&] { return !refreshing_; })) {
      return fail(Errc::timeout, "the Redis Cluster's slot map was still being learnt when command_timeout (" +
                                     std::to_string(options_.command_timeout.count()) + "ms) passed");
    }
    if (generation() != seen) return {};  // another call learnt the map meanwhile
    refreshing_ = true;
  }
  struct Done {
    ClusterRouter& router;
    ~Done() {
      {
        std::lock_guard lock(router.refresh_mutex_);
        router.refreshing_ = false;
      }
      router.refreshed_.notify_all();
    }
  } done{*this};

  // Whom to ask: the masters known, then the seeds.
  std::vector<std::pair<std::string, int>> candidates;
  {
    std::shared_lock lock(mutex_);
    std::set<const ConnectionPool*> asked;
    for (const auto& pool : slots_) {
      if (pool && asked.insert(pool.get()).second) candidates.emplace_back(pool->options().host, pool->options().port);
    }
  }
  for (const auto& seed : options_.seeds) candidates.push_back(seed);

  // What is answered when the deadline passes before any node is asked: a timeout, so that a
  // call retrying after a refusal answers that refusal (RedisClient::routed), not this.
  Error last{Errc::timeout, {}, {},
             "command_timeout (" + std::to_string(options_.command_timeout.count()) +
                 "ms) passed before a node of the Redis Cluster could be asked for its slot map"};
  for (const auto& [host, port] : candidates) {
    if (Clock::now() >= deadline) break;
    NodePool pool = node_at(host, port);
    auto lease = pool->acquire(deadline);
    if (!lease) {
      last = std::move(lease.error());
      continue;
    }
    const Command slots_command = std::move(Command("CLUSTER").arg("SLOTS"));
    auto replies = lease->round_trip({&slots_command, 1});
    if (!replies) {
      last = std::move(replies.error());
      continue;
    }
    const redisReply& reply = *replies->front();
    if (reply.type == REDIS_REPLY_ERROR && std::string_view(reply.str, reply.len).find("cluster support disabled") !=
                                               std::string_view::npos) {
      return fail(Errc::not_configured, "redis at " + address(host, port) +
                                            " is not part of a Redis Cluster (cluster support disabled): use redis://");
    }
    auto ranges = parse_slots(reply, host);
    if (!ranges) {
      last = std::move(ranges.error());
      continue;
    }

    // The new map: pools kept for the nodes still in it, made for new ones; the rest dropped.
    std::map<std::string, NodePool, std::less<>> nodes;
    std::vector<NodePool> slots(hash_slot_count);
    {
      std::unique_lock lock(mutex_);
      for (const auto& range : *ranges) {
        const std::string key = address(range.host, range.port);
        auto& pool_of = nodes[key];
        if (!pool_of) {
          auto it = nodes_.find(key);
          pool_of = it != nodes_.end() ? it->second : make_pool(range.host, range.port);
        }
        for (int s = range.first; s <= range.last; ++s) slots[std::size_t(s)] = pool_of;
      }
      for (const auto& [key, old] : nodes_) {
        if (!nodes.contains(key)) dropped_reconnects_.fetch_add(old->reconnects(), std::memory_order_relaxed);
      }
      slots_.swap(slots);
      nodes_.swap(nodes);
      stale_.store(false, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
    }
    return {};  // the lease and the dropped pools go outside the lock
  }
  return std::unexpected(std::move(last));
}

Result<NodePool> ClusterRouter::node_for(int slot, Deadline deadline) {
  if (stale_.load(std::memory_order_relaxed)) {
    auto learnt = refresh(generation(), deadline);
    if (!learnt && learnt.error().code == Errc::not_configured) return std::unexpected(std::move(learnt.error()));
    if (!learnt && generation() == 0) return std::unexpected(std::move(learnt.error()));
  }
  std::shared_lock lock(mutex_);
  if (slot >= 0) {
    if (const auto& pool = slots_[std::size_t(slot)]) return pool;
  } else {
    for (const auto& pool : slots_) {
      if (pool) return pool;
    }
  }
  return fail(Errc::unavailable, "no master of the Redis Cluster serves slot " + std::to_string(std::max(slot, 0)) +
                                     " (the cluster is down or being changed)");
}

Result<std::vector<NodePool>> ClusterRouter::masters(Deadline deadline) {
  if (auto any = node_for(-1, deadline); !any) return std::unexpected(std::move(any.error()));
  std::vector<NodePool> out;
  std::shared_lock lock(mutex_);
  std::set<const ConnectionPool*> seen;
  for (const auto& pool : slots_) {
    if (pool && seen.insert(pool.get()).second) out.push_back(pool);
  }
  return out;
}

std::uint64_t ClusterRouter::connections() const {
  std::shared_lock lock(mutex_);
  std::uint64_t n = 0;
  for (const auto& [key, pool] : nodes_) n += pool->connections();
  return n;
}

std::uint64_t ClusterRouter::reconnects() const {
  std::shared_lock lock(mutex_);
  std::uint64_t n = dropped_reconnects_.load(std::memory_order_relaxed);
  for (const auto& [key, pool] : nodes_) n += pool->reconnects();
  return n;
}

}  // namespace cachet::redis
