// Fuzz target: the memory engine against a model. The input is a sequence of operations on a
// few keys of a fresh cachet::memory::MemoryStorage (strings, lists, sets, hashes, sorted sets
// (small and past 128 members), expiry actions on writes, the test clock moving forward); every
// answer, value or Errc, must be the one a small model of Redis's rules gives: a map from key
// to a string, list, set, hash or sorted set and its deadline.
// An operation is a byte for the key (k0..k3), a byte for the operation (see Run::step), then
// its arguments; a value byte below 0x80 picks one of Input::value's table, the expiry byte
// picks persist, keep, a TTL of 1-3 seconds or "deletes" (Expiry::read).
//
// Time: the model counts whole seconds. A TTL of n seconds is given to the engine as n.5 s and
// the clock moves in whole seconds, so a key is alive at model time t exactly while t <= its
// deadline, whatever few milliseconds the run itself takes. Should the machine stall so long
// that real time drifts a quarter second from the model's, the input stops there.
#include "backends/memory/memory_storage.hpp"
#include "engine/clock.hpp"

#include <cachet/testing.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <expected>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

using namespace std::chrono_literals;
using cachet::Errc;
using cachet::engine::ExpiryAction;
using cachet::ListPos;
using cachet::engine::SetCondition;

namespace {

constexpr std::int64_t second_ms = 1000;
constexpr std::int64_t max_drift_ms = 250;
constexpr std::int64_t max_seconds_per_input = 32;  // the clock never goes back: keep its total offset small

template <class T>
using Expected = std::expected<T, Errc>;
using List = std::deque<std::string>;
using Set = std::set<std::string>;
using Hash = std::map<std::string, std::string>;
using cachet::engine::ScoredMember;
using cachet::engine::ZAddMode;
using cachet::engine::ZScoreBound;
// A sorted set: member to score; its order (score, then member bytes) is computed when read.
struct ZSet {
  std::map<std::string, double> scores;
  bool empty() const { return scores.empty(); }
  std::vector<ScoredMember> ordered() const {
    std::vector<std::pair<double, std::string>> pairs;
    for (const auto& [m, s] : scores) pairs.emplace_back(s, m);
    std::sort(pairs.begin(), pairs.end());
    std::vector<ScoredMember> out;
    for (auto& [s, m] : pairs) out.push_back({std::move(m), s});
    return out;
  }
};

// ------------------------------------------------------------------------------------------
// Reading the input

class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return size_ == 0; }
  std::uint8_t byte() {
    if (size_ == 0) return 0;
    --size_;
    return *data_++;
  }

  std::string key() { return "k" + std::to_string(byte() % 4); }

  // Mostly values that matter to the rules (integers, near-integers, the limits), else raw bytes.
  std::string value() {
    static const std::string_view table[] = {
        "", "a", "b", "abc", "0", "1", "-1", "42", "01", "-0", " 1", "+1", "9223372036854775807",
        "-9223372036854775808", "9223372036854775808", "1.5", "a/b", std::string_view("x\0y", 3),
    };
    const std::uint8_t b = byte();
    if (b < 0x80) return std::string(table[b % std::size(table)]);
    std::string raw;
    for (int i = b & 7; i > 0; --i) raw += char(byte());
    return raw;
  }

  std::vector<std::string> values() {
    std::vector<std::string> out(byte() % 4);
    for (auto& v : out) v = value();
    return out;
  }

  // An index, count or delta: small either way, or one of the int64 limits.
  std::int64_t number() {
    const std::uint8_t b = byte();
    if (b == 0x80) return std::numeric_limits<std::int64_t>::min();
    if (b == 0x7f) return std::numeric_limits<std::int64_t>::max();
    return static_cast<std::int8_t>(b);
  }

  ListPos end() { return byte() % 2 ? ListPos::Right : ListPos::Left; }

  // A score: small integers and halves, or the infinities (never NaN, which is refused earlier).
  double score() {
    const std::uint8_t b = byte();
    if (b == 0xff) return std::numeric_limits<double>::infinity();
    if (b == 0xfe) return -std::numeric_limits<double>::infinity();
    return double(static_cast<std::int8_t>(b) % 8) / ((b & 0x10) ? 2 : 1);
  }
  ZScoreBound bound() { return {score(), (byte() & 1) == 0}; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
};

// What a write does to the TTL, for the engine and for the model.
struct Expiry {
  enum class Kind { persist, keep, ttl, deletes } kind;
  std::int64_t seconds = 0;

  static Expiry read(Input& in) {
    switch (in.byte() % 8) {
      case 3: return {Kind::keep};
      case 4: return {Kind::ttl, 1};
      case 5: return {Kind::ttl, 2};
      case 6: return {Kind::ttl, 3};
      case 7: return {Kind::deletes};
      default: return {Kind::persist};
    }
  }
  ExpiryAction action() const {
    switch (kind) {
      case Kind::keep: return ExpiryAction::keep();
      case Kind::ttl: return ExpiryAction::after(std::chrono::milliseconds(seconds * second_ms + second_ms / 2));
      case Kind::deletes: return ExpiryAction::after(0ms);
      case Kind::persist: break;
    }
    return ExpiryAction::persist();
  }
};

// ------------------------------------------------------------------------------------------
// The model: Redis's rules written plainly

class Model {
 public:
  struct Item {
    std::variant<std::string, List, Set, Hash, ZSet> value;
    std::optional<std::int64_t> deadline;  // the last second the key is alive
  };

  std::int64_t now = 0;  // seconds since the input started

