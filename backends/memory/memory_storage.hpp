// The in-process engine: a sharded table of entries with per-key TTLs, a key and memory
// bound, Redis's eight eviction policies and the development-mode purge.
//
// Keys hash once (XXH3); the top bits pick one of 64 shards, each with its own mutex,
// table, list of keys with a TTL and random generator, so threads on different keys rarely
// meet. Expired keys are reclaimed on access and by a bounded sweep that runs every few
// operations on a shard, sampling its keys with a TTL as Redis's active expiry does.
// Eviction runs after a write, outside every shard lock: it samples keys (Redis's
// approximated LRU/LFU with a pool of the best candidates) and removes them one by one.
#pragma once

#include "engine/storage.hpp"
#include "entry.hpp"
#include "entry_table.hpp"
#include "random.hpp"
#include "adaptive_mutex.hpp"
#include "eviction_policies.hpp"
#include "memory_url.hpp"

#include "engine/eviction_policy.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cachet::memory {

struct MemoryConfig {
  MemoryOptions limits = {};                  // max_keys, max_memory, samples
  EvictionPolicy policy = EvictionPolicy::AllKeysLRU;
  bool development = false;                           // say so on stderr the first time keys are purged
  std::string cluster = {};                           // the cluster named in that message
  std::optional<std::uint64_t> seed = {};             // fixes every random choice (tests)
};

