// Sets of strings, integers or doubles per key, with Redis's set commands.
#pragma once

#include "engine/require_cxx23.hpp"

#include "element.hpp"
#include "keyspace.hpp"

#include <cstdint>
#include <unordered_set>
#include <vector>

namespace cachet {

template <class K, Element V>
class SetKeyspace : public detail::KeyspaceBase<K, SetKeyspace<K, V>> {
  using Base = detail::KeyspaceBase<K, SetKeyspace<K, V>>;
  using Sets = engine::SetStorage;

 public:
  using value_type = V;
  // The largest count sample_with_replacement answers (its answer is that many values).
  static constexpr std::int64_t max_sample = engine::max_random_members;

  SetKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}

  // SADD: how many of the values were not members yet.
  [[nodiscard]] Result<std::int64_t> add(const K& key, Many<V> values) const { return change(key, values, true); }
  template <class... Vs>
    requires detail::AllConvertibleTo<V, Vs...>
  [[nodiscard]] Result<std::int64_t> add(const K& key, const Vs&... values) const {
    return change(key, detail::array_of<V>(values...), true);
  }
  // SREM: how many of the values were members.
  [[nodiscard]] Result<std::int64_t> remove(const K& key, Many<V> values) const { return change(key, values, false); }
  template <class... Vs>
    requires detail::AllConvertibleTo<V, Vs...>
  [[nodiscard]] Result<std::int64_t> remove(const K& key, const Vs&... values) const {
    return change(key, detail::array_of<V>(values...), false);
  }

  // SPOP: removes and answers a uniformly random member; Errc::miss for an empty set.
  [[nodiscard]] Result<V> pop_one(const K& key) const {
    return this->template write<Sets>(key, "pop_one", [&](Sets& s, std::string_view k, engine::ExpiryAction e) {
      return first(decoded(s.spop(k, 1, e), "pop_one", k), "pop_one", k);
    });
  }
  // SPOP count: removes and answers up to `count` distinct random members.
  [[nodiscard]] Result<std::vector<V>> pop(const K& key, std::int64_t count) const {
    return this->template write<Sets>(key, "pop",
                                      [&](Sets& s, std::string_view k, engine::ExpiryAction e) -> Result<std::vector<V>> {
      if (count < 0) return Base::failure(Errc::out_of_range, "pop", k, "count must not be negative");
      return decoded(s.spop(k, count, e), "pop", k);
    });
  }

  // SISMEMBER
  [[nodiscard]] Result<bool> contains(const K& key, const V& value) const {
    return this->template read<Sets>(key, "contains", [&](Sets& s, std::string_view k) -> Result<bool> {
      if (auto ok = Base::check_value(value, "contains", k); !ok) return std::unexpected(ok.error());
      return Base::with_bytes(value, [&](std::string_view bytes) { return s.sismember(k, bytes); });
    });
  }
  // SCARD: 0 for a missing set.
  [[nodiscard]] Result<std::int64_t> len(const K& key) const {
    return this->template read<Sets>(key, "len", [&](Sets& s, std::string_view k) { return s.scard(k); });
  }
  // SMEMBERS, as a vector (in no particular order) or as a set.
  [[nodiscard]] Result<std::vector<V>> items(const K& key) const {
    return this->template read<Sets>(key, "items",
                                     [&](Sets& s, std::string_view k) { return decoded(s.smembers(k), "items", k); });
  }
  [[nodiscard]] Result<std::unordered_set<V>> items_set(const K& key) const {
    return this->template read<Sets>(key, "items_set", [&](Sets& s, std::string_view k) {
      return as_set(decoded(s.smembers(k), "items_set", k));
    });
  }

