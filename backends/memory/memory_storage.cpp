#include "memory_storage.hpp"

#include "engine/clock.hpp"
#include "engine/decimal.hpp"
#include "engine/notice.hpp"
#include "eviction_policies.hpp"
#include "footprint.hpp"

#include <boost/container/small_vector.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

namespace cachet::memory {

using engine::ExpiryAction;
using engine::SetAlgebra;
using engine::SetCondition;

namespace {

constexpr std::size_t npos = EntryTable::npos;
constexpr std::uint32_t sweep_interval = 16;   // operations on a shard between two sweeps
constexpr int sweep_samples = 20;              // keys with a TTL looked at per sweep round
constexpr int sweep_rounds = 4;                // rounds while a quarter or more had expired
constexpr std::size_t pool_size = 16;          // eviction candidates kept between evictions

std::atomic<bool> development_notice_printed{false};

std::unexpected<Error> wrong_type(ValueKind held, ValueKind wanted) {
  return fail(Errc::wrong_type, "WRONGTYPE the key holds a " + std::string(kind_name(held)) + ", not a " +
                                    std::string(kind_name(wanted)));
}
std::unexpected<Error> too_large() {
  return fail(Errc::out_of_range, "string exceeds maximum allowed size (512 MiB)");
}
std::unexpected<Error> not_an_integer() {
  return fail(Errc::invalid_value, "value is not an integer or out of range");
}

// Redis's index arithmetic: negative counts from the end; answers [first, last] clamped to
// the list, or nothing (empty) when the range holds no element.
struct Range {
  std::size_t first = 0, last = 0;
  bool empty = true;
};
Range clamp_range(std::int64_t start, std::int64_t stop, std::size_t size) {
  const auto n = static_cast<std::int64_t>(size);
  if (start < 0) start += n;
  if (stop < 0) stop += n;
  if (start < 0) start = 0;
  if (start > stop || start >= n) return {};
  if (stop >= n) stop = n - 1;
  return {std::size_t(start), std::size_t(stop), false};
}
std::optional<std::size_t> resolve_index(std::int64_t index, std::size_t size) {
  const auto n = static_cast<std::int64_t>(size);
  if (index < 0) index += n;
  if (index < 0 || index >= n) return std::nullopt;
  return std::size_t(index);
}

}  // namespace

struct alignas(64) MemoryStorage::Shard {
  AdaptiveMutex mutex;
  EntryTable table;
  std::vector<Entry*> volatile_entries;  // every entry with a TTL; an entry knows its position
  Random random;
  std::uint32_t ops_since_sweep = 0;
};

// A slot found under a shard lock: where the key lives (or would), and its entry if any.
struct Found {
  std::size_t slot = npos;
  Entry* entry = nullptr;
  explicit operator bool() const { return entry != nullptr; }
};

// The work of one operation while its shards are locked: lookups that reclaim expired keys,
// and the writes that keep the table, the list of keys with a TTL and the accounts together.
class MemoryStorage::Op {
 public:
  explicit Op(MemoryStorage& storage) : m_(storage) {}

  std::int64_t now() {
    if (now_ == unread) now_ = engine::clock::now_ms();
    return now_;
  }

  Found find(std::string_view key, std::uint64_t hash) {
    Shard& s = m_.shard_of(hash);
    const std::size_t slot = s.table.find(key, hash);
    if (slot == npos) return {};
    Entry* e = s.table.at(slot);
    // As in Redis, a key lives through the millisecond of its deadline.
    if (e->has_expiry() && *e->expiry() < now()) {
      erase(hash, slot);
      m_.expired_.fetch_add(1, std::memory_order_relaxed);
      return {};
    }
    // A store without bounds never evicts: its reads need not write anything.
    if (m_.bounded()) m_.policy_rule_.touch(*e, s.random);
    return {slot, e};
  }

  // The entry's type must be `kind`; a missing key passes.
  Result<void> expect(const Found& f, ValueKind kind) const {
    if (f && f.entry->kind() != kind) return wrong_type(f.entry->kind(), kind);
    return {};
  }

  // May a write that adds `adds_key` keys and about `incoming` bytes go ahead? It may when the
  // store is within its bounds after it, or when eviction can make room afterwards.
  bool admits(const Found& f, std::int64_t incoming) const {
    // Eviction never removes the key being written, so a key that alone would outgrow
    // max_memory is refused outright.
    const auto max_memory = std::int64_t(m_.config_.limits.max_memory);
    if (max_memory != 0 && f && std::int64_t(key_footprint(*f.entry)) + incoming > max_memory) {
      return false;
    }
    return admits(f ? 0 : 1, incoming);
  }
  bool admits(std::int64_t adds_key, std::int64_t incoming) const {
    if (!m_.bounded()) return true;
    const auto& limits = m_.config_.limits;
    const bool over_keys =
        limits.max_keys != 0 && m_.keys_.load(std::memory_order_relaxed) + adds_key > std::int64_t(limits.max_keys);
    const bool over_memory = limits.max_memory != 0 &&
                             m_.used_.load(std::memory_order_relaxed) + incoming > std::int64_t(limits.max_memory);
    if (!over_keys && !over_memory) return true;
    if (limits.max_memory != 0 && incoming > std::int64_t(limits.max_memory)) return false;
    const EvictionRule rule = m_.eviction_rule();
    if (!rule.evicts) return false;
    return !rule.volatile_only || m_.volatile_keys_.load(std::memory_order_relaxed) != 0;
  }

  // The deadline a write leaves on a key that had `old` (nullptr: a new key).
  std::optional<std::int64_t> deadline(ExpiryAction action, const Entry* old) {
    switch (action.kind) {
      case ExpiryAction::Kind::keep: return old ? old->expiry() : std::nullopt;
      case ExpiryAction::Kind::persist: return std::nullopt;
      case ExpiryAction::Kind::ttl: return now() + action.ttl.count();
    }
    return std::nullopt;
  }