  // The live key, or nullptr; keys whose deadline has passed are gone.
  Item* find(const std::string& key) {
    auto it = items_.find(key);
    if (it == items_.end()) return nullptr;
    if (it->second.deadline && *it->second.deadline < now) {
      items_.erase(it);
      return nullptr;
    }
    return &it->second;
  }
  std::size_t live_keys() {
    std::size_t n = 0;
    for (int i = 0; i < 4; ++i) n += find("k" + std::to_string(i)) ? 1 : 0;
    return n;
  }
  void erase(const std::string& key) { items_.erase(key); }

  template <class T>
  static T* as(Item* item) {
    return item ? std::get_if<T>(&item->value) : nullptr;
  }
  template <class T>
  static bool other_type(Item* item) {
    return item && !std::holds_alternative<T>(item->value);
  }

  // SET's rule: the value replaces whatever was there; keep_ttl keeps the old key's deadline.
  void put_string(const std::string& key, std::string value, Expiry e) {
    if (e.kind == Expiry::Kind::deletes) return erase(key);
    Item* old = find(key);
    std::optional<std::int64_t> deadline;
    if (e.kind == Expiry::Kind::keep && old) deadline = old->deadline;
    if (e.kind == Expiry::Kind::ttl) deadline = now + e.seconds;
    items_[key] = Item{std::move(value), deadline};
  }

  // Every other write: the expiry applies to the key if it exists after the write.
  void apply(const std::string& key, Expiry e) {
    Item* item = find(key);
    if (!item) return;
    switch (e.kind) {
      case Expiry::Kind::deletes: return erase(key);
      case Expiry::Kind::persist: item->deadline.reset(); return;
      case Expiry::Kind::ttl: item->deadline = now + e.seconds; return;
      case Expiry::Kind::keep: return;
    }
  }

  // A list, set or hash created by a write (the write then applies its expiry as usual).
  template <class T>
  T& create(const std::string& key, Expiry e) {
    items_[key] = Item{T{}, e.kind == Expiry::Kind::ttl ? std::optional(now + e.seconds) : std::nullopt};
    return std::get<T>(items_[key].value);
  }

  // A list, set or hash left empty by a write is removed; else the write's expiry applies.
  template <class T>
  void finish(const std::string& key, Expiry e) {
    if (T* c = as<T>(find(key)); c && c->empty()) erase(key);
    else apply(key, e);
  }

 private:
  std::map<std::string, Item> items_;
};

// Redis's integer rule: optional '-', digits, no leading zeros, no "-0", within int64.
std::optional<std::int64_t> canonical_integer(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || std::to_string(value) != text) return std::nullopt;
  return value;
}

// Redis's index rules: negative counts from the end.
std::optional<std::size_t> index_in(std::int64_t index, std::size_t size) {
  const auto n = std::int64_t(size);
  if (index < 0) index += n;
  if (index < 0 || index >= n) return std::nullopt;
  return std::size_t(index);
}
// LRANGE/LTRIM: [first, last] within the list, or nullopt for no element.
std::optional<std::pair<std::size_t, std::size_t>> range_in(std::int64_t start, std::int64_t stop, std::size_t size) {
  const auto n = std::int64_t(size);
  if (start < 0) start = std::max<std::int64_t>(start + n, 0);
  if (stop < 0) stop += n;
  if (stop >= n) stop = n - 1;
  if (start > stop || start >= n) return std::nullopt;
  return std::pair{std::size_t(start), std::size_t(stop)};
}

// ------------------------------------------------------------------------------------------
// Comparing answers

std::string show(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += char(c);
    } else {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
      out += buffer;
    }
  }
  return out + "\"";
}
std::string show(std::int64_t n) { return std::to_string(n); }
std::string show(bool b) { return b ? "true" : "false"; }
std::string show(const std::vector<std::string>& v) {
  std::string out = "[";
  for (const auto& s : v) out += (out.size() > 1 ? ", " : "") + show(s);
  return out + "]";
}
std::string show(const std::optional<std::string>& v) { return v ? show(*v) : "nil"; }
std::string show(double d) { return std::to_string(d); }
std::string show(const std::optional<std::int64_t>& v) { return v ? show(*v) : "nil"; }
std::string show(const std::vector<ScoredMember>& v) {
  std::string out = "[";
  for (const auto& m : v) out += (out.size() > 1 ? ", " : "") + show(m.member) + "=" + show(m.score);
  return out + "]";
}

template <class T>
std::string show_result(const std::expected<T, Errc>& r) {
  if (!r) return "error " + std::string(cachet::errc_name(r.error()));
  if constexpr (std::is_void_v<T>) return "ok";
  else return show(*r);
}

template <class T>
Expected<T> codes(const cachet::Result<T>& r) {
  if (!r) return std::unexpected(r.error().code);
  if constexpr (std::is_void_v<T>) return {};
  else return *r;
}

[[noreturn]] void mismatch(int step, std::string_view op, const std::string& key, const std::string& actual,
                           const std::string& expected) {
  std::fprintf(stderr, "memory_model: step %d, %.*s %s:\n  engine answered %s\n  model expected  %s\n", step,
               int(op.size()), op.data(), show(key).c_str(), actual.c_str(), expected.c_str());
  std::abort();
}

// ------------------------------------------------------------------------------------------
// One run

class Run {
 public:
  Run() : storage_(cachet::memory::MemoryConfig{.seed = 1}), base_ms_(cachet::engine::clock::now_ms()) {}

