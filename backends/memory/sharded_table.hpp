// The store every data type's operations share: the shards, the accounts the bounds are
// checked against, and with_key / with_keys, which run one operation under its shards'
// locks and then the expiry sweep and any eviction it calls for.
//
// Keys hash once (XXH3); the top bits pick one of 64 shards, each with its own lock, table,
// list of keys with a TTL and random generator, so threads on different keys rarely meet.
// Eviction runs after the locks are released, so a write never waits for it in a shard.
#pragma once

#include "adaptive_mutex.hpp"
#include "entry.hpp"
#include "entry_table.hpp"
#include "errors.hpp"
#include "eviction_policies.hpp"
#include "evictor.hpp"
#include "expiry.hpp"
#include "memory_config.hpp"
#include "random.hpp"

#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cachet::memory {

class Op;

// One of the store's parts, each behind its own lock; a cache line of its own, so that two
// threads locking two shards do not share one.
struct alignas(64) Shard {
  AdaptiveSharedMutex mutex;  // shared by lookups (read_key), held alone by everything else
  EntryTable table;
  std::vector<Entry*> volatile_entries;  // every entry with a TTL; an entry knows its position
  Random random;
  std::uint32_t ops_since_sweep = 0;
};

// What the store holds, as the bounds count it. Relaxed atomics: each shard changes them
// under its own lock, and a reader wants a recent figure, not a snapshot.
struct Accounts {
  std::atomic<std::int64_t> keys{0};
  std::atomic<std::int64_t> volatile_keys{0};
  std::atomic<std::int64_t> used{0};  // bytes, as malloc takes them (allocation_bytes)
  std::atomic<std::uint64_t> evicted{0};  // by the eviction policy
  std::atomic<std::uint64_t> purged{0};   // by development mode's purge (not counted in evicted)
  std::atomic<std::uint64_t> expired{0};
};

// Lookups made by this thread since it last swept a shard (see read_key); initial-exec, so
// that reaching it is one instruction.
[[gnu::tls_model("initial-exec")]] inline thread_local constinit std::uint32_t lookups_since_sweep = 0;

class ShardedTable {
 public:
  static constexpr std::size_t shard_count = 64;

  explicit ShardedTable(MemoryConfig config);
  ShardedTable(const ShardedTable&) = delete;
  ShardedTable& operator=(const ShardedTable&) = delete;

  const MemoryConfig& config() const { return config_; }
  Accounts& accounts() { return accounts_; }
  const Accounts& accounts() const { return accounts_; }

  Shard& shard_of(std::uint64_t hash) const { return shards_[hash >> 58]; }
  Shard& shard(std::size_t index) const { return shards_[index]; }

  // Runs f(Op&, hash) with the key's shard locked, then the sweep and any eviction it calls
  // for. (Frame is always Op: a parameter only so that this header need not see op.hpp.)
  template <class F, class Frame = Op>
  auto with_key(std::string_view key, F&& f);
  // Runs a lookup f(Op&, hash) with the key's shard shared with other lookups: f may change
  // nothing but access words (Op's shared frame). Should it meet a key to reclaim (expired),
  // it runs again under with_key. Reads never grow the store, so no eviction follows.
  template <class F, class Frame = Op>
  auto read_key(std::string_view key, F&& f);
  // Runs f(Op&, hashes) with the shards of all the keys locked, in shard order.
  template <class F, class Frame = Op>
  auto with_keys(std::span<const std::string_view> keys, F&& f);
  // The same for keys held as strings (DEL, MGET, SINTER, ...).
  template <class F, class Frame = Op>
  auto with_keys(std::span<const std::string> keys, F&& f) {
    boost::container::small_vector<std::string_view, 8> views(keys.begin(), keys.end());
    return with_keys<F, Frame>(std::span<const std::string_view>(views.data(), views.size()), std::forward<F>(f));
  }

  // Removes the entry in `slot`, its value with it, and gives its memory back to the accounts.
  void erase_slot(Shard& shard, std::size_t slot);
  // Enters an entry that has a TTL in its shard's list of them (what the sweep and the
  // volatile policies sample), or takes it out.
  void link_volatile(Shard& s, Entry* e) {
    e->set_volatile_index(std::uint32_t(s.volatile_entries.size()));
    s.volatile_entries.push_back(e);
    accounts_.volatile_keys.fetch_add(1, std::memory_order_relaxed);
  }
  void unlink_volatile(Shard& s, Entry* e) {
    const std::uint32_t i = e->volatile_index();
    Entry* last = s.volatile_entries.back();
    s.volatile_entries[i] = last;
    last->set_volatile_index(i);
    s.volatile_entries.pop_back();
    accounts_.volatile_keys.fetch_sub(1, std::memory_order_relaxed);
  }
  // Removes every key.
  void clear();

