// Stress: worker threads run a seeded random mix of operations on a bounded memory store for a
// bounded wall time while a checker thread samples its bounds. Once they stop, the store must be
// within its bounds, its memory account must equal a recount, counters every worker incremented
// must hold exactly the sum of the increments that succeeded, and every value read along the way
// (whole, or as a list element or set member) must be one a writer wrote: never torn.
//
// Each case runs for about 2 s of wall time, under a sanitizer too (it only gets less done).
// CACHET_STRESS_SECONDS=N runs each case for N seconds instead (fractions allowed, up to 1800:
// the hour-long TTLs must outlive the run), for a longer run by hand:
//   CACHET_STRESS_SECONDS=60 build/tests/memory/memory_tests --source-file='*stress.cpp'
#include "../support.hpp"

#include "backends/memory/memory_storage.hpp"

#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using cachet::Errc;
using cachet::EvictionPolicy;
using cachet::engine::ExpiryAction;
using cachet::ListPos;
using cachet::engine::SetCondition;
using cachet::memory::MemoryConfig;
using cachet::memory::MemoryStorage;

namespace {

constexpr unsigned worker_count = 4;  // more than a small machine's cores: threads are preempted mid-operation

std::chrono::milliseconds run_time() {
  if (const char* text = std::getenv("CACHET_STRESS_SECONDS"); text != nullptr && *text != '\0') {
    char* end = nullptr;
    const double seconds = std::strtod(text, &end);
    if (end != text && seconds > 0 && seconds <= 1800) return std::chrono::milliseconds(std::int64_t(seconds * 1000));
  }
  return 2s;
}

// ---------------------------------------------------------------------------------------------
// Self-checking values: a 16-byte header ('#', then in hex the writer, its sequence number and
// the value's length) and a body every byte of which follows from the header. A value torn
// between two writes, cut short or run into another does not decode; nor does one naming a
// sequence number its writer had not handed out yet.

constexpr std::size_t header_size = 16;
constexpr std::size_t largest_value = 6144;

// The sequence numbers each writer has handed out (published before the write that uses one).
using Published = std::array<std::atomic<std::uint64_t>, worker_count>;

char body_byte(unsigned writer, std::uint64_t sequence, std::size_t i) {
  std::uint64_t x = ((std::uint64_t(writer) << 56) ^ sequence) * 0x9e3779b97f4a7c15ull + i * 0xbf58476d1ce4e5b9ull;
  x ^= x >> 31;
  return char('a' + x % 26);
}

std::string make_value(unsigned writer, std::uint64_t sequence, std::size_t length) {
  std::string v(length, '#');
  auto hex = [&](std::size_t at, std::size_t digits, std::uint64_t n) {
    for (std::size_t i = at + digits; i > at; n >>= 4) v[--i] = "0123456789abcdef"[n & 0xf];
  };
  hex(1, 2, writer);
  hex(3, 8, sequence);
  hex(11, 5, length);
  for (std::size_t i = header_size; i < length; ++i) v[i] = body_byte(writer, sequence, i);
  return v;
}

template <class T>
bool parse_hex(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, 16);
  return ec == std::errc() && end == text.data() + text.size();
}

// The length of the whole value at the start of `bytes`; 0 when there is none.
std::size_t value_at(std::string_view bytes, const Published& published) {
  unsigned writer = 0;
  std::uint64_t sequence = 0;
  std::size_t length = 0;
  if (bytes.size() < header_size || bytes[0] != '#' || !parse_hex(bytes.substr(1, 2), writer) ||
      !parse_hex(bytes.substr(3, 8), sequence) || !parse_hex(bytes.substr(11, 5), length)) {
    return 0;
  }
  if (writer >= worker_count || sequence >= published[writer].load(std::memory_order_acquire)) return 0;
  if (length <= header_size || length > bytes.size()) return 0;
  for (std::size_t i = header_size; i < length; ++i) {
    if (bytes[i] != body_byte(writer, sequence, i)) return 0;
  }
  return length;
}

// A writer's fresh values, of random lengths: mostly small, some past 4 KiB.
class ValueSource {
 public:
  ValueSource(Published& published, unsigned writer) : published_(published), writer_(writer) {}

  std::string next(std::mt19937_64& rng, std::size_t longest = largest_value) {
    const unsigned roll = unsigned(rng() % 100);
    const std::size_t length = roll < 60 ? 17 + rng() % 112 : roll < 95 ? 129 + rng() % 896 : 4097 + rng() % 2048;
    const std::uint64_t sequence = next_++;
    published_[writer_].store(next_, std::memory_order_release);
    return make_value(writer_, sequence, std::min(length, longest));
  }

