// The in-process engine: a sharded table of entries with per-key TTLs, a key and memory
// bound, Redis's eight eviction policies and the development-mode purge.
//
// MemoryStorage is the composition: it owns the store every data type shares (ShardedTable,
// sharded_table.hpp) and one part per data type (memory_keys, memory_strings, memory_lists,
// memory_sets, memory_hashes), which it hands to Storage. Expired keys are reclaimed on access and by a
// bounded sweep (expiry.hpp); eviction runs after a write, outside every shard lock
// (evictor.hpp, eviction_policies.hpp).
#pragma once

#include "engine/storage.hpp"
#include "memory_config.hpp"
#include "memory_hashes.hpp"
#include "memory_keys.hpp"
#include "memory_lists.hpp"
#include "memory_sets.hpp"
#include "memory_sorted_sets.hpp"
#include "memory_strings.hpp"
#include "memory_url.hpp"
#include "random.hpp"
#include "sharded_table.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>

namespace cachet::memory {

class MemoryStorage final : public engine::Storage {
 public:
  static constexpr std::size_t shard_count = ShardedTable::shard_count;

  explicit MemoryStorage(MemoryConfig config = {});
  ~MemoryStorage() override;

  Result<void> ping() override { return {}; }
  Result<void> clear() override;
  engine::StorageStats stats() const override;

  // What the store holds now, as the bounds count it.
  std::uint64_t key_count() const { return table_.accounts().keys.load(std::memory_order_relaxed); }
  std::uint64_t used_memory() const {
    return std::uint64_t(std::max<std::int64_t>(0, table_.accounts().used.load(std::memory_order_relaxed)));
  }
  std::uint64_t evicted_keys() const { return table_.accounts().evicted.load(std::memory_order_relaxed); }
  std::uint64_t purged_keys() const { return table_.accounts().purged.load(std::memory_order_relaxed); }
  std::uint64_t expired_keys() const { return table_.accounts().expired.load(std::memory_order_relaxed); }
  const MemoryConfig& config() const { return table_.config(); }

  // Runs the expiry sweep over every shard until it finds few expired keys (tests, tools).
  void sweep_expired();

 private:
  ShardedTable table_;  // first: the parts below refer to it
  MemoryKeys keys_{table_};
  MemoryStrings strings_{table_};
  MemoryLists lists_{table_};
  MemorySets sets_{table_};
  MemoryHashes hashes_{table_};
  MemorySortedSets sorted_sets_{table_};
};

}  // namespace cachet::memory
