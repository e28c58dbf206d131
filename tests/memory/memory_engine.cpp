// The memory engine itself: lazy and swept expiry, the memory account, bounds.
#include "../support.hpp"

#include "backends/memory/memory_storage.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <string>

using namespace std::chrono_literals;
using cachet::engine::ExpiryAction;
using cachet::engine::SetCondition;
using cachet::memory::MemoryStorage;

namespace {

void write(MemoryStorage& m, const std::string& key, ExpiryAction expiry = ExpiryAction::persist(),
           std::string_view value = "value") {
  REQUIRE(m.strings()->set(key, value, SetCondition::always, expiry));
}

}  // namespace

TEST_CASE("an expired key is never returned, and reading it reclaims it") {
  MemoryStorage m;
  write(m, "k", ExpiryAction::after(50ms));
  CHECK(m.strings()->get("k") == "value");
  cachet::testing::advance_time(51ms);
  CHECK(m.key_count() == 1);  // not yet reclaimed
  CHECK(test::code(m.strings()->get("k")) == cachet::Errc::miss);
  CHECK(m.key_count() == 0);
  CHECK(m.expired_keys() == 1);
}

TEST_CASE("get_into reuses the caller's buffer, and reclaims an expired key as get does") {
  MemoryStorage m;
  write(m, "k", ExpiryAction::after(50ms), std::string(64, 'v'));
  std::string out;
  out.reserve(100);
  const char* buffer = out.data();
  REQUIRE(m.strings()->get_into("k", out));
  CHECK(out == std::string(64, 'v'));
  CHECK(out.data() == buffer);  // no new allocation: the value fit
  cachet::testing::advance_time(51ms);
  CHECK(test::code(m.strings()->get_into("k", out)) == cachet::Errc::miss);
  CHECK(out == std::string(64, 'v'));
  CHECK(m.key_count() == 0);
  CHECK(m.expired_keys() == 1);
}

TEST_CASE("expired keys nobody reads are reclaimed by the incremental sweep") {
  MemoryStorage m;
  for (int i = 0; i < 2000; ++i) write(m, "t" + std::to_string(i), ExpiryAction::after(10ms));
  cachet::testing::advance_time(11ms);
  // Other traffic runs the bounded sweep on each shard every few operations.
  for (int i = 0; i < 20000; ++i) write(m, "live" + std::to_string(i % 500));
  CHECK(m.expired_keys() > 1000);
  m.sweep_expired();
  CHECK(m.key_count() == 500);
  CHECK(m.expired_keys() == 2000);
}

TEST_CASE("gets alone run the sweep too: expired keys among keys only read are reclaimed") {
  MemoryStorage m;
  for (int i = 0; i < 500; ++i) write(m, "live" + std::to_string(i));
  for (int i = 0; i < 2000; ++i) write(m, "t" + std::to_string(i), ExpiryAction::after(10ms));
  cachet::testing::advance_time(11ms);
  // Gets share a shard's lock; every few gets of a thread sweep the shard read, exclusively.
  for (int i = 0; i < 20000; ++i) REQUIRE(m.strings()->get("live" + std::to_string(i % 500)));
  CHECK(m.expired_keys() > 1000);
  CHECK(m.key_count() < 2500 - 1000);
}

