// What every keyspace shares: its configuration, its place in the cluster's pattern
// registry, key encoding into a stack buffer, expiry, and naming the operation and key in
// every error. Keyspaces know nothing of backends: they speak to the cluster's Storage.
#pragma once

#include "cluster.hpp"
#include "codec.hpp"
#include "expiry.hpp"
#include "key_pattern.hpp"

#include <array>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cachet {

template <class K>
struct KeyspaceConfig {
  KeyPattern<K> key_pattern;
  Expiry default_expiry = never_expire;
};

// Any number of T, from a std::span, a vector or array, or a braced list: the argument of
// operations that take several keys or values (each also has a parameter-pack overload).
template <class T>
class Many {
 public:
  Many(std::initializer_list<T> list) : items_(list.begin(), list.size()) {}
  template <std::ranges::contiguous_range R>
    requires std::same_as<std::remove_cv_t<std::ranges::range_value_t<R>>, T>
  Many(const R& range) : items_(std::ranges::data(range), std::ranges::size(range)) {}

  std::span<const T> span() const { return items_; }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

 private:
  std::span<const T> items_;
};

namespace detail {

// Builds a key on the stack; only a key longer than the buffer allocates.
class KeyBuffer {
 public:
  void append(std::string_view s) {
    if (heap_.empty() && size_ + s.size() <= sizeof inline_) {
      if (!s.empty()) std::memcpy(inline_ + size_, s.data(), s.size());
      size_ += s.size();
      return;
    }
    if (heap_.empty()) heap_.assign(inline_, size_);
    heap_.append(s);
  }
  void push_back(char c) { append(std::string_view(&c, 1)); }
  std::string_view view() const { return heap_.empty() ? std::string_view(inline_, size_) : std::string_view(heap_); }

 private:
  char inline_[192];
  std::size_t size_ = 0;
  std::string heap_;
};

template <class T, class... Ts>
concept AllConvertibleTo = sizeof...(Ts) > 0 && (std::convertible_to<const Ts&, T> && ...);

// A parameter pack as an array, for the overloads that take one (it lives until the end
// of the full expression, as long as the call it is passed to).
template <class T, class... Ts>
std::array<T, sizeof...(Ts)> array_of(const Ts&... items) {
  return {T(items)...};
}

template <class K, class Derived>
class KeyspaceBase {
 public:
  using key_type = K;

  // A copy that writes with `expiry` instead of the default. It shares this keyspace's
  // pattern without registering it again.
  Derived with(Expiry expiry) const {
    Derived copy(static_cast<const Derived&>(*this));
    copy.expiry_ = expiry;
    return copy;
  }

  // DEL: removes the keys, answers how many existed.
  Result<std::int64_t> erase(Many<K> keys) const {
    if (keys.empty()) return 0;
    auto encoded = encode_keys(keys, "erase");
    if (!encoded) return std::unexpected(std::move(encoded.error()));
    return named(storage().del(*encoded), "erase", encoded->front());
  }
  template <class... Ks>
    requires AllConvertibleTo<K, Ks...>
  Result<std::int64_t> erase(const Ks&... keys) const {
    return erase(array_of<K>(keys...));
  }

  std::string_view key_pattern() const { return pattern_.text(); }
  const Expiry& expiry() const { return expiry_; }
  Cluster& cluster() const { return *cluster_; }
  // The stored key for `key`, as the backend sees it.
  std::string stored_key(const K& key) const { return pattern_.encode(key); }

 protected:
  KeyspaceBase(Cluster& cluster, const KeyspaceConfig<K>& config)
      : cluster_(&cluster),
        pattern_(config.key_pattern),
        expiry_(config.default_expiry),
        registration_(cluster.add_pattern(config.key_pattern.text())) {}
  KeyspaceBase(const KeyspaceBase& other)
      : cluster_(other.cluster_), pattern_(other.pattern_), expiry_(other.expiry_), registration_(0) {}
  KeyspaceBase& operator=(const KeyspaceBase&) = delete;
  ~KeyspaceBase() {
    if (registration_ != 0) cluster_->release_pattern(registration_);
  }

