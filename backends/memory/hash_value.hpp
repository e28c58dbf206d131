// A hash: while it is small (at most 128 fields, none and no value longer than 64 bytes, the
// thresholds of Redis's listpack), all its pairs packed one after another in a single
// allocation of exactly the bytes they need, each as [field length][field][value length]
// [value], searched linearly. Past either threshold it turns for good into a table: each
// pair in an allocation of its own (varint lengths, then the bytes), the pairs' pointers in a
// vector (a uniformly random field is one index away, for HRANDFIELD) and a hash index of
// positions into it, as SetValue keeps its members.
#pragma once

#include "entry_table.hpp"

#include <boost/unordered/unordered_flat_set.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace cachet::memory {

class HashValue {
 public:
  static constexpr std::size_t max_packed_fields = 128;
  static constexpr std::size_t max_packed_bytes = 64;  // a field or value longer turns it into a table

  HashValue() = default;
  HashValue(const HashValue&) = delete;
  HashValue& operator=(const HashValue&) = delete;
  ~HashValue();

  std::size_t size() const { return packed() ? packed_count_ : table_->pairs.size(); }
  bool empty() const { return size() == 0; }
  bool packed() const { return table_ == nullptr; }

  std::optional<std::string_view> get(std::string_view field) const;
  bool contains(std::string_view field) const { return get(field).has_value(); }
  // Sets the field's value; true when the field is new.
  bool set(std::string_view field, std::string_view value);
  bool remove(std::string_view field);
  // The i-th pair (0 <= i < size()), in the hash's own order: a step along the packed bytes
  // while small, one index away as a table.
  std::pair<std::string_view, std::string_view> at(std::size_t i) const;
  // Calls f(field, value) for every pair, in the hash's own order.
  template <class F>
  void for_each(F&& f) const {
    if (packed()) {
      for (std::size_t offset = 0; offset < packed_bytes_;) {
        const auto [field, value, next] = packed_pair(offset);
        f(field, value);
        offset = next;
      }
    } else {
      for (const char* p : table_->pairs) f(pair_field(p), pair_value(p));
    }
  }

  std::size_t footprint() const;

 private:
  static constexpr std::size_t npos = ~std::size_t(0);

  struct PackedPair {
    std::string_view field, value;
    std::size_t next;
  };
  PackedPair packed_pair(std::size_t offset) const;
  std::size_t packed_find(std::string_view field) const;  // offset of the pair, or npos
  void packed_splice(std::size_t offset, std::size_t remove, std::string_view field, std::string_view value);

  // A pair of the table: varint field length, varint value length, field bytes, value bytes.
  static char* make_pair(std::string_view field, std::string_view value);
  static std::string_view pair_field(const char* p);
  static std::string_view pair_value(const char* p);
  static std::size_t pair_bytes(std::string_view field, std::string_view value);

  struct IndexHash {
    using is_transparent = void;
    using is_avalanching = void;
    const std::vector<char*>* pairs;
    std::size_t operator()(std::uint32_t i) const { return hash_key(pair_field((*pairs)[i])); }
    std::size_t operator()(std::string_view s) const { return hash_key(s); }
  };
  struct IndexEqual {
    using is_transparent = void;
    const std::vector<char*>* pairs;
    bool operator()(std::uint32_t a, std::uint32_t b) const { return a == b; }
    bool operator()(std::uint32_t a, std::string_view b) const { return pair_field((*pairs)[a]) == b; }
    bool operator()(std::string_view a, std::uint32_t b) const { return a == pair_field((*pairs)[b]); }
  };
  using Index = boost::unordered_flat_set<std::uint32_t, IndexHash, IndexEqual>;
  // The table form, behind one pointer so that a packed hash's object stays 24 bytes. Not
  // movable: the index's hasher points at `pairs`.
  struct Table {
    std::vector<char*> pairs;
    Index index{0, IndexHash{&pairs}, IndexEqual{&pairs}};
    std::size_t heap = 0;  // what the pairs' allocations take
  };

  std::size_t position(std::string_view field) const;  // in the table
  void become_table();

  // Packed: the pairs' bytes, exactly packed_bytes_ of them. Table: table_, and no bytes here.
  char* packed_data_ = nullptr;
  std::uint32_t packed_bytes_ = 0;
  std::uint32_t packed_count_ = 0;
  std::unique_ptr<Table> table_;
};

}  // namespace cachet::memory
