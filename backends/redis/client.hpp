// The one place the Redis backend's operations go through to reach the server: commands on
// keys under the key prefix, each operation in one round trip on a pooled connection, a write
// and its expiry as one script, and the count of round trips.
//
// The operations of each data type build Commands and ask the client to run them, so that
// routing (a cluster's slots) can change behind it without them.
#pragma once

#include "cluster.hpp"
#include "command.hpp"
#include "connection_pool.hpp"
#include "engine/error.hpp"
#include "engine/expiry_action.hpp"
#include "redis_url.hpp"
#include "reply.hpp"
#include "write_script.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::redis {

// The refusal of an argument past Redis's bulk limit, as the memory backend refuses it.
std::unexpected<Error> too_large();

// The two keys of a move, once when they are one key (the expiry applies once).
std::span<const std::string_view> distinct(std::span<const std::string_view, 2> keys);

class RedisClient {
 public:
  // Connects lazily: nothing is dialled before the first round trip.
  explicit RedisClient(const RedisOptions& options);

  const RedisOptions& options() const { return options_; }
  // Whether the server is a Redis Cluster (redis-cluster://): commands are routed by slot.
  bool cluster() const { return cluster_ != nullptr; }
  // Prepended to every key (Command::key), stripped where keys come back.
  std::string_view prefix() const { return prefix_; }

  // A command on one key, under the key prefix.
  Command on(std::string_view name, std::string_view key) const;
  // A command on many keys (DEL, MGET, SDIFF, ...).
  Command on_keys(std::string_view name, std::span<const std::string> keys) const;
  // `name key values...`, cut into commands of at most script_chunk values (see the script).
  std::vector<Command> variadic(std::string_view name, std::string_view key, std::span<const std::string> values) const;

  // The commands in one round trip, one reply each; refuses an argument Redis would not take.
  // On a cluster they go to the master of their keys' slot (following MOVED, ASK, TRYAGAIN
  // and CLUSTERDOWN within the call's deadline); keys in different slots are refused with
  // Errc::cross_slot.
  Result<std::vector<ReplyPtr>> round_trip(std::span<const Command> commands);
  // Several batches, each on keys of one slot: one round trip on a single server, one per
  // node on a cluster. One reply list per batch.
  Result<std::vector<std::vector<ReplyPtr>>> round_trips(std::span<const std::vector<Command>> batches);
  // The positions of `keys` grouped by slot, in order of first appearance: one group holding
  // them all on a single server.
  std::vector<std::vector<std::size_t>> by_slot(std::span<const std::string> keys) const;
  // The same for `count` keys given by position, so a caller need not copy them into a list
  // (multi_set's pairs).
  std::vector<std::vector<std::size_t>> by_slot(std::size_t count,
                                                const std::function<std::string_view(std::size_t)>& key_at) const;
  // One `name` command per group of by_slot(keys) over that group's keys (DEL, MGET), sent
  // as round_trips does: one reply per group.
  Result<std::vector<ReplyPtr>> per_slot(std::string_view name, std::span<const std::string> keys,
                                         const std::vector<std::vector<std::size_t>>& groups);
  // Each key's whole value, read by `command(key)` (SMEMBERS, ZRANGE ... WITHSCORES): the keys
  // of a group of by_slot(keys) in one batch, sent as round_trips does. One decoded value per
  // key, in the caller's order (so a key of another type is WRONGTYPE as on one server).
  template <class T>
  Result<std::vector<T>> read_each(std::span<const std::string> keys, const std::vector<std::vector<std::size_t>>& groups,
                                   const std::function<Command(std::string_view)>& command,
                                   Result<T> (*decode)(const redisReply&)) {
    std::vector<std::vector<Command>> batches(groups.size());
    for (std::size_t g = 0; g < groups.size(); ++g) {
      for (std::size_t i : groups[g]) batches[g].push_back(command(keys[i]));
    }
    auto replies = round_trips(batches);
    if (!replies) return std::unexpected(std::move(replies.error()));
    std::vector<T> values(keys.size());
    for (std::size_t g = 0; g < groups.size(); ++g) {
      for (std::size_t j = 0; j < groups[g].size(); ++j) {
        auto value = decode(*(*replies)[g][j]);
        if (!value) return std::unexpected(std::move(value.error()));
        values[groups[g][j]] = std::move(*value);
      }
    }
    return values;
  }
  // A store of the algebra of `sources` into `destination` (SUNIONSTORE, ZDIFFSTORE, ... as
  // `name`) by EVAL of a store script (write_script.hpp's store_script, or a data type's own):
  // KEYS the destination, then the sources, those equal to the destination first (after the
  // first source when `first_stays`: a diff's); ARGV `name` and the expiry. Answers the
  // destination's size; no sources make an empty result, which removes the destination.
  Result<std::int64_t> store(std::string_view script, std::string_view name, std::string_view destination,
                             std::span<const std::string> sources, bool first_stays, engine::ExpiryAction expiry);

  // The nodes a whole-keyspace operation visits (clear()): a cluster's masters, or the server.
  Result<std::size_t> node_count();
  // One round trip on node `index` of those, whatever the commands' keys.
  Result<std::vector<ReplyPtr>> on_node(std::size_t index, std::span<const Command> commands);
  // One command in one round trip.
  Result<ReplyPtr> call(const Command& command);
  // One command in one round trip, its reply read by `decode` (integer, bulk, ...).
  template <class T>
  Result<T> read(const Command& command, Result<T> (*decode)(const redisReply&)) {
    auto reply = call(command);
    if (!reply) return std::unexpected(std::move(reply.error()));
    return decode(**reply);
  }

  // A write and its expiry in one round trip: the commands alone when the expiry keeps TTLs
  // and there is one command, else the write script, which applies the expiry to `keys`
  // once the write counts as done. Answers one reply per command.
  Result<Replies> write(std::span<const Command> commands, std::span<const std::string_view> keys, Written written,
                        engine::ExpiryAction expiry);
  Result<Replies> write(const Command& command, std::string_view key, Written written, engine::ExpiryAction expiry);

  // Round trips made so far (a write that finds the script cache flushed makes two).
  std::uint64_t round_trips() const { return round_trips_.load(std::memory_order_relaxed); }
  // The pools' figures (metrics), summed over a cluster's nodes.
  std::uint64_t connections() const { return cluster_ ? cluster_->connections() : pool_->connections(); }
  std::uint64_t reconnects() const { return cluster_ ? cluster_->reconnects() : pool_->reconnects(); }

 private:
  // One round trip on a leased connection; counts it. With `asking`, each command goes after
  // an ASKING (a slot being imported by that node), whose replies are left out.
  Result<std::vector<ReplyPtr>> exchange(ConnectionPool::Lease& lease, std::span<const Command> commands,
                                         bool asking = false);
  // Runs `attempt(lease, asking)` on the connection the commands' keys route to: the pool on
  // a single server; on a cluster, the slot's master, again after a redirect or a node that
  // could not be reached, until one answers or the call's deadline passes.
  template <class Attempt>
  Result<std::vector<ReplyPtr>> routed(std::span<const Command> commands, Attempt&& attempt);
  // The slot of the commands' keys (-1: no key); cross_slot when they span slots.
  Result<int> slot_of(std::span<const Command> commands) const;

  const RedisOptions options_;
  const std::string prefix_;
  std::unique_ptr<ConnectionPool> pool_;     // a single server
  std::unique_ptr<ClusterRouter> cluster_;   // a cluster
  std::atomic<std::uint64_t> round_trips_{0};
};

}  // namespace cachet::redis
