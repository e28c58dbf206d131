// The table's construction (seeding every random choice), erasing a key, and clearing the store.
#include "sharded_table.hpp"

#include "footprint.hpp"

#include <random>

namespace cachet::memory {

ShardedTable::ShardedTable(MemoryConfig config)
    : config_(std::move(config)), policy_rule_(EvictionRule::of(config_.policy)),
      shards_(std::make_unique<Shard[]>(shard_count)) {
  const std::uint64_t seed = config_.seed ? *config_.seed : std::random_device{}() * 0x100000001ull;
  for (std::size_t i = 0; i < shard_count; ++i) shards_[i].random.reseed(seed + i + 1);
  evictor_.reseed(seed);
}

void ShardedTable::erase_slot(Shard& s, std::size_t slot) {
  Entry* e = s.table.at(slot);
  if (e->has_expiry()) unlink_volatile(s, e);
  std::int64_t freed = std::int64_t(key_footprint(*e));
  const std::size_t table_before = s.table.footprint();
  s.table.erase(slot);
  freed += std::int64_t(table_before) - std::int64_t(s.table.footprint());
  Entry::destroy(e);
  accounts_.keys.fetch_sub(1, std::memory_order_relaxed);
  accounts_.used.fetch_sub(freed, std::memory_order_relaxed);
}

void ShardedTable::clear() {
  for (std::size_t i = 0; i < shard_count; ++i) {
    Shard& s = shards_[i];
    std::lock_guard lock(s.mutex);
    std::int64_t freed = std::int64_t(s.table.footprint());
    const auto count = std::int64_t(s.table.size());
    s.table.for_each([&](std::size_t, const Entry* e) { freed += std::int64_t(key_footprint(*e)); });
    accounts_.volatile_keys.fetch_sub(std::int64_t(s.volatile_entries.size()), std::memory_order_relaxed);
    s.volatile_entries.clear();
    s.table.clear();
    accounts_.keys.fetch_sub(count, std::memory_order_relaxed);
    accounts_.used.fetch_sub(freed, std::memory_order_relaxed);
  }
}

}  // namespace cachet::memory