  engine::Storage& storage() const { return cluster_->storage(); }

  KeyBuffer key(const K& k) const {
    KeyBuffer out;
    pattern_.encode(k, out);
    return out;
  }
  // The stored keys, or the failure of the first that may not be stored (see check_key).
  Result<std::vector<std::string>> encode_keys(Many<K> keys, const char* op) const {
    std::vector<std::string> out;
    out.reserve(keys.size());
    for (const K& k : keys) {
      out.push_back(pattern_.encode(k));
      if (auto ok = check_key(out.back(), op); !ok) return std::unexpected(std::move(ok.error()));
    }
    return out;
  }
  // The stored key, or the failure that forbids it.
  Result<std::string> encode_key(const K& key, const char* op) const {
    std::string k = pattern_.encode(key);
    if (auto ok = check_key(k, op); !ok) return std::unexpected(std::move(ok.error()));
    return k;
  }
  // The names under the reserved prefix belong to cachet. A pattern cannot start with it (a
  // compile error), but one that starts with a placeholder would reach it with a key such as
  // "__cachet/x": such a key fails with invalid_value before anything is sent.
  static Result<void> check_key(std::string_view stored, const char* op) {
    if (!stored.starts_with(KeyPattern<K>::reserved_prefix)) return {};
    return failure(Errc::invalid_value, op, stored,
                   "the key would start with the reserved prefix '" +
                       std::string(KeyPattern<K>::reserved_prefix) + "'");
  }

  // Runs a read: f(stored key) -> Result<T>, with the operation and key named in a failure.
  template <class F>
  auto read(const K& key, const char* op, F&& f) const {
    const auto k = this->key(key);
    using R = decltype(f(k.view()));
    if (auto ok = check_key(k.view(), op); !ok) return R(std::unexpected(std::move(ok.error())));
    return named(f(k.view()), op, k.view());
  }
  // Runs a write: f(stored key, expiry action) -> Result<T>, the expiry resolved first.
  template <class F>
  auto write(const K& key, const char* op, F&& f) const {
    const auto k = this->key(key);
    using R = decltype(f(k.view(), engine::ExpiryAction()));
    if (auto ok = check_key(k.view(), op); !ok) return R(std::unexpected(std::move(ok.error())));
    auto expiry = write_expiry(op, k.view());
    if (!expiry) return R(std::unexpected(std::move(expiry.error())));
    return named(f(k.view(), *expiry), op, k.view());
  }
  // Decodes what a read or write answered as one value, or as a list of them.
  template <class V>
  static Result<V> decode_result(Result<std::string>&& bytes, const char* op, std::string_view key) {
    if (!bytes) return std::unexpected(std::move(bytes.error()));
    return decode<V>(std::move(*bytes), op, key);
  }

  // Resolves the write expiry, or fails the write with its problem.
  Result<engine::ExpiryAction> write_expiry(const char* op, std::string_view key) const {
    return named(resolve(expiry_), op, key);
  }

  // Names the operation and key in a failure the storage reported.
  template <class T>
  static Result<T> named(Result<T>&& result, const char* op, std::string_view key) {
    if (!result) {
      Error& e = result.error();
      e.op = op;
      if (e.key.empty()) e.key = std::string(key);
    }
    return std::move(result);
  }
  static std::unexpected<Error> named_error(Error&& error, const char* op, std::string_view key) {
    error.op = op;
    if (error.key.empty()) error.key = std::string(key);
    return std::unexpected(std::move(error));
  }
  static std::unexpected<Error> failure(Errc code, const char* op, std::string_view key, std::string message) {
    return std::unexpected(Error{code, op, std::string(key), std::move(message)});
  }

