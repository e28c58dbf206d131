// Hashes per key: fields F and values V (each a string, an integer or a double), with Redis's
// hash commands.
#pragma once

#include "engine/require_cxx23.hpp"

#include "element.hpp"
#include "keyspace.hpp"

#include <concepts>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cachet {

template <class K, Element F, Element V>
class HashKeyspace : public detail::KeyspaceBase<K, HashKeyspace<K, F, V>> {
  using Base = detail::KeyspaceBase<K, HashKeyspace<K, F, V>>;
  using Hashes = engine::HashStorage;

 public:
  using field_type = F;
  using value_type = V;
  // The largest count sample answers with a negative count (its answer is that many fields).
  static constexpr std::int64_t max_sample = engine::max_random_fields;

  HashKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}

  // HGET: Errc::miss for no key or no such field.
  [[nodiscard]] Result<V> get(const K& key, const F& field) const {
    return this->template read<Hashes>(key, "get", [&](Hashes& h, std::string_view k) -> Result<V> {
      if (auto ok = Base::check_value(field, "get", k); !ok) return std::unexpected(ok.error());
      return Base::template decode_result<V>(
          Base::with_bytes(field, [&](std::string_view f) { return h.hget(k, f); }), "get", k);
    });
  }
  // HMGET: one answer per field, in order: its value, Errc::miss for a field the hash does not
  // hold (every one for no key), Errc::invalid_value for a value that does not decode.
  [[nodiscard]] Result<std::vector<Result<V>>> multi_get(const K& key, Many<F> fields) const {
    return this->template read<Hashes>(key, "multi_get",
                                       [&](Hashes& h, std::string_view k) -> Result<std::vector<Result<V>>> {
      for (const F& f : fields) {
        if (auto ok = Base::check_value(f, "multi_get", k); !ok) return std::unexpected(ok.error());
      }
      std::vector<Result<V>> out;
      if (fields.empty()) return out;
      auto values = h.hmget(k, Base::encode_values(fields));
      if (!values) return std::unexpected(std::move(values.error()));
      out.reserve(values->size());
      for (auto& v : *values) {
        if (!v) out.push_back(Base::failure(Errc::miss, "multi_get", k, "cache miss"));
        else out.push_back(Base::template decode<V>(std::move(*v), "multi_get", k));
      }
      return out;
    });
  }
  template <class... Fs>
    requires detail::AllConvertibleTo<F, Fs...>
  [[nodiscard]] Result<std::vector<Result<V>>> multi_get(const K& key, const Fs&... fields) const {
    return multi_get(key, detail::array_of<F>(fields...));
  }

  // HSET: true when the field is new (false: its value was replaced).
  [[nodiscard]] Result<bool> set(const K& key, const F& field, const V& value) const {
    return this->template write<Hashes>(key, "set",
                                        [&](Hashes& h, std::string_view k, engine::ExpiryAction e) -> Result<bool> {
      if (auto ok = check_pair(field, value, "set", k); !ok) return std::unexpected(ok.error());
      const engine::FieldValue pair{Codec<F>::encode(field), Codec<V>::encode(value)};
      auto added = h.hset(k, {&pair, 1}, e);
      if (!added) return std::unexpected(std::move(added.error()));
      return *added == 1;
    });
  }
  // HSET with many pairs, atomically: how many fields were new. A field given twice takes its
  // last value. With no pairs it answers 0 without touching the backend.
  [[nodiscard]] Result<std::int64_t> set_many(const K& key, Many<std::pair<F, V>> pairs) const {
    return this->template write<Hashes>(
        key, "set_many", [&](Hashes& h, std::string_view k, engine::ExpiryAction e) -> Result<std::int64_t> {
          for (const auto& [f, v] : pairs) {
            if (auto ok = check_pair(f, v, "set_many", k); !ok) return std::unexpected(ok.error());
          }
          if (pairs.empty()) return 0;
          std::vector<engine::FieldValue> encoded;
          encoded.reserve(pairs.size());
          for (const auto& [f, v] : pairs) encoded.push_back({Codec<F>::encode(f), Codec<V>::encode(v)});
          return h.hset(k, encoded, e);
        });
  }
  // HSETNX: sets the field only when the hash does not hold it; false (nothing written, the
  // key's TTL left as it was) when it does.
  [[nodiscard]] Result<bool> set_if_not_exists(const K& key, const F& field, const V& value) const {
    return this->template write<Hashes>(key, "set_if_not_exists",
                                        [&](Hashes& h, std::string_view k, engine::ExpiryAction e) -> Result<bool> {
      if (auto ok = check_pair(field, value, "set_if_not_exists", k); !ok) return std::unexpected(ok.error());
      return h.hsetnx(k, Codec<F>::encode(field), Codec<V>::encode(value), e);
    });
  }
  // HINCRBY / HINCRBYFLOAT: the field's value after adding `delta` (a missing field or key
  // counts as 0). A stored value that is not a number is Errc::invalid_value; an integer
  // overflow is Errc::out_of_range; a NaN or infinite delta or result is Errc::invalid_value.
  [[nodiscard]] Result<V> increment(const K& key, const F& field, V delta = V(1)) const
    requires(!std::same_as<V, std::string>)
  {
    return this->template write<Hashes>(key, "increment",
                                        [&](Hashes& h, std::string_view k, engine::ExpiryAction e) -> Result<V> {
      if (auto ok = Base::check_value(field, "increment", k); !ok) return std::unexpected(ok.error());
      const std::string f = Codec<F>::encode(field);
      if constexpr (std::same_as<V, std::int64_t>) {
        return h.hincrby(k, f, delta, e);
      } else {
        if (!Codec<double>::finite(delta)) return Base::failure(Errc::invalid_value, "increment", k, "the delta is NaN or infinite");
        return h.hincrbyfloat(k, f, delta, e);
      }
    });
  }

  // HDEL: how many of the fields the hash held; a hash left empty is removed. With no fields
  // it answers 0 without touching the backend.
  [[nodiscard]] Result<std::int64_t> remove(const K& key, Many<F> fields) const {
    return this->template write<Hashes>(
        key, "remove", [&](Hashes& h, std::string_view k, engine::ExpiryAction e) -> Result<std::int64_t> {
          for (const F& f : fields) {
            if (auto ok = Base::check_value(f, "remove", k); !ok) return std::unexpected(ok.error());
          }
          if (fields.empty()) return 0;
          return h.hdel(k, Base::encode_values(fields), e);
        });
  }
  template <class... Fs>
    requires detail::AllConvertibleTo<F, Fs...>
  [[nodiscard]] Result<std::int64_t> remove(const K& key, const Fs&... fields) const {
    return remove(key, detail::array_of<F>(fields...));
  }

  // HEXISTS
  [[nodiscard]] Result<bool> contains(const K& key, const F& field) const {
    return this->template read<Hashes>(key, "contains", [&](Hashes& h, std::string_view k) -> Result<bool> {
      if (auto ok = Base::check_value(field, "contains", k); !ok) return std::unexpected(ok.error());
      return Base::with_bytes(field, [&](std::string_view f) { return h.hexists(k, f); });
    });
  }
  // HLEN: 0 for a missing hash.
  [[nodiscard]] Result<std::int64_t> len(const K& key) const {
    return this->template read<Hashes>(key, "len", [&](Hashes& h, std::string_view k) { return h.hlen(k); });
  }
  // HGETALL, as pairs (in no particular order) or as a map; empty for a missing hash.
  [[nodiscard]] Result<std::vector<std::pair<F, V>>> items(const K& key) const {
    return this->template read<Hashes>(key, "items", [&](Hashes& h, std::string_view k) {
      return decoded_pairs<std::vector<std::pair<F, V>>>(h.hgetall(k), "items", k);
    });
  }
  [[nodiscard]] Result<std::unordered_map<F, V>> items_map(const K& key) const {
    return this->template read<Hashes>(key, "items_map", [&](Hashes& h, std::string_view k) {
      return decoded_pairs<std::unordered_map<F, V>>(h.hgetall(k), "items_map", k);
    });
  }
  // HKEYS and HVALS, in the order of items().
  [[nodiscard]] Result<std::vector<F>> fields(const K& key) const {
    return this->template read<Hashes>(key, "fields", [&](Hashes& h, std::string_view k) {
      return decoded<F>(h.hkeys(k), "fields", k);
    });
  }
  [[nodiscard]] Result<std::vector<V>> values(const K& key) const {
    return this->template read<Hashes>(key, "values", [&](Hashes& h, std::string_view k) {
      return decoded<V>(h.hvals(k), "values", k);
    });
  }
  // HRANDFIELD count: count >= 0 answers up to `count` distinct fields (all of them when
  // count >= the size); count < 0 answers exactly -count fields drawn independently, so they
  // may repeat (none for a missing hash), at most max_sample.
  [[nodiscard]] Result<std::vector<F>> sample(const K& key, std::int64_t count) const {
    return this->template read<Hashes>(key, "sample", [&](Hashes& h, std::string_view k) -> Result<std::vector<F>> {
      if (count < -max_sample) {
        return Base::failure(Errc::out_of_range, "sample", k,
                             "a negative count must be at least -" + std::to_string(max_sample));
      }
      return decoded<F>(h.hrandfield(k, count), "sample", k);
    });
  }

 private:
  [[nodiscard]] static Result<void> check_pair(const F& field, const V& value, const char* op, std::string_view k) {
    if (auto ok = Base::check_value(field, op, k); !ok) return ok;
    return Base::check_value(value, op, k);
  }
  template <class T>
  [[nodiscard]] static Result<std::vector<T>> decoded(Result<std::vector<std::string>>&& items, const char* op,
                                                      std::string_view k) {
    if (!items) return std::unexpected(std::move(items.error()));
    return Base::template decode_all<T>(std::move(*items), op, k);
  }
  template <class Out>
  [[nodiscard]] static Result<Out> decoded_pairs(Result<std::vector<engine::FieldValue>>&& pairs, const char* op,
                                                 std::string_view k) {
    if (!pairs) return std::unexpected(std::move(pairs.error()));
    Out out;
    out.reserve(pairs->size());
    for (auto& p : *pairs) {
      auto field = Base::template decode<F>(std::move(p.field), op, k);
      if (!field) return std::unexpected(std::move(field.error()));
      auto value = Base::template decode<V>(std::move(p.value), op, k);
      if (!value) return std::unexpected(std::move(value.error()));
      if constexpr (std::same_as<Out, std::vector<std::pair<F, V>>>) out.emplace_back(std::move(*field), std::move(*value));
      else out.emplace(std::move(*field), std::move(*value));
    }
    return out;
  }
};

}  // namespace cachet
