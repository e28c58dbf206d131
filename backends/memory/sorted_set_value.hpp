// A sorted set: members ordered by score, then by member bytes, as Redis orders them.
//
// Small (up to small_limit members, as Redis keeps a listpack below 128 entries) it is one
// vector of (score, member) kept in order: a lookup by member is a linear scan of a few
// cache lines, a lookup by rank or score a binary search, and there is no per-member node.
// Past that it becomes a skip list with spans (Redis's zskiplist: each link knows how many
// members it jumps, so rank and range-by-rank are O(log n)) plus a flat hash index from
// member to node. Each node is one allocation holding its links, score and the member bytes,
// and the index holds only node pointers, so a member costs one malloc chunk and a 8-byte slot.
#pragma once

#include "engine/storage/sorted_sets.hpp"
#include "entry_table.hpp"

#include <boost/unordered/unordered_flat_set.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::memory {

class SortedSetValue {
 public:
  static constexpr std::size_t small_limit = 128;

  SortedSetValue();
  ~SortedSetValue();
  SortedSetValue(const SortedSetValue&) = delete;
  SortedSetValue& operator=(const SortedSetValue&) = delete;

  std::size_t size() const;
  bool empty() const { return size() == 0; }
  bool is_small() const { return list_ == nullptr; }

  std::optional<double> score(std::string_view member) const;
  // Inserts or moves a member (score not NaN); true when it is new.
  bool insert(std::string_view member, double score);
  // Changes the score of an existing member.
  void update(std::string_view member, double old_score, double score);
  bool remove(std::string_view member);
  // The 0-based ascending rank of a member.
  std::optional<std::size_t> rank(std::string_view member) const;
  // How many members have a score below `bound` (below or at it when `or_equal`).
  std::size_t count_below(double bound, bool or_equal) const;
  // Calls f(member, score) for the members of ranks [first, last) in ascending order, or in
  // descending order from rank last - 1 down to first when `descending`.
  template <class F>
  void visit(std::size_t first, std::size_t last, bool descending, F&& f) const;
  // Removes the members of ranks [first, last).
  void remove_ranks(std::size_t first, std::size_t last);

  std::size_t footprint() const;

 private:
  struct Item {
    double score;
    std::string member;
  };
  struct Node;
  struct SkipList;
  struct NodeHash {
    using is_transparent = void;
    using is_avalanching = void;
    std::size_t operator()(const Node* n) const;
    std::size_t operator()(std::string_view s) const { return hash_key(s); }
  };
  struct NodeEqual {
    using is_transparent = void;
    bool operator()(const Node* a, const Node* b) const { return a == b; }
    bool operator()(const Node* a, std::string_view b) const;
    bool operator()(std::string_view a, const Node* b) const { return (*this)(b, a); }
  };
  using Index = boost::unordered_flat_set<Node*, NodeHash, NodeEqual>;

  std::size_t small_position(std::string_view member) const;
  std::size_t small_insert_position(double score, std::string_view member) const;
  void grow();  // small -> skip list
  const Node* node_at(std::size_t rank) const;
  static std::string_view member_of(const Node* n);
  static double score_of(const Node* n);
  static const Node* next_of(const Node* n);
  static const Node* previous_of(const Node* n);

  std::vector<Item> small_;
  std::size_t small_heap_ = 0;
  std::unique_ptr<SkipList> list_;
  std::unique_ptr<Index> index_;
};

template <class F>
void SortedSetValue::visit(std::size_t first, std::size_t last, bool descending, F&& f) const {
  if (first >= last) return;
  if (is_small()) {
    if (descending) {
      for (std::size_t i = last; i-- > first;) f(std::string_view(small_[i].member), small_[i].score);
    } else {
      for (std::size_t i = first; i < last; ++i) f(std::string_view(small_[i].member), small_[i].score);
    }
    return;
  }
  if (descending) {
    const Node* n = node_at(last - 1);
    for (std::size_t i = last; i-- > first; n = previous_of(n)) f(member_of(n), score_of(n));
  } else {
    const Node* n = node_at(first);
    for (std::size_t i = first; i < last; ++i, n = next_of(n)) f(member_of(n), score_of(n));
  }
}

}  // namespace cachet::memory