  // Puts `fresh` where `f` points: a new key, or a new allocation for the key's old entry.
  // `old_value_moved`: the old entry's list or set now belongs to `fresh`.
  void put(Found& f, std::uint64_t hash, Entry* fresh, bool old_value_moved = false) {
    Shard& s = m_.shard_of(hash);
    std::int64_t delta = std::int64_t(fresh->footprint());
    if (f.entry == nullptr) {
      const std::size_t table_before = s.table.footprint();
      f.slot = s.table.insert(fresh, hash);
      delta += std::int64_t(s.table.footprint()) - std::int64_t(table_before);
      m_.keys_.fetch_add(1, std::memory_order_relaxed);
      if (fresh->has_expiry()) add_volatile(s, fresh);
    } else {
      Entry* old = f.entry;
      delta -= std::int64_t(old->footprint());
      if (old->has_expiry() && fresh->has_expiry()) {
        fresh->set_volatile_index(old->volatile_index());
        s.volatile_entries[old->volatile_index()] = fresh;
      } else if (old->has_expiry()) {
        remove_volatile(s, old);
      } else if (fresh->has_expiry()) {
        add_volatile(s, fresh);
      }
      s.table.replace(f.slot, fresh);
      if (old_value_moved) {
        Entry::free_shell(old);
      } else {
        delta -= std::int64_t(value_footprint(*old));
        Entry::destroy(old);
      }
    }
    f.entry = fresh;
    m_.used_.fetch_add(delta, std::memory_order_relaxed);
  }

  // Writes a string value as SET does, its expiry with it. A value of the same length and
  // layout is written in place, which spares an allocation on every same-size overwrite.
  void put_string(Found& f, std::string_view key, std::uint64_t hash, std::string_view value, ExpiryAction action) {
    if (action.deletes()) {
      if (f) erase(f, hash);
      return;
    }
    const std::optional<std::int64_t> at = deadline(action, f.entry);
    if (f && f.entry->kind() == ValueKind::string && f.entry->has_expiry() == at.has_value() &&
        f.entry->string_value().size() == value.size()) {
      if (!value.empty()) std::memmove(f.entry->string_data(), value.data(), value.size());
      if (at) f.entry->set_expire_at(*at);
      return;
    }
    put(f, hash, Entry::make_string(key, value, at, f ? f.entry->access() : m_.policy_rule_.fresh_access()));
  }

  // About how many bytes a string write adds: the whole entry for a new key, else the growth.
  static std::int64_t string_growth(const Found& f, std::string_view key, std::size_t new_length) {
    if (!f) return std::int64_t(key.size() + new_length + 16);
    const std::size_t old_length = f.entry->kind() == ValueKind::string ? f.entry->string_value().size() : 0;
    return std::int64_t(new_length) - std::int64_t(old_length);
  }

  // A new list or set entry under `key`, with the write's expiry.
  template <class Container>
  Container* create(Found& f, std::string_view key, std::uint64_t hash, ValueKind kind, ExpiryAction action) {
    auto* container = new Container();
    const std::uint32_t access = m_.policy_rule_.fresh_access();
    put(f, hash, Entry::make_container(key, kind, container, deadline(action, nullptr), access));
    m_.used_.fetch_add(std::int64_t(container->footprint()), std::memory_order_relaxed);
    return container;
  }

  void erase(std::uint64_t hash, std::size_t slot) { m_.erase_slot(m_.shard_of(hash), slot); }
  void erase(Found& f, std::uint64_t hash) {
    erase(hash, f.slot);
    f = {};
  }

  // Applies a write's expiry to a key that exists after the write.
  void apply_expiry(Found& f, std::uint64_t hash, ExpiryAction action) {
    if (!f) return;
    if (action.deletes()) return erase(f, hash);
    switch (action.kind) {
      case ExpiryAction::Kind::keep: return;
      case ExpiryAction::Kind::persist:
        if (f.entry->has_expiry()) put(f, hash, Entry::with_expiry(f.entry, std::nullopt), true);
        return;
      case ExpiryAction::Kind::ttl:
        if (f.entry->has_expiry()) f.entry->set_expire_at(now() + action.ttl.count());
        else put(f, hash, Entry::with_expiry(f.entry, now() + action.ttl.count()), true);
        return;
    }
  }

  // Removes a list or set that became empty, as Redis does; else applies the expiry.
  template <class Container>
  void finish_container(Found& f, std::uint64_t hash, const Container* c, ExpiryAction action) {
    if (f && c->empty()) erase(f, hash);
    else apply_expiry(f, hash, action);
  }

  // Runs `change` on a list or set and accounts for the memory it took or gave back.
  template <class Container, class F>
  decltype(auto) change(Container* c, F&& change) {
    const auto before = std::int64_t(c->footprint());
    struct Account {
      MemoryStorage& m;
      Container* c;
      std::int64_t before;
      ~Account() { m.used_.fetch_add(std::int64_t(c->footprint()) - before, std::memory_order_relaxed); }
    } account{m_, c, before};
    return change();
  }

  Random& random(std::uint64_t hash) { return m_.shard_of(hash).random; }

 private:
  void add_volatile(Shard& s, Entry* e) {
    e->set_volatile_index(std::uint32_t(s.volatile_entries.size()));
    s.volatile_entries.push_back(e);
    m_.volatile_keys_.fetch_add(1, std::memory_order_relaxed);
  }
  void remove_volatile(Shard& s, Entry* e) { m_.unlink_volatile(s, e); }

