// A set: its members in a vector (so a uniformly random member is one index away, for SPOP
// and SRANDMEMBER) plus, once it has more than a few dozen members, a hash index of
// positions. Small sets are just the vector and are searched linearly.
#pragma once

#include "entry_table.hpp"

#include <boost/unordered/unordered_flat_set.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::memory {

class SetValue {
 public:
  static constexpr std::size_t index_threshold = 32;

  SetValue() = default;
  SetValue(const SetValue&) = delete;  // the index's hasher points at members_
  SetValue& operator=(const SetValue&) = delete;

  std::size_t size() const { return members_.size(); }
  bool empty() const { return members_.empty(); }
  const std::vector<std::string>& members() const { return members_; }
  const std::string& at(std::size_t i) const { return members_[i]; }

  bool contains(std::string_view member) const { return position(member) != npos; }
  bool add(std::string_view member);
  bool remove(std::string_view member);
  // Removes the member at position i (the last member takes its place).
  std::string take(std::size_t i);

  std::size_t footprint() const;

 private:
  static constexpr std::size_t npos = ~std::size_t(0);

  struct IndexHash {
    using is_transparent = void;
    using is_avalanching = void;
    const std::vector<std::string>* members;
    std::size_t operator()(std::uint32_t i) const { return hash_key((*members)[i]); }
    std::size_t operator()(std::string_view s) const { return hash_key(s); }
  };
  struct IndexEqual {
    using is_transparent = void;
    const std::vector<std::string>* members;
    bool operator()(std::uint32_t a, std::uint32_t b) const { return a == b; }
    bool operator()(std::uint32_t a, std::string_view b) const { return (*members)[a] == b; }
    bool operator()(std::string_view a, std::uint32_t b) const { return a == (*members)[b]; }
  };
  using Index = boost::unordered_flat_set<std::uint32_t, IndexHash, IndexEqual>;

  std::size_t position(std::string_view member) const;
  void build_index();

  std::vector<std::string> members_;
  std::unique_ptr<Index> index_;
  std::size_t member_heap_ = 0;
};

}  // namespace cachet::memory
