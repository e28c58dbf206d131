// The sorted set's two shapes: the ordered vector and the skip list with spans.
#include "sorted_set_value.hpp"

#include "list_value.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace cachet::memory {
namespace {

// Ascending order: by score, then by member bytes (unsigned, as memcmp compares).
bool before(double a_score, std::string_view a, double b_score, std::string_view b) {
  return a_score < b_score || (a_score == b_score && a < b);
}

}  // namespace

// One skip list node in one allocation: the header below, `height` links, the member bytes.
struct SortedSetValue::Node {
  struct Link {
    Node* forward;
    std::size_t span;  // how many members the link jumps (ranks are sums of spans)
  };
  double score;
  Node* backward;
  std::uint32_t member_size;
  std::uint8_t height;

  Link* links() { return reinterpret_cast<Link*>(reinterpret_cast<char*>(this) + sizeof(Node)); }
  const Link* links() const { return reinterpret_cast<const Link*>(reinterpret_cast<const char*>(this) + sizeof(Node)); }
  std::string_view member() const { return {reinterpret_cast<const char*>(links() + height), member_size}; }

  static std::size_t bytes(std::size_t height, std::size_t member_size) {
    return sizeof(Node) + height * sizeof(Link) + member_size;
  }
  static Node* make(std::size_t height, std::string_view member, double score) {
    auto* n = static_cast<Node*>(std::malloc(bytes(height, member.size())));
    if (n == nullptr) throw std::bad_alloc();
    n->score = score;
    n->backward = nullptr;
    n->member_size = std::uint32_t(member.size());
    n->height = std::uint8_t(height);
    for (std::size_t i = 0; i < height; ++i) n->links()[i] = {nullptr, 0};
    if (!member.empty()) std::memcpy(reinterpret_cast<char*>(n->links() + height), member.data(), member.size());
    return n;
  }
};

// Redis's zskiplist: at most 32 levels, each level a quarter as likely as the one below.
struct SortedSetValue::SkipList {
  static constexpr std::size_t max_height = 32;

  Node* header = Node::make(max_height, {}, 0);
  Node* tail = nullptr;
  std::size_t size = 0;
  std::size_t height = 1;
  std::size_t node_bytes = 0;  // what the members' nodes take from malloc
  std::uint64_t random_state;

  explicit SkipList(std::uint64_t seed) : random_state(seed | 1) {}
  ~SkipList() {
    Node* n = header->links()[0].forward;
    while (n != nullptr) {
      Node* next = n->links()[0].forward;
      std::free(n);
      n = next;
    }
    std::free(header);
  }

  std::size_t random_height() {
    std::size_t h = 1;
    for (;;) {
      // xorshift64*: two bits per level decide a 1-in-4 promotion.
      random_state ^= random_state >> 12;
      random_state ^= random_state << 25;
      random_state ^= random_state >> 27;
      std::uint64_t bits = random_state * 0x2545F4914F6CDD1DULL;
      for (int i = 0; i < 32; ++i, bits >>= 2) {
        if ((bits & 3) != 0 || h == max_height) return h;
        ++h;
      }
    }
  }

  // The last node at each level before (score, member), with the rank each one stands at.
  void path(double score, std::string_view member, Node** update, std::size_t* rank) const {
    Node* x = header;
    for (std::size_t i = height; i-- > 0;) {
      rank[i] = i == height - 1 ? 0 : rank[i + 1];
      for (Node* f = x->links()[i].forward; f && before(f->score, f->member(), score, member);
           f = x->links()[i].forward) {
        rank[i] += x->links()[i].span;
        x = f;
      }
      update[i] = x;
    }
  }

  void link(Node* x) {
    Node* update[max_height] = {};
    std::size_t rank[max_height] = {};
    path(x->score, x->member(), update, rank);
    const std::size_t h = x->height;
    if (h > height) {
      for (std::size_t i = height; i < h; ++i) {
        rank[i] = 0;
        update[i] = header;
        header->links()[i].span = size;
      }
      height = h;
    }
    for (std::size_t i = 0; i < h; ++i) {
      x->links()[i].forward = update[i]->links()[i].forward;
      update[i]->links()[i].forward = x;
      x->links()[i].span = update[i]->links()[i].span - (rank[0] - rank[i]);
      update[i]->links()[i].span = rank[0] - rank[i] + 1;
    }
    for (std::size_t i = h; i < height; ++i) ++update[i]->links()[i].span;
    x->backward = update[0] == header ? nullptr : update[0];
    if (Node* f = x->links()[0].forward) f->backward = x;
    else tail = x;
    ++size;
  }