  static constexpr std::int64_t unread = std::numeric_limits<std::int64_t>::min();
  MemoryStorage& m_;
  std::int64_t now_ = unread;  // read from the clock once per operation, on first need
};

// ---------------------------------------------------------------------------------------------
// Construction, shards, accounts

MemoryStorage::MemoryStorage(MemoryConfig config)
    : Storage({.keys = this, .strings = this, .lists = this, .sets = this}),
      config_(std::move(config)), policy_rule_(EvictionRule::of(config_.policy)),
      shards_(std::make_unique<Shard[]>(shard_count)) {
  const std::uint64_t seed = config_.seed ? *config_.seed : std::random_device{}() * 0x100000001ull;
  for (std::size_t i = 0; i < shard_count; ++i) shards_[i].random.reseed(seed + i + 1);
  eviction_random_.reseed(seed);
  pool_.reserve(pool_size + 1);
}

MemoryStorage::~MemoryStorage() = default;

MemoryStorage::Shard& MemoryStorage::shard_of(std::uint64_t hash) const { return shards_[hash >> 58]; }

void MemoryStorage::unlink_volatile(Shard& s, Entry* e) {
  const std::uint32_t i = e->volatile_index();
  Entry* last = s.volatile_entries.back();
  s.volatile_entries[i] = last;
  last->set_volatile_index(i);
  s.volatile_entries.pop_back();
  volatile_keys_.fetch_sub(1, std::memory_order_relaxed);
}

void MemoryStorage::erase_slot(Shard& s, std::size_t slot) {
  Entry* e = s.table.at(slot);
  if (e->has_expiry()) unlink_volatile(s, e);
  std::int64_t freed = std::int64_t(key_footprint(*e));
  const std::size_t table_before = s.table.footprint();
  s.table.erase(slot);
  freed += std::int64_t(table_before) - std::int64_t(s.table.footprint());
  Entry::destroy(e);
  keys_.fetch_sub(1, std::memory_order_relaxed);
  used_.fetch_sub(freed, std::memory_order_relaxed);
}

template <class F>
auto MemoryStorage::with_key(std::string_view key, F&& f) {
  using R = decltype(f(std::declval<Op&>(), std::uint64_t()));
  if (key.size() > engine::max_value_bytes) return R(too_large());  // as Redis refuses such a bulk
  const std::uint64_t hash = hash_key(key);
  Shard& s = shard_of(hash);
  std::unique_lock lock(s.mutex);
  Op op(*this);
  auto result = f(op, hash);
  if (++s.ops_since_sweep >= sweep_interval && !s.volatile_entries.empty()) sweep(s);
  lock.unlock();
  if (bounded() && over_bounds()) enforce_bounds(key);
  return result;
}

template <class F>
auto MemoryStorage::with_keys(std::span<const std::string_view> keys, F&& f) {
  using R = decltype(f(std::declval<Op&>(), std::span<const std::uint64_t>()));
  for (auto k : keys) {
    if (k.size() > engine::max_value_bytes) return R(too_large());
  }
  boost::container::small_vector<std::uint64_t, 8> hashes;
  boost::container::small_vector<std::size_t, 8> shards;
  for (auto k : keys) {
    hashes.push_back(hash_key(k));
    shards.push_back(hashes.back() >> 58);
  }
  std::sort(shards.begin(), shards.end());
  shards.erase(std::unique(shards.begin(), shards.end()), shards.end());
  for (auto i : shards) shards_[i].mutex.lock();
  Op op(*this);
  auto result = f(op, std::span<const std::uint64_t>(hashes.data(), hashes.size()));
  for (auto it = shards.rbegin(); it != shards.rend(); ++it) shards_[*it].mutex.unlock();
  if (bounded() && over_bounds()) enforce_bounds(keys.empty() ? std::string_view() : keys.front());
  return result;
}

// ---------------------------------------------------------------------------------------------
// Bounds, eviction, expiry sweep

bool MemoryStorage::over_bounds() const {
  const auto& limits = config_.limits;
  return (limits.max_keys != 0 && keys_.load(std::memory_order_relaxed) > std::int64_t(limits.max_keys)) ||
         (limits.max_memory != 0 && used_.load(std::memory_order_relaxed) > std::int64_t(limits.max_memory));
}

Error MemoryStorage::out_of_memory() const {
  std::string bound;
  if (config_.limits.max_keys) bound += "max_keys " + std::to_string(config_.limits.max_keys);
  if (config_.limits.max_memory) {
    if (!bound.empty()) bound += ", ";
    bound += "max_memory " + std::to_string(config_.limits.max_memory) + " bytes";
  }
  std::string why = config_.policy == EvictionPolicy::NoEviction
                        ? "its eviction policy is noeviction"
                        : "eviction policy " + std::string(policy_name(config_.policy)) +
                              " found no key with a TTL to evict";
  return Error{Errc::out_of_memory, {}, {},
               "OOM the cache is full (" + bound + ") and " + why + "; the write was not made"};
}

void MemoryStorage::enforce_bounds(std::string_view written_key) {
  std::lock_guard lock(eviction_mutex_);
  while (over_bounds()) {
    if (!evict_one(written_key)) break;
    if (config_.development && !development_notice_printed.exchange(true)) {
      engine::notice("the development cache of cluster \"" + config_.cluster + "\" went past its bound of " +
                     std::to_string(config_.limits.max_keys) +
                     " keys, so random keys are being purged (printed once). Set CACHET_DEV_MAX_KEYS to change the bound.");
    }
  }
}

template <class Visit>
void MemoryStorage::sample(int count, bool volatile_only, std::string_view keep, Visit&& visit) {
  const std::size_t start = eviction_random_.below(shard_count);
  int wanted = count;
  for (std::size_t n = 0; n < shard_count && wanted > 0; ++n) {
    Shard& s = shards_[(start + n) % shard_count];
    std::lock_guard lock(s.mutex);
    auto take = [&](const Entry* e) {
      if (e->key() == keep) return;
      visit(e);
      --wanted;
    };
    if (volatile_only) {
      const auto& entries = s.volatile_entries;
      if (entries.size() <= std::size_t(wanted)) {
        for (const Entry* e : entries) take(e);
      } else {
        for (int i = wanted; i > 0; --i) take(entries[eviction_random_.below(entries.size())]);
      }
    } else if (s.table.size() <= std::size_t(wanted)) {
      s.table.for_each([&](std::size_t, const Entry* e) { take(e); });
    } else {
      for (int i = wanted; i > 0; --i) take(s.table.at(s.table.random_slot(eviction_random_.next())));
    }
  }
}

bool MemoryStorage::evict_one(std::string_view keep) {
  // noeviction frees nothing. Its writes are refused once the store is full, but writers that
  // pass that check at the same moment, or a write that takes a little more than its estimate,
  // can still leave the store past a bound: it stays there until keys are removed (as Redis's
  // used memory may pass maxmemory), rather than losing a key the policy promised to keep.
  const EvictionRule rule = eviction_rule();
  if (!rule.evicts) return false;
  const bool volatile_only = rule.volatile_only;
  if (rule.ranking == Ranking::none) {
    for (int attempt = 0; attempt < 4; ++attempt) {
      std::optional<Candidate> one;
      sample(1, volatile_only, keep, [&](const Entry* e) { one = Candidate{0, hash_key(e->key()), std::string(e->key())}; });
      if (!one) return false;
      if (remove_candidate(*one, volatile_only)) return true;
    }
    return false;
  }
  for (int attempt = 0; attempt < 4; ++attempt) {
    // Redis's eviction pool: the best candidates seen so far, worst first. A sampled key is
    // copied only when it would enter the pool.
    sample(config_.limits.samples, volatile_only, keep, [&](const Entry* e) {
      const std::uint64_t score = rule.score(*e);
      if (pool_.size() == pool_size && score <= pool_.front().score) return;
      const std::uint64_t hash = hash_key(e->key());
      for (auto& c : pool_) {
        if (c.hash == hash && c.key == e->key()) {
          c.score = std::max(c.score, score);
          return;
        }
      }
      auto at = std::upper_bound(pool_.begin(), pool_.end(), score,
                                 [](std::uint64_t v, const Candidate& c) { return v < c.score; });
      pool_.insert(at, Candidate{score, hash, std::string(e->key())});
      if (pool_.size() > pool_size) pool_.erase(pool_.begin());
    });
    while (!pool_.empty()) {
      Candidate best = std::move(pool_.back());
      pool_.pop_back();
      if (best.key != keep && remove_candidate(best, volatile_only)) return true;
    }
  }
  return false;
}

bool MemoryStorage::remove_candidate(const Candidate& c, bool volatile_only) {
  Shard& s = shard_of(c.hash);
  std::lock_guard lock(s.mutex);
  const std::size_t slot = s.table.find(c.key, c.hash);
  if (slot == npos) return false;
  if (volatile_only && !s.table.at(slot)->has_expiry()) return false;
  erase_slot(s, slot);
  evicted_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void MemoryStorage::sweep(Shard& s) {
  s.ops_since_sweep = 0;
  const std::int64_t now = engine::clock::now_ms();
  for (int round = 0; round < sweep_rounds && !s.volatile_entries.empty(); ++round) {
    int expired = 0;
    const int samples = int(std::min<std::size_t>(sweep_samples, s.volatile_entries.size()));
    for (int i = 0; i < samples && !s.volatile_entries.empty(); ++i) {
      Entry* e = s.volatile_entries[s.random.below(s.volatile_entries.size())];
      if (*e->expiry() >= now) continue;
      erase_slot(s, s.table.find(e->key(), hash_key(e->key())));
      expired_.fetch_add(1, std::memory_order_relaxed);
      ++expired;
    }
    if (expired * 4 < samples) break;
  }
}

void MemoryStorage::sweep_expired() {
  for (std::size_t i = 0; i < shard_count; ++i) {
    Shard& s = shards_[i];
    std::lock_guard lock(s.mutex);
    const std::int64_t now = engine::clock::now_ms();
    for (std::size_t j = 0; j < s.volatile_entries.size();) {
      Entry* e = s.volatile_entries[j];
      if (*e->expiry() >= now) {
        ++j;
        continue;
      }
      erase_slot(s, s.table.find(e->key(), hash_key(e->key())));
      expired_.fetch_add(1, std::memory_order_relaxed);
    }
  }
}

Result<void> MemoryStorage::clear() {
  for (std::size_t i = 0; i < shard_count; ++i) {
    Shard& s = shards_[i];
    std::lock_guard lock(s.mutex);
    std::int64_t freed = std::int64_t(s.table.footprint());
    const auto count = std::int64_t(s.table.size());
    s.table.for_each([&](std::size_t, const Entry* e) { freed += std::int64_t(key_footprint(*e)); });
    volatile_keys_.fetch_sub(std::int64_t(s.volatile_entries.size()), std::memory_order_relaxed);
    s.volatile_entries.clear();
    s.table.clear();
    keys_.fetch_sub(count, std::memory_order_relaxed);
    used_.fetch_sub(freed, std::memory_order_relaxed);
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Keys

Result<std::int64_t> MemoryStorage::del(std::span<const std::string> keys) {
  boost::container::small_vector<std::string_view, 8> views(keys.begin(), keys.end());
  return with_keys(views, [&](Op& op, std::span<const std::uint64_t> hashes) -> Result<std::int64_t> {
    std::int64_t removed = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      Found f = op.find(keys[i], hashes[i]);
      if (!f) continue;
      op.erase(f, hashes[i]);
      ++removed;
    }
    return removed;
  });
}

Result<std::optional<std::chrono::milliseconds>> MemoryStorage::pttl(std::string_view key) {
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::optional<std::chrono::milliseconds>> {
    Found f = op.find(key, hash);
    if (!f) return fail(Errc::miss, "cache miss");
    if (!f.entry->has_expiry()) return std::nullopt;
    return std::chrono::milliseconds(*f.entry->expiry() - op.now());
  });
}

// ---------------------------------------------------------------------------------------------
// Strings

Result<std::string> MemoryStorage::get(std::string_view key) {
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::string> {
    Found f = op.find(key, hash);
    if (!f) return fail(Errc::miss, "cache miss");
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    return std::string(f.entry->string_value());
  });
}

Result<std::vector<std::optional<std::string>>> MemoryStorage::mget(std::span<const std::string> keys) {
  boost::container::small_vector<std::string_view, 8> views(keys.begin(), keys.end());
  return with_keys(views, [&](Op& op, std::span<const std::uint64_t> hashes) {
    std::vector<std::optional<std::string>> out;
    out.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      Found f = op.find(keys[i], hashes[i]);
      if (f && f.entry->kind() == ValueKind::string) out.emplace_back(std::string(f.entry->string_value()));
      else out.emplace_back(std::nullopt);
    }
    return Result<std::vector<std::optional<std::string>>>(std::move(out));
  });
}

