// The operations of every keyspace that holds one value per key (String, Int, Float, Struct).
#pragma once

#include "engine/require_cxx23.hpp"

#include "keyspace.hpp"
#include "load.hpp"

#include <concepts>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace cachet {

namespace detail {
// What a get_or_set loader may return: the value, or Result<V> (an error is not cached).
template <class R, class V>
concept LoaderResult = std::same_as<std::remove_cvref_t<R>, Result<V>> || std::convertible_to<R, V>;
}  // namespace detail

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

  // GETEX: the value, and the keyspace's expiry applied to the key in the same step (sliding
  // expiration: each read pushes the deadline back); Errc::miss when there is none.
  [[nodiscard]] Result<V> get_and_expire(const K& key) const {
    return this->template write<Strings>(key, "get_and_expire",
                                         [&](Strings& s, std::string_view k, engine::ExpiryAction e) {
      return Base::template decode_result<V>(s.getex(k, e), "get_and_expire", k);
    });
  }

  // Cache-aside in one call: the cached value, or on a miss what `loader` (a callable taking no
  // arguments, returning V or Result<V>) answers, written with the keyspace's expiry. One
  // caller per stored key in the process runs the loader; concurrent callers wait for its
  // outcome. A loader's error is returned to the caller that ran it, its exception passes to
  // that caller, and neither is cached: the waiters get Errc::load_failed saying why, and the
  // next call loads again. A get_or_set that would wait for its own load (a loader asking for
  // its own key) fails with Errc::load_failed. With options.lock > 0, one loader per key runs
  // across every process sharing the backend (see LoadOptions). A backend failure is
  // returned, never turned into a load.
  template <class F>
    requires std::invocable<F&> && detail::LoaderResult<std::invoke_result_t<F&>, V>
  [[nodiscard]] Result<V> get_or_set(const K& key, F&& loader, LoadOptions options = {}) const {
    return this->call("get_or_set", [&]() -> Result<V> {
      const auto buffer = this->key(key);
      const std::string_view k = buffer.view();
      // Names this call in a failure that does not name its own (a loader's may).
      auto named = [&](Error&& e) {
        if (e.op.empty()) e.op = "get_or_set";
        if (e.key.empty()) e.key = std::string(k);
        return std::unexpected(std::move(e));
      };
      if (auto ok = Base::check_key(k, "get_or_set"); !ok) return std::unexpected(std::move(ok.error()));
      if (auto ok = detail::check_load_options(options); !ok) return named(std::move(ok.error()));
      auto expiry = this->write_expiry("get_or_set", k);
      if (!expiry) return std::unexpected(std::move(expiry.error()));
      auto strings = this->template part<Strings>("get_or_set", k);
      if (!strings) return std::unexpected(std::move(strings.error()));
      auto keys = this->template part<engine::KeyStorage>("get_or_set", k);
      if (!keys) return std::unexpected(std::move(keys.error()));

      auto hit = (*strings)->get(k);
      if (hit) return Base::template decode<V>(std::move(*hit), "get_or_set", k);
      if (hit.error().code != Errc::miss) return named(std::move(hit.error()));

      auto seat = detail::FlightSeat::join(this->cluster().name(), k);
      if (!seat) return named(std::move(seat.error()));
      auto* context = const_cast<void*>(static_cast<const void*>(std::addressof(loader)));
      Result<std::string> bytes =
          seat->leads() ? detail::lead_load(*seat, **strings, **keys, k, options, *expiry,
                                            detail::Loader{&run_loader<std::remove_reference_t<F>>, context})
                        : seat->wait();
      if (!bytes) return named(std::move(bytes.error()));
      return Base::template decode<V>(std::move(*bytes), "get_or_set", k);
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
  // Runs a get_or_set loader (at `context`) and answers what it loaded in stored form.
  template <class F>
  static Result<std::string> run_loader(void* context) {
    F& loader = *static_cast<F*>(context);
    using R = std::invoke_result_t<F&>;
    auto store = [](const V& value) -> Result<std::string> {
      if (auto ok = Base::check_value(value, "get_or_set", ""); !ok) return std::unexpected(std::move(ok.error()));
      return Codec<V>::encode(value);
    };
    if constexpr (std::same_as<std::remove_cvref_t<R>, Result<V>>) {
      R loaded = loader();
      if (!loaded) return std::unexpected(std::move(loaded.error()));
      return store(*loaded);
    } else {
      return store(V(loader()));
    }
  }

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