  void unlink(Node* x, Node** update) {
    for (std::size_t i = 0; i < height; ++i) {
      if (update[i]->links()[i].forward == x) {
        update[i]->links()[i].span += x->links()[i].span - 1;
        update[i]->links()[i].forward = x->links()[i].forward;
      } else {
        --update[i]->links()[i].span;
      }
    }
    if (Node* f = x->links()[0].forward) f->backward = x->backward;
    else tail = x->backward;
    while (height > 1 && header->links()[height - 1].forward == nullptr) --height;
    --size;
  }

  // Unlinks the node of (score, member), which must be there.
  Node* unlink(double score, std::string_view member) {
    Node* update[max_height] = {};
    std::size_t rank[max_height] = {};
    path(score, member, update, rank);
    Node* x = update[0]->links()[0].forward;
    unlink(x, update);
    return x;
  }

  Node* insert(std::string_view member, double score) {
    Node* x = Node::make(random_height(), member, score);
    node_bytes += allocation_bytes(Node::bytes(x->height, member.size()));
    link(x);
    return x;
  }

  void release(Node* x) {
    node_bytes -= allocation_bytes(Node::bytes(x->height, x->member_size));
    std::free(x);
  }

  // The 1-based rank of the node of (score, member), which must be there.
  std::size_t rank_of(double score, std::string_view member) const {
    std::size_t rank = 0;
    const Node* x = header;
    for (std::size_t i = height; i-- > 0;) {
      for (const Node* f = x->links()[i].forward; f && !before(score, member, f->score, f->member());
           f = x->links()[i].forward) {
        rank += x->links()[i].span;
        x = f;
      }
    }
    return rank;
  }

  std::size_t count_below(double bound, bool or_equal) const {
    std::size_t rank = 0;
    const Node* x = header;
    for (std::size_t i = height; i-- > 0;) {
      for (const Node* f = x->links()[i].forward; f && (f->score < bound || (or_equal && f->score == bound));
           f = x->links()[i].forward) {
        rank += x->links()[i].span;
        x = f;
      }
    }
    return rank;
  }

  // The node at 1-based rank `target` (1..size).
  const Node* at(std::size_t target) const {
    std::size_t traversed = 0;
    const Node* x = header;
    for (std::size_t i = height; i-- > 0;) {
      while (x->links()[i].forward && traversed + x->links()[i].span <= target) {
        traversed += x->links()[i].span;
        x = x->links()[i].forward;
      }
      if (traversed == target) return x;
    }
    return nullptr;
  }
};

std::size_t SortedSetValue::NodeHash::operator()(const Node* n) const { return hash_key(n->member()); }
bool SortedSetValue::NodeEqual::operator()(const Node* a, std::string_view b) const { return a->member() == b; }

SortedSetValue::SortedSetValue() = default;
SortedSetValue::~SortedSetValue() = default;

std::size_t SortedSetValue::size() const { return list_ ? list_->size : small_.size(); }

std::string_view SortedSetValue::member_of(const Node* n) { return n->member(); }
double SortedSetValue::score_of(const Node* n) { return n->score; }
const SortedSetValue::Node* SortedSetValue::next_of(const Node* n) { return n->links()[0].forward; }
const SortedSetValue::Node* SortedSetValue::previous_of(const Node* n) { return n->backward; }

const SortedSetValue::Node* SortedSetValue::node_at(std::size_t rank) const { return list_->at(rank + 1); }

std::size_t SortedSetValue::small_position(std::string_view member) const {
  for (std::size_t i = 0; i < small_.size(); ++i) {
    if (small_[i].member == member) return i;
  }
  return small_.size();
}

std::size_t SortedSetValue::small_insert_position(double score, std::string_view member) const {
  auto it = std::lower_bound(small_.begin(), small_.end(), 0, [&](const Item& item, int) {
    return before(item.score, item.member, score, member);
  });
  return std::size_t(it - small_.begin());
}

std::optional<double> SortedSetValue::score(std::string_view member) const {
  if (is_small()) {
    const std::size_t i = small_position(member);
    if (i == small_.size()) return std::nullopt;
    return small_[i].score;
  }
  auto it = index_->find(member);
  if (it == index_->end()) return std::nullopt;
  return (*it)->score;
}