Result<bool> MemoryStorage::set(std::string_view key, std::string_view value, SetCondition condition,
                                ExpiryAction expiry) {
  if (value.size() > engine::max_value_bytes) return too_large();
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<bool> {
    Found f = op.find(key, hash);
    if (condition == SetCondition::if_absent && f) return false;
    if (condition == SetCondition::if_present && !f) return false;
    if (!op.admits(f, Op::string_growth(f, key, value.size()))) return std::unexpected(out_of_memory());
    op.put_string(f, key, hash, value, expiry);
    return true;
  });
}

Result<std::optional<std::string>> MemoryStorage::set_get(std::string_view key, std::string_view value,
                                                          ExpiryAction expiry) {
  if (value.size() > engine::max_value_bytes) return too_large();
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::optional<std::string>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    if (!op.admits(f, Op::string_growth(f, key, value.size()))) return std::unexpected(out_of_memory());
    std::optional<std::string> old;
    if (f) old.emplace(f.entry->string_value());
    op.put_string(f, key, hash, value, expiry);
    return old;
  });
}

Result<void> MemoryStorage::mset(std::span<const engine::KeyValue> pairs, ExpiryAction expiry) {
  std::vector<std::string_view> views;
  views.reserve(pairs.size());
  std::int64_t incoming = 0;
  for (const auto& p : pairs) {
    if (p.value.size() > engine::max_value_bytes) return too_large();
    views.push_back(p.key);
    incoming += std::int64_t(p.key.size() + p.value.size());
  }
  return with_keys(views, [&](Op& op, std::span<const std::uint64_t> hashes) -> Result<void> {
    std::int64_t adds = 0;
    for (std::size_t i = 0; i < pairs.size(); ++i) adds += op.find(pairs[i].key, hashes[i]) ? 0 : 1;
    if (!op.admits(adds, incoming)) return std::unexpected(out_of_memory());
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      Found f = op.find(pairs[i].key, hashes[i]);
      op.put_string(f, pairs[i].key, hashes[i], pairs[i].value, expiry);
    }
    return {};
  });
}

