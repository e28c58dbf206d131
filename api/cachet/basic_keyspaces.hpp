// Keyspaces holding one string, integer or float per key. Structs: <cachet/struct_keyspace.hpp>.
#pragma once

#include "engine/require_cxx23.hpp"

#include "value_keyspace.hpp"

#include <cstdint>
#include <string>

namespace cachet {

// Strings, with Redis's string operations.
template <class K>
class StringKeyspace : public ValueKeyspace<K, std::string, StringKeyspace<K>> {
  using Base = ValueKeyspace<K, std::string, StringKeyspace<K>>;
  using Strings = engine::StringStorage;

 public:
  StringKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}

  // GET into `out`, reusing its capacity: with a buffer kept across calls, a hit allocates
  // nothing (get() answers a new string each time). Fails as get() does (Errc::miss for no
  // key, Errc::wrong_type for another type), and then leaves `out` as it was.
  [[nodiscard]] Result<void> get_into(const K& key, std::string& out) const {
    return this->template read<Strings>(key, "get_into",
                                        [&](Strings& s, std::string_view k) { return s.get_into(k, out); });
  }
  // APPEND: the length after appending; a missing key counts as "".
  [[nodiscard]] Result<std::int64_t> append(const K& key, std::string_view suffix) const {
    return this->template write<Strings>(key, "append", [&](Strings& s, std::string_view k, engine::ExpiryAction e) {
      return s.append(k, suffix, e);
    });
  }
  // GETRANGE: bytes from..to inclusive, negative counting from the end; "" for a missing key.
  [[nodiscard]] Result<std::string> get_range(const K& key, std::int64_t from, std::int64_t to) const {
    return this->template read<Strings>(key, "get_range",
                                        [&](Strings& s, std::string_view k) { return s.getrange(k, from, to); });
  }
  // SETRANGE: overwrites from `offset` (zero-padding past the end); the new length.
  [[nodiscard]] Result<std::int64_t> set_range(const K& key, std::int64_t offset, std::string_view value) const {
    return this->template write<Strings>(key, "set_range", [&](Strings& s, std::string_view k, engine::ExpiryAction e) {
      return s.setrange(k, offset, value, e);
    });
  }
  // STRLEN: 0 for a missing key.
  [[nodiscard]] Result<std::int64_t> len(const K& key) const {
    return this->template read<Strings>(key, "len", [&](Strings& s, std::string_view k) { return s.strlen(k); });
  }
};

// 64-bit integers, stored as decimal text.
template <class K>
class IntKeyspace : public ValueKeyspace<K, std::int64_t, IntKeyspace<K>> {
  using Base = ValueKeyspace<K, std::int64_t, IntKeyspace<K>>;
  using Strings = engine::StringStorage;

 public:
  IntKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}

  // INCRBY: the value after adding `delta` (a missing key counts as 0). A stored value that
  // is not an integer is Errc::invalid_value; overflow is Errc::out_of_range.
  [[nodiscard]] Result<std::int64_t> increment(const K& key, std::int64_t delta = 1) const {
    return add(key, delta, false, "increment");
  }
  [[nodiscard]] Result<std::int64_t> decrement(const K& key, std::int64_t delta = 1) const {
    return add(key, delta, true, "decrement");
  }

 private:
  [[nodiscard]] Result<std::int64_t> add(const K& key, std::int64_t delta, bool down, const char* op) const {
    return this->template write<Strings>(
        key, op, [&](Strings& s, std::string_view k, engine::ExpiryAction e) -> Result<std::int64_t> {
          if (!down) return s.incrby(k, delta, e);
          if (delta == INT64_MIN) {
            return Base::failure(Errc::out_of_range, op, k, "decrement would overflow");
          }
          return s.incrby(k, -delta, e);
        });
  }
};

// Doubles, stored as decimal text.
template <class K>
class FloatKeyspace : public ValueKeyspace<K, double, FloatKeyspace<K>> {
  using Base = ValueKeyspace<K, double, FloatKeyspace<K>>;
  using Strings = engine::StringStorage;

 public:
  FloatKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}

  // INCRBYFLOAT: the value after adding `delta` (a missing key counts as 0). A NaN or
  // infinite delta or result is Errc::invalid_value.
  [[nodiscard]] Result<double> increment(const K& key, double delta = 1) const { return add(key, delta, "increment"); }
  [[nodiscard]] Result<double> decrement(const K& key, double delta = 1) const { return add(key, -delta, "decrement"); }

 private:
  [[nodiscard]] Result<double> add(const K& key, double delta, const char* op) const {
    return this->template write<Strings>(key, op,
                                         [&](Strings& s, std::string_view k, engine::ExpiryAction e) -> Result<double> {
      if (!Codec<double>::finite(delta)) return fail(Errc::invalid_value, "the delta is NaN or infinite");
      return s.incrbyfloat(k, delta, e);
    });
  }
};

}  // namespace cachet