 private:
  Published& published_;
  unsigned writer_;
  std::uint64_t next_ = 0;
};

// One whole value; or, for a string appended to, one whole value after another.
bool whole(std::string_view bytes, const Published& published, bool appended = false) {
  if (bytes.empty()) return false;
  while (!bytes.empty()) {
    const std::size_t n = value_at(bytes, published);
    if (n == 0 || (!appended && n != bytes.size())) return false;
    bytes.remove_prefix(n);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// What the threads share

// What went wrong on any thread, kept for the main thread to report: doctest's assertions are
// not for worker threads.
class Failures {
 public:
  void add(std::string what) {
    std::lock_guard lock(mutex_);
    if (++count_ <= 10) first_.push_back(std::move(what));
  }
  // On the main thread, once the workers have stopped: prints what was kept, and starts again.
  void report() {
    std::lock_guard lock(mutex_);
    for (const auto& f : first_) MESSAGE(f);
    CHECK(count_ == 0);
    count_ = 0;
    first_.clear();
  }

 private:
  std::mutex mutex_;
  int count_ = 0;
  std::vector<std::string> first_;
};

constexpr int allow_miss = 1, allow_wrong_type = 2, allow_refusal = 4;

// Whether `r` succeeded. A failure other than those `allow`ed is recorded (out_of_memory is
// allowed only where the store refuses writes); `refusals` counts the allowed out_of_memory.
template <class T>
bool succeeded(const cachet::Result<T>& r, int allow, bool store_refuses, Failures& failures, std::uint64_t& refusals,
               std::string_view op) {
  if (r) return true;
  const Errc code = r.error().code;
  if (code == Errc::out_of_memory && store_refuses && (allow & allow_refusal)) {
    ++refusals;
    return false;
  }
  if ((code == Errc::miss && (allow & allow_miss)) || (code == Errc::wrong_type && (allow & allow_wrong_type))) {
    return false;
  }
  failures.add(std::string(op) + ": unexpected " + r.error().what());
  return false;
}

// How far past its bounds a store may be while writes are in flight. Eviction runs after a
// write, outside the shard locks (memory_storage.hpp), so the store is within its bounds
// whenever no write stands between landing and its eviction pass; while the workers run it may
// be over by what one operation of each worker adds, and never by more. The most one operation
// here adds is 4 keys (a multi_set of 4 new keys) and the bytes of 4 of the largest values with
// their entries, plus the growth of one shard's slot array, counted as 16 KiB (a shard of 340
// keys; a shard's share of these stores is some 16). Under noeviction, which refuses a write
// once the store is past a bound but never brings it back, this also covers the 16 bytes a TTL
// adds to an existing key, which no write checks (16 KiB for these stores' thousand keys).
constexpr std::uint64_t key_slack = worker_count * 4;
constexpr std::uint64_t memory_slack = worker_count * (4 * (largest_value + 256) + 16 * 1024);

// Keeps the workers going for the run's time while the checker samples the store's bounds.
template <class Worker>
void run_workers(std::vector<Worker>& workers, const MemoryStorage& store, Failures& failures) {
  const std::uint64_t max_keys = store.config().limits.max_keys, max_memory = store.config().limits.max_memory;
  std::atomic<bool> stop{false};
  std::uint64_t samples = 0, most_keys = 0, most_memory = 0, over = 0;
  std::thread checker([&] {
    do {
      const std::uint64_t keys = store.key_count(), memory = store.used_memory();
      ++samples;
      most_keys = std::max(most_keys, keys);
      most_memory = std::max(most_memory, memory);
      over += (keys > max_keys || memory > max_memory) ? 1 : 0;
      if (keys > max_keys + key_slack || memory > max_memory + memory_slack) {
        failures.add("while running: " + std::to_string(keys) + " keys, " + std::to_string(memory) + " bytes");
      }
      std::this_thread::sleep_for(100us);
    } while (!stop.load(std::memory_order_relaxed));
  });
  std::vector<std::thread> threads;
  for (auto& w : workers) threads.emplace_back([&w, &stop] { w.run(stop); });
  std::this_thread::sleep_for(run_time());
  stop = true;
  for (auto& t : threads) t.join();
  checker.join();
  MESSAGE("checker: ", samples, " samples, most ", most_keys, " keys of ", max_keys, " and ", most_memory, " bytes of ",
          max_memory, ", ", over, " samples past a bound (in flight)");
}

// After clear(), which frees every entry, list, set and slot array adding up what each takes,
// the account must be back at exactly 0. used_memory() shows a negative account as 0, so a
// probe key is then written: it must cost what it costs in a fresh store.
void check_account(MemoryStorage& m) {
  REQUIRE(m.clear());
  CHECK(m.key_count() == 0);
  CHECK(m.used_memory() == 0);
  MemoryStorage fresh(m.config());
  const std::string probe(1000, 'p');
  REQUIRE(m.strings()->set("probe", probe, SetCondition::always, ExpiryAction::persist()));
  REQUIRE(fresh.strings()->set("probe", probe, SetCondition::always, ExpiryAction::persist()));
  CHECK(m.key_count() == 1);
  CHECK(m.used_memory() == fresh.used_memory());
}

// ---------------------------------------------------------------------------------------------
// The engine's own operations

// The keys: strings, strings appended to, lists, sets, keys any kind may take (the only ones
// where wrong_type is a fair answer), pinned strings (never a TTL) and the counters.
constexpr int string_keys = 1200, appended_keys = 150, list_keys = 250, set_keys = 250, mixed_keys = 60,
              pinned_keys = 40, counter_keys = 8;
constexpr std::size_t longest_collection = 16;  // lists and sets are cut back to this many

// The counters live in the churning store itself, sharing its shards, locks and eviction passes:
// in a store of their own nothing but their increments would touch them, and their totals would
// say little. They never get a TTL, so a volatile policy cannot evict them and noeviction evicts
// nothing; under an allkeys policy any key may go, so there they are left alone.
struct Plan {
  EvictionPolicy policy;
  bool volatile_only = false;  // eviction takes keys with a TTL only: churn writes always give one
  bool refuses = false;        // noeviction: a write may answer out_of_memory
  bool counters = false;       // increment the counters (only where eviction cannot take them)
  std::uint64_t seed = 1;
  std::uint64_t max_keys = 1000;
  std::uint64_t max_memory = 512 * 1024;
};

struct Shared {
  explicit Shared(const Plan& p)
      : plan(p), store(MemoryConfig{.limits = {.max_keys = p.max_keys, .max_memory = p.max_memory},
                                    .policy = p.policy,
                                    .seed = p.seed}) {}
  Plan plan;
  MemoryStorage store;
  Published published{};
  Failures failures;
};

std::string key(const char* prefix, std::uint64_t n) { return prefix + std::to_string(n); }

class EngineWorker {
 public:
  EngineWorker(Shared& shared, unsigned id)
      : s_(shared), m_(shared.store), values_(shared.published, id), rng_(shared.plan.seed * 7919 + id) {}

  void run(const std::atomic<bool>& stop) {
    while (!stop.load(std::memory_order_relaxed)) step();
  }

  std::array<std::int64_t, counter_keys> increments{};  // the sum of this worker's increments that succeeded
  std::uint64_t refusals = 0;

 private:
  void step() {
    const unsigned roll = unsigned(rng_() % 64);
    if (roll < 10) return set_string();
    if (roll < 15) return get_string(key("s/", rng_() % string_keys), false);
    if (roll < 18) return set_get();
    if (roll < 21) return multi_set();
    if (roll < 24) return multi_get();
    if (roll < 26) return get_delete();
    if (roll < 28) return erase();
    if (roll < 31) return append();
    if (roll < 33) return get_string(key("a/", rng_() % appended_keys), true);
    if (roll < 38) return s_.plan.counters ? increment() : set_string();
    if (roll < 42) return push(key("l/", rng_() % list_keys), 0);
    if (roll < 44) return pop(key("l/", rng_() % list_keys), 0);
    if (roll < 45) return trim();
    if (roll < 48) return range(key("l/", rng_() % list_keys), 0);
    if (roll < 49) return move();
    if (roll < 52) return add(key("t/", rng_() % set_keys), 0);
    if (roll < 54) return remove();
    if (roll < 55) return set_pop();
    if (roll < 57) return members(key("t/", rng_() % set_keys), 0);
    if (roll < 62) return mixed();
    return pinned();
  }

  std::string value(std::size_t longest = largest_value) { return values_.next(rng_, longest); }

  // A churn write's expiry: short real TTLs that pass while the run goes on, long ones that
  // outlive it, keep_ttl, none, and now and then one that deletes the key with the write.
  ExpiryAction expiry() {
    const unsigned roll = unsigned(rng_() % 16);
    if (roll == 0) return ExpiryAction::after(0ms);
    if (roll < 5) return ExpiryAction::after(std::chrono::milliseconds(1 + rng_() % 20));
    if (roll < 9 || s_.plan.volatile_only) {
      return ExpiryAction::after(1h + std::chrono::milliseconds(rng_() % 3'600'000));
    }
    return roll < 12 ? ExpiryAction::keep() : ExpiryAction::persist();
  }

  template <class T>
  bool ok(const cachet::Result<T>& r, int allow, std::string_view op, std::string_view k) {
    return succeeded(r, allow, s_.plan.refuses, s_.failures, refusals, std::string(op) + " " + std::string(k));
  }
  void expect_whole(std::string_view bytes, std::string_view op, std::string_view k, bool appended = false) {
    if (!whole(bytes, s_.published, appended)) {
      s_.failures.add(std::string(op) + " " + std::string(k) + ": torn value (" + std::to_string(bytes.size()) +
                      " bytes) \"" + std::string(bytes.substr(0, 40)) + "\"");
    }
  }

  void set_string() {
    const std::string k = key("s/", rng_() % string_keys);
    const auto condition = SetCondition(rng_() % 3);
    ok(m_.strings()->set(k, value(), condition, expiry()), allow_refusal, "set", k);
  }
  void get_string(const std::string& k, bool appended) {
    const auto r = m_.strings()->get(k);
    if (ok(r, allow_miss, "get", k)) expect_whole(*r, "get", k, appended);
  }
  void set_get() {
    const std::string k = key("s/", rng_() % string_keys);
    const auto r = m_.strings()->set_get(k, value(), expiry());
    if (ok(r, allow_refusal, "set_get", k) && *r) expect_whole(**r, "set_get", k);
  }
  void multi_set() {
    std::vector<cachet::engine::KeyValue> pairs(2 + rng_() % 3);
    for (auto& p : pairs) p = {key("s/", rng_() % string_keys), value()};
    ok(m_.strings()->mset(pairs, expiry()), allow_refusal, "mset", pairs.front().key);
  }
  void multi_get() {
    std::vector<std::string> keys(2 + rng_() % 5);
    for (auto& k : keys) k = key("s/", rng_() % string_keys);
    const auto r = m_.strings()->mget(keys);
    if (!ok(r, 0, "mget", keys.front())) return;
    if (r->size() != keys.size()) return s_.failures.add("mget: " + std::to_string(r->size()) + " answers");
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if ((*r)[i]) expect_whole(*(*r)[i], "mget", keys[i]);
    }
  }
  void get_delete() {
    const std::string k = key("s/", rng_() % string_keys);
    const auto r = m_.strings()->getdel(k);
    if (ok(r, allow_miss, "getdel", k)) expect_whole(*r, "getdel", k);
  }
  void erase() {
    static constexpr const char* prefixes[] = {"s/", "a/", "l/", "t/", "x/"};
    static constexpr int counts[] = {string_keys, appended_keys, list_keys, set_keys, mixed_keys};
    std::vector<std::string> keys(1 + rng_() % 3);
    for (auto& k : keys) {
      const auto family = rng_() % 5;
      k = key(prefixes[family], rng_() % std::uint64_t(counts[family]));
    }
    const auto r = m_.keys().del(keys);
    if (ok(r, 0, "del", keys.front()) && (*r < 0 || *r > std::int64_t(keys.size()))) {
      s_.failures.add("del: " + std::to_string(*r) + " of " + std::to_string(keys.size()) + " keys removed");
    }
  }
  void append() {
    const std::string k = key("a/", rng_() % appended_keys);
    const auto r = m_.strings()->append(k, value(2048), expiry());
    // A string grown past 16 KiB starts again from one value.
    if (ok(r, allow_refusal, "append", k) && *r > 16 * 1024) {
      ok(m_.strings()->set(k, value(), SetCondition::always, expiry()), allow_refusal, "set", k);
    }
  }
  void increment() {
    const std::size_t c = rng_() % counter_keys;
    const std::int64_t delta = 1 + std::int64_t(rng_() % 3);
    const std::string k = key("c/", c);
    // No TTL, ever: under a volatile policy eviction cannot take them.
    const auto r = m_.strings()->incrby(k, delta, rng_() % 2 ? ExpiryAction::keep() : ExpiryAction::persist());
    if (ok(r, allow_refusal, "incrby", k)) increments[c] += delta;
  }
  void push(const std::string& k, int allow) {
    std::vector<std::string> values(1 + rng_() % 3);
    for (auto& v : values) v = value();
    const auto r = m_.lists()->push(k, rng_() % 2 ? ListPos::Left : ListPos::Right, values, expiry());
    if (ok(r, allow | allow_refusal, "push", k) && *r > std::int64_t(longest_collection)) {
      const auto keep = std::int64_t(longest_collection);
      ok(rng_() % 2 ? m_.lists()->ltrim(k, 0, keep - 1, expiry()) : m_.lists()->ltrim(k, -keep, -1, expiry()), 0, "ltrim", k);
    }
  }
  void pop(const std::string& k, int allow) {
    const auto r = m_.lists()->pop(k, rng_() % 2 ? ListPos::Left : ListPos::Right, expiry());
    if (ok(r, allow | allow_miss, "pop", k)) expect_whole(*r, "pop", k);
  }
  void trim() {
    const std::string k = key("l/", rng_() % list_keys);
    const auto start = std::int64_t(rng_() % 4), stop = std::int64_t(rng_() % 12) - 4;
    ok(m_.lists()->ltrim(k, start, stop, expiry()), 0, "ltrim", k);
  }
  void range(const std::string& k, int allow) {
    const auto r = m_.lists()->lrange(k, 0, -1);
    if (!ok(r, allow, "lrange", k)) return;
    for (const auto& e : *r) expect_whole(e, "lrange", k);
  }
  void move() {
    const std::string from = key("l/", rng_() % list_keys), to = key("l/", rng_() % list_keys);
    const auto r = m_.lists()->lmove(from, to, cachet::ListPos(rng_() % 2), cachet::ListPos(rng_() % 2), expiry());
    if (ok(r, allow_miss | allow_refusal, "lmove", from)) expect_whole(*r, "lmove", from);
  }
  void add(const std::string& k, int allow) {
    std::vector<std::string> values(1 + rng_() % 3);
    for (auto& v : values) v = value();
    if (!ok(m_.sets()->sadd(k, values, expiry()), allow | allow_refusal, "sadd", k)) return;
    const auto size = m_.sets()->scard(k);
    if (ok(size, allow, "scard", k) && *size > std::int64_t(longest_collection)) {
      const auto r = m_.sets()->spop(k, *size - std::int64_t(longest_collection), expiry());
      if (ok(r, allow, "spop", k)) {
        for (const auto& e : *r) expect_whole(e, "spop", k);
      }
    }
  }
  void remove() {
    const std::string k = key("t/", rng_() % set_keys);
    const auto r = m_.sets()->smembers(k);
    if (!ok(r, 0, "smembers", k)) return;
    std::vector<std::string> gone;
    for (const auto& e : *r) {
      expect_whole(e, "smembers", k);
      if (rng_() % 3 == 0) gone.push_back(e);
    }
    gone.push_back(value(64));  // never a member
    ok(m_.sets()->srem(k, gone, expiry()), 0, "srem", k);
  }
  void set_pop() {
    const std::string k = key("t/", rng_() % set_keys);
    const auto r = m_.sets()->spop(k, std::int64_t(rng_() % 3), expiry());
    if (!ok(r, 0, "spop", k)) return;
    for (const auto& e : *r) expect_whole(e, "spop", k);
  }
  void members(const std::string& k, int allow) {
    const auto r = m_.sets()->smembers(k);
    if (!ok(r, allow, "smembers", k)) return;
    for (const auto& e : *r) expect_whole(e, "smembers", k);
  }
  // A key any kind of value may take: wrong_type is a fair answer here, and only here.
  void mixed() {
    const std::string k = key("x/", rng_() % mixed_keys);
    switch (rng_() % 6) {
      case 0: ok(m_.strings()->set(k, value(), SetCondition::always, expiry()), allow_refusal, "set", k); return;
      case 1: {
        const auto r = m_.strings()->get(k);
        if (ok(r, allow_miss | allow_wrong_type, "get", k)) expect_whole(*r, "get", k);
        return;
      }
      case 2: return push(k, allow_wrong_type);
      case 3: return rng_() % 2 ? range(k, allow_wrong_type) : pop(k, allow_wrong_type);
      case 4: return add(k, allow_wrong_type);
      default: return members(k, allow_wrong_type);
    }
  }
  // Small strings that never get a TTL: under a volatile policy, keys eviction cannot take, too
  // few to fill the store.
  void pinned() {
    const std::string k = key("p/", rng_() % pinned_keys);
    if (rng_() % 2) return get_string(k, false);
    const auto action = rng_() % 2 ? ExpiryAction::keep() : ExpiryAction::persist();
    ok(m_.strings()->set(k, value(128), SetCondition::always, action), allow_refusal, "set", k);
  }

  Shared& s_;
  MemoryStorage& m_;
  ValueSource values_;
  std::mt19937_64 rng_;
};

// Reads every key back once the workers have stopped, checking each value as they did; answers
// how many keys exist.
std::uint64_t read_back(Shared& s) {
  MemoryStorage& m = s.store;
  std::uint64_t found = 0;
  auto check = [&](std::string_view bytes, const std::string& k, bool appended) {
    if (!whole(bytes, s.published, appended)) s.failures.add("read back " + k + ": torn value");
  };
  auto read_string = [&](const std::string& k, bool appended) {
    const auto r = m.strings()->get(k);
    if (r) check(*r, k, appended);
    return r ? 1 : 0;
  };
  auto read_list = [&](const std::string& k) {
    const auto r = m.lists()->lrange(k, 0, -1);
    if (r) {
      for (const auto& e : *r) check(e, k, false);
    }
    return r && !r->empty() ? 1 : 0;
  };
  auto read_set = [&](const std::string& k) {
    const auto r = m.sets()->smembers(k);
    if (r) {
      for (const auto& e : *r) check(e, k, false);
    }
    return r && !r->empty() ? 1 : 0;
  };
  for (int i = 0; i < string_keys; ++i) found += read_string(key("s/", i), false);
  for (int i = 0; i < appended_keys; ++i) found += read_string(key("a/", i), true);
  for (int i = 0; i < pinned_keys; ++i) found += read_string(key("p/", i), false);
  for (int i = 0; i < list_keys; ++i) found += read_list(key("l/", i));
  for (int i = 0; i < set_keys; ++i) found += read_set(key("t/", i));
  for (int i = 0; i < mixed_keys; ++i) {
    const std::string k = key("x/", i);
    found += read_string(k, false) + read_list(k) + read_set(k);
  }
  for (int i = 0; i < counter_keys; ++i) found += m.strings()->get(key("c/", i)).has_value() ? 1 : 0;
  return found;
}

void stress_engine(const Plan& plan) {
  CAPTURE(cachet::policy_name(plan.policy));
  Shared s(plan);
  std::vector<EngineWorker> workers;
  for (unsigned id = 0; id < worker_count; ++id) workers.emplace_back(s, id);
  run_workers(workers, s.store, s.failures);
  s.failures.report();
  MemoryStorage& m = s.store;

  // Within the bounds once every write has had its eviction pass. noeviction has none: what
  // writers racing for the last room took past a bound stays until keys are removed.
  CHECK(m.key_count() <= plan.max_keys + (plan.refuses ? key_slack : 0));
  CHECK(m.used_memory() <= plan.max_memory + (plan.refuses ? memory_slack : 0));
  std::uint64_t refusals = 0;
  for (const auto& w : workers) refusals += w.refusals;
  MESSAGE("at the end ", m.key_count(), " keys, ", m.used_memory(), " bytes; ", m.evicted_keys(), " keys evicted, ",
          m.expired_keys(), " expired, ", refusals, " writes refused");
  if (plan.refuses) {
    CHECK(m.evicted_keys() == 0);  // noeviction frees nothing, even when writers race to the last room
    CHECK(refusals > 0);           // the store did fill up
  } else {
    CHECK(m.evicted_keys() > 0);   // eviction had work to do
  }

  // Every successful increment counted, none lost to eviction or to a racing write.
  if (plan.counters) {
    for (std::size_t c = 0; c < counter_keys; ++c) {
      std::int64_t expected = 0;
      for (const auto& w : workers) expected += w.increments[c];
      CAPTURE(c);
      REQUIRE(expected > 0);
      const auto stored = m.strings()->get(key("c/", c));
      REQUIRE(test::ok(stored));
      CHECK(*stored == std::to_string(expected));
    }
  }

  // The short TTLs pass (the long ones outlive the run), so nothing expires while the keys are
  // counted and read back.
  cachet::testing::advance_time(1s);
  m.sweep_expired();
  const std::uint64_t keys = m.key_count();
  CHECK(read_back(s) == keys);
  CHECK(m.key_count() == keys);
  s.failures.report();
  check_account(m);
}

// ---------------------------------------------------------------------------------------------
// Through the keyspaces

// volatile-ttl: the churn always writes with a TTL, so eviction always finds a key to take; the
// totals have none, so it never takes them.
cachet::Cluster cluster("test-stress", {.eviction_policy = EvictionPolicy::VolatileTTL});
constexpr auto hour = cachet::expire_in(1h);
constexpr int text_keys = 800, appended_texts = 100, feed_keys = 150, group_keys = 150, total_keys = 8;
cachet::StringKeyspace<int> texts(cluster, {.key_pattern = "text/:key", .default_expiry = hour});
cachet::StringKeyspace<int> logs(cluster, {.key_pattern = "log/:key", .default_expiry = hour});  // appended to
cachet::IntKeyspace<int> totals(cluster, {.key_pattern = "total/:key"});
cachet::ListKeyspace<int, std::string> feeds(cluster, {.key_pattern = "feed/:key", .default_expiry = hour});
cachet::SetKeyspace<int, std::string> groups(cluster, {.key_pattern = "group/:key", .default_expiry = hour});

struct KeyspaceShared {
  MemoryStorage* store = nullptr;
  Published published{};
  Failures failures;
};

class KeyspaceWorker {
 public:
  KeyspaceWorker(KeyspaceShared& shared, unsigned id) : s_(shared), values_(shared.published, id), rng_(4242 + id) {}

  void run(const std::atomic<bool>& stop) {
    while (!stop.load(std::memory_order_relaxed)) step();
  }

  std::array<std::int64_t, total_keys> increments{};

 private:
  int pick(int count) { return int(rng_() % unsigned(count)); }

  std::string value() { return values_.next(rng_); }

  // A copy writing with a short real TTL now and then, else the keyspace's hour.
  template <class KS>
  KS churn(const KS& ks) {
    return rng_() % 4 == 0 ? ks.with(cachet::expire_in(std::chrono::milliseconds(1 + rng_() % 20))) : ks;
  }

  template <class T>
  bool ok(const cachet::Result<T>& r, int allow, std::string_view op) {
    std::uint64_t refusals = 0;
    return succeeded(r, allow, false, s_.failures, refusals, op);
  }
  void expect_whole(std::string_view bytes, std::string_view op, bool appended = false) {
    if (!whole(bytes, s_.published, appended)) s_.failures.add(std::string(op) + ": torn value");
  }

  void step() {
    const unsigned roll = unsigned(rng_() % 32);
    if (roll < 5) {
      ok(churn(texts).set(pick(text_keys), value()), 0, "set");
    } else if (roll < 8) {
      const auto r = texts.get(pick(text_keys));
      if (ok(r, allow_miss, "get")) expect_whole(*r, "get");
    } else if (roll < 9) {
      ok(churn(texts).multi_set({{pick(text_keys), value()}, {pick(text_keys), value()}, {pick(text_keys), value()}}),
         0, "multi_set");
    } else if (roll < 11) {
      const auto r = texts.multi_get({pick(text_keys), pick(text_keys), pick(text_keys), pick(text_keys)});
      if (!ok(r, 0, "multi_get")) return;
      for (const auto& one : *r) {
        if (ok(one, allow_miss, "multi_get")) expect_whole(*one, "multi_get");
      }
    } else if (roll < 12) {
      const auto r = churn(texts).get_and_set(pick(text_keys), value());
      if (ok(r, allow_miss, "get_and_set")) expect_whole(*r, "get_and_set");
    } else if (roll < 13) {
      const auto r = texts.get_and_delete(pick(text_keys));
      if (ok(r, allow_miss, "get_and_delete")) expect_whole(*r, "get_and_delete");
    } else if (roll < 14) {
      ok(texts.erase(pick(text_keys), pick(text_keys)), 0, "erase");
    } else if (roll < 16) {
      const int k = pick(appended_texts);
      const auto r = churn(logs).append(k, value());
      if (ok(r, 0, "append") && *r > 16 * 1024) ok(logs.erase(k), 0, "erase");
    } else if (roll < 17) {
      const auto r = logs.get(pick(appended_texts));
      if (ok(r, allow_miss, "get")) expect_whole(*r, "get", true);
    } else if (roll < 21) {
      const int k = pick(total_keys);
      const std::int64_t delta = 1 + std::int64_t(rng_() % 3);
      if (ok(totals.increment(k, delta), 0, "increment")) increments[std::size_t(k)] += delta;
    } else if (roll < 23) {
      const int k = pick(feed_keys);
      const auto r = rng_() % 2 ? churn(feeds).push_left(k, value(), value()) : churn(feeds).push_right(k, value());
      if (ok(r, 0, "push") && *r > std::int64_t(longest_collection)) ok(feeds.trim(k, 0, 15), 0, "trim");
    } else if (roll < 24) {
      const auto r = rng_() % 2 ? feeds.pop_left(pick(feed_keys)) : feeds.pop_right(pick(feed_keys));
      if (ok(r, allow_miss, "pop")) expect_whole(*r, "pop");
    } else if (roll < 26) {
      const auto r = rng_() % 2 ? feeds.items(pick(feed_keys)) : feeds.get_range(pick(feed_keys), 1, 5);
      if (!ok(r, 0, "items")) return;
      for (const auto& e : *r) expect_whole(e, "items");
    } else if (roll < 27) {
      const auto r = churn(feeds).move(pick(feed_keys), pick(feed_keys), cachet::ListPos::Left, cachet::ListPos::Right);
      if (ok(r, allow_miss, "move")) expect_whole(*r, "move");
    } else if (roll < 29) {
      const int k = pick(group_keys);
      if (!ok(churn(groups).add(k, value(), value()), 0, "add")) return;
      const auto size = groups.len(k);
      if (ok(size, 0, "len") && *size > std::int64_t(longest_collection)) {
        const auto r = groups.pop(k, *size - std::int64_t(longest_collection));
        if (!ok(r, 0, "pop")) return;
        for (const auto& e : *r) expect_whole(e, "pop");
      }
    } else {
      const int k = pick(group_keys);
      const auto r = groups.items(k);
      if (!ok(r, 0, "items")) return;
      for (const auto& e : *r) expect_whole(e, "items");
      if (!r->empty() && rng_() % 2) ok(groups.remove(k, r->front()), 0, "remove");
    }
  }

  KeyspaceShared& s_;
  ValueSource values_;
  std::mt19937_64 rng_;
};

}  // namespace

