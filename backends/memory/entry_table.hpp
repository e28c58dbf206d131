// An open-addressing hash table of entries for one shard.
//
// A slot is one 64-bit word: the entry pointer in the low 48 bits and 16 bits of the key's
// hash above it, so most mismatches are rejected without touching the entry. Linear
// probing with tombstones; grows at 3/4 full and shrinks below 1/8. Unlike a library map it
// lets eviction and expiry pick a random slot, as Redis's dict does, which is why it is ours.
#pragma once

#include "entry.hpp"

#include <cstdint>
#include <memory>
#include <string_view>

namespace cachet::memory {

std::uint64_t hash_key(std::string_view key) noexcept;

class EntryTable {
 public:
  static constexpr std::size_t npos = ~std::size_t(0);

  EntryTable() = default;
  EntryTable(const EntryTable&) = delete;
  EntryTable& operator=(const EntryTable&) = delete;

  // The slot holding `key`, or npos.
  std::size_t find(std::string_view key, std::uint64_t hash) const {
    if (capacity_ == 0) return npos;
    const std::uint64_t tag = tag_of(hash);
    for (std::size_t i = hash & mask();; i = (i + 1) & mask()) {
      const std::uint64_t slot = slots_[i];
      if (slot == empty) return npos;
      if ((slot & tag_mask) == tag && slot != tombstone && entry_of(slot)->key() == key) return i;
    }
  }
  Entry* at(std::size_t slot) const { return entry_of(slots_[slot]); }

  // Adds an entry whose key is not in the table; answers its slot.
  std::size_t insert(Entry* entry, std::uint64_t hash);
  // Puts a new allocation of the same key in its slot.
  void replace(std::size_t slot, Entry* entry) { slots_[slot] = (slots_[slot] & tag_mask) | pack(entry); }
  // Empties a slot; the entry is the caller's to free. May shrink the table.
  void erase(std::size_t slot);

  // A pseudo-random occupied slot, from a random number; npos when empty.
  std::size_t random_slot(std::uint64_t random) const;

  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < capacity_; ++i) {
      if (slots_[i] > tombstone) f(i, entry_of(slots_[i]));
    }
  }
  // Frees every entry and the slots.
  void clear() noexcept;

  std::size_t size() const { return size_; }
  // What the slot array takes from malloc.
  std::size_t footprint() const { return capacity_ ? allocation_bytes(capacity_ * sizeof(std::uint64_t)) : 0; }

  ~EntryTable() { clear(); }

 private:
  static constexpr std::uint64_t empty = 0, tombstone = 1;
  static constexpr std::uint64_t pointer_mask = (std::uint64_t(1) << 48) - 1;
  static constexpr std::uint64_t tag_mask = ~pointer_mask;

  static std::uint64_t tag_of(std::uint64_t hash) { return (hash << 16) & tag_mask; }
  static std::uint64_t pack(Entry* e) { return reinterpret_cast<std::uintptr_t>(e) & pointer_mask; }
  static Entry* entry_of(std::uint64_t slot) { return reinterpret_cast<Entry*>(slot & pointer_mask); }
  std::size_t mask() const { return capacity_ - 1; }
  void rehash(std::size_t capacity);

  std::unique_ptr<std::uint64_t[]> slots_;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
  std::size_t tombstones_ = 0;
};

}  // namespace cachet::memory