  // Whether real time is still within the model's second (see the file comment).
  bool in_step() const {
    const std::int64_t drift = cachet::engine::clock::now_ms() - (base_ms_ + model_.now * second_ms);
    return drift >= 0 && drift < max_drift_ms;
  }

  // Compares the engine's answer with the model's; false when the run must stop (time drifted).
  template <class T>
  bool same(std::string_view op, const std::string& key, const cachet::Result<T>& actual, const Expected<T>& expected) {
    if (!in_step()) return false;
    const Expected<T> got = codes(actual);
    if (got != expected) mismatch(step_, op, key, show_result(got), show_result(expected));
    return true;
  }

  bool step(Input& in);
  bool final_check();

 private:
  using Item = Model::Item;

  // A read checked with the model's answer for the same key.
  bool check_get(const std::string& key) {
    const auto actual = storage_.strings()->get(key);
    Item* item = model_.find(key);
    Expected<std::string> expected = std::unexpected(Errc::miss);
    if (Model::other_type<std::string>(item)) expected = std::unexpected(Errc::wrong_type);
    else if (item) expected = std::get<std::string>(item->value);
    return same("get", key, actual, expected);
  }
  bool check_lrange(const std::string& key, std::int64_t start, std::int64_t stop) {
    const auto actual = storage_.lists()->lrange(key, start, stop);
    Item* item = model_.find(key);
    Expected<std::vector<std::string>> expected = std::vector<std::string>();
    if (Model::other_type<List>(item)) {
      expected = std::unexpected(Errc::wrong_type);
    } else if (const List* list = Model::as<List>(item)) {
      if (auto r = range_in(start, stop, list->size())) {
        expected = std::vector<std::string>(list->begin() + std::ptrdiff_t(r->first),
                                            list->begin() + std::ptrdiff_t(r->second + 1));
      }
    }
    return same("lrange", key, actual, expected);
  }
  bool check_smembers(const std::string& key) {
    auto actual = storage_.sets()->smembers(key);
    if (actual) std::sort(actual->begin(), actual->end());  // in no particular order
    Item* item = model_.find(key);
    Expected<std::vector<std::string>> expected = std::vector<std::string>();
    if (Model::other_type<Set>(item)) expected = std::unexpected(Errc::wrong_type);
    else if (const Set* set = Model::as<Set>(item)) expected = std::vector<std::string>(set->begin(), set->end());
    return same("smembers", key, actual, expected);
  }
  // HGETALL as field, value, field, value..., by field (a hash's answer has no order of its own).
  bool check_hgetall(const std::string& key) {
    auto pairs = storage_.hashes()->hgetall(key);
    cachet::Result<std::vector<std::string>> actual = std::vector<std::string>();
    if (!pairs) {
      actual = std::unexpected(pairs.error());
    } else {
      std::sort(pairs->begin(), pairs->end(), [](const auto& a, const auto& b) { return a.field < b.field; });
      for (auto& p : *pairs) {
        actual->push_back(std::move(p.field));
        actual->push_back(std::move(p.value));
      }
    }
    Item* item = model_.find(key);
    Expected<std::vector<std::string>> expected = std::vector<std::string>();
    if (Model::other_type<Hash>(item)) {
      expected = std::unexpected(Errc::wrong_type);
    } else if (const Hash* hash = Model::as<Hash>(item)) {
      for (const auto& [f, v] : *hash) {
        expected->push_back(f);
        expected->push_back(v);
      }
    }
    return same("hgetall", key, actual, expected);
  }
  bool hash_step(Input& in, const std::string& key, int op);

  bool check_zrange(const std::string& key, std::int64_t start, std::int64_t stop, bool reverse) {
    const auto actual = storage_.sorted_sets()->zrange(key, start, stop, reverse);
    Item* item = model_.find(key);
    Expected<std::vector<ScoredMember>> expected = std::vector<ScoredMember>();
    if (Model::other_type<ZSet>(item)) {
      expected = std::unexpected(Errc::wrong_type);
    } else if (const ZSet* z = Model::as<ZSet>(item)) {
      auto all = z->ordered();
      if (reverse) std::reverse(all.begin(), all.end());
      if (auto r = range_in(start, stop, all.size())) {
        expected = std::vector<ScoredMember>(all.begin() + std::ptrdiff_t(r->first),
                                             all.begin() + std::ptrdiff_t(r->second + 1));
      }
    }
    return same("zrange", key, actual, expected);
  }
  bool zadd(const std::string& key, const std::vector<ScoredMember>& members, ZAddMode mode, const Expiry& e) {
    const auto actual = storage_.sorted_sets()->zadd(key, members, mode, e.action());
    Item* item = model_.find(key);
    if (Model::other_type<ZSet>(item)) return same("zadd", key, actual, zset_wrong_type());
    if (members.empty() || (!item && mode == ZAddMode::if_present)) {
      return same("zadd", key, actual, Expected<std::int64_t>(0));
    }
    ZSet& z = item ? std::get<ZSet>(item->value) : model_.create<ZSet>(key, e);
    std::int64_t added = 0;
    for (const auto& m : members) {
      auto it = z.scores.find(m.member);
      if (it == z.scores.end()) {
        if (mode != ZAddMode::if_present) {
          z.scores[m.member] = m.score;
          ++added;
        }
      } else if (mode == ZAddMode::always || mode == ZAddMode::if_present ||
                 (mode == ZAddMode::if_greater && m.score > it->second) ||
                 (mode == ZAddMode::if_less && m.score < it->second)) {
        it->second = m.score;
      }
    }
    model_.finish<ZSet>(key, e);
    return same("zadd", key, actual, Expected<std::int64_t>(added));
  }
  static Expected<std::int64_t> zset_wrong_type() { return std::unexpected(Errc::wrong_type); }

