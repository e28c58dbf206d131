// A backend of your own: a small store of strings, registered under the scheme "tiny://",
// behind an ordinary StringKeyspace. It implements keys and strings only, so a keyspace of
// another data type on the same cluster answers Errc::unsupported.
//
// A real backend would put its storage somewhere else (a file, a service, shared memory);
// what it must do is in <cachet/storage.hpp> and docs/api.md, "Writing a backend".
#include <cachet/cachet.hpp>
#include <cachet/storage.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;
using cachet::ExpiryAction;
using cachet::Result;

// Every string in a std::map under one mutex, each with its deadline.
class TinyStore final : public cachet::Storage, cachet::KeyStorage, cachet::StringStorage {
 public:
  TinyStore() : Storage({.keys = this, .strings = this}) {}  // no lists, no sets

  Result<void> ping() override { return {}; }
  Result<void> clear() override {
    std::lock_guard lock(mutex_);
    items_.clear();
    return {};
  }

  // --- keys ---
  Result<std::int64_t> del(std::span<const std::string> keys) override {
    std::lock_guard lock(mutex_);
    std::int64_t removed = 0;
    for (const auto& k : keys) removed += find(k) ? (items_.erase(k), 1) : 0;
    return removed;
  }
  Result<std::optional<std::chrono::milliseconds>> pttl(std::string_view key) override {
    std::lock_guard lock(mutex_);
    const Item* item = find(key);
    if (!item) return cachet::fail(cachet::Errc::miss, "cache miss");
    if (!item->deadline) return std::nullopt;
    return std::chrono::ceil<std::chrono::milliseconds>(*item->deadline - Clock::now());
  }
  Result<bool> exists(std::string_view key) override {
    std::lock_guard lock(mutex_);
    return find(key) != nullptr;
  }
  Result<bool> expire(std::string_view key, ExpiryAction expiry) override {
    std::lock_guard lock(mutex_);
    Item* item = find(key);
    if (!item) return false;
    write(key, std::move(item->value), expiry, item);
    return true;
  }

