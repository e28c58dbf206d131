// The operations of every keyspace that holds one value per key (String, Int, Float, Struct).
#pragma once

#include "engine/require_cxx23.hpp"

#include "keyspace.hpp"

#include <cstdint>
#include <utility>
#include <vector>

namespace cachet {

template <class K, class V, class Derived>
class ValueKeyspace : public detail::KeyspaceBase<K, Derived> {
  using Base = detail::KeyspaceBase<K, Derived>;
  using Strings = engine::StringStorage;

 public:
  using value_type = V;

  // GET: the value, or Errc::miss.
  [[nodiscard]] Result<V> get(const K& key) const {
    return this->template read<Strings>(key, "get", [&](Strings& s, std::string_view k) {
      return Base::template decode_result<V>(s.get(k), "get", k);
    });
  }

  // MGET: one answer per key, in order; a missing key is Errc::miss in its place.
  [[nodiscard]] Result<std::vector<Result<V>>> multi_get(Many<K> keys) const {
    return this->call("multi_get", [&]() -> Result<std::vector<Result<V>>> {
      std::vector<Result<V>> out;
      if (keys.empty()) return out;
      auto encoded = this->encode_keys(keys, "multi_get");
      if (!encoded) return std::unexpected(std::move(encoded.error()));
      auto strings = this->template part<Strings>("multi_get", encoded->front());
      if (!strings) return std::unexpected(std::move(strings.error()));
      auto values = (*strings)->mget(*encoded);
      if (!values) return Base::named_error(std::move(values.error()), "multi_get", encoded->front());
      out.reserve(values->size());
      for (std::size_t i = 0; i < values->size(); ++i) {
        auto& v = (*values)[i];
        if (v) out.push_back(Base::template decode<V>(std::move(*v), "multi_get", (*encoded)[i]));
        else out.push_back(Base::failure(Errc::miss, "multi_get", (*encoded)[i], "cache miss"));
      }
      return out;
    });
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::vector<Result<V>>> multi_get(const Ks&... keys) const {
    return multi_get(detail::array_of<K>(keys...));
  }

  // SET: writes the value with the keyspace's expiry.
  [[nodiscard]] Result<void> set(const K& key, const V& value) const {
    return write_value(key, value, engine::SetCondition::always, "set", Errc::miss, "");
  }
  // SET NX: Errc::key_exists when the key exists (and nothing changes).
  [[nodiscard]] Result<void> set_if_not_exists(const K& key, const V& value) const {
    return write_value(key, value, engine::SetCondition::if_absent, "set_if_not_exists", Errc::key_exists,
                       "key already exists");
  }
  // SET XX: Errc::miss when the key does not exist (and nothing is written).
  [[nodiscard]] Result<void> replace(const K& key, const V& value) const {
    return write_value(key, value, engine::SetCondition::if_present, "replace", Errc::miss, "cache miss");
  }

  // SET ... GET: writes the value and answers the old one; with no old value the write
  // still happens and the answer is Errc::miss.
  [[nodiscard]] Result<V> get_and_set(const K& key, const V& value) const {
    return this->template write<Strings>(key, "get_and_set",
                                         [&](Strings& s, std::string_view k, engine::ExpiryAction e) -> Result<V> {
      if (auto ok = Base::check_value(value, "get_and_set", k); !ok) return std::unexpected(ok.error());
      auto old = Base::with_bytes(value, [&](std::string_view bytes) { return s.set_get(k, bytes, e); });
      if (!old) return std::unexpected(std::move(old.error()));
      if (!*old) return Base::failure(Errc::miss, "get_and_set", k, "cache miss (the new value was written)");
      return Base::template decode<V>(std::move(**old), "get_and_set", k);
    });
  }

  // GETDEL: the value, removed; Errc::miss when there was none.
  [[nodiscard]] Result<V> get_and_delete(const K& key) const {
    return this->template read<Strings>(key, "get_and_delete", [&](Strings& s, std::string_view k) {
      return Base::template decode_result<V>(s.getdel(k), "get_and_delete", k);
    });
  }

  // MSET: writes every pair atomically, each with the keyspace's expiry.
  [[nodiscard]] Result<void> multi_set(Many<std::pair<K, V>> pairs) const {
    return this->call("multi_set", [&]() -> Result<void> {
      if (pairs.empty()) return {};
      std::vector<engine::KeyValue> encoded;
      encoded.reserve(pairs.size());
      for (const auto& [key, value] : pairs) {
        auto k = this->encode_key(key, "multi_set");
        if (!k) return std::unexpected(std::move(k.error()));
        if (auto ok = Base::check_value(value, "multi_set", *k); !ok) return ok;
        encoded.push_back({std::move(*k), Codec<V>::encode(value)});
      }
      auto expiry = this->write_expiry("multi_set", encoded.front().key);
      if (!expiry) return std::unexpected(std::move(expiry.error()));
      auto strings = this->template part<Strings>("multi_set", encoded.front().key);
      if (!strings) return std::unexpected(std::move(strings.error()));
      return Base::named((*strings)->mset(encoded, *expiry), "multi_set", encoded.front().key);
    });
  }
  template <class... Ps>
    requires detail::AllConvertibleTo<std::pair<K, V>, Ps...>
  [[nodiscard]] Result<void> multi_set(const Ps&... pairs) const {
    return multi_set(detail::array_of<std::pair<K, V>>(pairs...));
  }

 protected:
  ValueKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}

 private:
  [[nodiscard]] Result<void> write_value(const K& key, const V& value, engine::SetCondition condition, const char* op,
                           Errc refused, const char* refused_message) const {
    return this->template write<Strings>(key, op,
                                         [&](Strings& s, std::string_view k, engine::ExpiryAction e) -> Result<void> {
      if (auto ok = Base::check_value(value, op, k); !ok) return ok;
      auto written = Base::with_bytes(value, [&](std::string_view bytes) { return s.set(k, bytes, condition, e); });
      if (!written) return std::unexpected(std::move(written.error()));
      if (!*written) return Base::failure(refused, op, k, refused_message);
      return {};
    });
  }
};

}  // namespace cachet