  cachet::memory::MemoryStorage storage_;
  Model model_;
  std::int64_t base_ms_;
  std::int64_t seconds_moved_ = 0;
  int step_ = 0;
};

const Expected<std::int64_t> wrong_type_count = std::unexpected(Errc::wrong_type);

bool Run::step(Input& in) {
  ++step_;
  const std::string key = in.key();
  Item* item = nullptr;
  const auto lookup = [&] { item = model_.find(key); };
  const int op = in.byte() % 46;
  if (op >= 37) return hash_step(in, key, op - 37);
  switch (op) {
    case 0:
    case 1:
    case 2: {  // SET, SET NX, SET XX
      const std::uint8_t which = in.byte() % 3;
      const SetCondition condition = which == 0 ? SetCondition::always
                                     : which == 1 ? SetCondition::if_absent
                                                  : SetCondition::if_present;
      const std::string value = in.value();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.strings()->set(key, value, condition, e.action());
      lookup();
      const bool writes = condition == SetCondition::always || (condition == SetCondition::if_absent) == !item;
      if (writes) model_.put_string(key, value, e);
      return same("set", key, actual, Expected<bool>(writes));
    }
    case 3: return check_get(key);
    case 4: {  // APPEND
      const std::string value = in.value();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.strings()->append(key, value, e.action());
      lookup();
      if (Model::other_type<std::string>(item)) return same("append", key, actual, wrong_type_count);
      const std::string joined = (item ? std::get<std::string>(item->value) : std::string()) + value;
      model_.put_string(key, joined, e);
      return same("append", key, actual, Expected<std::int64_t>(std::int64_t(joined.size())));
    }
    case 5: {  // INCRBY
      const std::int64_t delta = in.number();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.strings()->incrby(key, delta, e.action());
      lookup();
      Expected<std::int64_t> expected = std::unexpected(Errc::wrong_type);
      if (!Model::other_type<std::string>(item)) {
        const auto old =
            item ? canonical_integer(std::get<std::string>(item->value)) : std::optional<std::int64_t>(0);
        std::int64_t sum = 0;
        if (!old) {
          expected = std::unexpected(Errc::invalid_value);
        } else if (__builtin_add_overflow(*old, delta, &sum)) {
          expected = std::unexpected(Errc::out_of_range);
        } else {
          expected = sum;
          model_.put_string(key, std::to_string(sum), e);
        }
      }
      return same("incrby", key, actual, expected);
    }
    case 6: {  // DEL of one or two keys (maybe the same one twice)
      const std::vector<std::string> keys = {key, in.key()};
      const std::size_t count = 1 + in.byte() % 2;
      const auto actual = storage_.keys().del(std::span(keys).first(count));
      std::int64_t removed = 0;
      for (std::size_t i = 0; i < count; ++i) {
        if (model_.find(keys[i])) {
          model_.erase(keys[i]);
          ++removed;
        }
      }
      return same("del", key, actual, Expected<std::int64_t>(removed));
    }
    case 7:
    case 8: {  // LPUSH, RPUSH
      const ListPos end = in.end();
      const auto values = in.values();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.lists()->push(key, end, values, e.action());
      lookup();
      if (Model::other_type<List>(item)) return same("push", key, actual, wrong_type_count);
      if (values.empty()) {  // nothing pushed: the length, and no expiry applied
        const std::int64_t length = item ? std::int64_t(std::get<List>(item->value).size()) : 0;
        return same("push", key, actual, Expected<std::int64_t>(length));
      }
      List& list = item ? std::get<List>(item->value) : model_.create<List>(key, e);
      for (const auto& v : values) {
        if (end == ListPos::Left) list.push_front(v);
        else list.push_back(v);
      }
      const auto length = std::int64_t(list.size());
      model_.apply(key, e);
      return same("push", key, actual, Expected<std::int64_t>(length));
    }
    case 9: {  // LPOP, RPOP
      const ListPos end = in.end();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.lists()->pop(key, end, e.action());
      lookup();
      Expected<std::string> expected = std::unexpected(item ? Errc::wrong_type : Errc::miss);
      if (List* list = Model::as<List>(item)) {
        expected = end == ListPos::Left ? list->front() : list->back();
        if (end == ListPos::Left) list->pop_front();
        else list->pop_back();
        model_.finish<List>(key, e);
      }
      return same("pop", key, actual, expected);
    }
    case 10: {  // LINDEX
      const std::int64_t index = in.number();
      const auto actual = storage_.lists()->lindex(key, index);
      lookup();
      Expected<std::string> expected = std::unexpected(item ? Errc::wrong_type : Errc::miss);
      if (List* list = Model::as<List>(item)) {
        if (auto i = index_in(index, list->size())) expected = (*list)[*i];
        else expected = std::unexpected(Errc::miss);
      }
      return same("lindex", key, actual, expected);
    }
    case 11: {  // LSET
      const std::int64_t index = in.number();
      const std::string value = in.value();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.lists()->lset(key, index, value, e.action());
      lookup();
      Expected<void> expected = std::unexpected(item ? Errc::wrong_type : Errc::miss);
      if (List* list = Model::as<List>(item)) {
        if (auto i = index_in(index, list->size())) {
          (*list)[*i] = value;
          model_.apply(key, e);
          expected = {};
        } else {
          expected = std::unexpected(Errc::out_of_range);
        }
      }
      return same("lset", key, actual, expected);
    }
    case 12: {  // LTRIM
      const std::int64_t start = in.number(), stop = in.number();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.lists()->ltrim(key, start, stop, e.action());
      lookup();
      Expected<void> expected = {};
      if (Model::other_type<List>(item)) {
        expected = std::unexpected(Errc::wrong_type);
      } else if (List* list = Model::as<List>(item)) {
        const auto r = range_in(start, stop, list->size());
        List kept;
        if (r) kept.assign(list->begin() + std::ptrdiff_t(r->first), list->begin() + std::ptrdiff_t(r->second + 1));
        *list = std::move(kept);
        model_.finish<List>(key, e);
      }
      return same("ltrim", key, actual, expected);
    }
    case 13: {
      const std::int64_t start = in.number(), stop = in.number();
      return check_lrange(key, start, stop);
    }
    case 14: {  // LLEN
      const auto actual = storage_.lists()->llen(key);
      lookup();
      Expected<std::int64_t> expected = 0;
      if (Model::other_type<List>(item)) expected = std::unexpected(Errc::wrong_type);
      else if (List* list = Model::as<List>(item)) expected = std::int64_t(list->size());
      return same("llen", key, actual, expected);
    }
    case 15: {  // SADD
      const auto members = in.values();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.sets()->sadd(key, members, e.action());
      lookup();
      if (Model::other_type<Set>(item)) return same("sadd", key, actual, wrong_type_count);
      if (members.empty()) return same("sadd", key, actual, Expected<std::int64_t>(0));
      Set& set = item ? std::get<Set>(item->value) : model_.create<Set>(key, e);
      std::int64_t added = 0;
      for (const auto& m : members) added += set.insert(m).second ? 1 : 0;
      model_.apply(key, e);
      return same("sadd", key, actual, Expected<std::int64_t>(added));
    }
    case 16: {  // SREM
      const auto members = in.values();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.sets()->srem(key, members, e.action());
      lookup();
      Expected<std::int64_t> expected = 0;
      if (Model::other_type<Set>(item)) {
        expected = std::unexpected(Errc::wrong_type);
      } else if (Set* set = Model::as<Set>(item)) {
        std::int64_t removed = 0;
        for (const auto& m : members) removed += std::int64_t(set->erase(m));
        expected = removed;
        model_.finish<Set>(key, e);
      }
      return same("srem", key, actual, expected);
    }
    case 17: {  // SISMEMBER
      const std::string member = in.value();
      const auto actual = storage_.sets()->sismember(key, member);
      lookup();
      Expected<bool> expected = false;
      if (Model::other_type<Set>(item)) expected = std::unexpected(Errc::wrong_type);
      else if (Set* set = Model::as<Set>(item)) expected = set->contains(member);
      return same("sismember", key, actual, expected);
    }
    case 18: {  // SCARD
      const auto actual = storage_.sets()->scard(key);
      lookup();
      Expected<std::int64_t> expected = 0;
      if (Model::other_type<Set>(item)) expected = std::unexpected(Errc::wrong_type);
      else if (Set* set = Model::as<Set>(item)) expected = std::int64_t(set->size());
      return same("scard", key, actual, expected);
    }
    case 19: return check_smembers(key);
    case 20: {  // time passes
      const std::int64_t seconds = 1 + in.byte() % 3;
      if (seconds_moved_ + seconds > max_seconds_per_input) return true;
      seconds_moved_ += seconds;
      cachet::testing::advance_time(std::chrono::seconds(seconds));
      model_.now += seconds;
      return in_step();
    }
    case 21: {  // PTTL: within a quarter second of n.5 s for a deadline n seconds away
      const auto actual = storage_.keys().pttl(key);
      if (!in_step()) return false;
      lookup();
      const bool as_expected = [&] {
        if (!item) return !actual && actual.error().code == Errc::miss;
        if (!actual) return false;
        if (!item->deadline) return !actual->has_value();
        if (!actual->has_value()) return false;
        const std::int64_t ideal = (*item->deadline - model_.now) * second_ms + second_ms / 2;
        return (*actual)->count() > ideal - max_drift_ms && (*actual)->count() <= ideal + max_drift_ms;
      }();
      if (!as_expected) {
        const std::string got = !actual               ? "error " + std::string(cachet::errc_name(actual.error().code))
                                : !actual->has_value() ? "no TTL"
                                                       : std::to_string((*actual)->count()) + " ms";
        const std::string want = !item ? "error miss"
                                 : !item->deadline ? "no TTL"
                                                   : std::to_string(*item->deadline - model_.now) + ".5 s";
        mismatch(step_, "pttl", key, got, want);
      }
      return true;
    }
    case 22: {  // STRLEN
      const auto actual = storage_.strings()->strlen(key);
      lookup();
      Expected<std::int64_t> expected = 0;
      if (Model::other_type<std::string>(item)) expected = std::unexpected(Errc::wrong_type);
      else if (auto* s = Model::as<std::string>(item)) expected = std::int64_t(s->size());
      return same("strlen", key, actual, expected);
    }
    case 23: {  // GETDEL
      const auto actual = storage_.strings()->getdel(key);
      lookup();
      Expected<std::string> expected = std::unexpected(item ? Errc::wrong_type : Errc::miss);
      if (auto* s = Model::as<std::string>(item)) {
        expected = *s;
        model_.erase(key);
      }
      return same("getdel", key, actual, expected);
    }
    case 24: {  // LMOVE
      const std::string destination = in.key();
      const ListPos from = in.end(), to = in.end();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.lists()->lmove(key, destination, from, to, e.action());
      lookup();
      Item* target = model_.find(destination);
      Expected<std::string> expected = std::unexpected(Errc::miss);
      if (item && (Model::other_type<List>(item) || Model::other_type<List>(target))) {
        expected = std::unexpected(Errc::wrong_type);
      } else if (List* source = Model::as<List>(item)) {
        std::string value = from == ListPos::Left ? source->front() : source->back();
        if (from == ListPos::Left) source->pop_front();
        else source->pop_back();
        List& into = target ? std::get<List>(target->value) : model_.create<List>(destination, e);
        if (to == ListPos::Left) into.push_front(value);
        else into.push_back(value);
        model_.finish<List>(key, e);
        if (destination != key) model_.apply(destination, e);
        expected = std::move(value);
      }
      return same("lmove", key, actual, expected);
    }
    case 25: {  // SMOVE
      const std::string destination = in.key();
      const std::string member = in.value();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.sets()->smove(key, destination, member, e.action());
      lookup();
      Item* target = model_.find(destination);
      Expected<bool> expected = false;
      if (item && (Model::other_type<Set>(item) || Model::other_type<Set>(target))) {
        expected = std::unexpected(Errc::wrong_type);
      } else if (Set* source = Model::as<Set>(item)) {
        const bool member_of = source->contains(member);
        if (member_of && destination != key) {
          source->erase(member);
          Set& into = target ? std::get<Set>(target->value) : model_.create<Set>(destination, e);
          into.insert(member);
        }
        model_.finish<Set>(key, e);
        if (destination != key) model_.apply(destination, e);
        expected = member_of;
      }
      return same("smove", key, actual, expected);
    }
    case 26: {  // LINSERT
      const bool before = in.byte() % 2;
      const std::string pivot = in.value(), value = in.value();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.lists()->linsert(key, before, pivot, value, e.action());
      lookup();
      Expected<std::int64_t> expected = item ? Expected<std::int64_t>(std::unexpected(Errc::wrong_type)) : 0;
      if (List* list = Model::as<List>(item)) {
        const auto at = std::find(list->begin(), list->end(), pivot);
        if (at == list->end()) {
          expected = std::unexpected(Errc::miss);
        } else {
          list->insert(before ? at : at + 1, value);
          expected = std::int64_t(list->size());
          model_.apply(key, e);
        }
      }
      return same("linsert", key, actual, expected);
    }
    case 27: {  // LREM: count > 0 from the head, < 0 from the tail, 0 all
      const std::int64_t count = in.number();
      const std::string value = in.value();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.lists()->lrem(key, count, value, e.action());
      lookup();
      Expected<std::int64_t> expected = 0;
      if (Model::other_type<List>(item)) {
        expected = std::unexpected(Errc::wrong_type);
      } else if (List* list = Model::as<List>(item)) {
        const std::uint64_t limit = count == 0  ? std::numeric_limits<std::uint64_t>::max()
                                    : count > 0 ? std::uint64_t(count)
                                                : 0 - std::uint64_t(count);
        std::uint64_t removed = 0;
        List kept;
        if (count >= 0) {
          for (const auto& v : *list) {
            if (v == value && removed < limit) ++removed;
            else kept.push_back(v);
          }
        } else {
          for (auto it = list->rbegin(); it != list->rend(); ++it) {
            if (*it == value && removed < limit) ++removed;
            else kept.push_front(*it);
          }
        }
        *list = std::move(kept);
        expected = std::int64_t(removed);
        model_.finish<List>(key, e);
      }
      return same("lrem", key, actual, expected);
    }
    case 29: {  // ZADD with a mode
      std::vector<ScoredMember> members(in.byte() % 4);
      for (auto& m : members) m = {in.value(), in.score()};
      const auto mode = ZAddMode(in.byte() % 5);
      return zadd(key, members, mode, Expiry::read(in));
    }
    case 30: {  // ZADD of many members: past 128 the engine changes shape
      const std::size_t n = 100 + in.byte() % 128;
      const std::uint8_t salt = in.byte();
      std::vector<ScoredMember> members(n);
      for (std::size_t i = 0; i < n; ++i) {
        members[i] = {"m" + std::to_string((i * 7 + salt) % 300), double(int((i * 13 + salt) % 41) - 20) / 2};
      }
      return zadd(key, members, ZAddMode::always, Expiry::read(in));
    }
    case 31: {  // ZREM
      const auto members = in.values();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.sorted_sets()->zrem(key, members, e.action());
      lookup();
      Expected<std::int64_t> expected = 0;
      if (Model::other_type<ZSet>(item)) {
        expected = std::unexpected(Errc::wrong_type);
      } else if (ZSet* z = Model::as<ZSet>(item); z && !members.empty()) {
        std::int64_t removed = 0;
        for (const auto& m : members) removed += std::int64_t(z->scores.erase(m));
        expected = removed;
        model_.finish<ZSet>(key, e);
      }
      return same("zrem", key, actual, expected);
    }
    case 32: {  // ZRANGE [REV]
      const std::int64_t start = in.number(), stop = in.number();
      return check_zrange(key, start, stop, in.byte() % 2);
    }
    case 33: {  // ZINCRBY: inf + -inf is refused
      const std::string member = in.value();
      const double delta = in.score();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.sorted_sets()->zincrby(key, member, delta, e.action());
      lookup();
      if (Model::other_type<ZSet>(item)) return same("zincrby", key, actual, Expected<double>(std::unexpected(Errc::wrong_type)));
      ZSet* z = Model::as<ZSet>(item);
      const double old = z && z->scores.contains(member) ? z->scores.at(member) : 0;
      const double score = old + delta;
      if (std::isnan(score)) return same("zincrby", key, actual, Expected<double>(std::unexpected(Errc::invalid_value)));
      ZSet& into = z ? *z : model_.create<ZSet>(key, e);
      into.scores[member] = score;
      model_.finish<ZSet>(key, e);
      return same("zincrby", key, actual, Expected<double>(score));
    }
    case 34: {  // ZREMRANGEBYRANK
      const std::int64_t start = in.number(), stop = in.number();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.sorted_sets()->zremrange_by_rank(key, start, stop, e.action());
      lookup();
      Expected<std::int64_t> expected = 0;
      if (Model::other_type<ZSet>(item)) {
        expected = std::unexpected(Errc::wrong_type);
      } else if (ZSet* z = Model::as<ZSet>(item)) {
        const auto all = z->ordered();
        if (auto r = range_in(start, stop, all.size())) {
          for (std::size_t i = r->first; i <= r->second; ++i) z->scores.erase(all[i].member);
          expected = std::int64_t(r->second - r->first + 1);
        }
        model_.finish<ZSet>(key, e);
      }
      return same("zremrangebyrank", key, actual, expected);
    }
    case 35: {  // ZRANK / ZREVRANK
      const std::string member = in.value();
      const bool reverse = in.byte() % 2;
      const auto actual = storage_.sorted_sets()->zrank(key, member, reverse);
      lookup();
      Expected<std::optional<std::int64_t>> expected = std::optional<std::int64_t>();
      if (Model::other_type<ZSet>(item)) {
        expected = std::unexpected(Errc::wrong_type);
      } else if (const ZSet* z = Model::as<ZSet>(item)) {
        const auto all = z->ordered();
        for (std::size_t i = 0; i < all.size(); ++i) {
          if (all[i].member == member) expected = std::int64_t(reverse ? all.size() - 1 - i : i);
        }
      }
      return same("zrank", key, actual, expected);
    }
    case 36: {  // ZRANGE BYSCORE [REV] LIMIT, ZCOUNT, ZPOPMIN/MAX
      const ZScoreBound min = in.bound(), max = in.bound();
      const std::int64_t offset = in.number() % 4, count = in.number() % 5;
      const bool reverse = in.byte() % 2;
      lookup();
      auto within = [&](double s) {
        return (min.inclusive ? s >= min.value : s > min.value) && (max.inclusive ? s <= max.value : s < max.value);
      };
      Expected<std::vector<ScoredMember>> expected = std::vector<ScoredMember>();
      Expected<std::int64_t> counted = 0;
      if (Model::other_type<ZSet>(item)) {
        expected = std::unexpected(Errc::wrong_type);
        counted = std::unexpected(Errc::wrong_type);
      } else if (const ZSet* z = Model::as<ZSet>(item)) {
        auto all = z->ordered();
        std::erase_if(all, [&](const ScoredMember& m) { return !within(m.score); });
        counted = std::int64_t(all.size());
        if (reverse) std::reverse(all.begin(), all.end());
        std::vector<ScoredMember> out;
        if (offset >= 0) {
          for (std::size_t i = std::size_t(offset); i < all.size() && (count < 0 || out.size() < std::size_t(count)); ++i) {
            out.push_back(all[i]);
          }
        }
        expected = std::move(out);
      }
      if (!same("zrange_by_score", key, storage_.sorted_sets()->zrange_by_score(key, min, max, offset, count, reverse),
                expected) ||
          !same("zcount", key, storage_.sorted_sets()->zcount(key, min, max), counted)) {
        return false;
      }
      // Then pops from either end.
      const std::int64_t n = in.number() % 4;
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.sorted_sets()->zpop(key, n, reverse, e.action());
      lookup();
      Expected<std::vector<ScoredMember>> popped = std::vector<ScoredMember>();
      if (n < 0) {
        popped = std::unexpected(Errc::out_of_range);
      } else if (Model::other_type<ZSet>(item)) {
        popped = std::unexpected(Errc::wrong_type);
      } else if (ZSet* z = Model::as<ZSet>(item); z && n > 0) {
        auto all = z->ordered();
        if (reverse) std::reverse(all.begin(), all.end());
        all.resize(std::min(all.size(), std::size_t(n)));
        for (const auto& m : all) z->scores.erase(m.member);
        popped = std::move(all);
        model_.finish<ZSet>(key, e);
      }
      return same("zpop", key, actual, popped);
    }
    case 28: {  // SET ... GET
      const std::string value = in.value();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.strings()->set_get(key, value, e.action());
      lookup();
      Expected<std::optional<std::string>> expected = std::unexpected(Errc::wrong_type);
      if (!Model::other_type<std::string>(item)) {
        expected = item ? std::optional(std::get<std::string>(item->value)) : std::nullopt;
        model_.put_string(key, value, e);
      }
      return same("set_get", key, actual, expected);
    }
  }
  return true;
}

