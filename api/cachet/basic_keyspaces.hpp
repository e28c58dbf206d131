// Keyspaces holding one value per key: strings, integers, floats and structs.
#pragma once

#include "keyspace.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace cachet {

// Strings, with Redis's string operations.
template <Key K>
class StringKeyspace : public ValueKeyspace<K, std::string, StringKeyspace<K>> {
  using Base = ValueKeyspace<K, std::string, StringKeyspace<K>>;

 public:
  StringKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}

  // APPEND: the length after appending; a missing key counts as "".
  Result<std::int64_t> append(const K& key, std::string_view suffix) const {
    return this->write(key, "append", [&](std::string_view k, engine::ExpiryAction e) {
      return this->storage().append(k, suffix, e);
    });
  }
  // GETRANGE: bytes from..to inclusive, negative counting from the end; "" for a missing key.
  Result<std::string> get_range(const K& key, std::int64_t from, std::int64_t to) const {
    return this->read(key, "get_range", [&](std::string_view k) { return this->storage().getrange(k, from, to); });
  }
  // SETRANGE: overwrites from `offset` (zero-padding past the end); the new length.
  Result<std::int64_t> set_range(const K& key, std::int64_t offset, std::string_view value) const {
    return this->write(key, "set_range", [&](std::string_view k, engine::ExpiryAction e) {
      return this->storage().setrange(k, offset, value, e);
    });
  }
  // STRLEN: 0 for a missing key.
  Result<std::int64_t> len(const K& key) const {
    return this->read(key, "len", [&](std::string_view k) { return this->storage().strlen(k); });
  }
};

// 64-bit integers, stored as decimal text.
template <Key K>
class IntKeyspace : public ValueKeyspace<K, std::int64_t, IntKeyspace<K>> {
  using Base = ValueKeyspace<K, std::int64_t, IntKeyspace<K>>;

 public:
  IntKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}

  // INCRBY: the value after adding `delta` (a missing key counts as 0). A stored value that
  // is not an integer is Errc::invalid_value; overflow is Errc::out_of_range.
  Result<std::int64_t> increment(const K& key, std::int64_t delta = 1) const { return add(key, delta, "increment"); }
  Result<std::int64_t> decrement(const K& key, std::int64_t delta = 1) const {
    if (delta == std::numeric_limits<std::int64_t>::min()) {
      return Base::failure(Errc::out_of_range, "decrement", this->key(key).view(), "decrement would overflow");
    }
    return add(key, -delta, "decrement");
  }

 private:
  Result<std::int64_t> add(const K& key, std::int64_t delta, const char* op) const {
    return this->write(key, op, [&](std::string_view k, engine::ExpiryAction e) {
      return this->storage().incrby(k, delta, e);
    });
  }
};

// Doubles, stored as decimal text.
template <Key K>
class FloatKeyspace : public ValueKeyspace<K, double, FloatKeyspace<K>> {
  using Base = ValueKeyspace<K, double, FloatKeyspace<K>>;

 public:
  FloatKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}

  // INCRBYFLOAT: the value after adding `delta` (a missing key counts as 0). A NaN or
  // infinite delta or result is Errc::invalid_value.
  Result<double> increment(const K& key, double delta = 1) const { return add(key, delta, "increment"); }
  Result<double> decrement(const K& key, double delta = 1) const { return add(key, -delta, "decrement"); }

 private:
  Result<double> add(const K& key, double delta, const char* op) const {
    return this->write(key, op, [&](std::string_view k, engine::ExpiryAction e) -> Result<double> {
      if (!std::isfinite(delta)) return fail(Errc::invalid_value, "the delta is NaN or infinite");
      return this->storage().incrbyfloat(k, delta, e);
    });
  }
};

// Any value with a Codec: described structs as JSON, or a type with its own Codec<V>.
template <Key K, Codable V>
class StructKeyspace : public ValueKeyspace<K, V, StructKeyspace<K, V>> {
  using Base = ValueKeyspace<K, V, StructKeyspace<K, V>>;

 public:
  StructKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}
};

}  // namespace cachet