  // SDIFF: the members of the first set that are in none of the others.
  [[nodiscard]] Result<std::vector<V>> diff(Many<K> keys) const { return combine(engine::SetAlgebra::diff, keys, "diff"); }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::vector<V>> diff(const Ks&... keys) const {
    return diff(detail::array_of<K>(keys...));
  }
  [[nodiscard]] Result<std::unordered_set<V>> diff_set(Many<K> keys) const {
    return as_set(combine(engine::SetAlgebra::diff, keys, "diff_set"));
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::unordered_set<V>> diff_set(const Ks&... keys) const {
    return diff_set(detail::array_of<K>(keys...));
  }
  // SDIFFSTORE: replaces `destination` (whatever it held) with the result and answers its size; like SET, it is a new key, so keep_ttl leaves it without a TTL.
  [[nodiscard]] Result<std::int64_t> diff_store(const K& destination, Many<K> keys) const {
    return store(engine::SetAlgebra::diff, destination, keys, "diff_store");
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::int64_t> diff_store(const K& destination, const Ks&... keys) const {
    return diff_store(destination, detail::array_of<K>(keys...));
  }

  // SINTER: the members in every set (empty when any is missing).
  [[nodiscard]] Result<std::vector<V>> intersect(Many<K> keys) const { return combine(engine::SetAlgebra::intersect, keys, "intersect"); }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::vector<V>> intersect(const Ks&... keys) const {
    return intersect(detail::array_of<K>(keys...));
  }
  [[nodiscard]] Result<std::unordered_set<V>> intersect_set(Many<K> keys) const {
    return as_set(combine(engine::SetAlgebra::intersect, keys, "intersect_set"));
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::unordered_set<V>> intersect_set(const Ks&... keys) const {
    return intersect_set(detail::array_of<K>(keys...));
  }
  // SINTERSTORE: as diff_store.
  [[nodiscard]] Result<std::int64_t> intersect_store(const K& destination, Many<K> keys) const {
    return store(engine::SetAlgebra::intersect, destination, keys, "intersect_store");
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::int64_t> intersect_store(const K& destination, const Ks&... keys) const {
    return intersect_store(destination, detail::array_of<K>(keys...));
  }

  // SUNION: the members in any of the sets.
  [[nodiscard]] Result<std::vector<V>> union_(Many<K> keys) const { return combine(engine::SetAlgebra::union_, keys, "union_"); }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::vector<V>> union_(const Ks&... keys) const {
    return union_(detail::array_of<K>(keys...));
  }
  [[nodiscard]] Result<std::unordered_set<V>> union_set(Many<K> keys) const {
    return as_set(combine(engine::SetAlgebra::union_, keys, "union_set"));
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::unordered_set<V>> union_set(const Ks&... keys) const {
    return union_set(detail::array_of<K>(keys...));
  }
  // SUNIONSTORE: as diff_store.
  [[nodiscard]] Result<std::int64_t> union_store(const K& destination, Many<K> keys) const {
    return store(engine::SetAlgebra::union_, destination, keys, "union_store");
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::int64_t> union_store(const K& destination, const Ks&... keys) const {
    return union_store(destination, detail::array_of<K>(keys...));
  }

  // SRANDMEMBER: a uniformly random member, not removed; Errc::miss for an empty set.
  [[nodiscard]] Result<V> sample_one(const K& key) const {
    return this->template read<Sets>(key, "sample_one", [&](Sets& s, std::string_view k) {
      return first(decoded(s.srandmember(k, 1), "sample_one", k), "sample_one", k);
    });
  }
  // SRANDMEMBER count: up to `count` distinct members (all of them when count >= the size).
  [[nodiscard]] Result<std::vector<V>> sample(const K& key, std::int64_t count) const {
    return this->template read<Sets>(key, "sample", [&](Sets& s, std::string_view k) -> Result<std::vector<V>> {
      if (count < 0) return Base::failure(Errc::out_of_range, "sample", k, "count must not be negative");
      return decoded(s.srandmember(k, count), "sample", k);
    });
  }
  // SRANDMEMBER -count: exactly `count` members drawn independently, so they may repeat
  // (none for an empty set). At most max_sample.
  [[nodiscard]] Result<std::vector<V>> sample_with_replacement(const K& key, std::int64_t count) const {
    const char* op = "sample_with_replacement";
    return this->template read<Sets>(key, op, [&](Sets& s, std::string_view k) -> Result<std::vector<V>> {
      if (count < 0 || count > max_sample) {
        return Base::failure(Errc::out_of_range, op, k, "count must be from 0 to " + std::to_string(max_sample));
      }
      return decoded(s.srandmember(k, -count), op, k);
    });
  }

  // SMOVE: moves `value` from `source` to `destination`; false when source does not hold it.
  // The write's expiry applies to both keys.
  [[nodiscard]] Result<bool> move(const K& source, const K& destination, const V& value) const {
    return this->template write<Sets>(source, "move",
                                      [&](Sets& s, std::string_view src, engine::ExpiryAction e) -> Result<bool> {
      const auto dst = this->encode_key(destination, "move");
      if (!dst) return std::unexpected(dst.error());
      if (auto ok = Base::check_value(value, "move", src); !ok) return std::unexpected(ok.error());
      return Base::with_bytes(value, [&](std::string_view bytes) { return s.smove(src, *dst, bytes, e); });
    });
  }

 private:
  [[nodiscard]] Result<std::vector<V>> decoded(Result<std::vector<std::string>>&& items, const char* op, std::string_view k) const {
    if (!items) return std::unexpected(std::move(items.error()));
    return Base::template decode_all<V>(std::move(*items), op, k);
  }
  // The one member of a pop or sample of one; Errc::miss for an empty set.
  [[nodiscard]] static Result<V> first(Result<std::vector<V>>&& items, const char* op, std::string_view k) {
    if (!items) return std::unexpected(std::move(items.error()));
    if (items->empty()) return Base::failure(Errc::miss, op, k, "cache miss");
    return std::move(items->front());
  }
  [[nodiscard]] static Result<std::unordered_set<V>> as_set(Result<std::vector<V>>&& items) {
    if (!items) return std::unexpected(std::move(items.error()));
    return std::unordered_set<V>(std::make_move_iterator(items->begin()), std::make_move_iterator(items->end()));
  }

  [[nodiscard]] Result<std::int64_t> change(const K& key, Many<V> values, bool adding) const {
    const char* op = adding ? "add" : "remove";
    return this->template write<Sets>(key, op,
                                      [&](Sets& s, std::string_view k, engine::ExpiryAction e) -> Result<std::int64_t> {
      for (const V& v : values) {
        if (auto ok = Base::check_value(v, op, k); !ok) return std::unexpected(ok.error());
      }
      if (values.empty()) return 0;
      const std::vector<std::string> encoded = Base::encode_values(values);
      return adding ? s.sadd(k, encoded, e) : s.srem(k, encoded, e);
    });
  }

  [[nodiscard]] Result<std::vector<V>> combine(engine::SetAlgebra algebra, Many<K> keys, const char* op) const {
    return this->call(op, [&]() -> Result<std::vector<V>> {
      if (keys.empty()) return std::vector<V>();
      const auto encoded = this->encode_keys(keys, op);
      if (!encoded) return std::unexpected(encoded.error());
      auto sets = this->template part<Sets>(op, encoded->front());
      if (!sets) return std::unexpected(std::move(sets.error()));
      return Base::named(decoded((*sets)->set_algebra(algebra, *encoded), op, encoded->front()), op,
                         encoded->front());
    });
  }

  [[nodiscard]] Result<std::int64_t> store(engine::SetAlgebra algebra, const K& destination, Many<K> keys, const char* op) const {
    return this->template write<Sets>(destination, op,
                                      [&](Sets& s, std::string_view dst, engine::ExpiryAction e) -> Result<std::int64_t> {
      if (keys.empty()) return 0;
      const auto encoded = this->encode_keys(keys, op);
      if (!encoded) return std::unexpected(encoded.error());
      return s.set_algebra_store(algebra, dst, *encoded, e);
    });
  }
};

}  // namespace cachet
