#include "pattern_registry.hpp"

#include "error.hpp"

#include <algorithm>

namespace cachet::engine {
namespace {

std::vector<std::string_view> segments(std::string_view pattern) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto slash = pattern.find('/', start);
    out.push_back(pattern.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

bool is_placeholder(std::string_view segment) { return segment.starts_with(':'); }

}  // namespace

bool patterns_conflict(std::string_view a, std::string_view b) {
  const auto sa = segments(a), sb = segments(b);
  const std::size_t common = std::min(sa.size(), sb.size());
  for (std::size_t i = 0; i < common; ++i) {
    const bool pa = is_placeholder(sa[i]), pb = is_placeholder(sb[i]);
    if (pa != pb) return true;
    if (!pa && sa[i] != sb[i]) return false;
  }
  return sa.size() == sb.size();
}

std::uint64_t PatternRegistry::add(std::string_view pattern) {
  std::lock_guard lock(mutex_);
  for (const Entry& e : entries_) {
    if (patterns_conflict(e.pattern, pattern)) {
      throw ConfigError("cachet: key pattern \"" + std::string(pattern) + "\" conflicts with key pattern \"" +
                        e.pattern + "\" in the same cluster; give one of them a distinct literal prefix");
    }
  }
  entries_.push_back({next_handle_, std::string(pattern)});
  return next_handle_++;
}

void PatternRegistry::release(std::uint64_t handle) {
  std::lock_guard lock(mutex_);
  std::erase_if(entries_, [&](const Entry& e) { return e.handle == handle; });
}

}  // namespace cachet::engine
