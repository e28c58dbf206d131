#include "entry_table.hpp"

// The header's own definitions, inlined: a call straight into XXH3's code for short keys, no
// call through the shared library and its size dispatch (the same hash values).
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace cachet::memory {

std::uint64_t hash_key(std::string_view key) noexcept { return XXH3_64bits(key.data(), key.size()); }

std::size_t EntryTable::insert(Entry* entry, std::uint64_t hash) {
  if ((size_ + tombstones_ + 1) * 4 > capacity_ * 3) {
    // Grow when live entries fill more than 3/8; otherwise rehashing in place clears tombstones.
    std::size_t capacity = capacity_ == 0 ? 8 : capacity_;
    while ((size_ + 1) * 8 > capacity * 3) capacity *= 2;
    rehash(capacity);
  }
  for (std::size_t i = hash & mask();; i = (i + 1) & mask()) {
    if (slots_[i] <= tombstone) {
      if (slots_[i] == tombstone) --tombstones_;
      slots_[i] = tag_of(hash) | pack(entry);
      ++size_;
      return i;
    }
  }
}

void EntryTable::erase(std::size_t slot) {
  // A tombstone is needed only when the next slot continues a probe chain.
  if (slots_[(slot + 1) & mask()] == empty) {
    slots_[slot] = empty;
  } else {
    slots_[slot] = tombstone;
    ++tombstones_;
  }
  --size_;
  if (capacity_ > 64 && size_ * 8 < capacity_) {
    std::size_t capacity = capacity_;
    while (capacity > 64 && size_ * 8 <= (capacity / 2) * 3) capacity /= 2;
    rehash(capacity);
  }
}

std::size_t EntryTable::random_slot(std::uint64_t random) const {
  if (size_ == 0) return npos;
  for (std::size_t i = random & mask();; i = (i + 1) & mask()) {
    if (slots_[i] > tombstone) return i;
  }
}

void EntryTable::rehash(std::size_t capacity) {
  auto old = std::move(slots_);
  const std::size_t old_capacity = capacity_;
  slots_ = std::make_unique<std::uint64_t[]>(capacity);  // zeroed: every slot empty
  capacity_ = capacity;
  tombstones_ = 0;
  for (std::size_t j = 0; j < old_capacity; ++j) {
    if (old[j] <= tombstone) continue;
    const std::uint64_t hash = hash_key(entry_of(old[j])->key());
    std::size_t i = hash & mask();
    while (slots_[i] != empty) i = (i + 1) & mask();
    slots_[i] = old[j];
  }
}

void EntryTable::clear() noexcept {
  for (std::size_t i = 0; i < capacity_; ++i) {
    if (slots_[i] > tombstone) Entry::destroy(entry_of(slots_[i]));
  }
  slots_.reset();
  capacity_ = size_ = tombstones_ = 0;
}

}  // namespace cachet::memory