TEST_CASE("the memory account grows with what is stored and falls back when it is removed") {
  MemoryStorage m;
  CHECK(m.used_memory() == 0);
  write(m, "k", ExpiryAction::persist(), std::string(1000, 'x'));
  const auto one = m.used_memory();
  CHECK(one > 1000);
  write(m, "k", ExpiryAction::persist(), std::string(5000, 'x'));
  CHECK(m.used_memory() > one + 3900);
  REQUIRE(m.lists()->push("list", cachet::ListPos::Left, std::vector<std::string>(100, std::string(100, 'y')),
                 ExpiryAction::after(1h)));
  REQUIRE(m.sets()->sadd("set", std::vector<std::string>{"a", "b", std::string(200, 'z')}, ExpiryAction::persist()));
  CHECK(m.used_memory() > one + 3900 + 100 * 100);
  // A hash: packed while small, then a table past 128 fields; its removal gives it all back.
  const auto before_hash = m.used_memory();
  std::vector<cachet::engine::FieldValue> pairs;
  for (int i = 0; i < 10; ++i) pairs.push_back({"field" + std::to_string(i), std::string(50, 'h')});
  REQUIRE(m.hashes()->hset("hash", pairs, ExpiryAction::persist()));
  const auto packed = m.used_memory() - before_hash;
  CHECK(packed > 10 * 55);
  CHECK(packed < 10 * 55 + 256);
  for (int i = 10; i < 300; ++i) pairs.push_back({"field" + std::to_string(i), std::string(50, 'h')});
  REQUIRE(m.hashes()->hset("hash", pairs, ExpiryAction::after(1h)));
  CHECK(m.used_memory() > before_hash + 300 * 55);
  const std::vector<std::string> fields{"field0", "field1"};
  const auto full = m.used_memory();
  REQUIRE(m.hashes()->hdel("hash", fields, ExpiryAction::keep()) == 2);
  CHECK(m.used_memory() < full);
  const std::vector<std::string> all = {"k", "list", "set", "hash"};
  CHECK(m.keys().del(all) == 4);
  // Only the slot arrays of the shards that held keys remain.
  CHECK(m.used_memory() < 4 * 1024);
  REQUIRE(m.clear());
  CHECK(m.used_memory() == 0);
  CHECK(m.key_count() == 0);
}

TEST_CASE("with noeviction a full store refuses writes that add keys, and changes nothing") {
  MemoryStorage m({.limits = {.max_keys = 3}, .policy = cachet::EvictionPolicy::NoEviction});
  for (const char* k : {"a", "b", "c"}) write(m, k);
  const auto refused = m.strings()->set("d", "v", SetCondition::always, ExpiryAction::persist());
  CHECK(test::code(refused) == cachet::Errc::out_of_memory);
  CHECK(refused.error().message.find("noeviction") != std::string::npos);
  CHECK(test::code(m.strings()->get("d")) == cachet::Errc::miss);
  CHECK(m.key_count() == 3);
  // Overwriting, reading and deleting still work.
  write(m, "a", ExpiryAction::persist(), "new");
  CHECK(m.strings()->get("a") == "new");
  CHECK(m.keys().del(std::vector<std::string>{"b"}) == 1);
  write(m, "d");
  CHECK(m.key_count() == 3);
}

TEST_CASE("keys of every kind share one namespace with a type per key") {
  MemoryStorage m;
  REQUIRE(m.lists()->push("k", cachet::ListPos::Right, std::vector<std::string>{"x"}, ExpiryAction::keep()));
  CHECK(test::code(m.sets()->sadd("k", std::vector<std::string>{"x"}, ExpiryAction::keep())) == cachet::Errc::wrong_type);
  CHECK(test::code(m.strings()->incrby("k", 1, ExpiryAction::keep())) == cachet::Errc::wrong_type);
  CHECK(m.lists()->lrange("k", 0, -1) == std::vector<std::string>{"x"});
}

TEST_CASE("a list stays equal to a model deque through random pushes, pops and inserts at both ends") {
  MemoryStorage m;
  std::deque<std::string> model;
  cachet::memory::Random random(11);
  const auto left = cachet::ListPos::Left, right = cachet::ListPos::Right;
  for (int step = 0; step < 20000; ++step) {
    const std::string v = std::to_string(random.below(50));
    const bool at_left = random.below(2) == 0;
    switch (random.below(4)) {
      case 0:
      case 1:
        REQUIRE(m.lists()->push("l", at_left ? left : right, std::vector<std::string>{v}, ExpiryAction::keep()));
        at_left ? model.push_front(v) : model.push_back(v);
        break;
      case 2:
        if (model.empty()) {
          CHECK(test::code(m.lists()->pop("l", left, ExpiryAction::keep())) == cachet::Errc::miss);
          break;
        }
        CHECK(m.lists()->pop("l", at_left ? left : right, ExpiryAction::keep()) == (at_left ? model.front() : model.back()));
        at_left ? model.pop_front() : model.pop_back();
        break;
      case 3: {
        if (model.empty()) break;
        const std::string pivot = model[random.below(model.size())];
        const auto at = std::find(model.begin(), model.end(), pivot);
        REQUIRE(m.lists()->linsert("l", at_left, pivot, v, ExpiryAction::keep()));
        model.insert(at_left ? at : at + 1, v);
        break;
      }
    }
    if (step % 1000 == 0) REQUIRE(m.lists()->lrange("l", 0, -1) == std::vector<std::string>(model.begin(), model.end()));
  }
  CHECK(m.lists()->lrange("l", 0, -1) == std::vector<std::string>(model.begin(), model.end()));
}