Result<std::string> MemoryStorage::getdel(std::string_view key) {
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::string> {
    Found f = op.find(key, hash);
    if (!f) return fail(Errc::miss, "cache miss");
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    std::string value(f.entry->string_value());
    op.erase(f, hash);
    return value;
  });
}

Result<std::int64_t> MemoryStorage::append(std::string_view key, std::string_view value, ExpiryAction expiry) {
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    const std::string_view old = f ? f.entry->string_value() : std::string_view();
    if (old.size() + value.size() > engine::max_value_bytes) return too_large();
    if (!op.admits(f, Op::string_growth(f, key, old.size() + value.size()))) return std::unexpected(out_of_memory());
    std::string joined;
    joined.reserve(old.size() + value.size());
    joined.append(old).append(value);
    const auto length = std::int64_t(joined.size());
    op.put_string(f, key, hash, joined, expiry);
    return length;
  });
}

Result<std::string> MemoryStorage::getrange(std::string_view key, std::int64_t start, std::int64_t end) {
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::string> {
    Found f = op.find(key, hash);
    if (!f) return std::string();
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    // GETRANGE's own clamping (unlike LRANGE, an end left negative becomes 0).
    const std::string_view v = f.entry->string_value();
    const auto length = std::int64_t(v.size());
    if (start < 0 && end < 0 && start > end) return std::string();
    if (start < 0) start += length;
    if (end < 0) end += length;
    start = std::max<std::int64_t>(start, 0);
    end = std::max<std::int64_t>(end, 0);
    if (end >= length) end = length - 1;
    if (length == 0 || start > end) return std::string();
    return std::string(v.substr(std::size_t(start), std::size_t(end - start + 1)));
  });
}

Result<std::int64_t> MemoryStorage::setrange(std::string_view key, std::int64_t offset, std::string_view value,
                                             ExpiryAction expiry) {
  if (offset < 0) return fail(Errc::out_of_range, "offset is out of range");
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    const std::string_view old = f ? f.entry->string_value() : std::string_view();
    if (value.empty()) {
      // Redis changes nothing but still answers the length (and the expiry still applies),
      // whatever the offset.
      op.apply_expiry(f, hash, expiry);
      return std::int64_t(old.size());
    }
    if (std::uint64_t(offset) + value.size() > engine::max_value_bytes) return too_large();
    const std::size_t length = std::max<std::size_t>(old.size(), std::size_t(offset) + value.size());
    if (!op.admits(f, Op::string_growth(f, key, length))) return std::unexpected(out_of_memory());
    std::string updated(old);
    updated.resize(length, '\0');
    updated.replace(std::size_t(offset), value.size(), value);
    op.put_string(f, key, hash, updated, expiry);
    return std::int64_t(length);
  });
}

Result<std::int64_t> MemoryStorage::strlen(std::string_view key) {
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    return f ? std::int64_t(f.entry->string_value().size()) : 0;
  });
}

