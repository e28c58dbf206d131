#include "set_value.hpp"

#include "list_value.hpp"

#include <algorithm>

namespace cachet::memory {

std::size_t SetValue::position(std::string_view member) const {
  if (index_) {
    auto it = index_->find(member);
    return it == index_->end() ? npos : *it;
  }
  auto it = std::find(members_.begin(), members_.end(), member);
  return it == members_.end() ? npos : std::size_t(it - members_.begin());
}

void SetValue::build_index() {
  index_ = std::make_unique<Index>(members_.size() * 2, IndexHash{&members_}, IndexEqual{&members_});
  for (std::uint32_t i = 0; i < members_.size(); ++i) index_->insert(i);
}

bool SetValue::add(std::string_view member) {
  if (contains(member)) return false;
  members_.emplace_back(member);
  member_heap_ += string_heap_bytes(members_.back());
  if (index_) index_->insert(std::uint32_t(members_.size() - 1));
  else if (members_.size() > index_threshold) build_index();
  return true;
}

bool SetValue::remove(std::string_view member) {
  const std::size_t i = position(member);
  if (i == npos) return false;
  take(i);
  return true;
}

std::string SetValue::take(std::size_t i) {
  const std::size_t last = members_.size() - 1;
  if (index_) {
    // Erase by position while the positions still name the right strings.
    index_->erase(std::uint32_t(i));
    if (i != last) index_->erase(std::uint32_t(last));
  }
  std::string out = std::move(members_[i]);
  member_heap_ -= string_heap_bytes(out);
  if (i != last) members_[i] = std::move(members_[last]);
  members_.pop_back();
  if (index_ && i != last) index_->insert(std::uint32_t(i));
  return out;
}

std::size_t SetValue::footprint() const {
  std::size_t bytes = allocation_bytes(sizeof(SetValue)) + member_heap_;
  if (members_.capacity()) bytes += allocation_bytes(members_.capacity() * sizeof(std::string));
  // Boost's flat set: a 4-byte slot plus a metadata byte per bucket.
  if (index_) bytes += allocation_bytes(sizeof(Index)) + allocation_bytes(index_->bucket_count() * 5 + 16);
  return bytes;
}

}  // namespace cachet::memory
