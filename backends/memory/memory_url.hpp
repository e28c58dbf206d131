// The memory backend's URL: memory://?max_keys=N&max_memory=256mb&samples=5.
#pragma once

#include "engine/error.hpp"
#include "engine/url.hpp"

#include <cstdint>

namespace cachet::memory {

struct MemoryOptions {
  std::uint64_t max_keys = 0;    // 0: no bound on the number of keys
  std::uint64_t max_memory = 0;  // bytes; 0: no bound on memory
  int samples = 5;               // keys sampled per eviction (Redis maxmemory-samples)
};

// The options of a memory:// URL (it takes no user, host or path); Errc::not_configured
// naming the problem.
Result<MemoryOptions> parse_url(const engine::Url& url);

}  // namespace cachet::memory
