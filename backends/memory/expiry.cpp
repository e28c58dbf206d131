// The expiry sweep: sampling a shard's keys with a TTL, as Redis's active expiry does.
#include "expiry.hpp"

#include "sharded_table.hpp"

#include <algorithm>
#include <mutex>

namespace cachet::memory {
namespace {

constexpr int sweep_samples = 20;  // keys with a TTL looked at per sweep round
constexpr int sweep_rounds = 4;    // rounds while a quarter or more had expired

// Removes an expired entry, found through its shard's list of keys with a TTL.
void reclaim(ShardedTable& table, Shard& s, const Entry* e) {
  table.erase_slot(s, s.table.find(e->key(), hash_key(e->key())));
  table.accounts().expired.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

void sweep(ShardedTable& table, Shard& s) {
  s.ops_since_sweep = 0;
  const std::int64_t now = engine::clock::now_ms();
  for (int round = 0; round < sweep_rounds && !s.volatile_entries.empty(); ++round) {
    int expired = 0;
    const int samples = int(std::min<std::size_t>(sweep_samples, s.volatile_entries.size()));
    for (int i = 0; i < samples && !s.volatile_entries.empty(); ++i) {
      Entry* e = s.volatile_entries[s.random.below(s.volatile_entries.size())];
      if (!past_deadline(*e, now)) continue;
      reclaim(table, s, e);
      ++expired;
    }
    if (expired * 4 < samples) break;
  }
}

void sweep_expired(ShardedTable& table) {
  for (std::size_t i = 0; i < ShardedTable::shard_count; ++i) {
    Shard& s = table.shard(i);
    std::lock_guard lock(s.mutex);
    const std::int64_t now = engine::clock::now_ms();
    for (std::size_t j = 0; j < s.volatile_entries.size();) {
      Entry* e = s.volatile_entries[j];
      if (!past_deadline(*e, now)) {
        ++j;
        continue;
      }
      reclaim(table, s, e);
    }
  }
}

}  // namespace cachet::memory
