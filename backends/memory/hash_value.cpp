#include "hash_value.hpp"

#include "entry.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

namespace cachet::memory {
namespace {

// LEB128, as the entry's key length: 7 bits a byte, low bits first.
std::size_t varint_size(std::uint64_t n) {
  std::size_t size = 1;
  for (; n >= 0x80; n >>= 7) ++size;
  return size;
}
char* write_varint(char* out, std::uint64_t n) {
  for (; n >= 0x80; n >>= 7) *out++ = static_cast<char>(n | 0x80);
  *out++ = static_cast<char>(n);
  return out;
}
const char* read_varint(const char* in, std::uint64_t& n) {
  n = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(*in++);
    n |= std::uint64_t(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return in;
  }
}

}  // namespace

HashValue::~HashValue() {
  std::free(packed_data_);
  if (table_) {
    for (char* p : table_->pairs) std::free(p);
  }
}

// ---------------------------------------------------------------------------------------------
// Packed: one length byte before the field and before the value (both at most 64 bytes).

HashValue::PackedPair HashValue::packed_pair(std::size_t offset) const {
  const char* p = packed_data_ + offset;
  const std::size_t field_size = static_cast<unsigned char>(*p++);
  const std::string_view field(p, field_size);
  p += field_size;
  const std::size_t value_size = static_cast<unsigned char>(*p++);
  const std::string_view value(p, value_size);
  p += value_size;
  return {field, value, std::size_t(p - packed_data_)};
}

std::size_t HashValue::packed_find(std::string_view field) const {
  for (std::size_t offset = 0; offset < packed_bytes_;) {
    const char* p = packed_data_ + offset;
    const std::size_t field_size = static_cast<unsigned char>(p[0]);
    if (field_size == field.size() && std::memcmp(p + 1, field.data(), field_size) == 0) return offset;
    const std::size_t value_size = static_cast<unsigned char>(p[1 + field_size]);
    offset += 2 + field_size + value_size;
  }
  return npos;
}

// Replaces the `remove` bytes at `offset` with the pair (field, value), or with nothing when
// both are empty views with a null field; the buffer keeps exactly the bytes it needs.
void HashValue::packed_splice(std::size_t offset, std::size_t remove, std::string_view field,
                              std::string_view value) {
  const std::size_t insert = field.data() == nullptr ? 0 : 2 + field.size() + value.size();
  const std::size_t tail = packed_bytes_ - offset - remove;
  const std::size_t new_size = packed_bytes_ - remove + insert;
  if (insert > remove) {
    char* grown = static_cast<char*>(std::realloc(packed_data_, new_size));
    if (grown == nullptr) throw std::bad_alloc();
    packed_data_ = grown;
  }
  if (tail != 0 && insert != remove) {
    std::memmove(packed_data_ + offset + insert, packed_data_ + offset + remove, tail);
  }
  if (insert != 0) {
    char* p = packed_data_ + offset;
    *p++ = static_cast<char>(field.size());
    if (!field.empty()) std::memcpy(p, field.data(), field.size());
    p += field.size();
    *p++ = static_cast<char>(value.size());
    if (!value.empty()) std::memcpy(p, value.data(), value.size());
  }
  packed_bytes_ = std::uint32_t(new_size);
  if (new_size == 0) {
    std::free(packed_data_);
    packed_data_ = nullptr;
  } else if (insert < remove) {
    if (char* shrunk = static_cast<char*>(std::realloc(packed_data_, new_size))) packed_data_ = shrunk;
  }
}

// ---------------------------------------------------------------------------------------------
// Table

std::size_t HashValue::pair_bytes(std::string_view field, std::string_view value) {
  return varint_size(field.size()) + varint_size(value.size()) + field.size() + value.size();
}

char* HashValue::make_pair(std::string_view field, std::string_view value) {
  char* p = static_cast<char*>(std::malloc(pair_bytes(field, value)));
  if (p == nullptr) throw std::bad_alloc();
  char* out = write_varint(write_varint(p, field.size()), value.size());
  if (!field.empty()) std::memcpy(out, field.data(), field.size());
  if (!value.empty()) std::memcpy(out + field.size(), value.data(), value.size());
  return p;
}

std::string_view HashValue::pair_field(const char* p) {
  std::uint64_t field_size = 0, value_size = 0;
  p = read_varint(read_varint(p, field_size), value_size);
  return {p, std::size_t(field_size)};
}

std::string_view HashValue::pair_value(const char* p) {
  std::uint64_t field_size = 0, value_size = 0;
  p = read_varint(read_varint(p, field_size), value_size);
  return {p + field_size, std::size_t(value_size)};
}

std::size_t HashValue::position(std::string_view field) const {
  auto it = table_->index.find(field);
  return it == table_->index.end() ? npos : *it;
}

void HashValue::become_table() {
  auto table = std::make_unique<Table>();
  table->pairs.reserve(packed_count_ + 1);
  try {
    for_each([&](std::string_view f, std::string_view v) {
      table->pairs.push_back(make_pair(f, v));
      table->heap += allocation_bytes(pair_bytes(f, v));
    });
    table->index.reserve(table->pairs.size() + 1);
  } catch (...) {
    for (char* p : table->pairs) std::free(p);
    throw;
  }
  for (std::uint32_t i = 0; i < table->pairs.size(); ++i) table->index.insert(i);
  table_ = std::move(table);
  std::free(packed_data_);
  packed_data_ = nullptr;
  packed_bytes_ = 0;
  packed_count_ = 0;
}

// ---------------------------------------------------------------------------------------------

std::optional<std::string_view> HashValue::get(std::string_view field) const {
  if (packed()) {
    if (field.size() > max_packed_bytes) return std::nullopt;
    const std::size_t offset = packed_find(field);
    if (offset == npos) return std::nullopt;
    return packed_pair(offset).value;
  }
  const std::size_t i = position(field);
  if (i == npos) return std::nullopt;
  return pair_value(table_->pairs[i]);
}

bool HashValue::set(std::string_view field, std::string_view value) {
  if (packed()) {
    const bool fits = field.size() <= max_packed_bytes && value.size() <= max_packed_bytes;
    const std::size_t offset = field.size() <= max_packed_bytes ? packed_find(field) : npos;
    if (offset != npos && fits) {
      const PackedPair old = packed_pair(offset);
      packed_splice(offset, old.next - offset, field.empty() ? std::string_view("", 0) : field, value);
      return false;
    }
    if (offset == npos && fits && packed_count_ < max_packed_fields) {
      packed_splice(packed_bytes_, 0, field.empty() ? std::string_view("", 0) : field, value);
      ++packed_count_;
      return true;
    }
    become_table();
  }
  Table& t = *table_;
  const std::size_t i = position(field);
  char* fresh = make_pair(field, value);
  if (i != npos) {
    t.heap -= allocation_bytes(pair_bytes(field, pair_value(t.pairs[i])));
    t.heap += allocation_bytes(pair_bytes(field, value));
    // The index holds positions, which the new pair keeps: only the pointer changes.
    std::free(t.pairs[i]);
    t.pairs[i] = fresh;
    return false;
  }
  try {
    t.pairs.push_back(fresh);
  } catch (...) {
    std::free(fresh);
    throw;
  }
  t.heap += allocation_bytes(pair_bytes(field, value));
  t.index.insert(std::uint32_t(t.pairs.size() - 1));
  return true;
}

bool HashValue::remove(std::string_view field) {
  if (packed()) {
    if (field.size() > max_packed_bytes) return false;
    const std::size_t offset = packed_find(field);
    if (offset == npos) return false;
    packed_splice(offset, packed_pair(offset).next - offset, std::string_view(), std::string_view());
    --packed_count_;
    return true;
  }
  Table& t = *table_;
  const std::size_t i = position(field);
  if (i == npos) return false;
  const std::size_t last = t.pairs.size() - 1;
  // Erase by position while the positions still name the right pairs.
  t.index.erase(std::uint32_t(i));
  if (i != last) t.index.erase(std::uint32_t(last));
  char* gone = t.pairs[i];
  t.heap -= allocation_bytes(pair_bytes(pair_field(gone), pair_value(gone)));
  std::free(gone);
  if (i != last) t.pairs[i] = t.pairs[last];
  t.pairs.pop_back();
  if (i != last) t.index.insert(std::uint32_t(i));
  return true;
}

std::pair<std::string_view, std::string_view> HashValue::at(std::size_t i) const {
  if (!packed()) return {pair_field(table_->pairs[i]), pair_value(table_->pairs[i])};
  std::size_t offset = 0;
  for (;; --i) {
    const PackedPair p = packed_pair(offset);
    if (i == 0) return {p.field, p.value};
    offset = p.next;
  }
}

std::size_t HashValue::footprint() const {
  std::size_t bytes = allocation_bytes(sizeof(HashValue));
  if (packed_data_) bytes += allocation_bytes(packed_bytes_);
  if (!table_) return bytes;
  const Table& t = *table_;
  bytes += allocation_bytes(sizeof(Table)) + t.heap;
  if (t.pairs.capacity()) bytes += allocation_bytes(t.pairs.capacity() * sizeof(char*));
  // Boost's flat set: a 4-byte slot plus a metadata byte per bucket.
  if (t.index.bucket_count()) bytes += allocation_bytes(t.index.bucket_count() * 5 + 16);
  return bytes;
}

}  // namespace cachet::memory