TEST_CASE("stress: a self-checking value decodes whole, and torn, cut or unwritten ones do not") {
  Published published{};
  published[1] = 8;
  published[2] = 8;
  const std::string a = make_value(1, 7, 300), b = make_value(2, 7, 300);
  CHECK(whole(a, published));
  CHECK_FALSE(whole(a.substr(0, 150) + b.substr(150), published));  // half of one write, half of another
  CHECK_FALSE(whole(a.substr(0, 299), published));
  CHECK_FALSE(whole(a + "x", published));
  CHECK_FALSE(whole(make_value(1, 8, 300), published));  // a sequence number writer 1 never handed out
  CHECK_FALSE(whole(make_value(worker_count, 0, 300), published));
  CHECK_FALSE(whole(a + b, published));
  CHECK(whole(a + b, published, true));  // a string appended to
  CHECK_FALSE(whole(a + b.substr(0, 200), published, true));
}

TEST_CASE("stress: allkeys-lru under a key and a memory bound keeps both, its account and every value whole" *
          test::memory_only()) {
  stress_engine({.policy = EvictionPolicy::AllKeysLRU, .seed = 11});
}

TEST_CASE("stress: volatile-lfu evicts only keys with a TTL, so counters without one end exact" *
          test::memory_only()) {
  // Here the key bound is the one that bites (some 800 keys fit the memory bound).
  stress_engine(
      {.policy = EvictionPolicy::VolatileLFU, .volatile_only = true, .counters = true, .seed = 23, .max_keys = 500});
}

