// Each eviction policy's choice in one unit: which keys it may give up (EvictionRule) and
// in what order (one ranking a struct: Redis's approximated LRU and LFU, soonest expiry).
// A ranking keeps its state in an entry's 32-bit access word, which every lookup updates
// while the store has a bound; the evictor samples keys and asks for their scores.
#pragma once

#include "engine/clock.hpp"
#include "engine/eviction_policy.hpp"
#include "entry.hpp"
#include "random.hpp"

#include <cstdint>
#include <limits>

namespace cachet::memory {

// LRU: the access word is the coarse clock (ms, wrapping) at the last access; the key idle
// longest goes first.
struct LruRanking {
  static std::uint32_t stamp() { return static_cast<std::uint32_t>(engine::clock::coarse_now_ms()); }
  static std::uint32_t fresh() { return stamp(); }
  // Writes the stamp only when it moved: a key read many times a millisecond (a hot key)
  // keeps its cache line shared between the threads reading it.
  static void touch(Entry& entry) {
    const std::uint32_t now = stamp();
    if (entry.access() != now) entry.set_access(now);
  }
  static std::uint64_t score(const Entry& entry) { return std::uint32_t(stamp() - entry.access()); }
};

// LFU, as Redis's: a logarithmic counter in the low 8 bits, which grows ever more slowly and
// loses one a minute, and the minute of the last access in the upper 24 bits; the key used
// least goes first.
struct LfuRanking {
  static constexpr std::uint8_t initial = 5;  // a new key's counter, as in Redis
  static constexpr double log_factor = 10;

  static std::uint32_t minutes() {
    return static_cast<std::uint32_t>(engine::clock::coarse_now_ms() / 60'000) & 0xffffff;
  }
  // The counter after the minutes since its last access have decayed it (one a minute).
  static std::uint32_t decayed(std::uint32_t access, std::uint32_t now_minutes) {
    const std::uint32_t counter = access & 0xff;
    const std::uint32_t elapsed = (now_minutes - (access >> 8)) & 0xffffff;
    return counter > elapsed ? counter - elapsed : 0;
  }
  static std::uint32_t fresh() { return (minutes() << 8) | initial; }
  static void touch(Entry& entry, Random& random) {
    const std::uint32_t now = minutes();
    std::uint32_t counter = decayed(entry.access(), now);
    if (counter < 255) {
      const double base = counter > initial ? double(counter - initial) : 0.0;
      if (random.unit() < 1.0 / (base * log_factor + 1)) ++counter;
    }
    const std::uint32_t access = (now << 8) | counter;
    if (entry.access() != access) entry.set_access(access);
  }
  static std::uint64_t score(const Entry& entry) { return 255 - decayed(entry.access(), minutes()); }
};

// volatile-ttl: the key whose deadline comes first goes first; lookups record nothing.
struct ExpiryRanking {
  static std::uint64_t score(const Entry& entry) {
    return std::numeric_limits<std::uint64_t>::max() - std::uint64_t(entry.expiry().value_or(0));
  }
};

// The order in which a policy gives up the keys it samples; `none` takes any one (random).
enum class Ranking : std::uint8_t { idle_time, use_frequency, expiry, none };

// A policy taken apart: whether a full store evicts at all, which keys are candidates, and
// how they are ranked.
struct EvictionRule {
  bool evicts = true;          // false: noeviction, a full store refuses writes instead
  bool volatile_only = false;  // only keys with a TTL are candidates
  Ranking ranking = Ranking::none;

  static constexpr EvictionRule of(EvictionPolicy policy) {
    // No default: a new policy fails to compile (-Wswitch -Werror) until it says what it does.
    switch (policy) {
      case EvictionPolicy::AllKeysLRU: return {true, false, Ranking::idle_time};
      case EvictionPolicy::AllKeysLFU: return {true, false, Ranking::use_frequency};
      case EvictionPolicy::AllKeysRandom: return {true, false, Ranking::none};
      case EvictionPolicy::VolatileLRU: return {true, true, Ranking::idle_time};
      case EvictionPolicy::VolatileLFU: return {true, true, Ranking::use_frequency};
      case EvictionPolicy::VolatileTTL: return {true, true, Ranking::expiry};
      case EvictionPolicy::VolatileRandom: return {true, true, Ranking::none};
      case EvictionPolicy::NoEviction: return {false, false, Ranking::none};
    }
    return {false, false, Ranking::none};
  }
  // Development mode's purge, whatever the policy: random keys, any of them.
  static constexpr EvictionRule development_purge() { return {true, false, Ranking::none}; }

  // The access word of a new key.
  std::uint32_t fresh_access() const {
    switch (ranking) {
      case Ranking::use_frequency: return LfuRanking::fresh();
      case Ranking::idle_time:
      case Ranking::expiry:
      case Ranking::none: return LruRanking::fresh();
    }
    return LruRanking::fresh();
  }
  // Records a lookup of `entry` in its access word (`random`: for LFU's draw, the shard's
  // under its exclusive lock, the thread's own under a shared one). Two lookups sharing a
  // lock may touch one entry at once: the word is atomic, and one of two simultaneous
  // counter increments may be lost, as in any sampled frequency count.
  void touch(Entry& entry, Random& random) const {
    switch (ranking) {
      case Ranking::idle_time: return LruRanking::touch(entry);
      case Ranking::use_frequency: return LfuRanking::touch(entry, random);
      case Ranking::expiry:
      case Ranking::none: return;
    }
  }
  // How much the policy would rather evict `entry`: the higher, the sooner.
  std::uint64_t score(const Entry& entry) const {
    switch (ranking) {
      case Ranking::idle_time: return LruRanking::score(entry);
      case Ranking::use_frequency: return LfuRanking::score(entry);
      case Ranking::expiry: return ExpiryRanking::score(entry);
      case Ranking::none: return 0;
    }
    return 0;
  }
};

}  // namespace cachet::memory
