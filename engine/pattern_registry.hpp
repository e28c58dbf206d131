// The key patterns registered in one cluster, so that two keyspaces can never share keys.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::engine {

// Whether two (valid) key patterns conflict. Walking their segments together: two
// different literals separate them (no conflict); a literal facing a placeholder is a
// conflict; when one runs out first they do not conflict, and identical shapes do. A hash
// tag's braces belong to the segments they stand by: "{:a}/x" and ":a/x" never meet.
bool patterns_conflict(std::string_view a, std::string_view b);

class PatternRegistry {
 public:
  // Registers a pattern and returns a handle for release(). Throws cachet::ConfigError
  // naming both patterns when it conflicts with one registered before.
  std::uint64_t add(std::string_view pattern);
  void release(std::uint64_t handle);

 private:
  struct Entry {
    std::uint64_t handle;
    std::string pattern;
  };
  std::mutex mutex_;
  std::vector<Entry> entries_;
  std::uint64_t next_handle_ = 1;
};

}  // namespace cachet::engine
