// Eviction: when a write leaves the store past a bound, keys go one at a time, outside every
// shard lock, until it is back within them. The evictor samples keys and keeps Redis's pool
// of the best candidates seen between evictions (approximated LRU/LFU); in development mode
// it purges random keys instead and says so once through engine::notice (stderr unless an
// observer is set). What each policy chooses is in
// eviction_policies.hpp.
#pragma once

#include "adaptive_mutex.hpp"
#include "engine/error.hpp"
#include "random.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::memory {

class ShardedTable;
struct MemoryConfig;

class Evictor {
 public:
  Evictor();

  // Fixes its random choices (the store's seed).
  void reseed(std::uint64_t seed) { random_.reseed(seed); }

  // Evicts keys of `table` until it is within its bounds or no more may go; never
  // `written_key`, the key whose write called for it.
  void enforce_bounds(ShardedTable& table, std::string_view written_key);

 private:
  struct Candidate {
    std::uint64_t score;  // higher: evicted first
    std::uint64_t hash;
    std::string key;
  };

  bool evict_one(ShardedTable& table, std::string_view keep);
  // Calls visit(entry) for `count` keys (keys with a TTL only, if asked) other than `keep`,
  // under their shard's lock: random ones, or every key when the store has no more.
  template <class Visit>
  void sample(ShardedTable& table, int count, bool volatile_only, std::string_view keep, Visit&& visit);
  bool remove_candidate(ShardedTable& table, const Candidate& candidate, bool volatile_only);

  AdaptiveMutex mutex_;          // one evictor at a time; guards the pool and its generator
  std::vector<Candidate> pool_;  // the best candidates seen so far, best last
  Random random_;
};

// The answer to a write that the bounds do not admit and the policy cannot make room for.
Error out_of_memory(const MemoryConfig& config);

}  // namespace cachet::memory
