// Sets of strings, integers or doubles per key, with Redis's set commands.
#pragma once

#include "list_keyspace.hpp"

#include <cstdint>
#include <unordered_set>
#include <vector>

namespace cachet {

template <Key K, Element V>
class SetKeyspace : public detail::KeyspaceBase<K, SetKeyspace<K, V>> {
  using Base = detail::KeyspaceBase<K, SetKeyspace<K, V>>;

 public:
  using value_type = V;
  // The largest count sample_with_replacement answers (its answer is that many values).
  static constexpr std::int64_t max_sample = engine::max_random_members;

  SetKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}

  // SADD: how many of the values were not members yet.
  Result<std::int64_t> add(const K& key, Many<V> values) const { return change(key, values, true); }
  template <class... Vs>
    requires detail::AllConvertibleTo<V, Vs...>
  Result<std::int64_t> add(const K& key, const Vs&... values) const {
    return change(key, detail::array_of<V>(values...), true);
  }
  // SREM: how many of the values were members.
  Result<std::int64_t> remove(const K& key, Many<V> values) const { return change(key, values, false); }
  template <class... Vs>
    requires detail::AllConvertibleTo<V, Vs...>
  Result<std::int64_t> remove(const K& key, const Vs&... values) const {
    return change(key, detail::array_of<V>(values...), false);
  }

  // SPOP: removes and answers a uniformly random member; Errc::miss for an empty set.
  Result<V> pop_one(const K& key) const {
    auto popped = pop_members(key, 1, "pop_one");
    if (!popped) return std::unexpected(std::move(popped.error()));
    if (popped->empty()) return Base::failure(Errc::miss, "pop_one", this->stored_key(key), "cache miss");
    return std::move(popped->front());
  }
  // SPOP count: removes and answers up to `count` distinct random members.
  Result<std::vector<V>> pop(const K& key, std::int64_t count) const { return pop_members(key, count, "pop"); }

  // SISMEMBER
  Result<bool> contains(const K& key, const V& value) const {
    return this->read(key, "contains", [&](std::string_view k) -> Result<bool> {
      if (auto ok = Base::check_value(value, "contains", k); !ok) return std::unexpected(ok.error());
      return Base::with_bytes(value, [&](std::string_view bytes) { return this->storage().sismember(k, bytes); });
    });
  }
  // SCARD: 0 for a missing set.
  Result<std::int64_t> len(const K& key) const {
    return this->read(key, "len", [&](std::string_view k) { return this->storage().scard(k); });
  }
  // SMEMBERS, as a vector (in no particular order) or as a set.
  Result<std::vector<V>> items(const K& key) const {
    return this->read(key, "items", [&](std::string_view k) { return decoded(this->storage().smembers(k), "items", k); });
  }
  Result<std::unordered_set<V>> items_set(const K& key) const {
    return this->read(key, "items_set", [&](std::string_view k) {
      return as_set(decoded(this->storage().smembers(k), "items_set", k));
    });
  }