  // Calls f(std::string_view bytes) with the value's stored form (a std::string is not copied).
  template <class V, class F>
  static decltype(auto) with_bytes(const V& value, F&& f) {
    if constexpr (std::same_as<V, std::string>) {
      return f(std::string_view(value));
    } else {
      const std::string bytes = Codec<V>::encode(value);
      return f(std::string_view(bytes));
    }
  }
  // Fails a value no backend can store: NaN or infinity.
  template <class V>
  static Result<void> check_value(const V& value, const char* op, std::string_view key) {
    if constexpr (std::is_floating_point_v<V>) {
      if (!std::isfinite(value)) return failure(Errc::invalid_value, op, key, "NaN and infinity cannot be stored");
    } else if constexpr (std::is_class_v<V> && boost::describe::has_describe_members<V>::value) {
      // JSON has no NaN or infinity: Boost.JSON would write them, and no read could take them back.
      if (!numbers_finite(boost::json::value_from(value))) {
        return failure(Errc::invalid_value, op, key, "NaN and infinity cannot be stored (JSON has no such numbers)");
      }
    }
    (void)value;
    (void)op;
    (void)key;
    return {};
  }
  // Stored bytes as an error shows them: quoted, and cut short past 64 bytes.
  static std::string quoted(std::string_view bytes) {
    std::string out = "\"";
    out.append(bytes.substr(0, 64));
    out += bytes.size() > 64 ? "...\"" : "\"";
    return out;
  }
  template <class V>
  static Result<V> decode(std::string&& bytes, const char* op, std::string_view key) {
    if constexpr (std::same_as<V, std::string>) {
      return std::move(bytes);
    } else {
      auto value = Codec<V>::decode(bytes);
      if (!value) return failure(Errc::invalid_value, op, key, std::move(value.error()) + ": " + quoted(bytes));
      return std::move(*value);
    }
  }
  template <class V>
  static Result<std::vector<V>> decode_all(std::vector<std::string>&& items, const char* op, std::string_view key) {
    std::vector<V> out;
    out.reserve(items.size());
    for (auto& item : items) {
      auto value = decode<V>(std::move(item), op, key);
      if (!value) return std::unexpected(std::move(value.error()));
      out.push_back(std::move(*value));
    }
    return out;
  }
  template <class V>
  static std::vector<std::string> encode_values(Many<V> values) {
    std::vector<std::string> out;
    out.reserve(values.size());
    for (const V& v : values) out.push_back(Codec<V>::encode(v));
    return out;
  }

 private:
  Cluster* cluster_;
  KeyPattern<K> pattern_;
  Expiry expiry_;
  std::uint64_t registration_;
};

}  // namespace detail

// The operations of every keyspace that holds one value per key (String, Int, Float, Struct).
template <class K, class V, class Derived>
class ValueKeyspace : public detail::KeyspaceBase<K, Derived> {
  using Base = detail::KeyspaceBase<K, Derived>;

 public:
  using value_type = V;

  // GET: the value, or Errc::miss.
  Result<V> get(const K& key) const {
    return this->read(key, "get", [&](std::string_view k) {
      return Base::template decode_result<V>(this->storage().get(k), "get", k);
    });
  }

  // MGET: one answer per key, in order; a missing key is Errc::miss in its place.
  Result<std::vector<Result<V>>> multi_get(Many<K> keys) const {
    std::vector<Result<V>> out;
    if (keys.empty()) return out;
    auto encoded = this->encode_keys(keys, "multi_get");
    if (!encoded) return std::unexpected(std::move(encoded.error()));
    auto values = this->storage().mget(*encoded);
    if (!values) return Base::named_error(std::move(values.error()), "multi_get", encoded->front());
    out.reserve(values->size());
    for (std::size_t i = 0; i < values->size(); ++i) {
      auto& v = (*values)[i];
      if (v) out.push_back(Base::template decode<V>(std::move(*v), "multi_get", (*encoded)[i]));
      else out.push_back(Base::failure(Errc::miss, "multi_get", (*encoded)[i], "cache miss"));
    }
    return out;
  }
  template <class... Ks>
    requires detail::AllConvertibleTo<K, Ks...>
  Result<std::vector<Result<V>>> multi_get(const Ks&... keys) const {
    return multi_get(detail::array_of<K>(keys...));
  }