// The hash operations (HSET, HDEL, HGET, HSETNX, HINCRBY, HLEN, HEXISTS, HGETALL, and an HSET of
// many numbered fields, which takes a hash past the engine's packed form).
bool Run::hash_step(Input& in, const std::string& key, int op) {
  Item* item = nullptr;
  const auto lookup = [&] { item = model_.find(key); };
  switch (op) {
    case 0:
    case 8: {  // HSET field value ...; 8: byte() numbered fields "f0", "f1", ... at once
      std::vector<cachet::engine::FieldValue> pairs;
      if (op == 0) {
        for (int n = in.byte() % 4; n > 0; --n) pairs.push_back({in.value(), in.value()});
      } else {
        const std::string value = in.value();
        for (int i = 0, n = in.byte(); i < n; ++i) pairs.push_back({"f" + std::to_string(i), value});
      }
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.hashes()->hset(key, pairs, e.action());
      lookup();
      if (Model::other_type<Hash>(item)) return same("hset", key, actual, wrong_type_count);
      if (pairs.empty()) return same("hset", key, actual, Expected<std::int64_t>(0));
      Hash& hash = item ? std::get<Hash>(item->value) : model_.create<Hash>(key, e);
      std::int64_t added = 0;
      for (const auto& p : pairs) added += hash.insert_or_assign(p.field, p.value).second ? 1 : 0;
      model_.apply(key, e);
      return same("hset", key, actual, Expected<std::int64_t>(added));
    }
    case 1: {  // HDEL
      const auto fields = in.values();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.hashes()->hdel(key, fields, e.action());
      lookup();
      Expected<std::int64_t> expected = 0;
      if (Model::other_type<Hash>(item)) {
        expected = std::unexpected(Errc::wrong_type);
      } else if (Hash* hash = Model::as<Hash>(item)) {
        std::int64_t removed = 0;
        for (const auto& f : fields) removed += std::int64_t(hash->erase(f));
        expected = removed;
        model_.finish<Hash>(key, e);
      }
      return same("hdel", key, actual, expected);
    }
    case 2: {  // HGET
      const std::string field = in.value();
      const auto actual = storage_.hashes()->hget(key, field);
      lookup();
      Expected<std::string> expected = std::unexpected(Errc::miss);
      if (Model::other_type<Hash>(item)) {
        expected = std::unexpected(Errc::wrong_type);
      } else if (Hash* hash = Model::as<Hash>(item)) {
        if (auto it = hash->find(field); it != hash->end()) expected = it->second;
      }
      return same("hget", key, actual, expected);
    }
    case 3: {  // HSETNX: nothing written, TTL included, when the field exists
      const std::string field = in.value(), value = in.value();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.hashes()->hsetnx(key, field, value, e.action());
      lookup();
      Expected<bool> expected = std::unexpected(Errc::wrong_type);
      if (!Model::other_type<Hash>(item)) {
        Hash* hash = Model::as<Hash>(item);
        if (hash && hash->contains(field)) {
          expected = false;
        } else {
          Hash& h = hash ? *hash : model_.create<Hash>(key, e);
          h[field] = value;
          model_.apply(key, e);
          expected = true;
        }
      }
      return same("hsetnx", key, actual, expected);
    }
    case 4: {  // HINCRBY
      const std::string field = in.value();
      const std::int64_t delta = in.number();
      const Expiry e = Expiry::read(in);
      const auto actual = storage_.hashes()->hincrby(key, field, delta, e.action());
      lookup();
      if (Model::other_type<Hash>(item)) return same("hincrby", key, actual, wrong_type_count);
      Hash* hash = Model::as<Hash>(item);
      std::int64_t value = 0;
      if (hash) {
        if (auto it = hash->find(field); it != hash->end()) {
          const auto parsed = canonical_integer(it->second);
          if (!parsed) return same("hincrby", key, actual, Expected<std::int64_t>(std::unexpected(Errc::invalid_value)));
          value = *parsed;
        }
      }
      std::int64_t result = 0;
      if (__builtin_add_overflow(value, delta, &result)) {
        return same("hincrby", key, actual, Expected<std::int64_t>(std::unexpected(Errc::out_of_range)));
      }
      Hash& h = hash ? *hash : model_.create<Hash>(key, e);
      h[field] = std::to_string(result);
      model_.apply(key, e);
      return same("hincrby", key, actual, Expected<std::int64_t>(result));
    }
    case 5: {  // HLEN
      const auto actual = storage_.hashes()->hlen(key);
      lookup();
      Expected<std::int64_t> expected = 0;
      if (Model::other_type<Hash>(item)) expected = std::unexpected(Errc::wrong_type);
      else if (Hash* hash = Model::as<Hash>(item)) expected = std::int64_t(hash->size());
      return same("hlen", key, actual, expected);
    }
    case 6: {  // HEXISTS
      const std::string field = in.value();
      const auto actual = storage_.hashes()->hexists(key, field);
      lookup();
      Expected<bool> expected = false;
      if (Model::other_type<Hash>(item)) expected = std::unexpected(Errc::wrong_type);
      else if (Hash* hash = Model::as<Hash>(item)) expected = hash->contains(field);
      return same("hexists", key, actual, expected);
    }
    default: return check_hgetall(key);
  }
}

// Every key holds what the model holds, and the engine counts as many keys.
bool Run::final_check() {
  for (int i = 0; i < 4; ++i) {
    const std::string key = "k" + std::to_string(i);
    if (!check_get(key) || !check_lrange(key, 0, -1) || !check_smembers(key) || !check_hgetall(key) ||
        !check_zrange(key, 0, -1, false)) {
      return false;
    }
  }
  const std::size_t keys = model_.live_keys();
  if (storage_.key_count() != keys) {
    mismatch(step_, "key_count", "", std::to_string(storage_.key_count()), std::to_string(keys));
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  Run run;
  while (!in.empty()) {
    if (!run.step(in)) return 0;
  }
  run.final_check();
  return 0;
}
