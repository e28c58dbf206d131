// The eight eviction policies of a bounded memory store, as Redis's maxmemory-policy means
// them: deterministic cases exactly (a store this small is sampled whole), sampled ones
// statistically with the scope's fixed seed.
#include "../support.hpp"

#include "backends/memory/memory_storage.hpp"

#include <chrono>
#include <string>

using namespace std::chrono_literals;
using cachet::EvictionPolicy;
using cachet::engine::ExpiryAction;
using cachet::engine::SetCondition;
using cachet::memory::MemoryStorage;

namespace {

MemoryStorage bounded(EvictionPolicy policy, std::uint64_t max_keys, std::uint64_t max_memory = 0) {
  return MemoryStorage({.limits = {.max_keys = max_keys, .max_memory = max_memory}, .policy = policy, .seed = 42});
}

void write(MemoryStorage& m, const std::string& key, ExpiryAction expiry = ExpiryAction::persist()) {
  REQUIRE(m.strings()->set(key, "v", SetCondition::always, expiry));
}

bool has(MemoryStorage& m, const std::string& key) { return m.strings()->get(key).has_value(); }

// Which of the keys are still there.
std::string survivors(MemoryStorage& m, std::initializer_list<const char*> keys) {
  std::string out;
  for (const char* k : keys) {
    if (has(m, k)) out += k;
  }
  return out;
}

}  // namespace

TEST_CASE("allkeys-lru evicts the key used least recently") {
  auto m = bounded(EvictionPolicy::AllKeysLRU, 3);
  write(m, "a");
  cachet::testing::advance_time(1s);
  write(m, "b");
  cachet::testing::advance_time(1s);
  write(m, "c");
  cachet::testing::advance_time(1s);
  REQUIRE(m.strings()->get("a"));  // a is now the most recently used; b the least
  cachet::testing::advance_time(1s);
  write(m, "d");
  CHECK(m.key_count() == 3);
  CHECK(m.evicted_keys() == 1);
  CHECK(survivors(m, {"a", "b", "c", "d"}) == "acd");
}

TEST_CASE("allkeys-lfu evicts the key used least often") {
  auto m = bounded(EvictionPolicy::AllKeysLFU, 3);
  write(m, "a");
  write(m, "b");
  write(m, "c");
  for (int i = 0; i < 50; ++i) REQUIRE(m.strings()->get("a"));
  REQUIRE(m.strings()->get("c"));
  write(m, "d");
  CHECK(survivors(m, {"a", "b", "c", "d"}) == "acd");
}

TEST_CASE("volatile-ttl evicts the key that expires soonest, never one without a TTL") {
  auto m = bounded(EvictionPolicy::VolatileTTL, 4);
  write(m, "forever");
  write(m, "late", ExpiryAction::after(30s));
  write(m, "soon", ExpiryAction::after(5s));
  write(m, "mid", ExpiryAction::after(10s));
  write(m, "new");
  CHECK(survivors(m, {"forever", "late", "soon", "mid", "new"}) == "foreverlatemidnew");
  write(m, "newer");
  CHECK(survivors(m, {"forever", "late", "mid", "new", "newer"}) == "foreverlatenewnewer");
}

TEST_CASE("volatile-lru and volatile-lfu choose only among keys with a TTL") {
  for (auto policy : {EvictionPolicy::VolatileLRU, EvictionPolicy::VolatileLFU}) {
    CAPTURE(cachet::policy_name(policy));
    auto m = bounded(policy, 3);
    write(m, "cold");  // never read again, but has no TTL
    write(m, "hot", ExpiryAction::after(1h));
    write(m, "warm", ExpiryAction::after(1h));
    cachet::testing::advance_time(1s);
    for (int i = 0; i < 20; ++i) REQUIRE(m.strings()->get("hot"));
    REQUIRE(m.strings()->get("warm"));
    cachet::testing::advance_time(1s);
    for (int i = 0; i < 20; ++i) REQUIRE(m.strings()->get("hot"));
    write(m, "new");
    CHECK(survivors(m, {"cold", "hot", "warm", "new"}) == "coldhotnew");
  }
}

