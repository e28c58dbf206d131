// Sampling candidates, the eviction pool, and removing keys until the store is within its bounds.
#include "evictor.hpp"

#include "engine/notice.hpp"
#include "sharded_table.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>

namespace cachet::memory {
namespace {

constexpr std::size_t pool_size = 16;  // eviction candidates kept between evictions

std::atomic<bool> development_notice_printed{false};

}  // namespace

Evictor::Evictor() { pool_.reserve(pool_size + 1); }

void Evictor::enforce_bounds(ShardedTable& table, std::string_view written_key) {
  const MemoryConfig& config = table.config();
  std::lock_guard lock(mutex_);
  while (table.over_bounds()) {
    if (!evict_one(table, written_key)) break;
    if (config.development && !development_notice_printed.exchange(true)) {
      engine::notice("the development cache of cluster \"" + config.cluster + "\" went past its bound of " +
                     std::to_string(config.limits.max_keys) +
                     " keys, so random keys are being purged (printed once). "
                     "Set CACHET_DEV_MAX_KEYS to change the bound.");
    }
  }
}

template <class Visit>
void Evictor::sample(ShardedTable& table, int count, bool volatile_only, std::string_view keep, Visit&& visit) {
  const std::size_t start = random_.below(ShardedTable::shard_count);
  int wanted = count;
  for (std::size_t n = 0; n < ShardedTable::shard_count && wanted > 0; ++n) {
    Shard& s = table.shard((start + n) % ShardedTable::shard_count);
    std::lock_guard lock(s.mutex);
    auto take = [&](const Entry* e) {
      if (e->key() == keep) return;
      visit(e);
      --wanted;
    };
    if (volatile_only) {
      const auto& entries = s.volatile_entries;
      if (entries.size() <= std::size_t(wanted)) {
        for (const Entry* e : entries) take(e);
      } else {
        for (int i = wanted; i > 0; --i) take(entries[random_.below(entries.size())]);
      }
    } else if (s.table.size() <= std::size_t(wanted)) {
      s.table.for_each([&](std::size_t, const Entry* e) { take(e); });
    } else {
      for (int i = wanted; i > 0; --i) take(s.table.at(s.table.random_slot(random_.next())));
    }
  }
}

bool Evictor::evict_one(ShardedTable& table, std::string_view keep) {
  // noeviction frees nothing. Its writes are refused once the store is full, but writers that
  // pass that check at the same moment, or a write that takes a little more than its estimate,
  // can still leave the store past a bound: it stays there until keys are removed (as Redis's
  // used memory may pass maxmemory), rather than losing a key the policy promised to keep.
  const EvictionRule rule = table.eviction_rule();
  if (!rule.evicts) return false;
  const bool volatile_only = rule.volatile_only;
  if (rule.ranking == Ranking::none) {
    for (int attempt = 0; attempt < 4; ++attempt) {
      std::optional<Candidate> one;
      sample(table, 1, volatile_only, keep,
             [&](const Entry* e) { one = Candidate{0, hash_key(e->key()), std::string(e->key())}; });
      if (!one) return false;
      if (remove_candidate(table, *one, volatile_only)) return true;
    }
    return false;
  }
  for (int attempt = 0; attempt < 4; ++attempt) {
    // Redis's eviction pool: the best candidates seen so far, worst first. A sampled key is
    // copied only when it would enter the pool.
    sample(table, table.config().limits.samples, volatile_only, keep, [&](const Entry* e) {
      const std::uint64_t score = rule.score(*e);
      if (pool_.size() == pool_size && score <= pool_.front().score) return;
      const std::uint64_t hash = hash_key(e->key());
      for (auto& c : pool_) {
        if (c.hash == hash && c.key == e->key()) {
          c.score = std::max(c.score, score);
          return;
        }
      }
      auto at = std::upper_bound(pool_.begin(), pool_.end(), score,
                                 [](std::uint64_t v, const Candidate& c) { return v < c.score; });
      pool_.insert(at, Candidate{score, hash, std::string(e->key())});
      if (pool_.size() > pool_size) pool_.erase(pool_.begin());
    });
    while (!pool_.empty()) {
      Candidate best = std::move(pool_.back());
      pool_.pop_back();
      if (best.key != keep && remove_candidate(table, best, volatile_only)) return true;
    }
  }
  return false;
}

bool Evictor::remove_candidate(ShardedTable& table, const Candidate& c, bool volatile_only) {
  Shard& s = table.shard_of(c.hash);
  std::lock_guard lock(s.mutex);
  const std::size_t slot = s.table.find(c.key, c.hash);
  if (slot == EntryTable::npos) return false;
  if (volatile_only && !s.table.at(slot)->has_expiry()) return false;
  table.erase_slot(s, slot);
  auto& removed = table.config().development ? table.accounts().purged : table.accounts().evicted;
  removed.fetch_add(1, std::memory_order_relaxed);
  return true;
}

Error out_of_memory(const MemoryConfig& config) {
  std::string bound;
  if (config.limits.max_keys) bound += "max_keys " + std::to_string(config.limits.max_keys);
  if (config.limits.max_memory) {
    if (!bound.empty()) bound += ", ";
    bound += "max_memory " + std::to_string(config.limits.max_memory) + " bytes";
  }
  std::string why = config.policy == EvictionPolicy::NoEviction
                        ? "its eviction policy is noeviction"
                        : "eviction policy " + std::string(policy_name(config.policy)) +
                              " found no key with a TTL to evict";
  return Error{Errc::out_of_memory, {}, {},
               "OOM the cache is full (" + bound + ") and " + why + "; the write was not made"};
}

}  // namespace cachet::memory