  // SDIFF: the members of the first set that are in none of the others.
  Result<std::vector<V>> diff(Many<K> keys) const { return combine(engine::SetAlgebra::diff, keys, "diff"); }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  Result<std::vector<V>> diff(const Ks&... keys) const {
    return diff(detail::array_of<K>(keys...));
  }
  Result<std::unordered_set<V>> diff_set(Many<K> keys) const {
    return as_set(combine(engine::SetAlgebra::diff, keys, "diff_set"));
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  Result<std::unordered_set<V>> diff_set(const Ks&... keys) const {
    return diff_set(detail::array_of<K>(keys...));
  }
  // SDIFFSTORE: replaces `destination` (whatever it held) with the result and answers its size; like SET, it is a new key, so keep_ttl leaves it without a TTL.
  Result<std::int64_t> diff_store(const K& destination, Many<K> keys) const {
    return store(engine::SetAlgebra::diff, destination, keys, "diff_store");
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  Result<std::int64_t> diff_store(const K& destination, const Ks&... keys) const {
    return diff_store(destination, detail::array_of<K>(keys...));
  }

  // SINTER: the members in every set (empty when any is missing).
  Result<std::vector<V>> intersect(Many<K> keys) const { return combine(engine::SetAlgebra::intersect, keys, "intersect"); }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  Result<std::vector<V>> intersect(const Ks&... keys) const {
    return intersect(detail::array_of<K>(keys...));
  }
  Result<std::unordered_set<V>> intersect_set(Many<K> keys) const {
    return as_set(combine(engine::SetAlgebra::intersect, keys, "intersect_set"));
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  Result<std::unordered_set<V>> intersect_set(const Ks&... keys) const {
    return intersect_set(detail::array_of<K>(keys...));
  }
  // SINTERSTORE: as diff_store.
  Result<std::int64_t> intersect_store(const K& destination, Many<K> keys) const {
    return store(engine::SetAlgebra::intersect, destination, keys, "intersect_store");
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  Result<std::int64_t> intersect_store(const K& destination, const Ks&... keys) const {
    return intersect_store(destination, detail::array_of<K>(keys...));
  }

  // SUNION: the members in any of the sets.
  Result<std::vector<V>> union_(Many<K> keys) const { return combine(engine::SetAlgebra::union_, keys, "union_"); }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  Result<std::vector<V>> union_(const Ks&... keys) const {
    return union_(detail::array_of<K>(keys...));
  }
  Result<std::unordered_set<V>> union_set(Many<K> keys) const {
    return as_set(combine(engine::SetAlgebra::union_, keys, "union_set"));
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  Result<std::unordered_set<V>> union_set(const Ks&... keys) const {
    return union_set(detail::array_of<K>(keys...));
  }
  // SUNIONSTORE: as diff_store.
  Result<std::int64_t> union_store(const K& destination, Many<K> keys) const {
    return store(engine::SetAlgebra::union_, destination, keys, "union_store");
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  Result<std::int64_t> union_store(const K& destination, const Ks&... keys) const {
    return union_store(destination, detail::array_of<K>(keys...));
  }

  // SRANDMEMBER: a uniformly random member, not removed; Errc::miss for an empty set.
  Result<V> sample_one(const K& key) const {
    auto sampled = random_members(key, 1, "sample_one");
    if (!sampled) return std::unexpected(std::move(sampled.error()));
    if (sampled->empty()) return Base::failure(Errc::miss, "sample_one", this->stored_key(key), "cache miss");
    return std::move(sampled->front());
  }
  // SRANDMEMBER count: up to `count` distinct members (all of them when count >= the size).
  Result<std::vector<V>> sample(const K& key, std::int64_t count) const {
    if (count < 0) return Base::failure(Errc::out_of_range, "sample", this->stored_key(key), "count must not be negative");
    return random_members(key, count, "sample");
  }
  // SRANDMEMBER -count: exactly `count` members drawn independently, so they may repeat
  // (none for an empty set). At most max_sample.
  Result<std::vector<V>> sample_with_replacement(const K& key, std::int64_t count) const {
    if (count < 0 || count > max_sample) {
      return Base::failure(Errc::out_of_range, "sample_with_replacement", this->stored_key(key),
                           "count must be from 0 to " + std::to_string(max_sample));
    }
    return random_members(key, -count, "sample_with_replacement");
  }

  // SMOVE: moves `value` from `source` to `destination`; false when source does not hold it.
  // The write's expiry applies to both keys.
  Result<bool> move(const K& source, const K& destination, const V& value) const {
    const auto dst = this->encode_key(destination, "move");
    if (!dst) return std::unexpected(dst.error());
    return this->write(source, "move", [&](std::string_view src, engine::ExpiryAction e) -> Result<bool> {
      if (auto ok = Base::check_value(value, "move", src); !ok) return std::unexpected(ok.error());
      return Base::with_bytes(value,
                              [&](std::string_view bytes) { return this->storage().smove(src, *dst, bytes, e); });
    });
  }

 private:
  Result<std::vector<V>> decoded(Result<std::vector<std::string>>&& items, const char* op, std::string_view k) const {
    if (!items) return std::unexpected(std::move(items.error()));
    return Base::template decode_all<V>(std::move(*items), op, k);
  }
  static Result<std::unordered_set<V>> as_set(Result<std::vector<V>>&& items) {
    if (!items) return std::unexpected(std::move(items.error()));
    return std::unordered_set<V>(std::make_move_iterator(items->begin()), std::make_move_iterator(items->end()));
  }

  Result<std::int64_t> change(const K& key, Many<V> values, bool adding) const {
    const char* op = adding ? "add" : "remove";
    return this->write(key, op, [&](std::string_view k, engine::ExpiryAction e) -> Result<std::int64_t> {
      for (const V& v : values) {
        if (auto ok = Base::check_value(v, op, k); !ok) return std::unexpected(ok.error());
      }
      if (values.empty()) return 0;
      const std::vector<std::string> encoded = Base::encode_values(values);
      return adding ? this->storage().sadd(k, encoded, e) : this->storage().srem(k, encoded, e);
    });
  }

  Result<std::vector<V>> pop_members(const K& key, std::int64_t count, const char* op) const {
    if (count < 0) return Base::failure(Errc::out_of_range, op, this->stored_key(key), "count must not be negative");
    return this->write(key, op, [&](std::string_view k, engine::ExpiryAction e) {
      return decoded(this->storage().spop(k, count, e), op, k);
    });
  }

  Result<std::vector<V>> random_members(const K& key, std::int64_t count, const char* op) const {
    return this->read(key, op, [&](std::string_view k) { return decoded(this->storage().srandmember(k, count), op, k); });
  }

  Result<std::vector<V>> combine(engine::SetAlgebra algebra, Many<K> keys, const char* op) const {
    if (keys.empty()) return std::vector<V>();
    const auto encoded = this->encode_keys(keys, op);
    if (!encoded) return std::unexpected(encoded.error());
    return Base::named(decoded(this->storage().set_algebra(algebra, *encoded), op, encoded->front()), op,
                       encoded->front());
  }

  Result<std::int64_t> store(engine::SetAlgebra algebra, const K& destination, Many<K> keys, const char* op) const {
    if (keys.empty()) return 0;
    const auto encoded = this->encode_keys(keys, op);
    if (!encoded) return std::unexpected(encoded.error());
    return this->write(destination, op, [&](std::string_view dst, engine::ExpiryAction e) {
      return this->storage().set_algebra_store(algebra, dst, *encoded, e);
    });
  }
};

}  // namespace cachet
