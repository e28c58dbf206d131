// The Redis backend: every Storage primitive as one round trip to a Redis server, giving the
// memory backend's answers (values, Errc codes, misses) and leaving the same TTLs. How a
// write and its expiry stay atomic: write_script.hpp.
#pragma once

#include "client.hpp"
#include "engine/storage.hpp"
#include "hashes.hpp"
#include "keys.hpp"
#include "lists.hpp"
#include "redis_url.hpp"
#include "sets.hpp"
#include "sorted_sets.hpp"
#include "strings.hpp"

#include <cstdint>

namespace cachet::redis {

// The client and one part per data type, each on that client.
class RedisStorage final : public engine::Storage {
 public:
  // Connects lazily: nothing is dialled before the first operation.
  explicit RedisStorage(const RedisOptions& options);

  Result<void> ping() override;
  Result<void> clear() override;
  // Its connections now and its reconnects so far.
  engine::StorageStats stats() const override {
    return {.connections = client_.connections(), .reconnects = client_.reconnects()};
  }

  // Round trips made so far. Every operation makes exactly one, except clear() (one per SCAN
  // page) and a write that finds the server's script cache flushed (two). On a cluster, one
  // per node a multi-key operation reaches and one per redirect followed.
  std::uint64_t round_trips() const { return client_.round_trips(); }

 private:
  // One node's part of clear(): FLUSHDB, or the prefix's keys page by page.
  Result<void> clear_node(std::size_t node);
  void add_unlink(std::vector<Command>& batch, const std::vector<std::string>& keys) const;

  RedisClient client_;
  RedisKeys keys_{client_};
  RedisStrings strings_{client_};
  RedisLists lists_{client_};
  RedisSets sets_{client_};
  RedisHashes hashes_{client_};
  RedisSortedSets sorted_sets_{client_};
};

}  // namespace cachet::redis
