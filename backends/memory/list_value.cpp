#include "list_value.hpp"

#include <algorithm>

namespace cachet::memory {

// Boost 1.81's devector asserts (wrongly) in its slow insertion path, reached when an end
// has no free capacity (boostorg/container#285); growing that end first, by doubling, keeps
// every insertion on the fast path and pushes amortized O(1).
void ListValue::make_room(bool front, bool back) {
  if (front && items_.front_free_capacity() == 0) items_.reserve_front(items_.size() * 2 + 4);
  if (back && items_.back_free_capacity() == 0) items_.reserve_back(items_.size() * 2 + 4);
}

void ListValue::push(bool left, std::string_view value) {
  make_room(left, !left);
  if (left) {
    items_.emplace_front(value);
    element_heap_ += string_heap_bytes(items_.front());
  } else {
    items_.emplace_back(value);
    element_heap_ += string_heap_bytes(items_.back());
  }
}

std::string ListValue::pop(bool left) {
  std::string out = std::move(left ? items_.front() : items_.back());
  element_heap_ -= string_heap_bytes(out);
  if (left) items_.pop_front();
  else items_.pop_back();
  return out;
}

void ListValue::assign(std::size_t i, std::string_view value) {
  element_heap_ -= string_heap_bytes(items_[i]);
  items_[i] = std::string(value);
  element_heap_ += string_heap_bytes(items_[i]);
}

void ListValue::insert(std::size_t position, std::string_view value) {
  make_room(true, true);
  auto it = items_.emplace(items_.begin() + std::ptrdiff_t(position), value);
  element_heap_ += string_heap_bytes(*it);
}

std::int64_t ListValue::remove(std::int64_t count, std::string_view value) {
  std::int64_t removed = 0;
  // Unsigned, so that the count INT64_MIN has a magnitude too (negating it would overflow).
  const std::uint64_t limit = count == 0 ? UINT64_MAX : (count > 0 ? std::uint64_t(count) : 0 - std::uint64_t(count));
  auto matches = [&](const std::string& s) {
    if (std::uint64_t(removed) >= limit || s != value) return false;
    element_heap_ -= string_heap_bytes(s);
    ++removed;
    return true;
  };
  if (count >= 0) {
    items_.erase(std::remove_if(items_.begin(), items_.end(), matches), items_.end());
  } else {
    // From the tail: remove_if over the reversed range keeps the survivors in order at the back.
    auto kept = std::remove_if(items_.rbegin(), items_.rend(), matches);
    items_.erase(items_.begin(), kept.base());
  }
  return removed;
}

void ListValue::keep(std::size_t first, std::size_t last, bool keep_none) {
  if (keep_none) {
    for (const auto& s : items_) element_heap_ -= string_heap_bytes(s);
    items_.clear();
    return;
  }
  for (std::size_t i = 0; i < first; ++i) element_heap_ -= string_heap_bytes(items_[i]);
  for (std::size_t i = last + 1; i < items_.size(); ++i) element_heap_ -= string_heap_bytes(items_[i]);
  items_.erase(items_.begin() + std::ptrdiff_t(last + 1), items_.end());
  items_.erase(items_.begin(), items_.begin() + std::ptrdiff_t(first));
}

std::vector<std::string> ListValue::range(std::size_t first, std::size_t last) const {
  return {items_.begin() + std::ptrdiff_t(first), items_.begin() + std::ptrdiff_t(last + 1)};
}

}  // namespace cachet::memory
