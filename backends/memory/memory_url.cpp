#include "memory_url.hpp"

namespace cachet::memory {

Result<MemoryOptions> parse_url(const engine::Url& url) {
  if (!url.user.empty() || url.password || !url.hosts.empty() || (!url.path.empty() && url.path != "/")) {
    return url.error("memory:// takes no host or path, only ?options");
  }
  MemoryOptions options;
  for (const auto& [name, value] : url.options) {
    if (name == "max_keys") {
      auto n = engine::parse_number<std::uint64_t>(value);
      if (!n) return url.error("max_keys \"" + value + "\" is not a whole number");
      options.max_keys = *n;
    } else if (name == "max_memory") {
      auto n = engine::parse_byte_size(value);
      if (!n) return url.error("max_memory \"" + value + "\" is not a size such as 256mb");
      options.max_memory = *n;
    } else if (name == "samples") {
      auto n = engine::parse_number<int>(value);
      if (!n || *n < 1 || *n > 64) return url.error("samples \"" + value + "\" must be a number from 1 to 64");
      options.samples = *n;
    } else {
      return url.unknown_option(name, "max_keys, max_memory, samples");
    }
  }
  return options;
}

}  // namespace cachet::memory
