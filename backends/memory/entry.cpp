// The entry layout at work: varint lengths, building and copying entries, freeing one with its value.
#include "entry.hpp"

#include "hash_value.hpp"
#include "list_value.hpp"
#include "set_value.hpp"
#include "sorted_set_value.hpp"

#include <cstdlib>
#include <new>

namespace cachet::memory {
namespace {

// LEB128: 7 bits a byte, low bits first.
std::size_t varint_size(std::uint64_t n) {
  std::size_t size = 1;
  while (n >= 0x80) {
    n >>= 7;
    ++size;
  }
  return size;
}

unsigned char* write_varint(unsigned char* out, std::uint64_t n) {
  while (n >= 0x80) {
    *out++ = static_cast<unsigned char>(n | 0x80);
    n >>= 7;
  }
  *out++ = static_cast<unsigned char>(n);
  return out;
}

const unsigned char* read_varint(const unsigned char* in, std::uint64_t& n) {
  n = 0;
  for (int shift = 0;; shift += 7) {
    const unsigned char byte = *in++;
    n |= std::uint64_t(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return in;
  }
}

constexpr std::size_t header_size = 5;  // access (4) + kind and flags (1): Entry::header_bytes

}  // namespace

std::string_view kind_name(ValueKind kind) {
  switch (kind) {
    case ValueKind::string: return "string";
    case ValueKind::list: return "list";
    case ValueKind::set: return "set";
    case ValueKind::hash: return "hash";
    case ValueKind::sorted_set: return "sorted set";
  }
  return "value";
}

std::size_t Entry::expiry_offset() const {
  std::uint64_t key_size = 0;
  return std::size_t(read_varint(bytes() + header_size, key_size) - bytes());
}

std::size_t Entry::key_offset() const { return expiry_offset() + (has_expiry() ? expiry_block : 0); }

std::string_view Entry::key_long() const {
  std::uint64_t key_size = 0;
  read_varint(bytes() + header_size, key_size);
  return {reinterpret_cast<const char*>(bytes() + key_offset()), std::size_t(key_size)};
}

std::string_view Entry::string_value_long() const {
  const std::string_view k = key();
  const auto* p = reinterpret_cast<const unsigned char*>(k.data() + k.size());
  std::uint64_t size = 0;
  p = read_varint(p, size);
  return {reinterpret_cast<const char*>(p), std::size_t(size)};
}

char* Entry::string_data() { return const_cast<char*>(string_value().data()); }

void* Entry::container() const {
  const std::string_view k = key();
  void* pointer = nullptr;
  std::memcpy(&pointer, k.data() + k.size(), sizeof pointer);
  return pointer;
}

std::size_t Entry::footprint() const {
  if (stored_inline(kind())) {
    const std::string_view v = string_value();
    return allocation_bytes(std::size_t(reinterpret_cast<const unsigned char*>(v.data() + v.size()) - bytes()));
  }
  const std::string_view k = key();
  return allocation_bytes(std::size_t(reinterpret_cast<const unsigned char*>(k.data() + k.size()) - bytes()) +
                          sizeof(void*));
}

Entry* Entry::allocate(std::string_view key, ValueKind kind, std::size_t payload_size,
                       std::optional<std::int64_t> expire_at_ms, std::uint32_t access, unsigned char** payload) {
  const std::size_t size =
      header_size + varint_size(key.size()) + (expire_at_ms ? expiry_block : 0) + key.size() + payload_size;
  auto* p = static_cast<unsigned char*>(std::malloc(size));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, &access, sizeof access);
  p[4] = static_cast<unsigned char>(static_cast<unsigned char>(kind) | (expire_at_ms ? expiry_flag : 0));
  unsigned char* out = write_varint(p + header_size, key.size());
  if (expire_at_ms) {
    std::memcpy(out, &*expire_at_ms, 8);
    std::memset(out + 8, 0, 4);
    out += expiry_block;
  }
  if (!key.empty()) std::memcpy(out, key.data(), key.size());
  *payload = out + key.size();
  return reinterpret_cast<Entry*>(p);
}

Entry* Entry::make_string(std::string_view key, std::string_view value, std::optional<std::int64_t> expire_at_ms,
                          std::uint32_t access) {
  unsigned char* payload = nullptr;
  Entry* e = allocate(key, ValueKind::string, varint_size(value.size()) + value.size(), expire_at_ms, access, &payload);
  payload = write_varint(payload, value.size());
  if (!value.empty()) std::memcpy(payload, value.data(), value.size());
  return e;
}

Entry* Entry::make_container(std::string_view key, ValueKind kind, void* container,
                             std::optional<std::int64_t> expire_at_ms, std::uint32_t access) {
  unsigned char* payload = nullptr;
  Entry* e = allocate(key, kind, sizeof container, expire_at_ms, access, &payload);
  std::memcpy(payload, &container, sizeof container);
  return e;
}

Entry* Entry::with_expiry(const Entry* old, std::optional<std::int64_t> expire_at_ms) {
  Entry* e = stored_inline(old->kind())
                 ? make_string(old->key(), old->string_value(), expire_at_ms, old->access())
                 : make_container(old->key(), old->kind(), old->container(), expire_at_ms, old->access());
  if (expire_at_ms && old->has_expiry()) e->set_volatile_index(old->volatile_index());
  return e;
}

Entry* Entry::with_string(const Entry* old, std::string_view value) {
  Entry* e = make_string(old->key(), value, old->expiry(), old->access());
  if (old->has_expiry()) e->set_volatile_index(old->volatile_index());
  return e;
}

void Entry::free_shell(Entry* entry) noexcept { std::free(entry); }

void Entry::destroy(Entry* entry) noexcept {
  if (entry == nullptr) return;
  // No default: a new kind fails to compile here until it says how its value is freed.
  switch (entry->kind()) {
    case ValueKind::string: break;
    case ValueKind::list: delete entry->list(); break;
    case ValueKind::set: delete entry->set(); break;
    case ValueKind::hash: delete entry->hash(); break;
    case ValueKind::sorted_set: delete entry->sorted_set(); break;
  }
  std::free(entry);
}

}  // namespace cachet::memory