Result<std::int64_t> MemoryStorage::incrby(std::string_view key, std::int64_t delta, ExpiryAction expiry) {
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    std::int64_t value = 0;
    if (f) {
      auto parsed = engine::decimal::parse_int64(f.entry->string_value());
      if (!parsed) return not_an_integer();
      value = *parsed;
    }
    std::int64_t result = 0;
    if (__builtin_add_overflow(value, delta, &result)) {
      return fail(Errc::out_of_range, "increment or decrement would overflow");
    }
    if (!op.admits(f, Op::string_growth(f, key, 20))) return std::unexpected(out_of_memory());
    op.put_string(f, key, hash, engine::decimal::format_int64(result), expiry);
    return result;
  });
}

Result<double> MemoryStorage::incrbyfloat(std::string_view key, double delta, ExpiryAction expiry) {
  if (std::isnan(delta)) return fail(Errc::invalid_value, "value is not a valid float");
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<double> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    long double value = 0;
    if (f) {
      auto parsed = engine::decimal::parse_long_double(f.entry->string_value());
      if (!parsed) return fail(Errc::invalid_value, "value is not a valid float");
      value = *parsed;
    }
    // A Redis client sends the delta as its shortest decimal text and Redis reads that text
    // as a long double; doing the same keeps 10.5 + 0.1 at 10.6 here too.
    value += *engine::decimal::parse_long_double(engine::decimal::format_double(delta));
    if (std::isnan(value) || std::isinf(value)) {
      return fail(Errc::invalid_value, "increment would produce NaN or Infinity");
    }
    if (!op.admits(f, Op::string_growth(f, key, 40))) return std::unexpected(out_of_memory());
    const std::string text = engine::decimal::format_long_double(value);
    op.put_string(f, key, hash, text, expiry);
    // Redis adds in long double and stores that; a sum past the range of a double is stored
    // the same way here, but cannot be answered as a double.
    const double result = std::strtod(text.c_str(), nullptr);
    if (std::isinf(result)) return fail(Errc::invalid_value, "the result is outside the range of a double");
    return result;
  });
}

// ---------------------------------------------------------------------------------------------
// Lists

namespace {

Result<void> check_elements(std::span<const std::string> values) {
  for (const auto& v : values) {
    if (v.size() > engine::max_value_bytes) return too_large();
  }
  return {};
}

}  // namespace

Result<std::int64_t> MemoryStorage::push(std::string_view key, ListPos end, std::span<const std::string> values,
                                         ExpiryAction expiry) {
  if (auto ok = check_elements(values); !ok) return std::unexpected(ok.error());
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return std::unexpected(ok.error());
    if (values.empty()) return f ? std::int64_t(f.entry->list()->size()) : 0;
    if (!op.admits(f, std::int64_t(payload_bytes(values) + (f ? 0 : key.size() + 64)))) {
      return std::unexpected(out_of_memory());
    }
    ListValue* list = f ? f.entry->list() : op.create<ListValue>(f, key, hash, ValueKind::list, expiry);
    op.change(list, [&] {
      for (const auto& v : values) list->push(end == ListPos::Left, v);
    });
    const auto length = std::int64_t(list->size());
    op.apply_expiry(f, hash, expiry);
    return length;
  });
}

Result<std::string> MemoryStorage::pop(std::string_view key, ListPos end, ExpiryAction expiry) {
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::string> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return std::unexpected(ok.error());
    if (!f) return fail(Errc::miss, "cache miss");
    ListValue* list = f.entry->list();
    std::string value = op.change(list, [&] { return list->pop(end == ListPos::Left); });
    op.finish_container(f, hash, list, expiry);
    return value;
  });
}

Result<std::int64_t> MemoryStorage::llen(std::string_view key) {
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return std::unexpected(ok.error());
    return f ? std::int64_t(f.entry->list()->size()) : 0;
  });
}

Result<void> MemoryStorage::ltrim(std::string_view key, std::int64_t start, std::int64_t stop, ExpiryAction expiry) {
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<void> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return ok;
    if (!f) return {};
    ListValue* list = f.entry->list();
    const Range r = clamp_range(start, stop, list->size());
    op.change(list, [&] { list->keep(r.first, r.last, r.empty); });
    op.finish_container(f, hash, list, expiry);
    return {};
  });
}

Result<void> MemoryStorage::lset(std::string_view key, std::int64_t index, std::string_view value,
                                 ExpiryAction expiry) {
  if (value.size() > engine::max_value_bytes) return too_large();
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<void> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return ok;
    if (!f) return fail(Errc::miss, "no such key");
    ListValue* list = f.entry->list();
    const auto i = resolve_index(index, list->size());
    if (!i) return fail(Errc::out_of_range, "index out of range");
    if (!op.admits(f, std::int64_t(value.size()))) return std::unexpected(out_of_memory());
    op.change(list, [&] { list->assign(*i, value); });
    op.apply_expiry(f, hash, expiry);
    return {};
  });
}

Result<std::string> MemoryStorage::lindex(std::string_view key, std::int64_t index) {
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::string> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return std::unexpected(ok.error());
    if (!f) return fail(Errc::miss, "cache miss");
    const ListValue* list = f.entry->list();
    const auto i = resolve_index(index, list->size());
    if (!i) return fail(Errc::miss, "no element at index " + std::to_string(index));
    return list->at(*i);
  });
}

Result<std::vector<std::string>> MemoryStorage::lrange(std::string_view key, std::int64_t start, std::int64_t stop) {
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<std::string>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return std::unexpected(ok.error());
    if (!f) return std::vector<std::string>();
    const ListValue* list = f.entry->list();
    const Range r = clamp_range(start, stop, list->size());
    if (r.empty) return std::vector<std::string>();
    return list->range(r.first, r.last);
  });
}