TEST_CASE("volatile-random evicts only keys with a TTL") {
  auto m = bounded(EvictionPolicy::VolatileRandom, 10);
  for (int i = 0; i < 5; ++i) write(m, "keep" + std::to_string(i));
  for (int i = 0; i < 5; ++i) write(m, "ttl" + std::to_string(i), ExpiryAction::after(1h));
  for (int i = 0; i < 4; ++i) write(m, "new" + std::to_string(i), ExpiryAction::after(1h));
  for (int i = 0; i < 5; ++i) CHECK(has(m, "keep" + std::to_string(i)));
  CHECK(m.key_count() == 10);
  CHECK(m.evicted_keys() == 4);
}

TEST_CASE("a volatile policy with no key that has a TTL fails like noeviction, changing nothing") {
  for (auto policy : {EvictionPolicy::VolatileLRU, EvictionPolicy::VolatileLFU, EvictionPolicy::VolatileTTL,
                      EvictionPolicy::VolatileRandom, EvictionPolicy::NoEviction}) {
    CAPTURE(cachet::policy_name(policy));
    auto m = bounded(policy, 2);
    write(m, "a");
    write(m, "b");
    const auto r = m.strings()->set("c", "v", SetCondition::always, ExpiryAction::after(1h));
    CHECK(test::code(r) == cachet::Errc::out_of_memory);
    CHECK(survivors(m, {"a", "b", "c"}) == "ab");
    CHECK(test::code(m.lists()->push("l", cachet::ListPos::Left, std::vector<std::string>{"x"},
                            ExpiryAction::persist())) == cachet::Errc::out_of_memory);
    CHECK(m.evicted_keys() == 0);
  }
}

TEST_CASE("allkeys-random evicts keys spread over the whole store") {
  auto m = bounded(EvictionPolicy::AllKeysRandom, 100);
  for (int i = 0; i < 100; ++i) write(m, "old" + std::to_string(i));
  for (int i = 0; i < 50; ++i) write(m, "new" + std::to_string(i));
  int old_left = 0, new_left = 0;
  for (int i = 0; i < 100; ++i) old_left += has(m, "old" + std::to_string(i));
  for (int i = 0; i < 50; ++i) new_left += has(m, "new" + std::to_string(i));
  CHECK(old_left + new_left == 100);
  // Uniform choice removes about a third of each group; either group emptied would not be random.
  CHECK(old_left > 50);
  CHECK(old_left < 85);
  CHECK(new_left > 25);
}

TEST_CASE("max_memory bounds the bytes held, evicting as writes need room") {
  auto m = bounded(EvictionPolicy::AllKeysLRU, 0, 256 * 1024);
  const std::string value(1000, 'x');
  for (int i = 0; i < 2000; ++i) REQUIRE(m.strings()->set("k" + std::to_string(i), value, SetCondition::always, ExpiryAction::persist()));
  CHECK(m.used_memory() <= 256 * 1024);
  CHECK(m.used_memory() > 200 * 1024);
  CHECK(m.evicted_keys() > 1500);
  CHECK(has(m, "k1999"));
}

TEST_CASE("a value larger than max_memory is refused whatever the policy") {
  auto m = bounded(EvictionPolicy::AllKeysLRU, 0, 64 * 1024);
  write(m, "small");
  const auto r = m.strings()->set("big", std::string(100 * 1024, 'x'), SetCondition::always, ExpiryAction::persist());
  CHECK(test::code(r) == cachet::Errc::out_of_memory);
  CHECK(has(m, "small"));
}

TEST_CASE("with allkeys-lru, a wave of inserts evicts keys never read, sparing keys read recently") {
  auto m = bounded(EvictionPolicy::AllKeysLRU, 2000);
  for (int i = 0; i < 2000; ++i) write(m, "k" + std::to_string(i));
  cachet::testing::advance_time(1s);
  for (int i = 0; i < 2000; i += 2) REQUIRE(m.strings()->get("k" + std::to_string(i)));  // the even keys are read
  cachet::testing::advance_time(1s);
  for (int i = 0; i < 500; ++i) write(m, "wave" + std::to_string(i));
  int read_evicted = 0, unread_evicted = 0;
  for (int i = 0; i < 2000; ++i) (i % 2 ? unread_evicted : read_evicted) += !has(m, "k" + std::to_string(i));
  MESSAGE("evicted: ", read_evicted, " keys read recently, ", unread_evicted, " keys never read");
  CHECK(read_evicted + unread_evicted == 500);
  CHECK(read_evicted < 25);  // sampled LRU: nearly every eviction finds a key never read
}

