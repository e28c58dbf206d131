// What each kind of value costs in memory: the one place that knows, so that a write, an
// erase, clear() and the bounds' admission check count a key alike.
#pragma once

#include "entry.hpp"
#include "hash_value.hpp"
#include "list_value.hpp"
#include "set_value.hpp"
#include "sorted_set_value.hpp"

#include <cstddef>
#include <span>
#include <string>

namespace cachet::memory {

// What a key's value takes beyond the entry's own allocation (a string's bytes are inside it).
inline std::size_t value_footprint(const Entry& entry) {
  // No default: a new kind fails to compile (-Wswitch -Werror) until it says what it costs.
  switch (entry.kind()) {
    case ValueKind::string: return 0;
    case ValueKind::list: return entry.list()->footprint();
    case ValueKind::set: return entry.set()->footprint();
    case ValueKind::hash: return entry.hash()->footprint();
    case ValueKind::sorted_set: return entry.sorted_set()->footprint();
  }
  return 0;
}

// All that a key takes, the slot in its table aside: what removing it gives back.
inline std::size_t key_footprint(const Entry& entry) { return entry.footprint() + value_footprint(entry); }

// About what elements add to a list or set: their bytes and a std::string each. An estimate,
// for the admission check before the write.
inline std::size_t payload_bytes(std::span<const std::string> values) {
  std::size_t total = 0;
  for (const auto& v : values) total += v.size() + sizeof(std::string);
  return total;
}

}  // namespace cachet::memory