Result<std::int64_t> MemoryStorage::linsert(std::string_view key, bool before, std::string_view pivot,
                                            std::string_view value, ExpiryAction expiry) {
  if (value.size() > engine::max_value_bytes || pivot.size() > engine::max_value_bytes) return too_large();
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return std::unexpected(ok.error());
    if (!f) return fail(Errc::miss, "cache miss");
    ListValue* list = f.entry->list();
    std::size_t at = 0;
    while (at < list->size() && list->at(at) != pivot) ++at;
    if (at == list->size()) return fail(Errc::miss, "the pivot is not in the list");
    if (!op.admits(f, std::int64_t(value.size() + sizeof(std::string)))) return std::unexpected(out_of_memory());
    op.change(list, [&] { list->insert(before ? at : at + 1, value); });
    const auto length = std::int64_t(list->size());
    op.apply_expiry(f, hash, expiry);
    return length;
  });
}

Result<std::int64_t> MemoryStorage::lrem(std::string_view key, std::int64_t count, std::string_view value,
                                         ExpiryAction expiry) {
  if (value.size() > engine::max_value_bytes) return too_large();
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return std::unexpected(ok.error());
    if (!f) return 0;
    ListValue* list = f.entry->list();
    const std::int64_t removed = op.change(list, [&] { return list->remove(count, value); });
    op.finish_container(f, hash, list, expiry);
    return removed;
  });
}

Result<std::string> MemoryStorage::lmove(std::string_view source, std::string_view destination, ListPos from,
                                         ListPos to, ExpiryAction expiry) {
  const std::string_view keys[] = {source, destination};
  return with_keys(keys, [&](Op& op, std::span<const std::uint64_t> hashes) -> Result<std::string> {
    Found src = op.find(source, hashes[0]);
    if (!src) return fail(Errc::miss, "cache miss");
    if (auto ok = op.expect(src, ValueKind::list); !ok) return std::unexpected(ok.error());
    Found dst = op.find(destination, hashes[1]);
    if (auto ok = op.expect(dst, ValueKind::list); !ok) return std::unexpected(ok.error());
    ListValue* from_list = src.entry->list();
    if (!op.admits(dst, std::int64_t(destination.size() + 64))) return std::unexpected(out_of_memory());
    std::string value = op.change(from_list, [&] { return from_list->pop(from == ListPos::Left); });
    // Inserting or erasing a key may rehash its shard's table, so every slot is looked up again.
    ListValue* to_list =
        dst ? dst.entry->list() : op.create<ListValue>(dst, destination, hashes[1], ValueKind::list, expiry);
    op.change(to_list, [&] { to_list->push(to == ListPos::Left, value); });
    src = op.find(source, hashes[0]);
    if (src) op.finish_container(src, hashes[0], src.entry->list(), expiry);
    dst = op.find(destination, hashes[1]);
    if (source != destination) op.apply_expiry(dst, hashes[1], expiry);
    return value;
  });
}

// ---------------------------------------------------------------------------------------------
// Sets

Result<std::int64_t> MemoryStorage::sadd(std::string_view key, std::span<const std::string> members,
                                         ExpiryAction expiry) {
  if (auto ok = check_elements(members); !ok) return std::unexpected(ok.error());
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
    if (members.empty()) return 0;
    if (!op.admits(f, std::int64_t(payload_bytes(members) + (f ? 0 : key.size() + 64)))) {
      return std::unexpected(out_of_memory());
    }
    SetValue* set = f ? f.entry->set() : op.create<SetValue>(f, key, hash, ValueKind::set, expiry);
    const std::int64_t added = op.change(set, [&] {
      std::int64_t n = 0;
      for (const auto& m : members) n += set->add(m) ? 1 : 0;
      return n;
    });
    op.apply_expiry(f, hash, expiry);
    return added;
  });
}

Result<std::int64_t> MemoryStorage::srem(std::string_view key, std::span<const std::string> members,
                                         ExpiryAction expiry) {
  for (const auto& m : members) {
    if (m.size() > engine::max_value_bytes) return too_large();
  }
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
    if (!f) return 0;
    SetValue* set = f.entry->set();
    const std::int64_t removed = op.change(set, [&] {
      std::int64_t n = 0;
      for (const auto& m : members) n += set->remove(m) ? 1 : 0;
      return n;
    });
    op.finish_container(f, hash, set, expiry);
    return removed;
  });
}

Result<std::vector<std::string>> MemoryStorage::spop(std::string_view key, std::int64_t count, ExpiryAction expiry) {
  if (count < 0) return fail(Errc::out_of_range, "count must not be negative");
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<std::string>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
    std::vector<std::string> out;
    if (!f || count == 0) return out;
    SetValue* set = f.entry->set();
    Random& random = op.random(hash);
    op.change(set, [&] {
      const std::size_t n = std::min<std::size_t>(std::size_t(count), set->size());
      out.reserve(n);
      while (out.size() < n) out.push_back(set->take(random.below(set->size())));
    });
    op.finish_container(f, hash, set, expiry);
    return out;
  });
}

Result<bool> MemoryStorage::sismember(std::string_view key, std::string_view member) {
  if (member.size() > engine::max_value_bytes) return too_large();
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<bool> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
    return f && f.entry->set()->contains(member);
  });
}

Result<std::int64_t> MemoryStorage::scard(std::string_view key) {
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
    return f ? std::int64_t(f.entry->set()->size()) : 0;
  });
}

Result<std::vector<std::string>> MemoryStorage::smembers(std::string_view key) {
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<std::string>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
    if (!f) return std::vector<std::string>();
    return f.entry->set()->members();
  });
}