class MemoryStorage final : public engine::Storage,
                            engine::KeyStorage,
                            engine::StringStorage,
                            engine::ListStorage,
                            engine::SetStorage {
 public:
  static constexpr std::size_t shard_count = 64;

  explicit MemoryStorage(MemoryConfig config = {});
  ~MemoryStorage() override;

  Result<void> ping() override { return {}; }
  Result<void> clear() override;

  // What the store holds now, as the bounds count it.
  std::uint64_t key_count() const { return keys_.load(std::memory_order_relaxed); }
  std::uint64_t used_memory() const { return std::uint64_t(std::max<std::int64_t>(0, used_.load(std::memory_order_relaxed))); }
  std::uint64_t evicted_keys() const { return evicted_.load(std::memory_order_relaxed); }
  std::uint64_t expired_keys() const { return expired_.load(std::memory_order_relaxed); }
  const MemoryConfig& config() const { return config_; }

  // Runs the expiry sweep over every shard until it finds few expired keys (tests, tools).
  void sweep_expired();

 private:

  Result<std::int64_t> del(std::span<const std::string> keys) override;
  Result<std::optional<std::chrono::milliseconds>> pttl(std::string_view key) override;
  Result<std::string> get(std::string_view key) override;
  Result<std::vector<std::optional<std::string>>> mget(std::span<const std::string> keys) override;
  Result<bool> set(std::string_view key, std::string_view value, engine::SetCondition condition,
                   engine::ExpiryAction expiry) override;
  Result<std::optional<std::string>> set_get(std::string_view key, std::string_view value,
                                             engine::ExpiryAction expiry) override;
  Result<void> mset(std::span<const engine::KeyValue> pairs, engine::ExpiryAction expiry) override;
  Result<std::string> getdel(std::string_view key) override;
  Result<std::int64_t> append(std::string_view key, std::string_view value, engine::ExpiryAction expiry) override;
  Result<std::string> getrange(std::string_view key, std::int64_t start, std::int64_t end) override;
  Result<std::int64_t> setrange(std::string_view key, std::int64_t offset, std::string_view value,
                                engine::ExpiryAction expiry) override;
  Result<std::int64_t> strlen(std::string_view key) override;
  Result<std::int64_t> incrby(std::string_view key, std::int64_t delta, engine::ExpiryAction expiry) override;
  Result<double> incrbyfloat(std::string_view key, double delta, engine::ExpiryAction expiry) override;

  Result<std::int64_t> push(std::string_view key, ListPos end, std::span<const std::string> values,
                            engine::ExpiryAction expiry) override;
  Result<std::string> pop(std::string_view key, ListPos end, engine::ExpiryAction expiry) override;
  Result<std::int64_t> llen(std::string_view key) override;
  Result<void> ltrim(std::string_view key, std::int64_t start, std::int64_t stop, engine::ExpiryAction expiry) override;
  Result<void> lset(std::string_view key, std::int64_t index, std::string_view value,
                    engine::ExpiryAction expiry) override;
  Result<std::string> lindex(std::string_view key, std::int64_t index) override;
  Result<std::vector<std::string>> lrange(std::string_view key, std::int64_t start, std::int64_t stop) override;
  Result<std::int64_t> linsert(std::string_view key, bool before, std::string_view pivot, std::string_view value,
                               engine::ExpiryAction expiry) override;
  Result<std::int64_t> lrem(std::string_view key, std::int64_t count, std::string_view value,
                            engine::ExpiryAction expiry) override;
  Result<std::string> lmove(std::string_view source, std::string_view destination, ListPos from,
                            ListPos to, engine::ExpiryAction expiry) override;

  Result<std::int64_t> sadd(std::string_view key, std::span<const std::string> members,
                            engine::ExpiryAction expiry) override;
  Result<std::int64_t> srem(std::string_view key, std::span<const std::string> members,
                            engine::ExpiryAction expiry) override;
  Result<std::vector<std::string>> spop(std::string_view key, std::int64_t count, engine::ExpiryAction expiry) override;
  Result<bool> sismember(std::string_view key, std::string_view member) override;
  Result<std::int64_t> scard(std::string_view key) override;
  Result<std::vector<std::string>> smembers(std::string_view key) override;
  Result<std::vector<std::string>> set_algebra(engine::SetAlgebra op, std::span<const std::string> keys) override;
  Result<std::int64_t> set_algebra_store(engine::SetAlgebra op, std::string_view destination,
                                         std::span<const std::string> keys, engine::ExpiryAction expiry) override;
  Result<std::vector<std::string>> srandmember(std::string_view key, std::int64_t count) override;
  Result<bool> smove(std::string_view source, std::string_view destination, std::string_view member,
                     engine::ExpiryAction expiry) override;

  struct Shard;
  class Op;
  struct Candidate {
    std::uint64_t score;  // higher: evicted first
    std::uint64_t hash;
    std::string key;
  };

  Shard& shard_of(std::uint64_t hash) const;

  // Runs f(Op&) with the key's shard locked, then the sweep and any eviction it calls for.
  template <class F>
  auto with_key(std::string_view key, F&& f);
  // Runs f(Op&) with the shards of all the keys locked, in shard order.
  template <class F>
  auto with_keys(std::span<const std::string_view> keys, F&& f);

  bool bounded() const { return config_.limits.max_keys != 0 || config_.limits.max_memory != 0; }
  bool over_bounds() const;
  Error out_of_memory() const;
  void enforce_bounds(std::string_view written_key);
  bool evict_one(std::string_view keep);
  // Calls visit(entry) for `count` keys (keys with a TTL only, if asked) other than `keep`,
  // under their shard's lock: random ones, or every key when the store has no more.
  template <class Visit>
  void sample(int count, bool volatile_only, std::string_view keep, Visit&& visit);
  bool remove_candidate(const Candidate& candidate, bool volatile_only);
  void sweep(Shard& shard);
  void erase_slot(Shard& shard, std::size_t slot);
  void unlink_volatile(Shard& shard, Entry* entry);

  // What eviction follows: the policy's rule, or development mode's purge.
  EvictionRule eviction_rule() const {
    return config_.development ? EvictionRule::development_purge() : policy_rule_;
  }

  MemoryConfig config_;
  EvictionRule policy_rule_;  // the policy's ranking keeps access words even in development mode
  std::unique_ptr<Shard[]> shards_;
  std::atomic<std::int64_t> keys_{0};
  std::atomic<std::int64_t> volatile_keys_{0};
  std::atomic<std::int64_t> used_{0};
  std::atomic<std::uint64_t> evicted_{0};
  std::atomic<std::uint64_t> expired_{0};

  AdaptiveMutex eviction_mutex_;      // one evictor at a time; guards the pool and its generator
  std::vector<Candidate> pool_;       // the best candidates seen so far, best last
  Random eviction_random_;
};

}  // namespace cachet::memory
