// A list: a double-ended vector of strings, so both ends push and pop in O(1) amortized
// and an index is O(1). Its footprint is kept as it changes, for the memory bound.
#pragma once

#include "entry.hpp"

#include <boost/container/devector.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::memory {

// What a string's own heap buffer takes (nothing while it fits the inline buffer).
inline std::size_t string_heap_bytes(const std::string& s) {
  return s.capacity() > 15 ? allocation_bytes(s.capacity() + 1) : 0;
}

class ListValue {
 public:
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  const std::string& at(std::size_t i) const { return items_[i]; }

  void push(bool left, std::string_view value);
  std::string pop(bool left);
  void assign(std::size_t i, std::string_view value);
  void insert(std::size_t position, std::string_view value);
  // LREM: count > 0 removes from the head, < 0 from the tail, 0 every match.
  std::int64_t remove(std::int64_t count, std::string_view value);
  // Keeps [first, last] (both valid indexes, first <= last), or nothing when `keep_none`.
  void keep(std::size_t first, std::size_t last, bool keep_none);
  std::vector<std::string> range(std::size_t first, std::size_t last) const;

  std::size_t footprint() const {
    return allocation_bytes(sizeof(ListValue)) +
           (items_.capacity() ? allocation_bytes(items_.capacity() * sizeof(std::string)) : 0) + element_heap_;
  }

 private:
  void make_room(bool front, bool back);

  boost::container::devector<std::string> items_;
  std::size_t element_heap_ = 0;
};

}  // namespace cachet::memory