namespace {

// SDIFF / SINTER / SUNION over sets already looked up (nullptr: a missing key, an empty set).
std::vector<std::string> combine(SetAlgebra op, std::span<const SetValue* const> sets) {
  std::vector<std::string> out;
  if (sets.empty()) return out;
  switch (op) {
    case SetAlgebra::diff: {
      if (sets[0] == nullptr) return out;
      for (const auto& m : sets[0]->members()) {
        if (std::none_of(sets.begin() + 1, sets.end(), [&](const SetValue* s) { return s && s->contains(m); })) {
          out.push_back(m);
        }
      }
      return out;
    }
    case SetAlgebra::intersect: {
      if (std::any_of(sets.begin(), sets.end(), [](const SetValue* s) { return s == nullptr; })) return out;
      const SetValue* smallest = *std::min_element(
          sets.begin(), sets.end(), [](const SetValue* a, const SetValue* b) { return a->size() < b->size(); });
      for (const auto& m : smallest->members()) {
        if (std::all_of(sets.begin(), sets.end(), [&](const SetValue* s) { return s == smallest || s->contains(m); })) {
          out.push_back(m);
        }
      }
      return out;
    }
    case SetAlgebra::union_: {
      boost::unordered_flat_set<std::string_view> seen;
      for (const SetValue* s : sets) {
        if (s == nullptr) continue;
        for (const auto& m : s->members()) {
          if (seen.insert(m).second) out.push_back(m);
        }
      }
      return out;
    }
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> MemoryStorage::set_algebra(SetAlgebra algebra, std::span<const std::string> keys) {
  boost::container::small_vector<std::string_view, 8> views(keys.begin(), keys.end());
  return with_keys(views, [&](Op& op, std::span<const std::uint64_t> hashes) -> Result<std::vector<std::string>> {
    boost::container::small_vector<const SetValue*, 8> sets;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      Found f = op.find(keys[i], hashes[i]);
      if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
      sets.push_back(f ? f.entry->set() : nullptr);
    }
    return combine(algebra, sets);
  });
}

Result<std::int64_t> MemoryStorage::set_algebra_store(SetAlgebra algebra, std::string_view destination,
                                                      std::span<const std::string> keys, ExpiryAction expiry) {
  boost::container::small_vector<std::string_view, 8> views{destination};
  views.insert(views.end(), keys.begin(), keys.end());
  return with_keys(views, [&](Op& op, std::span<const std::uint64_t> hashes) -> Result<std::int64_t> {
    boost::container::small_vector<const SetValue*, 8> sets;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      Found f = op.find(keys[i], hashes[i + 1]);
      if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
      sets.push_back(f ? f.entry->set() : nullptr);
    }
    std::vector<std::string> members = combine(algebra, sets);
    Found dst = op.find(destination, hashes[0]);
    if (!op.admits(dst ? 0 : 1, std::int64_t(payload_bytes(members) + destination.size() + 64))) {
      return std::unexpected(out_of_memory());
    }
    if (dst) op.erase(dst, hashes[0]);  // replaced whatever it held
    if (members.empty()) return 0;
    SetValue* set = op.create<SetValue>(dst, destination, hashes[0], ValueKind::set, expiry);
    op.change(set, [&] {
      for (const auto& m : members) set->add(m);
    });
    op.apply_expiry(dst, hashes[0], expiry);
    return std::int64_t(members.size());
  });
}

Result<std::vector<std::string>> MemoryStorage::srandmember(std::string_view key, std::int64_t count) {
  return with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<std::string>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
    std::vector<std::string> out;
    if (!f || count == 0) return out;
    const SetValue* set = f.entry->set();
    Random& random = op.random(hash);
    if (count < 0) {
      // With replacement: each pick is independent, so members may repeat.
      const std::uint64_t n = std::uint64_t(-(count + 1)) + 1;
      if (n > std::uint64_t(engine::max_random_members)) return fail(Errc::out_of_range, "count is too large");
      out.reserve(n);
      for (std::uint64_t i = 0; i < n; ++i) out.push_back(set->at(random.below(set->size())));
      return out;
    }
    if (std::uint64_t(count) >= set->size()) return set->members();
    // Distinct: the first `count` steps of a Fisher-Yates shuffle of the positions.
    std::vector<std::uint32_t> positions(set->size());
    for (std::uint32_t i = 0; i < positions.size(); ++i) positions[i] = i;
    out.reserve(std::size_t(count));
    for (std::size_t i = 0; i < std::size_t(count); ++i) {
      std::swap(positions[i], positions[i + random.below(positions.size() - i)]);
      out.push_back(set->at(positions[i]));
    }
    return out;
  });
}

Result<bool> MemoryStorage::smove(std::string_view source, std::string_view destination, std::string_view member,
                                  ExpiryAction expiry) {
  if (member.size() > engine::max_value_bytes) return too_large();
  const std::string_view keys[] = {source, destination};
  return with_keys(keys, [&](Op& op, std::span<const std::uint64_t> hashes) -> Result<bool> {
    Found src = op.find(source, hashes[0]);
    if (!src) return false;
    Found dst = op.find(destination, hashes[1]);
    if (auto ok = op.expect(src, ValueKind::set); !ok) return std::unexpected(ok.error());
    if (auto ok = op.expect(dst, ValueKind::set); !ok) return std::unexpected(ok.error());
    bool moved = false;
    if (source == destination) {
      moved = src.entry->set()->contains(member);
    } else if (SetValue* from = src.entry->set(); from->contains(member)) {
      if (!op.admits(dst, std::int64_t(member.size() + destination.size() + 64))) {
        return std::unexpected(out_of_memory());
      }
      op.change(from, [&] { from->remove(member); });
      SetValue* to = dst ? dst.entry->set() : op.create<SetValue>(dst, destination, hashes[1], ValueKind::set, expiry);
      op.change(to, [&] { to->add(member); });
      moved = true;
    }
    // Inserting or erasing a key may rehash its shard's table, so every slot is looked up again.
    src = op.find(source, hashes[0]);
    if (src) op.finish_container(src, hashes[0], src.entry->set(), expiry);
    if (source != destination) {
      dst = op.find(destination, hashes[1]);
      op.apply_expiry(dst, hashes[1], expiry);
    }
    return moved;
  });
}

}  // namespace cachet::memory
