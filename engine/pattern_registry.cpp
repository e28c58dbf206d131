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

// A segment with the hash tag's braces it carries ('{' before it, '}' after it) taken off.
struct Segment {
  bool opens = false, closes = false;
  std::string_view inner;
};
Segment parse(std::string_view segment) {
  Segment s{segment.starts_with('{'), segment.ends_with('}'), segment};
  if (s.opens) s.inner.remove_prefix(1);
  if (s.closes) s.inner.remove_suffix(1);
  return s;
}

bool is_placeholder(std::string_view segment) { return segment.starts_with(':'); }

}  // namespace

bool patterns_conflict(std::string_view a, std::string_view b) {
  const auto sa = segments(a), sb = segments(b);
  const std::size_t common = std::min(sa.size(), sb.size());
  for (std::size_t i = 0; i < common; ++i) {
    const Segment a_segment = parse(sa[i]), b_segment = parse(sb[i]);
    // A brace is written only where the pattern has one (a value's braces are escaped), so
    // segments with different braces never meet, like two different literals.
    if (a_segment.opens != b_segment.opens || a_segment.closes != b_segment.closes) return false;
    const bool pa = is_placeholder(a_segment.inner), pb = is_placeholder(b_segment.inner);
    if (pa != pb) return true;
    if (!pa && a_segment.inner != b_segment.inner) return false;
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