TEST_CASE("stress: noeviction refuses writes when full, evicts nothing, and counts every increment it took" *
          test::memory_only()) {
  stress_engine({.policy = EvictionPolicy::NoEviction, .refuses = true, .counters = true, .seed = 37});
}

TEST_CASE("stress: keyspaces of one bounded cluster used from several threads" * test::memory_only()) {
  test::ScopedEnv url("CACHET_CLUSTER_TEST_STRESS_URL", "memory://?max_keys=500&max_memory=384kb");
  KeyspaceShared s;
  s.store = dynamic_cast<MemoryStorage*>(&cluster.storage());
  REQUIRE(s.store != nullptr);
  MemoryStorage& m = *s.store;
  REQUIRE(m.config().limits.max_keys == 500);
  std::vector<KeyspaceWorker> workers;
  for (unsigned id = 0; id < worker_count; ++id) workers.emplace_back(s, id);
  run_workers(workers, m, s.failures);
  s.failures.report();

  CHECK(m.key_count() <= m.config().limits.max_keys);
  CHECK(m.used_memory() <= m.config().limits.max_memory);
  CHECK(m.evicted_keys() > 0);
  MESSAGE(m.evicted_keys(), " keys evicted, ", m.expired_keys(), " expired");
  for (int c = 0; c < total_keys; ++c) {
    std::int64_t expected = 0;
    for (const auto& w : workers) expected += w.increments[std::size_t(c)];
    CAPTURE(c);
    CHECK(totals.get(c) == expected);
  }

  cachet::testing::advance_time(1s);
  m.sweep_expired();
  const std::uint64_t keys = m.key_count();
  std::uint64_t found = 0;
  auto check = [&](std::string_view bytes, bool appended) {
    if (!whole(bytes, s.published, appended)) s.failures.add("read back: torn value");
  };
  for (int k = 0; k < text_keys + appended_texts; ++k) {
    const bool appended = k >= text_keys;
    const auto r = appended ? logs.get(k - text_keys) : texts.get(k);
    if (!r) continue;
    ++found;
    check(*r, appended);
  }
  for (int k = 0; k < feed_keys; ++k) {
    const auto r = feeds.items(k);
    REQUIRE(test::ok(r));
    found += r->empty() ? 0 : 1;
    for (const auto& e : *r) check(e, false);
  }
  for (int k = 0; k < group_keys; ++k) {
    const auto r = groups.items(k);
    REQUIRE(test::ok(r));
    found += r->empty() ? 0 : 1;
    for (const auto& e : *r) check(e, false);
  }
  for (int k = 0; k < total_keys; ++k) found += totals.get(k).has_value() ? 1 : 0;
  CHECK(found == keys);
  s.failures.report();
  check_account(m);
}
