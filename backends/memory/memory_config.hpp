// What a memory store is made with: its bounds, its eviction policy, development mode and a
// seed for its random choices.
#pragma once

#include "engine/eviction_policy.hpp"
#include "memory_url.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace cachet::memory {

struct MemoryConfig {
  MemoryOptions limits = {};                  // max_keys, max_memory, samples
  EvictionPolicy policy = EvictionPolicy::AllKeysLRU;
  bool development = false;                           // say so (a notice) the first time keys are purged
  std::string cluster = {};                           // the cluster named in that message
  std::optional<std::uint64_t> seed = {};             // fixes every random choice (tests)
};

}  // namespace cachet::memory