  // Has the store a bound? Without one it never evicts, and a lookup records nothing.
  bool bounded() const { return config_.limits.max_keys != 0 || config_.limits.max_memory != 0; }
  // Is it past a bound now? (Writes are admitted on an estimate, so eviction checks after.)
  bool over_bounds() const {
    const auto& limits = config_.limits;
    return (limits.max_keys != 0 && accounts_.keys.load(std::memory_order_relaxed) > std::int64_t(limits.max_keys)) ||
           (limits.max_memory != 0 &&
            accounts_.used.load(std::memory_order_relaxed) > std::int64_t(limits.max_memory));
  }
  // The configured policy's rule: what a lookup records and a new key starts with.
  const EvictionRule& policy_rule() const { return policy_rule_; }
  // What eviction follows: the policy's rule, or development mode's purge.
  EvictionRule eviction_rule() const {
    return config_.development ? EvictionRule::development_purge() : policy_rule_;
  }

 private:
  MemoryConfig config_;
  EvictionRule policy_rule_;  // kept even in development mode, whose purge ignores it
  std::unique_ptr<Shard[]> shards_;
  Accounts accounts_;
  Evictor evictor_;
};

template <class F, class Frame>
auto ShardedTable::with_key(std::string_view key, F&& f) {
  using R = decltype(f(std::declval<Frame&>(), std::uint64_t()));
  if (key.size() > engine::max_value_bytes) return R(too_large());  // as Redis refuses such a bulk
  const std::uint64_t hash = hash_key(key);
  Shard& s = shard_of(hash);
  std::unique_lock lock(s.mutex);
  Frame op(*this);
  auto result = f(op, hash);
  if (++s.ops_since_sweep >= sweep_interval && !s.volatile_entries.empty()) sweep(*this, s);
  lock.unlock();
  if (bounded() && over_bounds()) evictor_.enforce_bounds(*this, key);
  return result;
}

template <class F, class Frame>
auto ShardedTable::read_key(std::string_view key, F&& f) {
  using R = decltype(f(std::declval<Frame&>(), std::uint64_t()));
  if (key.size() > engine::max_value_bytes) return R(too_large());
  const std::uint64_t hash = hash_key(key);
  Shard& s = shard_of(hash);
  // Lookups count towards the expiry sweep per thread (a shared counter would bounce
  // between the threads reading a shard): every sweep_interval-th lookup of a thread sweeps
  // the shard it read, when that shard has keys with a TTL.
  {
    std::shared_lock lock(s.mutex);
    Frame op(*this, typename Frame::Shared{});
    auto result = f(op, hash);
    if (!op.needs_exclusive()) {
      bool sweep_due = false;
      if (++lookups_since_sweep >= sweep_interval) {
        lookups_since_sweep = 0;
        sweep_due = !s.volatile_entries.empty();
      }
      lock.unlock();
      if (sweep_due) {
        std::lock_guard exclusive(s.mutex);
        sweep(*this, s);
      }
      return result;
    }
  }
  // A key to reclaim (expired): the lookup runs again with the shard held alone.
  return with_key<F, Frame>(key, std::forward<F>(f));
}

template <class F, class Frame>
auto ShardedTable::with_keys(std::span<const std::string_view> keys, F&& f) {
  using R = decltype(f(std::declval<Frame&>(), std::span<const std::uint64_t>()));
  for (auto k : keys) {
    if (k.size() > engine::max_value_bytes) return R(too_large());
  }
  boost::container::small_vector<std::uint64_t, 8> hashes;
  boost::container::small_vector<std::size_t, 8> shards;
  for (auto k : keys) {
    hashes.push_back(hash_key(k));
    shards.push_back(hashes.back() >> 58);
  }
  std::sort(shards.begin(), shards.end());
  shards.erase(std::unique(shards.begin(), shards.end()), shards.end());
  for (auto i : shards) shards_[i].mutex.lock();
  Frame op(*this);
  auto result = f(op, std::span<const std::uint64_t>(hashes.data(), hashes.size()));
  for (auto it = shards.rbegin(); it != shards.rend(); ++it) shards_[*it].mutex.unlock();
  if (bounded() && over_bounds()) evictor_.enforce_bounds(*this, keys.empty() ? std::string_view() : keys.front());
  return result;
}

}  // namespace cachet::memory