  // SET: writes the value with the keyspace's expiry.
  Result<void> set(const K& key, const V& value) const {
    return write_value(key, value, engine::SetCondition::always, "set", Errc::miss, "");
  }
  // SET NX: Errc::key_exists when the key exists (and nothing changes).
  Result<void> set_if_not_exists(const K& key, const V& value) const {
    return write_value(key, value, engine::SetCondition::if_absent, "set_if_not_exists", Errc::key_exists,
                 "key already exists");
  }
  // SET XX: Errc::miss when the key does not exist (and nothing is written).
  Result<void> replace(const K& key, const V& value) const {
    return write_value(key, value, engine::SetCondition::if_present, "replace", Errc::miss, "cache miss");
  }

  // SET ... GET: writes the value and answers the old one; with no old value the write
  // still happens and the answer is Errc::miss.
  Result<V> get_and_set(const K& key, const V& value) const {
    const auto k = this->key(key);
    if (auto ok = Base::check_key(k.view(), "get_and_set"); !ok) return std::unexpected(std::move(ok.error()));
    if (auto ok = Base::check_value(value, "get_and_set", k.view()); !ok) return std::unexpected(ok.error());
    auto expiry = this->write_expiry("get_and_set", k.view());
    if (!expiry) return std::unexpected(std::move(expiry.error()));
    auto old = Base::with_bytes(value, [&](std::string_view bytes) {
      return this->storage().set_get(k.view(), bytes, *expiry);
    });
    if (!old) return Base::named_error(std::move(old.error()), "get_and_set", k.view());
    if (!*old) return Base::failure(Errc::miss, "get_and_set", k.view(), "cache miss (the new value was written)");
    return Base::template decode<V>(std::move(**old), "get_and_set", k.view());
  }

  // GETDEL: the value, removed; Errc::miss when there was none.
  Result<V> get_and_delete(const K& key) const {
    return this->read(key, "get_and_delete", [&](std::string_view k) {
      return Base::template decode_result<V>(this->storage().getdel(k), "get_and_delete", k);
    });
  }

  // MSET: writes every pair atomically, each with the keyspace's expiry.
  Result<void> multi_set(Many<std::pair<K, V>> pairs) const {
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
    return Base::named(this->storage().mset(encoded, *expiry), "multi_set", encoded.front().key);
  }
  template <class... Ps>
    requires detail::AllConvertibleTo<std::pair<K, V>, Ps...>
  Result<void> multi_set(const Ps&... pairs) const {
    return multi_set(detail::array_of<std::pair<K, V>>(pairs...));
  }

 protected:
  ValueKeyspace(Cluster& cluster, const KeyspaceConfig<K>& config) : Base(cluster, config) {}

  Result<void> write_value(const K& key, const V& value, engine::SetCondition condition, const char* op, Errc refused,
                     const char* refused_message) const {
    const auto k = this->key(key);
    if (auto ok = Base::check_key(k.view(), op); !ok) return ok;
    if (auto ok = Base::check_value(value, op, k.view()); !ok) return ok;
    auto expiry = this->write_expiry(op, k.view());
    if (!expiry) return std::unexpected(std::move(expiry.error()));
    auto written = Base::with_bytes(value, [&](std::string_view bytes) {
      return this->storage().set(k.view(), bytes, condition, *expiry);
    });
    if (!written) return Base::named_error(std::move(written.error()), op, k.view());
    if (!*written) return Base::failure(refused, op, k.view(), refused_message);
    return {};
  }
};

}  // namespace cachet
