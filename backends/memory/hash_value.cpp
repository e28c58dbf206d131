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
  for (char* p : pairs_) std::free(p);
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
  auto it = index_->find(field);
  return it == index_->end() ? npos : *it;
}

void HashValue::become_table() {
  std::vector<char*> pairs;
  pairs.reserve(packed_count_ + 1);
  std::size_t heap = 0;
  try {
    for_each([&](std::string_view f, std::string_view v) {
      pairs.push_back(make_pair(f, v));
      heap += allocation_bytes(pair_bytes(f, v));
    });
  } catch (...) {
    for (char* p : pairs) std::free(p);
    throw;
  }
  pairs_ = std::move(pairs);
  pair_heap_ = heap;
  index_ = std::make_unique<Index>(pairs_.size() * 2, IndexHash{&pairs_}, IndexEqual{&pairs_});
  for (std::uint32_t i = 0; i < pairs_.size(); ++i) index_->insert(i);
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
  return pair_value(pairs_[i]);
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
  const std::size_t i = position(field);
  char* fresh = make_pair(field, value);
  pair_heap_ += allocation_bytes(pair_bytes(field, value));
  if (i != npos) {
    pair_heap_ -= allocation_bytes(pair_bytes(field, pair_value(pairs_[i])));
    // The index holds positions, which the new pair keeps: only the pointer changes.
    std::free(pairs_[i]);
    pairs_[i] = fresh;
    return false;
  }
  pairs_.push_back(fresh);
  index_->insert(std::uint32_t(pairs_.size() - 1));
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
  const std::size_t i = position(field);
  if (i == npos) return false;
  const std::size_t last = pairs_.size() - 1;
  // Erase by position while the positions still name the right pairs.
  index_->erase(std::uint32_t(i));
  if (i != last) index_->erase(std::uint32_t(last));
  char* gone = pairs_[i];
  pair_heap_ -= allocation_bytes(pair_bytes(pair_field(gone), pair_value(gone)));
  std::free(gone);
  if (i != last) pairs_[i] = pairs_[last];
  pairs_.pop_back();
  if (i != last) index_->insert(std::uint32_t(i));
  return true;
}

std::pair<std::string_view, std::string_view> HashValue::at(std::size_t i) const {
  if (!packed()) return {pair_field(pairs_[i]), pair_value(pairs_[i])};
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
  bytes += pair_heap_;
  if (pairs_.capacity()) bytes += allocation_bytes(pairs_.capacity() * sizeof(char*));
  // Boost's flat set: a 4-byte slot plus a metadata byte per bucket.
  if (index_) bytes += allocation_bytes(sizeof(Index)) + allocation_bytes(index_->bucket_count() * 5 + 16);
  return bytes;
}

}  // namespace cachet::memory
