// One stored key: a single allocation holding a small header, the key's expiry (only when
// it has one), the key bytes and the value (string bytes inline, or a pointer to a list or
// set). Keeping it one allocation with varint lengths is what lets a 16-byte key with a
// 64-byte value fit a 96-byte malloc chunk.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

namespace cachet::memory {

class HashValue;
class ListValue;
class SetValue;
class SortedSetValue;

// The type of value a key holds. An entry's header keeps it in 4 bits: at most 16 kinds.
enum class ValueKind : std::uint8_t { string = 0, list = 1, set = 2, hash = 3, sorted_set = 4 };

std::string_view kind_name(ValueKind kind);

// Whether a kind's value sits in the entry itself (a string's bytes) rather than behind a
// pointer to a container the entry owns: what the entry's layout depends on.
constexpr bool stored_inline(ValueKind kind) {
  switch (kind) {
    case ValueKind::string: return true;
    case ValueKind::list:
    case ValueKind::set:
    case ValueKind::hash:
    case ValueKind::sorted_set: return false;
  }
  return false;
}

// What glibc's malloc really takes for a request of n bytes (chunk header and rounding
// included): the figure every memory account in this backend is made of.
constexpr std::size_t allocation_bytes(std::size_t n) {
  const std::size_t chunk = (n + sizeof(std::size_t) + 15) & ~std::size_t(15);
  return chunk < 32 ? 32 : chunk;
}

class Entry {
 public:
  // A string entry; `expire_at_ms` is absolute (Unix milliseconds).
  static Entry* make_string(std::string_view key, std::string_view value, std::optional<std::int64_t> expire_at_ms,
                            std::uint32_t access);
  // A list or set entry owning `container`.
  static Entry* make_container(std::string_view key, ValueKind kind, void* container,
                               std::optional<std::int64_t> expire_at_ms, std::uint32_t access);
  // A copy with another expiry; the list or set (if any) is shared: free `old` with free_shell.
  static Entry* with_expiry(const Entry* old, std::optional<std::int64_t> expire_at_ms);
  // A copy of a string entry's key and expiry with another value.
  static Entry* with_string(const Entry* old, std::string_view value);
  // Frees the entry and the list or set it owns.
  static void destroy(Entry* entry) noexcept;
  // Frees the entry's own allocation only (its list or set lives on in a copy).
  static void free_shell(Entry* entry) noexcept;

  // The access word is atomic (relaxed): lookups under a shard's shared lock write it.
  std::uint32_t access() const {
    return std::atomic_ref<std::uint32_t>(*access_word()).load(std::memory_order_relaxed);
  }
  void set_access(std::uint32_t value) const {
    std::atomic_ref<std::uint32_t>(*access_word()).store(value, std::memory_order_relaxed);
  }
  ValueKind kind() const { return ValueKind(bytes()[4] & kind_mask); }
  bool has_expiry() const { return (bytes()[4] & expiry_flag) != 0; }
  std::optional<std::int64_t> expiry() const {
    return has_expiry() ? std::optional(load<std::int64_t>(expiry_offset())) : std::nullopt;
  }
  // Only for an entry that has an expiry (the layout holds room for it).
  void set_expire_at(std::int64_t at_ms) { store<std::int64_t>(expiry_offset(), at_ms); }
  std::uint32_t volatile_index() const { return load<std::uint32_t>(expiry_offset() + 8); }
  void set_volatile_index(std::uint32_t index) { store<std::uint32_t>(expiry_offset() + 8, index); }

  // Inline for keys and values under 128 bytes (a one-byte length), which lookups meet most.
  std::string_view key() const {
    const unsigned char length = bytes()[header_bytes];
    if (length >= 0x80) return key_long();
    return {reinterpret_cast<const char*>(bytes() + header_bytes + 1 + (has_expiry() ? expiry_block : 0)), length};
  }
  std::string_view string_value() const {
    const std::string_view k = key();
    const auto* p = reinterpret_cast<const unsigned char*>(k.data() + k.size());
    if (*p >= 0x80) return string_value_long();
    return {reinterpret_cast<const char*>(p + 1), *p};
  }
  // The string's bytes, writable in place when the new value has the same length.
  char* string_data();
  ListValue* list() const { return static_cast<ListValue*>(container()); }
  SetValue* set() const { return static_cast<SetValue*>(container()); }
  HashValue* hash() const { return static_cast<HashValue*>(container()); }
  SortedSetValue* sorted_set() const { return static_cast<SortedSetValue*>(container()); }

  // What the entry allocation takes from malloc (not counting a list's or set's own memory).
  std::size_t footprint() const;

 private:
  Entry() = delete;
  // Header byte 4: the kind in the low bits, flags from the top; bits 4 to 6 are free.
  static constexpr unsigned char kind_mask = 0x0f;
  static constexpr unsigned char expiry_flag = 0x80;
  static constexpr std::size_t expiry_block = 12;  // deadline (8) + index among volatile keys (4)
  static constexpr std::size_t header_bytes = 5;   // access (4) + kind and flags (1)

  std::string_view key_long() const;
  std::string_view string_value_long() const;

  // The word at offset 0 of a malloc'd block: aligned for an atomic_ref.
  std::uint32_t* access_word() const {
    return reinterpret_cast<std::uint32_t*>(const_cast<unsigned char*>(bytes()));
  }
  const unsigned char* bytes() const { return reinterpret_cast<const unsigned char*>(this); }
  unsigned char* bytes() { return reinterpret_cast<unsigned char*>(this); }
  template <class T>
  T load(std::size_t offset) const {
    T value;
    std::memcpy(&value, bytes() + offset, sizeof value);
    return value;
  }
  template <class T>
  void store(std::size_t offset, T value) {
    std::memcpy(bytes() + offset, &value, sizeof value);
  }
  std::size_t expiry_offset() const;
  std::size_t key_offset() const;
  void* container() const;

  static Entry* allocate(std::string_view key, ValueKind kind, std::size_t payload_size,
                         std::optional<std::int64_t> expire_at_ms, std::uint32_t access, unsigned char** payload);
};

}  // namespace cachet::memory
