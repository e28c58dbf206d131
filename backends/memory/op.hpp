// The operation frame: the work of one operation while its shards are locked. Lookups that
// reclaim expired keys and record the access, and the writes that keep the table, the list
// of keys with a TTL and the accounts together. Each data type's operations are written in
// these terms; ShardedTable::with_key / with_keys make one and hold the locks around it.
#pragma once

#include "entry.hpp"
#include "errors.hpp"
#include "evictor.hpp"
#include "expiry.hpp"
#include "footprint.hpp"
#include "sharded_table.hpp"

#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

namespace cachet::memory {

// A slot found under a shard lock: where the key lives (or would), and its entry if any.
struct Found {
  std::size_t slot = EntryTable::npos;
  Entry* entry = nullptr;
  explicit operator bool() const { return entry != nullptr; }
};

// Each thread's generator for LFU's draws in lookups under a shared lock (initial-exec: no
// call to find a thread's copy; constinit: no guard). Every thread starts from one seed,
// which is harmless: each draws for its own lookups only.
[[gnu::tls_model("initial-exec")]] inline thread_local constinit Random lookup_random{0x6c6f6f6b7570};

class Op {
 public:
  explicit Op(ShardedTable& table) : table_(table) {}
  // A lookup-only frame under a shard's shared lock (ShardedTable::read_key): it changes
  // nothing but access words, and asks for the exclusive lock instead of reclaiming a key
  // it finds expired.
  struct Shared {};
  Op(ShardedTable& table, Shared) : table_(table), shared_(true) {}

  // Whether a shared frame met something only an exclusive one may do (an expired key).
  bool needs_exclusive() const { return needs_exclusive_; }

  std::int64_t now() { return clock_.now(); }

  Found find(std::string_view key, std::uint64_t hash) {
    Shard& s = table_.shard_of(hash);
    const std::size_t slot = s.table.find(key, hash);
    if (slot == EntryTable::npos) return {};
    Entry* e = s.table.at(slot);
    if (e->has_expiry() && past_deadline(*e, now())) {
      if (shared_) {
        needs_exclusive_ = true;
        return {};
      }
      erase(hash, slot);
      table_.accounts().expired.fetch_add(1, std::memory_order_relaxed);
      return {};
    }
    // A store without bounds never evicts: its reads need not write anything.
    if (table_.bounded()) table_.policy_rule().touch(*e, shared_ ? thread_random() : s.random);
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
    const auto max_memory = std::int64_t(table_.config().limits.max_memory);
    if (max_memory != 0 && f && std::int64_t(key_footprint(*f.entry)) + incoming > max_memory) return false;
    return admits(f ? 0 : 1, incoming);
  }
  bool admits(std::int64_t adds_key, std::int64_t incoming) const {
    if (!table_.bounded()) return true;
    const auto& limits = table_.config().limits;
    const Accounts& accounts = table_.accounts();
    const bool over_keys = limits.max_keys != 0 &&
                           accounts.keys.load(std::memory_order_relaxed) + adds_key > std::int64_t(limits.max_keys);
    const bool over_memory = limits.max_memory != 0 && accounts.used.load(std::memory_order_relaxed) + incoming >
                                                           std::int64_t(limits.max_memory);
    if (!over_keys && !over_memory) return true;
    if (limits.max_memory != 0 && incoming > std::int64_t(limits.max_memory)) return false;
    const EvictionRule rule = table_.eviction_rule();
    if (!rule.evicts) return false;
    return !rule.volatile_only || accounts.volatile_keys.load(std::memory_order_relaxed) != 0;
  }
  // What a write that admits() refused answers.
  Error out_of_memory() const { return memory::out_of_memory(table_.config()); }

