// Which keys a full store gives up, with the meaning of Redis's maxmemory-policy.
#pragma once

#include <string_view>

namespace cachet {

enum class EvictionPolicy {
  AllKeysLRU,      // allkeys-lru: the least recently used key
  AllKeysLFU,      // allkeys-lfu: the least frequently used key
  AllKeysRandom,   // allkeys-random: any key
  VolatileLRU,     // volatile-lru: the least recently used key that has a TTL
  VolatileLFU,     // volatile-lfu: the least frequently used key that has a TTL
  VolatileTTL,     // volatile-ttl: the key with a TTL that expires soonest
  VolatileRandom,  // volatile-random: any key that has a TTL
  NoEviction,      // noeviction: none; writes that need room fail with Errc::out_of_memory
};

// The Redis name of a policy ("allkeys-lru", ...).
constexpr std::string_view policy_name(EvictionPolicy policy) {
  switch (policy) {
    case EvictionPolicy::AllKeysLRU: return "allkeys-lru";
    case EvictionPolicy::AllKeysLFU: return "allkeys-lfu";
    case EvictionPolicy::AllKeysRandom: return "allkeys-random";
    case EvictionPolicy::VolatileLRU: return "volatile-lru";
    case EvictionPolicy::VolatileLFU: return "volatile-lfu";
    case EvictionPolicy::VolatileTTL: return "volatile-ttl";
    case EvictionPolicy::VolatileRandom: return "volatile-random";
    case EvictionPolicy::NoEviction: return "noeviction";
  }
  return "unknown";
}

}  // namespace cachet