TEST_CASE("with allkeys-lfu, keys read often survive a wave of inserts while keys never read give way") {
  auto m = bounded(EvictionPolicy::AllKeysLFU, 2000);
  for (int i = 0; i < 2000; ++i) write(m, "k" + std::to_string(i));
  for (int round = 0; round < 10; ++round) {
    for (int i = 0; i < 2000; i += 2) REQUIRE(m.strings()->get("k" + std::to_string(i)));  // the even keys, often
  }
  for (int i = 0; i < 1000; ++i) write(m, "wave" + std::to_string(i));
  int frequent_left = 0, rare_left = 0;
  for (int i = 0; i < 2000; ++i) (i % 2 ? rare_left : frequent_left) += has(m, "k" + std::to_string(i));
  MESSAGE("survivors: read often ", frequent_left, " of 1000, never read ", rare_left, " of 1000");
  CHECK(frequent_left > 980);
  CHECK(rare_left < 700);  // new keys start with the same count as keys never read, as in Redis
}

TEST_CASE("lists and sets count toward max_memory and are evicted like any key") {
  auto m = bounded(EvictionPolicy::AllKeysLRU, 0, 512 * 1024);
  const std::vector<std::string> elements(100, std::string(100, 'e'));  // about 13 KB a key
  for (int i = 0; i < 100; ++i) {
    const std::string key = "coll" + std::to_string(i);
    if (i % 2) REQUIRE(m.lists()->push(key, cachet::ListPos::Right, elements, ExpiryAction::persist()));
    else REQUIRE(m.sets()->sadd(key, std::vector<std::string>{key + "a", key + "b", std::string(10000, 's')}, ExpiryAction::persist()));
  }
  CHECK(m.used_memory() <= 512 * 1024);
  CHECK(m.evicted_keys() > 40);
  CHECK(m.lists()->llen("coll99") == 100);
  // Growing a list in place is growth the bound sees too; once the list alone would outgrow
  // max_memory (eviction never takes the key being written), the push is refused.
  cachet::Result<std::int64_t> pushed = 0;
  for (int i = 0; i < 100 && pushed; ++i) {
    pushed = m.lists()->push("coll99", cachet::ListPos::Right, elements, ExpiryAction::persist());
    CHECK(m.used_memory() <= 512 * 1024 + 16 * 1024);
  }
  CHECK(test::code(pushed) == cachet::Errc::out_of_memory);
  const auto length = m.lists()->llen("coll99");
  REQUIRE(length);
  CHECK(*length % 100 == 0);
  CHECK(*length > 100);
}

TEST_CASE("hashes count toward max_memory, packed or as a table, and are evicted like any key") {
  auto m = bounded(EvictionPolicy::AllKeysLRU, 0, 512 * 1024);
  for (int i = 0; i < 100; ++i) {
    const std::string key = "hash" + std::to_string(i);
    std::vector<cachet::engine::FieldValue> pairs;
    // Even keys stay packed (small fields and values), odd ones hold a long value: a table.
    for (int f = 0; f < 100; ++f) pairs.push_back({"f" + std::to_string(f), std::string(i % 2 ? 120 : 40, 'v')});
    REQUIRE(m.hashes()->hset(key, pairs, ExpiryAction::persist()));
  }
  CHECK(m.used_memory() <= 512 * 1024);
  CHECK(m.evicted_keys() > 40);
  CHECK(m.hashes()->hlen("hash99") == 100);
  // Growing a hash in place is growth the bound sees; once the hash alone would outgrow
  // max_memory, the write is refused.
  cachet::Result<std::int64_t> added = 0;
  for (int i = 0; i < 1000 && added; ++i) {
    const std::vector<cachet::engine::FieldValue> pair{{"more" + std::to_string(i), std::string(1000, 'm')}};
    added = m.hashes()->hset("hash99", pair, ExpiryAction::persist());
    CHECK(m.used_memory() <= 512 * 1024 + 16 * 1024);
  }
  CHECK(test::code(added) == cachet::Errc::out_of_memory);
}
