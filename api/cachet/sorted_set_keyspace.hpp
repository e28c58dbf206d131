// Sorted sets of strings, integers or doubles per key, each member with a double score, with
// Redis's sorted-set commands: leaderboards, sliding windows, delayed queues, top-N caches.
#pragma once

#include "engine/require_cxx23.hpp"

#include "element.hpp"
#include "keyspace.hpp"

#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace cachet {

// A member and its score (ZRANGE ... WITHSCORES).
template <Element V>
struct Scored {
  V member;
  double score = 0;
  friend bool operator==(const Scored&, const Scored&) = default;
};

// One end of a score range: inclusive by default, exclusive as Redis's "(1.5". ±infinity is
// allowed (std::numeric_limits<double>::infinity()); NaN is refused.
struct ScoreBound {
  double value = 0;
  bool inclusive = true;
};

// ZADD's conditions: always, NX (only new members), XX (only existing ones), GT and LT
// (update an existing member only to a greater, or lesser, score; new members are added).
enum class AddMode : std::uint8_t { always, if_absent, if_present, if_greater, if_less };

template <class K, Element V>
class SortedSetKeyspace : public detail::KeyspaceBase<K, SortedSetKeyspace<K, V>> {
  using Base = detail::KeyspaceBase<K, SortedSetKeyspace<K, V>>;
  using Sorted = engine::SortedSetStorage;

 public:
  using value_type = V;
  // The most members sample answers (either sign of count).
  static constexpr std::int64_t max_sample = engine::max_random_members;

  SortedSetKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}

  // ZADD: true when the member is new. A NaN score is Errc::invalid_value.
  [[nodiscard]] Result<bool> add(const K& key, const V& member, double score, AddMode mode = AddMode::always) const {
    const Scored<V> one{member, score};
    auto added = add_scored(key, std::span<const Scored<V>>(&one, 1), mode, "add");
    if (!added) return std::unexpected(std::move(added.error()));
    return *added == 1;
  }
  // ZADD with many members: how many were new. A member given twice takes its last score.
  [[nodiscard]] Result<std::int64_t> add_many(const K& key, std::span<const Scored<V>> members,
                                              AddMode mode = AddMode::always) const {
    return add_scored(key, members, mode, "add_many");
  }
  // ZINCRBY: the member's new score (a missing member starts at 0). A NaN delta, or a result
  // that would be NaN (inf + -inf), is Errc::invalid_value and changes nothing.
  [[nodiscard]] Result<double> increment(const K& key, const V& member, double delta) const {
    return this->template write<Sorted>(key, "increment",
                                        [&](Sorted& s, std::string_view k, engine::ExpiryAction e) -> Result<double> {
      if (auto ok = Base::check_value(member, "increment", k); !ok) return std::unexpected(ok.error());
      if (std::isnan(delta)) return Base::failure(Errc::invalid_value, "increment", k, "the delta is NaN");
      return Base::with_bytes(member, [&](std::string_view bytes) { return s.zincrby(k, bytes, delta, e); });
    });
  }

  // ZSCORE: Errc::miss when the member (or the key) is not there.
  [[nodiscard]] Result<double> score(const K& key, const V& member) const {
    return this->template read<Sorted>(key, "score", [&](Sorted& s, std::string_view k) -> Result<double> {
      if (auto ok = Base::check_value(member, "score", k); !ok) return std::unexpected(ok.error());
      auto found = Base::with_bytes(member, [&](std::string_view bytes) { return s.zscore(k, bytes); });
      if (!found) return std::unexpected(std::move(found.error()));
      if (!*found) return Base::failure(Errc::miss, "score", k, "cache miss");
      return **found;
    });
  }
  // ZMSCORE: a score or nullopt per member, in order.
  [[nodiscard]] Result<std::vector<std::optional<double>>> scores(const K& key, Many<V> members) const {
    return this->template read<Sorted>(key, "scores",
                                       [&](Sorted& s, std::string_view k) -> Result<std::vector<std::optional<double>>> {
      for (const V& m : members) {
        if (auto ok = Base::check_value(m, "scores", k); !ok) return std::unexpected(ok.error());
      }
      if (members.empty()) return std::vector<std::optional<double>>();
      return s.zmscore(k, Base::encode_values(members));
    });
  }

  // ZRANK: the member's 0-based rank by ascending score; Errc::miss when it is not there.
  [[nodiscard]] Result<std::int64_t> rank(const K& key, const V& member) const { return ranked(key, member, false, "rank"); }
  // ZREVRANK: the rank by descending score.
  [[nodiscard]] Result<std::int64_t> rank_desc(const K& key, const V& member) const {
    return ranked(key, member, true, "rank_desc");
  }

  // ZRANGE start stop WITHSCORES: ranks start..stop inclusive, negative ones from the end
  // (-1 the last), ascending.
  [[nodiscard]] Result<std::vector<Scored<V>>> range(const K& key, std::int64_t start, std::int64_t stop) const {
    return this->template read<Sorted>(key, "range", [&](Sorted& s, std::string_view k) {
      return decoded(s.zrange(k, start, stop, false), "range", k);
    });
  }
  // ZRANGE start stop REV WITHSCORES: the same ranks counted from the highest score.
  [[nodiscard]] Result<std::vector<Scored<V>>> range_desc(const K& key, std::int64_t start, std::int64_t stop) const {
    return this->template read<Sorted>(key, "range_desc", [&](Sorted& s, std::string_view k) {
      return decoded(s.zrange(k, start, stop, true), "range_desc", k);
    });
  }
  // ZRANGE min max BYSCORE LIMIT offset count WITHSCORES: the members with min <= score <= max
  // (bounds may be exclusive), ascending, skipping `offset`, at most `count` (count < 0: all).
  [[nodiscard]] Result<std::vector<Scored<V>>> range_by_score(const K& key, ScoreBound min, ScoreBound max,
                                                              std::int64_t offset = 0, std::int64_t count = -1) const {
    return by_score(key, min, max, offset, count, false, "range_by_score");
  }
  // ZRANGE max min BYSCORE REV LIMIT offset count: from max down to min.
  [[nodiscard]] Result<std::vector<Scored<V>>> range_by_score_desc(const K& key, ScoreBound max, ScoreBound min,
                                                                   std::int64_t offset = 0,
                                                                   std::int64_t count = -1) const {
    return by_score(key, min, max, offset, count, true, "range_by_score_desc");
  }
  // ZCOUNT: how many members have min <= score <= max.
  [[nodiscard]] Result<std::int64_t> count(const K& key, ScoreBound min, ScoreBound max) const {
    return this->template read<Sorted>(key, "count", [&](Sorted& s, std::string_view k) -> Result<std::int64_t> {
      if (auto ok = check_bounds(min, max, "count", k); !ok) return std::unexpected(ok.error());
      return s.zcount(k, engine::ZScoreBound{min.value, min.inclusive}, engine::ZScoreBound{max.value, max.inclusive});
    });
  }
  // ZCARD: 0 for a missing key.
  [[nodiscard]] Result<std::int64_t> len(const K& key) const {
    return this->template read<Sorted>(key, "len", [&](Sorted& s, std::string_view k) { return s.zcard(k); });
  }

  // ZREM: how many of the members were there. A sorted set left empty is removed.
  [[nodiscard]] Result<std::int64_t> remove(const K& key, Many<V> members) const {
    return this->template write<Sorted>(key, "remove",
                                        [&](Sorted& s, std::string_view k, engine::ExpiryAction e) -> Result<std::int64_t> {
      for (const V& m : members) {
        if (auto ok = Base::check_value(m, "remove", k); !ok) return std::unexpected(ok.error());
      }
      if (members.empty()) return 0;
      return s.zrem(k, Base::encode_values(members), e);
    });
  }
  template <class... Vs>
    requires detail::AllConvertibleTo<V, Vs...>
  [[nodiscard]] Result<std::int64_t> remove(const K& key, const Vs&... members) const {
    return remove(key, detail::array_of<V>(members...));
  }
  // ZREMRANGEBYRANK: removes ranks start..stop (as range), answers how many.
  [[nodiscard]] Result<std::int64_t> remove_range(const K& key, std::int64_t start, std::int64_t stop) const {
    return this->template write<Sorted>(key, "remove_range", [&](Sorted& s, std::string_view k, engine::ExpiryAction e) {
      return s.zremrange_by_rank(k, start, stop, e);
    });
  }
  // ZREMRANGEBYSCORE: removes the members with min <= score <= max, answers how many.
  [[nodiscard]] Result<std::int64_t> remove_range_by_score(const K& key, ScoreBound min, ScoreBound max) const {
    const char* op = "remove_range_by_score";
    return this->template write<Sorted>(key, op,
                                        [&](Sorted& s, std::string_view k, engine::ExpiryAction e) -> Result<std::int64_t> {
      if (auto ok = check_bounds(min, max, op, k); !ok) return std::unexpected(ok.error());
      return s.zremrange_by_score(k, engine::ZScoreBound{min.value, min.inclusive},
                                  engine::ZScoreBound{max.value, max.inclusive}, e);
    });
  }
  // ZPOPMIN count: removes and answers up to `count` members of the lowest scores, lowest first.
  [[nodiscard]] Result<std::vector<Scored<V>>> pop_min(const K& key, std::int64_t count) const {
    return popped(key, count, false, "pop_min");
  }
  // ZPOPMAX count: the highest scores, highest first.
  [[nodiscard]] Result<std::vector<Scored<V>>> pop_max(const K& key, std::int64_t count) const {
    return popped(key, count, true, "pop_max");
  }

  // ZRANDMEMBER count: count > 0 up to `count` distinct members (all when count >= the size);
  // count < 0 exactly |count| members drawn independently, so they may repeat (none for an
  // empty key). |count| at most max_sample.
  [[nodiscard]] Result<std::vector<V>> sample(const K& key, std::int64_t count) const {
    return this->template read<Sorted>(key, "sample", [&](Sorted& s, std::string_view k) -> Result<std::vector<V>> {
      if (count < -max_sample || count > max_sample) {
        return Base::failure(Errc::out_of_range, "sample", k,
                             "count must be from -" + std::to_string(max_sample) + " to " + std::to_string(max_sample));
      }
      auto items = s.zrandmember(k, count);
      if (!items) return std::unexpected(std::move(items.error()));
      return Base::template decode_all<V>(std::move(*items), "sample", k);
    });
  }

  // ZUNION ... WITHSCORES: every member of any of the sorted sets, its scores summed; ordered
  // by score, then member bytes.
  [[nodiscard]] Result<std::vector<Scored<V>>> union_(Many<K> keys) const {
    return combine(engine::SetAlgebra::union_, keys, "union_");
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::vector<Scored<V>>> union_(const Ks&... keys) const {
    return union_(detail::array_of<K>(keys...));
  }
  // ZINTER ... WITHSCORES: the members in every sorted set, their scores summed.
  [[nodiscard]] Result<std::vector<Scored<V>>> intersect(Many<K> keys) const {
    return combine(engine::SetAlgebra::intersect, keys, "intersect");
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::vector<Scored<V>>> intersect(const Ks&... keys) const {
    return intersect(detail::array_of<K>(keys...));
  }
  // ZDIFF ... WITHSCORES: the members of the first that are in none of the others, with the
  // first's scores.
  [[nodiscard]] Result<std::vector<Scored<V>>> diff(Many<K> keys) const {
    return combine(engine::SetAlgebra::diff, keys, "diff");
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::vector<Scored<V>>> diff(const Ks&... keys) const {
    return diff(detail::array_of<K>(keys...));
  }
  // ZUNIONSTORE: replaces `destination` (whatever it held) with the result, answers its size;
  // an empty result leaves no key. Like SET it makes a new key: keep_ttl leaves it without TTL.
  [[nodiscard]] Result<std::int64_t> union_store(const K& destination, Many<K> keys) const {
    return store(engine::SetAlgebra::union_, destination, keys, "union_store");
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::int64_t> union_store(const K& destination, const Ks&... keys) const {
    return union_store(destination, detail::array_of<K>(keys...));
  }
  // ZINTERSTORE: as union_store.
  [[nodiscard]] Result<std::int64_t> intersect_store(const K& destination, Many<K> keys) const {
    return store(engine::SetAlgebra::intersect, destination, keys, "intersect_store");
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::int64_t> intersect_store(const K& destination, const Ks&... keys) const {
    return intersect_store(destination, detail::array_of<K>(keys...));
  }
  // ZDIFFSTORE: as union_store.
  [[nodiscard]] Result<std::int64_t> diff_store(const K& destination, Many<K> keys) const {
    return store(engine::SetAlgebra::diff, destination, keys, "diff_store");
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::int64_t> diff_store(const K& destination, const Ks&... keys) const {
    return diff_store(destination, detail::array_of<K>(keys...));
  }

 private:
  [[nodiscard]] static Result<void> check_bounds(ScoreBound min, ScoreBound max, const char* op, std::string_view k) {
    if (std::isnan(min.value) || std::isnan(max.value)) {
      return Base::failure(Errc::invalid_value, op, k, "a score bound is NaN");
    }
    return {};
  }

  [[nodiscard]] static Result<std::vector<Scored<V>>> decoded(Result<std::vector<engine::ScoredMember>>&& items,
                                                              const char* op, std::string_view k) {
    if (!items) return std::unexpected(std::move(items.error()));
    std::vector<Scored<V>> out;
    out.reserve(items->size());
    for (auto& item : *items) {
      auto member = Base::template decode<V>(std::move(item.member), op, k);
      if (!member) return std::unexpected(std::move(member.error()));
      out.push_back(Scored<V>{std::move(*member), item.score});
    }
    return out;
  }

  [[nodiscard]] Result<std::int64_t> add_scored(const K& key, std::span<const Scored<V>> members, AddMode mode,
                                                const char* op) const {
    return this->template write<Sorted>(key, op,
                                        [&](Sorted& s, std::string_view k, engine::ExpiryAction e) -> Result<std::int64_t> {
      std::vector<engine::ScoredMember> encoded;
      encoded.reserve(members.size());
      for (const auto& m : members) {
        if (auto ok = Base::check_value(m.member, op, k); !ok) return std::unexpected(ok.error());
        if (std::isnan(m.score)) return Base::failure(Errc::invalid_value, op, k, "a score is NaN");
        encoded.push_back({Codec<V>::encode(m.member), m.score});
      }
      if (encoded.empty()) return 0;
      return s.zadd(k, encoded, engine::ZAddMode(mode), e);
    });
  }

  [[nodiscard]] Result<std::int64_t> ranked(const K& key, const V& member, bool reverse, const char* op) const {
    return this->template read<Sorted>(key, op, [&](Sorted& s, std::string_view k) -> Result<std::int64_t> {
      if (auto ok = Base::check_value(member, op, k); !ok) return std::unexpected(ok.error());
      auto found = Base::with_bytes(member, [&](std::string_view bytes) { return s.zrank(k, bytes, reverse); });
      if (!found) return std::unexpected(std::move(found.error()));
      if (!*found) return Base::failure(Errc::miss, op, k, "cache miss");
      return **found;
    });
  }

  [[nodiscard]] Result<std::vector<Scored<V>>> by_score(const K& key, ScoreBound min, ScoreBound max,
                                                        std::int64_t offset, std::int64_t count, bool reverse,
                                                        const char* op) const {
    return this->template read<Sorted>(key, op, [&](Sorted& s, std::string_view k) -> Result<std::vector<Scored<V>>> {
      if (auto ok = check_bounds(min, max, op, k); !ok) return std::unexpected(ok.error());
      return decoded(s.zrange_by_score(k, engine::ZScoreBound{min.value, min.inclusive},
                                       engine::ZScoreBound{max.value, max.inclusive}, offset, count, reverse),
                     op, k);
    });
  }

  [[nodiscard]] Result<std::vector<Scored<V>>> popped(const K& key, std::int64_t count, bool max, const char* op) const {
    return this->template write<Sorted>(key, op,
                                        [&](Sorted& s, std::string_view k, engine::ExpiryAction e) -> Result<std::vector<Scored<V>>> {
      if (count < 0) return Base::failure(Errc::out_of_range, op, k, "count must not be negative");
      return decoded(s.zpop(k, count, max, e), op, k);
    });
  }

  [[nodiscard]] Result<std::vector<Scored<V>>> combine(engine::SetAlgebra algebra, Many<K> keys, const char* op) const {
    return this->call(op, [&]() -> Result<std::vector<Scored<V>>> {
      if (keys.empty()) return std::vector<Scored<V>>();
      const auto encoded = this->encode_keys(keys, op);
      if (!encoded) return std::unexpected(encoded.error());
      auto sorted = this->template part<Sorted>(op, encoded->front());
      if (!sorted) return std::unexpected(std::move(sorted.error()));
      return Base::named(decoded((*sorted)->zset_algebra(algebra, *encoded), op, encoded->front()), op,
                         encoded->front());
    });
  }

  [[nodiscard]] Result<std::int64_t> store(engine::SetAlgebra algebra, const K& destination, Many<K> keys,
                                           const char* op) const {
    return this->template write<Sorted>(destination, op,
                                        [&](Sorted& s, std::string_view dst, engine::ExpiryAction e) -> Result<std::int64_t> {
      if (keys.empty()) return 0;
      const auto encoded = this->encode_keys(keys, op);
      if (!encoded) return std::unexpected(encoded.error());
      return s.zset_algebra_store(algebra, dst, *encoded, e);
    });
  }
};

}  // namespace cachet
