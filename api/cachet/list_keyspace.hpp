// Lists of strings, integers or doubles per key, with Redis's list commands.
#pragma once

#include "engine/require_cxx23.hpp"

#include "element.hpp"
#include "keyspace.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace cachet {

template <class K, Element V>
class ListKeyspace : public detail::KeyspaceBase<K, ListKeyspace<K, V>> {
  using Base = detail::KeyspaceBase<K, ListKeyspace<K, V>>;
  using Lists = engine::ListStorage;

 public:
  using value_type = V;

  ListKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}

  // LPUSH: pushes each value in turn onto the head (so the last ends first); the new length.
  // With no values it answers 0 without touching the backend.
  [[nodiscard]] Result<std::int64_t> push_left(const K& key, Many<V> values) const { return push(key, values, ListPos::Left, "push_left"); }
  template <class... Vs>
    requires detail::AllConvertibleTo<V, Vs...>
  [[nodiscard]] Result<std::int64_t> push_left(const K& key, const Vs&... values) const {
    return push(key, detail::array_of<V>(values...), ListPos::Left, "push_left");
  }
  // RPUSH: appends each value in turn at the tail; the new length.
  [[nodiscard]] Result<std::int64_t> push_right(const K& key, Many<V> values) const { return push(key, values, ListPos::Right, "push_right"); }
  template <class... Vs>
    requires detail::AllConvertibleTo<V, Vs...>
  [[nodiscard]] Result<std::int64_t> push_right(const K& key, const Vs&... values) const {
    return push(key, detail::array_of<V>(values...), ListPos::Right, "push_right");
  }

  // LPOP / RPOP: removes and answers an end; Errc::miss for a missing (empty) list.
  [[nodiscard]] Result<V> pop_left(const K& key) const { return pop(key, ListPos::Left, "pop_left"); }
  [[nodiscard]] Result<V> pop_right(const K& key) const { return pop(key, ListPos::Right, "pop_right"); }

  // LLEN: 0 for a missing list.
  [[nodiscard]] Result<std::int64_t> len(const K& key) const {
    return this->template read<Lists>(key, "len", [&](Lists& l, std::string_view k) { return l.llen(k); });
  }

  // LTRIM: keeps start..stop inclusive (negative from the end); keeping nothing removes the key.
  [[nodiscard]] Result<void> trim(const K& key, std::int64_t start, std::int64_t stop) const {
    return this->template write<Lists>(key, "trim", [&](Lists& l, std::string_view k, engine::ExpiryAction e) {
      return l.ltrim(k, start, stop, e);
    });
  }

  // LSET: Errc::miss for a missing list, Errc::out_of_range for an index past either end.
  [[nodiscard]] Result<void> set(const K& key, std::int64_t index, const V& value) const {
    return this->template write<Lists>(key, "set",
                                       [&](Lists& l, std::string_view k, engine::ExpiryAction e) -> Result<void> {
      if (auto ok = Base::check_value(value, "set", k); !ok) return ok;
      return Base::with_bytes(value, [&](std::string_view bytes) { return l.lset(k, index, bytes, e); });
    });
  }

  // LINDEX: Errc::miss for a missing list or an index past either end.
  [[nodiscard]] Result<V> get(const K& key, std::int64_t index) const {
    return this->template read<Lists>(key, "get", [&](Lists& l, std::string_view k) {
      return Base::template decode_result<V>(l.lindex(k, index), "get", k);
    });
  }

  // LRANGE 0 -1: every element; empty for a missing list.
  [[nodiscard]] Result<std::vector<V>> items(const K& key) const { return range(key, 0, -1, "items"); }
  // LRANGE: start..stop inclusive, negative counting from the end.
  [[nodiscard]] Result<std::vector<V>> get_range(const K& key, std::int64_t start, std::int64_t stop) const {
    return range(key, start, stop, "get_range");
  }

  // LINSERT BEFORE/AFTER: the new length; 0 when the list is missing; Errc::miss when the needle is absent.
  [[nodiscard]] Result<std::int64_t> insert_before(const K& key, const V& needle, const V& value) const {
    return insert(key, true, needle, value, "insert_before");
  }
  [[nodiscard]] Result<std::int64_t> insert_after(const K& key, const V& needle, const V& value) const {
    return insert(key, false, needle, value, "insert_after");
  }

  // LREM 0: removes every element equal to needle; how many.
  [[nodiscard]] Result<std::int64_t> remove_all(const K& key, const V& needle) const {
    return remove(key, 0, 0, needle, "remove_all");
  }
  // LREM count / LREM -count: removes the first (last) `count` matches; how many. A negative
  // count is Errc::out_of_range; 0 removes nothing.
  [[nodiscard]] Result<std::int64_t> remove_first(const K& key, std::int64_t count, const V& needle) const {
    return remove(key, count, 1, needle, "remove_first");
  }
  [[nodiscard]] Result<std::int64_t> remove_last(const K& key, std::int64_t count, const V& needle) const {
    return remove(key, count, -1, needle, "remove_last");
  }

  // LMOVE: pops an end of `source`, pushes it onto an end of `destination`, answers it.
  // Errc::miss for a missing source. The write's expiry applies to both keys.
  [[nodiscard]] Result<V> move(const K& source, const K& destination, ListPos from, ListPos to) const {
    return this->template write<Lists>(source, "move",
                                       [&](Lists& l, std::string_view src, engine::ExpiryAction e) -> Result<V> {
      const auto dst = this->encode_key(destination, "move");
      if (!dst) return std::unexpected(dst.error());
      return Base::template decode_result<V>(l.lmove(src, *dst, from, to, e), "move", src);
    });
  }

 private:
  [[nodiscard]] Result<std::int64_t> push(const K& key, Many<V> values, ListPos end, const char* op) const {
    return this->template write<Lists>(key, op,
                                       [&](Lists& l, std::string_view k, engine::ExpiryAction e) -> Result<std::int64_t> {
      for (const V& v : values) {
        if (auto ok = Base::check_value(v, op, k); !ok) return std::unexpected(ok.error());
      }
      if (values.empty()) return 0;
      const std::vector<std::string> encoded = Base::encode_values(values);
      return l.push(k, end, encoded, e);
    });
  }

  [[nodiscard]] Result<V> pop(const K& key, ListPos end, const char* op) const {
    return this->template write<Lists>(key, op, [&](Lists& l, std::string_view k, engine::ExpiryAction e) {
      return Base::template decode_result<V>(l.pop(k, end, e), op, k);
    });
  }

  [[nodiscard]] Result<std::vector<V>> range(const K& key, std::int64_t start, std::int64_t stop, const char* op) const {
    return this->template read<Lists>(key, op, [&](Lists& l, std::string_view k) -> Result<std::vector<V>> {
      auto items = l.lrange(k, start, stop);
      if (!items) return std::unexpected(std::move(items.error()));
      return Base::template decode_all<V>(std::move(*items), op, k);
    });
  }

  [[nodiscard]] Result<std::int64_t> insert(const K& key, bool before, const V& needle, const V& value, const char* op) const {
    return this->template write<Lists>(key, op,
                                       [&](Lists& l, std::string_view k, engine::ExpiryAction e) -> Result<std::int64_t> {
      if (auto ok = Base::check_value(value, op, k); !ok) return std::unexpected(ok.error());
      if (auto ok = Base::check_value(needle, op, k); !ok) return std::unexpected(ok.error());
      const std::string pivot = Codec<V>::encode(needle);
      return Base::with_bytes(value, [&](std::string_view bytes) { return l.linsert(k, before, pivot, bytes, e); });
    });
  }

  // LREM: `direction` 0 removes every match; 1 the first `count` from the head, -1 the last
  // `count` from the tail (a negative count is refused, 0 removes nothing).
  [[nodiscard]] Result<std::int64_t> remove(const K& key, std::int64_t count, int direction, const V& needle, const char* op) const {
    return this->template write<Lists>(key, op,
                                       [&](Lists& l, std::string_view k, engine::ExpiryAction e) -> Result<std::int64_t> {
      if (count < 0) return Base::failure(Errc::out_of_range, op, k, "count must not be negative");
      if (direction != 0 && count == 0) return 0;
      if (auto ok = Base::check_value(needle, op, k); !ok) return std::unexpected(ok.error());
      return Base::with_bytes(needle, [&](std::string_view bytes) { return l.lrem(k, direction * count, bytes, e); });
    });
  }
};

}  // namespace cachet
