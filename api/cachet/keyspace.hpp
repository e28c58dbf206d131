// What every keyspace shares: its configuration, its place in the cluster's pattern
// registry, key encoding into a stack buffer, expiry, naming the operation and key in every
// error, and the one path every call takes (KeyspaceBase::call). Keyspaces know nothing of
// backends: they speak to the part of the cluster's Storage for their data type.
#pragma once

#include "engine/require_cxx23.hpp"

#include "cluster.hpp"
#include "codec.hpp"
#include "expiry.hpp"
#include "key_pattern.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
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
  // Any contiguous range of T: std::data and std::size (not <ranges>, which would cost every
  // includer some 7,000 lines).
  template <class R>
    requires requires(const R& r) {
      { std::data(r) } -> std::convertible_to<const T*>;
      { std::size(r) } -> std::convertible_to<std::size_t>;
    } && std::same_as<std::remove_cvref_t<decltype(*std::data(std::declval<const R&>()))>, T>
  Many(const R& range) : items_(std::data(range), std::size(range)) {}

  std::span<const T> span() const { return items_; }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

 private:
  std::span<const T> items_;
};

namespace detail {

// One keyspace call as it ended: what the one path knows.
struct CallRecord {
  std::string_view cluster;
  std::string_view keyspace;  // the key pattern
  std::string_view op;        // the method's name
  std::chrono::nanoseconds duration;
  std::optional<Errc> error;  // nullopt: it succeeded
};
using CallListener = void (*)(const CallRecord&);
// Set by set_call_listener (tests); read when a call ends.
void set_call_listener(CallListener listener) noexcept;

// What the one path does around a call, one bit each: count it for metrics_text() (unless
// CACHET_METRICS=off), tell the observer (set_observer), tell the test listener.
// Zero: the call is neither counted nor timed.
inline constexpr unsigned hook_metrics = 1, hook_observer = 2, hook_listener = 4;
extern std::atomic<unsigned> call_hooks;
// Counting on or off from now on, in this process, as CACHET_METRICS sets it at start-up (for
// the benchmark, which compares both in one run, and tests).
void set_metrics_enabled(bool on) noexcept;

// A keyspace's place in the counts: its cluster and key pattern, the same object for every
// keyspace (and copy) of that pair, kept for the life of the process (observe.cpp).
struct KeyspaceSite;
const KeyspaceSite& keyspace_site(std::string_view cluster, std::string_view pattern);

// A cheap timestamp for call durations: the CPU's time-stamp counter on x86 (a fraction of
// what steady_clock::now() costs on a VM), calibrated against steady_clock; steady_clock
// elsewhere.
inline std::uint64_t call_ticks() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  return __builtin_ia32_rdtsc();
#else
  return std::uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

// Results a call can end in: 0 for success, else the Errc's value (1 is miss); the last Errc
// (engine/error.hpp) ends the range.
inline constexpr std::size_t result_count = std::size_t(Errc::load_failed) + 1;
// The duration histogram times one call in this many of each thread's calls of one keyspace
// op (the first, the 17th, ...): two time-stamp reads cost more than the rest of the counting
// and a third of a memory hit. Calls an observer or listener sees are all timed.
inline constexpr std::uint32_t timing_stride = 16;

// A counter only its thread writes: a plain load and store, no locked instruction; a scrape
// on another thread reads it without a data race.
struct Counter {
  std::atomic<std::uint64_t> value{0};
  void add(std::uint64_t n) noexcept { value.store(value.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  std::uint64_t get() const noexcept { return value.load(std::memory_order_relaxed); }
};

struct Histogram;

// One thread's counts of one (keyspace, op): a counter per result, and its countdown to the
// next timed call (only the owning thread touches it).
struct OpCounts {
  const KeyspaceSite* site = nullptr;
  const char* op = nullptr;
  Histogram* histogram = nullptr;  // the thread's histogram of the site
  std::uint32_t until_timed = 1;
  std::array<Counter, result_count> results;
};

// Each thread's way to its counters without a call: a small direct-mapped cache by the
// keyspace site's and the op literal's addresses. Null until the thread's first counted call
// (and again once the thread is exiting).
struct CountsCache {
  struct Entry {
    const KeyspaceSite* site = nullptr;
    const char* op = nullptr;
    OpCounts* counts = nullptr;
  };
  std::array<Entry, 64> entries{};
  static std::size_t slot(const KeyspaceSite& site, const char* op) noexcept {
    return ((std::uintptr_t(&site) >> 6) ^ std::uintptr_t(op)) & 63;
  }
};
// initial-exec: the library is linked, not dlopen'ed, so the pointer sits in the static TLS
// block and the inline path reaches it with one load.
[[gnu::tls_model("initial-exec")]] extern thread_local constinit CountsCache* counts_cache;

// The cache missed: finds or makes the thread's counters (and its block, on its first counted
// call). Null for a call made while the thread exits: end_call then counts it under a lock.
OpCounts* find_counts_slow(const KeyspaceSite& site, const char* op) noexcept;

inline OpCounts* find_counts(const KeyspaceSite& site, const char* op) noexcept {
  if (CountsCache* cache = counts_cache) {
    const CountsCache::Entry& e = cache->entries[CountsCache::slot(site, op)];
    if (e.site == &site && e.op == op) return e.counts;
  }
  return find_counts_slow(site, op);
}

// The end of a timed call (or of a counted call without counters): the histogram when
// `sampled` (or `counts` is null), the observer, the test listener.
void end_call(const KeyspaceSite& site, const char* op, OpCounts* counts, bool sampled, std::uint64_t ticks,
              unsigned result, unsigned hooks) noexcept;

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
  [[nodiscard]] Result<std::int64_t> erase(Many<K> keys) const {
    return call("erase", [&]() -> Result<std::int64_t> {
      if (keys.empty()) return 0;
      auto encoded = encode_keys(keys, "erase");
      if (!encoded) return std::unexpected(std::move(encoded.error()));
      auto storage = part<engine::KeyStorage>("erase", encoded->front());
      if (!storage) return std::unexpected(std::move(storage.error()));
      return named((*storage)->del(*encoded), "erase", encoded->front());
    });
  }
  template <class... Ks>
    requires AllConvertibleTo<K, Ks...>
  [[nodiscard]] Result<std::int64_t> erase(const Ks&... keys) const {
    return erase(array_of<K>(keys...));
  }

  // PTTL: the time the key has left, nullopt for a key without a TTL; Errc::miss for no key.
  [[nodiscard]] Result<std::optional<std::chrono::milliseconds>> ttl(const K& key) const {
    return read<engine::KeyStorage>(key, "ttl", [](engine::KeyStorage& s, std::string_view k) { return s.pttl(k); });
  }
  // PEXPIRE / PERSIST: gives the key `expiry` as a write would (never_expire removes its TTL,
  // keep_ttl changes nothing, an expiry in the past deletes it). Errc::miss for no key,
  // whatever the expiry; an invalid expiry fails as it fails a write.
  [[nodiscard]] Result<void> expire(const K& key, Expiry expiry) const {
    return read<engine::KeyStorage>(key, "expire", [&](engine::KeyStorage& s, std::string_view k) -> Result<void> {
      auto action = named(resolve(expiry), "expire", k);
      if (!action) return std::unexpected(std::move(action.error()));
      auto found = s.expire(k, *action);
      if (!found) return std::unexpected(std::move(found.error()));
      if (!*found) return failure(Errc::miss, "expire", k, "cache miss");
      return {};
    });
  }
  // EXISTS: whether the key is there.
  [[nodiscard]] Result<bool> exists(const K& key) const {
    return read<engine::KeyStorage>(key, "exists", [](engine::KeyStorage& s, std::string_view k) { return s.exists(k); });
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
        registration_(cluster.add_pattern(config.key_pattern.text())),
        site_(&keyspace_site(cluster.name(), config.key_pattern.text())) {}
  KeyspaceBase(const KeyspaceBase& other)
      : cluster_(other.cluster_),
        pattern_(other.pattern_),
        expiry_(other.expiry_),
        registration_(0),
        site_(other.site_) {}
  KeyspaceBase& operator=(const KeyspaceBase&) = delete;
  ~KeyspaceBase() {
    if (registration_ != 0) cluster_->release_pattern(registration_);
  }

  // The one path: every public method of every keyspace runs its body through here, the one
  // place that knows the cluster, the key pattern, the operation, its duration and outcome.
  // `op` must be a string literal (it is kept, and told apart by its address). One named
  // result and one return, so that the result is built in place (no move) whether or not the
  // call is counted.
  template <class F>
  std::invoke_result_t<F> call(const char* op, F&& body) const {
    const unsigned hooks = call_hooks.load(std::memory_order_relaxed);
    OpCounts* counts = nullptr;
    bool sampled = false;
    if (hooks & hook_metrics) {
      counts = find_counts(*site_, op);
      sampled = counts == nullptr || --counts->until_timed == 0;
      if (sampled && counts != nullptr) counts->until_timed = timing_stride;
    }
    const bool timed = sampled || (hooks & (hook_observer | hook_listener)) != 0;
    const std::uint64_t started = timed ? call_ticks() : 0;
    std::invoke_result_t<F> result = body();
    unsigned code = result ? 0u : unsigned(result.error().code);
    if (code >= result_count) code = unsigned(Errc::protocol);  // a user backend's stray value
    if (counts != nullptr) counts->results[code].add(1);
    if (timed) end_call(*site_, op, counts, sampled, call_ticks() - started, code, hooks);
    return result;
  }

  // The part of the cluster's storage for data type Part: Errc::unsupported when the backend
  // leaves that type out, or the cluster's problem when it has no storage.
  template <class Part>
  [[nodiscard]] Result<Part*> part(const char* op, std::string_view key) const {
    if (Part* p = ready_part<Part>()) return p;
    auto storage = cluster_->current_storage();
    if (!storage) return named_error(std::move(storage.error()), op, key);
    if (Part* p = (*storage)->template part<Part>()) return p;
    return failure(Errc::unsupported, op, key,
                   "the backend of cluster \"" + std::string(cluster_->name()) + "\" does not support " +
                       engine::part_name<Part>());
  }

  // The part when the cluster's storage is open and has it (the common case, no Result to
  // build), else null: then part() says why.
  template <class Part>
  Part* ready_part() const noexcept {
    engine::Storage* ready = cluster_->ready_storage();
    return ready ? ready->template part<Part>() : nullptr;
  }

  KeyBuffer key(const K& k) const {
    KeyBuffer out;
    pattern_.encode(k, out);
    return out;
  }
  // The stored keys, or the failure of the first that may not be stored (see check_key).
  [[nodiscard]] Result<std::vector<std::string>> encode_keys(Many<K> keys, const char* op) const {
    std::vector<std::string> out;
    out.reserve(keys.size());
    for (const K& k : keys) {
      out.push_back(pattern_.encode(k));
      if (auto ok = check_key(out.back(), op); !ok) return std::unexpected(std::move(ok.error()));
    }
    return out;
  }
  // The stored key, or the failure that forbids it.
  [[nodiscard]] Result<std::string> encode_key(const K& key, const char* op) const {
    std::string k = pattern_.encode(key);
    if (auto ok = check_key(k, op); !ok) return std::unexpected(std::move(ok.error()));
    return k;
  }
  // The names under the reserved prefix belong to cachet. A pattern cannot start with it (a
  // compile error), but one that starts with a placeholder would reach it with a key such as
  // "__cachet/x": such a key fails with invalid_value before anything is sent.
  // (The failure is built out of line, so that the check itself inlines into every call.)
  [[nodiscard]] static Result<void> check_key(std::string_view stored, const char* op) {
    if (!stored.starts_with(KeyPattern<K>::reserved_prefix)) [[likely]] return {};
    return reserved_key(stored, op);
  }
  [[gnu::noinline, gnu::cold]] static std::unexpected<Error> reserved_key(std::string_view stored, const char* op) {
    return failure(Errc::invalid_value, op, stored,
                   "the key would start with the reserved prefix '" +
                       std::string(KeyPattern<K>::reserved_prefix) + "'");
  }

  // A read of one key: f(Part&, stored key) -> Result<T>, with the operation and key named in
  // a failure. Runs through call().
  template <class Part, class F>
  auto read(const K& key, const char* op, F&& f) const {
    using R = std::invoke_result_t<F, Part&, std::string_view>;
    return call(op, [&]() -> R {
      const auto k = this->key(key);
      if (auto ok = check_key(k.view(), op); !ok) return std::unexpected(std::move(ok.error()));
      Part* p = ready_part<Part>();
      if (p == nullptr) {
        auto storage = part<Part>(op, k.view());
        if (!storage) return std::unexpected(std::move(storage.error()));
        p = *storage;
      }
      return named(f(*p, k.view()), op, k.view());
    });
  }
  // A write of one key: f(Part&, stored key, expiry action) -> Result<T>, the keyspace's
  // expiry resolved first. Runs through call().
  template <class Part, class F>
  auto write(const K& key, const char* op, F&& f) const {
    using R = std::invoke_result_t<F, Part&, std::string_view, engine::ExpiryAction>;
    return call(op, [&]() -> R {
      const auto k = this->key(key);
      if (auto ok = check_key(k.view(), op); !ok) return std::unexpected(std::move(ok.error()));
      auto expiry = write_expiry(op, k.view());
      if (!expiry) return std::unexpected(std::move(expiry.error()));
      Part* p = ready_part<Part>();
      if (p == nullptr) {
        auto storage = part<Part>(op, k.view());
        if (!storage) return std::unexpected(std::move(storage.error()));
        p = *storage;
      }
      return named(f(*p, k.view(), *expiry), op, k.view());
    });
  }
  // Decodes what a read or write answered as one value.
  template <class V>
  [[nodiscard]] static Result<V> decode_result(Result<std::string>&& bytes, const char* op, std::string_view key) {
    if (!bytes) return std::unexpected(std::move(bytes.error()));
    return decode<V>(std::move(*bytes), op, key);
  }

  // Resolves the write expiry, or fails the write with its problem.
  [[nodiscard]] Result<engine::ExpiryAction> write_expiry(const char* op, std::string_view key) const {
    return named(resolve(expiry_), op, key);
  }

  // Names the operation and key in a failure the storage reported.
  template <class T>
  [[nodiscard]] static Result<T> named(Result<T>&& result, const char* op, std::string_view key) {
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
  // Fails a value its codec refuses to store (NaN or infinity, for doubles and JSON).
  template <class V>
  [[nodiscard]] static Result<void> check_value(const V& value, const char* op, std::string_view key) {
    if constexpr (requires { { Codec<V>::invalid(value) } -> std::convertible_to<const char*>; }) {
      if (const char* why = Codec<V>::invalid(value)) return failure(Errc::invalid_value, op, key, why);
    }
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
  [[nodiscard]] static Result<V> decode(std::string&& bytes, const char* op, std::string_view key) {
    if constexpr (std::same_as<V, std::string>) {
      return std::move(bytes);
    } else {
      auto value = Codec<V>::decode(bytes);
      if (!value) return failure(Errc::invalid_value, op, key, std::move(value.error()) + ": " + quoted(bytes));
      return std::move(*value);
    }
  }
  template <class V>
  [[nodiscard]] static Result<std::vector<V>> decode_all(std::vector<std::string>&& items, const char* op, std::string_view key) {
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
  const KeyspaceSite* site_;
};

}  // namespace detail
}  // namespace cachet