  // --- strings: each write applies its ExpiryAction with the write, under the lock ---
  Result<std::string> get(std::string_view key) override {
    std::lock_guard lock(mutex_);
    if (const Item* item = find(key)) return item->value;
    return cachet::fail(cachet::Errc::miss, "cache miss");
  }
  Result<std::vector<std::optional<std::string>>> mget(std::span<const std::string> keys) override {
    std::lock_guard lock(mutex_);
    std::vector<std::optional<std::string>> out;
    for (const auto& k : keys) {
      const Item* item = find(k);
      out.push_back(item ? std::optional(item->value) : std::nullopt);
    }
    return out;
  }
  Result<bool> set(std::string_view key, std::string_view value, cachet::SetCondition condition,
                   ExpiryAction expiry) override {
    std::lock_guard lock(mutex_);
    Item* item = find(key);
    if ((condition == cachet::SetCondition::if_absent && item) || (condition == cachet::SetCondition::if_present && !item)) {
      return false;
    }
    write(key, std::string(value), expiry, item);
    return true;
  }
  Result<std::optional<std::string>> set_get(std::string_view key, std::string_view value, ExpiryAction expiry) override {
    std::lock_guard lock(mutex_);
    Item* item = find(key);
    std::optional<std::string> old = item ? std::optional(item->value) : std::nullopt;
    write(key, std::string(value), expiry, item);
    return old;
  }
  Result<void> mset(std::span<const cachet::KeyValue> pairs, ExpiryAction expiry) override {
    std::lock_guard lock(mutex_);
    for (const auto& [key, value] : pairs) write(key, value, expiry, find(key));
    return {};
  }
  Result<std::string> getdel(std::string_view key) override {
    std::lock_guard lock(mutex_);
    Item* item = find(key);
    if (!item) return cachet::fail(cachet::Errc::miss, "cache miss");
    std::string value = std::move(item->value);
    items_.erase(items_.find(key));
    return value;
  }
  Result<std::string> getex(std::string_view key, ExpiryAction expiry) override {
    std::lock_guard lock(mutex_);
    Item* item = find(key);
    if (!item) return cachet::fail(cachet::Errc::miss, "cache miss");
    std::string value = item->value;
    write(key, item->value, expiry, item);
    return value;
  }
  Result<std::int64_t> append(std::string_view key, std::string_view value, ExpiryAction expiry) override {
    std::lock_guard lock(mutex_);
    Item* item = find(key);
    std::string joined = (item ? item->value : std::string()) + std::string(value);
    const auto length = std::int64_t(joined.size());
    write(key, std::move(joined), expiry, item);
    return length;
  }
  Result<std::string> getrange(std::string_view key, std::int64_t start, std::int64_t end) override {
    std::lock_guard lock(mutex_);
    const Item* item = find(key);
    if (!item) return std::string();
    const auto n = std::int64_t(item->value.size());
    if (start < 0 && end < 0 && start > end) return std::string();
    start = std::max<std::int64_t>(start < 0 ? start + n : start, 0);
    end = std::min<std::int64_t>(std::max<std::int64_t>(end < 0 ? end + n : end, 0), n - 1);
    if (n == 0 || start > end) return std::string();
    return item->value.substr(std::size_t(start), std::size_t(end - start + 1));
  }
  Result<std::int64_t> setrange(std::string_view key, std::int64_t offset, std::string_view value,
                                ExpiryAction expiry) override {
    if (offset < 0) return cachet::fail(cachet::Errc::out_of_range, "offset is out of range");
    std::lock_guard lock(mutex_);
    Item* item = find(key);
    std::string updated = item ? item->value : std::string();
    if (!value.empty()) {
      updated.resize(std::max(updated.size(), std::size_t(offset) + value.size()), '\0');
      updated.replace(std::size_t(offset), value.size(), value);
    }
    const auto length = std::int64_t(updated.size());
    if (item || !value.empty()) write(key, std::move(updated), expiry, item);
    return length;
  }
  Result<std::int64_t> strlen(std::string_view key) override {
    std::lock_guard lock(mutex_);
    const Item* item = find(key);
    return item ? std::int64_t(item->value.size()) : 0;
  }
  Result<std::int64_t> incrby(std::string_view key, std::int64_t delta, ExpiryAction expiry) override {
    std::lock_guard lock(mutex_);
    Item* item = find(key);
    std::int64_t value = 0;
    if (item) {
      const auto& text = item->value;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || end != text.data() + text.size()) {
        return cachet::fail(cachet::Errc::invalid_value, "value is not an integer or out of range");
      }
    }
    if (__builtin_add_overflow(value, delta, &value)) {
      return cachet::fail(cachet::Errc::out_of_range, "increment or decrement would overflow");
    }
    write(key, std::to_string(value), expiry, item);
    return value;
  }
  Result<double> incrbyfloat(std::string_view key, double delta, ExpiryAction expiry) override {
    std::lock_guard lock(mutex_);
    Item* item = find(key);
    double value = 0;
    if (item) {
      const auto& text = item->value;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || end != text.data() + text.size()) {
        return cachet::fail(cachet::Errc::invalid_value, "value is not a valid float");
      }
    }
    value += delta;
    if (!std::isfinite(value)) return cachet::fail(cachet::Errc::invalid_value, "increment would produce NaN or Infinity");
    char text[32];
    write(key, std::string(text, std::to_chars(text, text + sizeof text, value).ptr), expiry, item);
    return value;
  }

 private:
  struct Item {
    std::string value;
    std::optional<Clock::time_point> deadline;
  };

  // The live item under `key`; an expired one is removed on the way.
  Item* find(std::string_view key) {
    auto it = items_.find(key);
    if (it == items_.end()) return nullptr;
    if (it->second.deadline && *it->second.deadline <= Clock::now()) {
      items_.erase(it);
      return nullptr;
    }
    return &it->second;
  }
  // Writes `value` with the write's expiry: persist leaves no TTL, keep leaves the old one, and
  // an expiry in the past leaves no key at all.
  void write(std::string_view key, std::string value, ExpiryAction expiry, const Item* old) {
    if (expiry.deletes()) {
      if (auto it = items_.find(key); it != items_.end()) items_.erase(it);
      return;
    }
    std::optional<Clock::time_point> deadline;
    if (expiry.kind == ExpiryAction::Kind::ttl) deadline = Clock::now() + expiry.ttl;
    if (expiry.kind == ExpiryAction::Kind::keep && old) deadline = old->deadline;
    items_.insert_or_assign(std::string(key), Item{std::move(value), deadline});
  }

  std::mutex mutex_;
  std::map<std::string, Item, std::less<>> items_;
};

inline cachet::Cluster cache("tiny-cache");
inline cachet::StringKeyspace<std::string> greetings(cache, {.key_pattern = "greeting/:key"});
inline cachet::IntKeyspace<std::string> visits(cache, {.key_pattern = "visits/:key"});
inline cachet::ListKeyspace<std::string, std::string> history(cache, {.key_pattern = "history/:key"});

}  // namespace

int main() {
  // Before the first use of a cluster with such a URL: then tiny:// is a backend like any other.
  cachet::register_backend("tiny", [](const cachet::BackendUrl& url, const cachet::BackendContext&)
                                       -> Result<std::unique_ptr<cachet::Storage>> {
    if (!url.hosts.empty() || !url.options.empty()) return url.error("tiny:// takes no host and no options");
    return std::make_unique<TinyStore>();
  });
  cachet::configure("tiny-cache", "tiny://");
  if (auto problems = cachet::verify(); !problems.empty()) {
    std::fprintf(stderr, "%s\n", problems.front().what().c_str());
    return 1;
  }

  if (auto ok = greetings.set("en", "hello"); !ok) return std::fprintf(stderr, "%s\n", ok.error().what().c_str()), 1;
  auto hello = greetings.get("en");
  std::printf("greeting en: %s\n", hello ? hello->c_str() : hello.error().what().c_str());
  for (int i = 0; i < 3; ++i) (void)visits.increment("home");
  auto count = visits.get("home");
  std::printf("visits home: %lld\n", count ? static_cast<long long>(*count) : -1LL);

  // TinyStore has no lists: the keyspace says so instead of pretending.
  auto pushed = history.push_left("ann", "login");
  std::printf("history push: %s\n", pushed ? "ok" : pushed.error().what().c_str());
  return hello && count && *count == 3 && !pushed && pushed.error().code == cachet::Errc::unsupported ? 0 : 1;
}