bool SortedSetValue::insert(std::string_view member, double score) {
  if (auto old = this->score(member)) {
    update(member, *old, score);
    return false;
  }
  if (is_small()) {
    const std::size_t at = small_insert_position(score, member);
    small_.insert(small_.begin() + std::ptrdiff_t(at), Item{score, std::string(member)});
    small_heap_ += string_heap_bytes(small_[at].member);
    if (small_.size() > small_limit) grow();
    return true;
  }
  index_->insert(list_->insert(member, score));
  return true;
}

void SortedSetValue::grow() {
  list_ = std::make_unique<SkipList>(std::uint64_t(reinterpret_cast<std::uintptr_t>(this)) * 0x9E3779B97F4A7C15ULL);
  index_ = std::make_unique<Index>();
  index_->reserve(small_.size() * 2);
  for (const Item& item : small_) index_->insert(list_->insert(item.member, item.score));
  small_ = {};
  small_heap_ = 0;
}

void SortedSetValue::update(std::string_view member, double old_score, double score) {
  if (is_small()) {
    const std::size_t from = small_position(member);
    Item item = std::move(small_[from]);
    small_.erase(small_.begin() + std::ptrdiff_t(from));
    item.score = score;
    const std::size_t to = small_insert_position(score, member);
    small_.insert(small_.begin() + std::ptrdiff_t(to), std::move(item));
    return;
  }
  // Relinked in its new place: the node (and the index's pointer to it) stays.
  Node* x = list_->unlink(old_score, member);
  x->score = score;
  for (std::size_t i = 0; i < x->height; ++i) x->links()[i] = {nullptr, 0};
  list_->link(x);
}

bool SortedSetValue::remove(std::string_view member) {
  if (is_small()) {
    const std::size_t i = small_position(member);
    if (i == small_.size()) return false;
    small_heap_ -= string_heap_bytes(small_[i].member);
    small_.erase(small_.begin() + std::ptrdiff_t(i));
    return true;
  }
  auto it = index_->find(member);
  if (it == index_->end()) return false;
  Node* node = *it;
  index_->erase(it);
  list_->unlink(node->score, node->member());
  list_->release(node);
  return true;
}

std::optional<std::size_t> SortedSetValue::rank(std::string_view member) const {
  if (is_small()) {
    const std::size_t i = small_position(member);
    if (i == small_.size()) return std::nullopt;
    return i;
  }
  auto it = index_->find(member);
  if (it == index_->end()) return std::nullopt;
  return list_->rank_of((*it)->score, (*it)->member()) - 1;
}

std::size_t SortedSetValue::count_below(double bound, bool or_equal) const {
  if (is_small()) {
    auto it = std::partition_point(small_.begin(), small_.end(), [&](const Item& item) {
      return item.score < bound || (or_equal && item.score == bound);
    });
    return std::size_t(it - small_.begin());
  }
  return list_->count_below(bound, or_equal);
}

void SortedSetValue::remove_ranks(std::size_t first, std::size_t last) {
  if (first >= last) return;
  if (is_small()) {
    for (std::size_t i = first; i < last; ++i) small_heap_ -= string_heap_bytes(small_[i].member);
    small_.erase(small_.begin() + std::ptrdiff_t(first), small_.begin() + std::ptrdiff_t(last));
    return;
  }
  // One descent to the first rank, then each removal reuses the same path (Redis's
  // zslDeleteRangeByRank): O(log n + k).
  Node* update[SkipList::max_height] = {};
  Node* x = list_->header;
  std::size_t traversed = 0;
  for (std::size_t i = list_->height; i-- > 0;) {
    while (x->links()[i].forward && traversed + x->links()[i].span < first + 1) {
      traversed += x->links()[i].span;
      x = x->links()[i].forward;
    }
    update[i] = x;
  }
  x = x->links()[0].forward;
  for (std::size_t removed = first; x != nullptr && removed < last; ++removed) {
    Node* next = x->links()[0].forward;
    list_->unlink(x, update);
    index_->erase(x);
    list_->release(x);
    x = next;
  }
}

std::size_t SortedSetValue::footprint() const {
  std::size_t bytes = allocation_bytes(sizeof(SortedSetValue));
  if (is_small()) {
    if (small_.capacity()) bytes += allocation_bytes(small_.capacity() * sizeof(Item));
    return bytes + small_heap_;
  }
  bytes += allocation_bytes(sizeof(SkipList)) +
           allocation_bytes(Node::bytes(SkipList::max_height, 0)) + list_->node_bytes;
  // Boost's flat set: an 8-byte slot plus about a metadata byte per bucket.
  bytes += allocation_bytes(sizeof(Index)) + allocation_bytes(index_->bucket_count() * 9 + 16);
  return bytes;
}

}  // namespace cachet::memory