  // Puts `fresh` where `f` points: a new key, or a new allocation for the key's old entry.
  // `old_value_moved`: the old entry's list or set now belongs to `fresh`.
  void put(Found& f, std::uint64_t hash, Entry* fresh, bool old_value_moved = false) {
    Shard& s = table_.shard_of(hash);
    std::int64_t delta = std::int64_t(fresh->footprint());
    if (f.entry == nullptr) {
      const std::size_t table_before = s.table.footprint();
      f.slot = s.table.insert(fresh, hash);
      delta += std::int64_t(s.table.footprint()) - std::int64_t(table_before);
      table_.accounts().keys.fetch_add(1, std::memory_order_relaxed);
      if (fresh->has_expiry()) table_.link_volatile(s, fresh);
    } else {
      Entry* old = f.entry;
      delta -= std::int64_t(old->footprint());
      if (old->has_expiry() && fresh->has_expiry()) {
        fresh->set_volatile_index(old->volatile_index());
        s.volatile_entries[old->volatile_index()] = fresh;
      } else if (old->has_expiry()) {
        table_.unlink_volatile(s, old);
      } else if (fresh->has_expiry()) {
        table_.link_volatile(s, fresh);
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
    table_.accounts().used.fetch_add(delta, std::memory_order_relaxed);
  }

  // Writes a string value as SET does, its expiry with it. A value of the same length and
  // layout is written in place, which spares an allocation on every same-size overwrite.
  void put_string(Found& f, std::string_view key, std::uint64_t hash, std::string_view value,
                  engine::ExpiryAction action) {
    if (action.deletes()) {
      if (f) erase(f, hash);
      return;
    }
    const std::optional<std::int64_t> at = deadline(action, f.entry, clock_);
    if (f && f.entry->kind() == ValueKind::string && f.entry->has_expiry() == at.has_value() &&
        f.entry->string_value().size() == value.size()) {
      if (!value.empty()) std::memmove(f.entry->string_data(), value.data(), value.size());
      if (at) f.entry->set_expire_at(*at);
      return;
    }
    put(f, hash, Entry::make_string(key, value, at, f ? f.entry->access() : table_.policy_rule().fresh_access()));
  }

  // About how many bytes a string write adds: the whole entry for a new key, else the growth.
  static std::int64_t string_growth(const Found& f, std::string_view key, std::size_t new_length) {
    if (!f) return std::int64_t(key.size() + new_length + 16);
    const std::size_t old_length = f.entry->kind() == ValueKind::string ? f.entry->string_value().size() : 0;
    return std::int64_t(new_length) - std::int64_t(old_length);
  }

  // A new list or set entry under `key`, with the write's expiry.
  template <class Container>
  Container* create(Found& f, std::string_view key, std::uint64_t hash, ValueKind kind,
                    engine::ExpiryAction action) {
    auto* container = new Container();
    const std::uint32_t access = table_.policy_rule().fresh_access();
    put(f, hash, Entry::make_container(key, kind, container, deadline(action, nullptr, clock_), access));
    table_.accounts().used.fetch_add(std::int64_t(container->footprint()), std::memory_order_relaxed);
    return container;
  }

  void erase(std::uint64_t hash, std::size_t slot) { table_.erase_slot(table_.shard_of(hash), slot); }
  void erase(Found& f, std::uint64_t hash) {
    erase(hash, f.slot);
    f = {};
  }

  // Applies a write's expiry to a key that exists after the write.
  void apply_expiry(Found& f, std::uint64_t hash, engine::ExpiryAction action) {
    using Kind = engine::ExpiryAction::Kind;
    if (!f) return;
    if (action.deletes()) return erase(f, hash);
    switch (action.kind) {
      case Kind::keep: return;
      case Kind::persist:
        if (f.entry->has_expiry()) put(f, hash, Entry::with_expiry(f.entry, std::nullopt), true);
        return;
      case Kind::ttl:
        if (f.entry->has_expiry()) f.entry->set_expire_at(now() + action.ttl.count());
        else put(f, hash, Entry::with_expiry(f.entry, now() + action.ttl.count()), true);
        return;
    }
  }

  // Removes a list or set that became empty, as Redis does; else applies the expiry.
  template <class Container>
  void finish_container(Found& f, std::uint64_t hash, const Container* c, engine::ExpiryAction action) {
    if (f && c->empty()) erase(f, hash);
    else apply_expiry(f, hash, action);
  }

  // Runs `change` on a list or set and accounts for the memory it took or gave back.
  template <class Container, class F>
  decltype(auto) change(Container* c, F&& change) {
    const auto before = std::int64_t(c->footprint());
    struct Account {
      Accounts& accounts;
      Container* c;
      std::int64_t before;
      ~Account() { accounts.used.fetch_add(std::int64_t(c->footprint()) - before, std::memory_order_relaxed); }
    } account{table_.accounts(), c, before};
    return change();
  }

  Random& random(std::uint64_t hash) { return table_.shard_of(hash).random; }

 private:
  // The calling thread's generator, for LFU's draw under a shared lock.
  static Random& thread_random() { return lookup_random; }

  ShardedTable& table_;
  OperationClock clock_;
  bool shared_ = false;
  bool needs_exclusive_ = false;
};

}  // namespace cachet::memory