TEST_CASE("LREM with the count INT64_MIN removes every match from the tail") {
  // Found by fuzz/memory_model: the count's magnitude was taken by negating it, which overflows.
  MemoryStorage m;
  const auto right = cachet::ListPos::Right;
  REQUIRE(m.lists()->push("l", right, std::vector<std::string>{"a", "b", "a", "c", "a"}, ExpiryAction::keep()));
  CHECK(m.lists()->lrem("l", INT64_MIN, "a", ExpiryAction::keep()) == 3);
  CHECK(m.lists()->lrange("l", 0, -1) == std::vector<std::string>{"b", "c"});
  CHECK(m.lists()->lrem("l", INT64_MAX, "b", ExpiryAction::keep()) == 1);
  CHECK(m.lists()->lrange("l", 0, -1) == std::vector<std::string>{"c"});
}

TEST_CASE("a sorted set's account follows it through both shapes and returns to nothing when it goes") {
  MemoryStorage m;
  using cachet::engine::ScoredMember;
  // The slot arrays a first key brings stay: measure from after one came and went.
  REQUIRE(m.sorted_sets()->zadd("z", std::vector<ScoredMember>{{"a", 1}}, cachet::engine::ZAddMode::always,
                                ExpiryAction::persist()));
  REQUIRE(m.keys().del(std::vector<std::string>{"z"}) == 1);
  const auto empty = m.used_memory();
  cachet::memory::Random random(5);
  std::vector<ScoredMember> batch;
  for (int i = 0; i < 3000; ++i) batch.push_back({"member" + std::to_string(random.below(2000)), double(random.below(100))});
  REQUIRE(m.sorted_sets()->zadd("z", batch, cachet::engine::ZAddMode::always, ExpiryAction::after(1h)));
  const auto big = m.used_memory();
  CHECK(big > empty + 1000 * 30);  // past 128 members: a node and an index slot each
  // Churn: removals, score moves, pops, range removals; then everything goes.
  for (int i = 0; i < 2000; ++i) {
    const std::string member = "member" + std::to_string(random.below(2000));
    switch (random.below(4)) {
      case 0: REQUIRE(m.sorted_sets()->zrem("z", std::vector<std::string>{member}, ExpiryAction::keep())); break;
      case 1: REQUIRE(m.sorted_sets()->zincrby("z", member, 1.5, ExpiryAction::keep())); break;
      case 2: REQUIRE(m.sorted_sets()->zpop("z", 1, random.below(2) == 0, ExpiryAction::keep())); break;
      default: REQUIRE(m.sorted_sets()->zremrange_by_rank("z", 5, 6, ExpiryAction::keep())); break;
    }
  }
  REQUIRE(test::value(m.sorted_sets()->zremrange_by_score("z", {-1e300}, {1e300}, ExpiryAction::keep())) > 0);
  CHECK(m.key_count() == 0);
  CHECK(m.used_memory() == empty);
}

TEST_CASE("sorted sets count toward max_memory and are evicted like any key") {
  MemoryStorage m({.limits = {.max_memory = 512 * 1024}, .policy = cachet::EvictionPolicy::AllKeysLRU});
  using cachet::engine::ScoredMember;
  for (int i = 0; i < 100; ++i) {
    std::vector<ScoredMember> members;
    for (int j = 0; j < 200; ++j) members.push_back({"k" + std::to_string(i) + "m" + std::to_string(j), double(j)});
    REQUIRE(m.sorted_sets()->zadd("zset" + std::to_string(i), members, cachet::engine::ZAddMode::always,
                                  ExpiryAction::persist()));
  }
  CHECK(m.used_memory() <= 512 * 1024);
  CHECK(m.evicted_keys() > 40);
  CHECK(m.sorted_sets()->zcard("zset99") == 200);
}
