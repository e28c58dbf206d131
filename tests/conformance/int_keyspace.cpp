// IntKeyspace: integers stored as decimal text, INCRBY semantics.
#include "../support.hpp"

#include <chrono>
#include <cstdint>
#include <limits>

using namespace std::chrono_literals;

namespace {

cachet::Cluster cluster("test-ints");
cachet::IntKeyspace<std::string> counters(cluster, {.key_pattern = "count/:key"});
cachet::StringKeyspace<std::string> raw(cluster, {.key_pattern = "raw/:key"});
cachet::IntKeyspace<std::string> expiring(cluster, {.key_pattern = "count-100ms/:key",
                                                    .default_expiry = cachet::expire_in(100ms)});

// Writes text under a counter's stored key, as another program might.
void write_text(const std::string& key, std::string_view text) {
  REQUIRE(cluster.storage().strings()->set(counters.stored_key(key), text, cachet::engine::SetCondition::always,
                                cachet::engine::ExpiryAction::persist()));
}

}  // namespace

TEST_CASE("increment starts a missing key at 0 and answers the new value") {
  CHECK(counters.increment("a") == 1);
  CHECK(counters.increment("a", 41) == 42);
  CHECK(counters.decrement("a", 2) == 40);
  CHECK(counters.decrement("b") == -1);
  CHECK(counters.get("a") == 40);
}

TEST_CASE("set and get round-trip the whole int64 range") {
  constexpr auto lo = std::numeric_limits<std::int64_t>::min(), hi = std::numeric_limits<std::int64_t>::max();
  REQUIRE(counters.set("lo", lo));
  REQUIRE(counters.set("hi", hi));
  CHECK(counters.get("lo") == lo);
  CHECK(counters.get("hi") == hi);
  CHECK(cluster.storage().strings()->get(counters.stored_key("hi")) == "9223372036854775807");
}

TEST_CASE("overflow is out_of_range and leaves the value as it was") {
  REQUIRE(counters.set("hi", std::numeric_limits<std::int64_t>::max()));
  const auto r = counters.increment("hi", 1);
  CHECK(test::code(r) == cachet::Errc::out_of_range);
  CHECK(r.error().op == "increment");
  CHECK(counters.get("hi") == std::numeric_limits<std::int64_t>::max());
  REQUIRE(counters.set("lo", std::numeric_limits<std::int64_t>::min()));
  CHECK(test::code(counters.decrement("lo", 1)) == cachet::Errc::out_of_range);
  CHECK(test::code(counters.decrement("x", std::numeric_limits<std::int64_t>::min())) == cachet::Errc::out_of_range);
}

TEST_CASE("increment of a value that is not an integer is invalid_value and changes nothing") {
  for (std::string_view text : {"abc", "1.5", " 1", "1 ", "+1", "007", "", "99999999999999999999"}) {
    CAPTURE(text);
    write_text("k", text);
    CHECK(test::code(counters.increment("k", 1)) == cachet::Errc::invalid_value);
    CHECK(cluster.storage().strings()->get(counters.stored_key("k")) == std::string(text));
  }
}

TEST_CASE("get of stored text that is not an integer is invalid_value naming the problem") {
  write_text("k", "twelve");
  const auto r = counters.get("k");
  CHECK(test::code(r) == cachet::Errc::invalid_value);
  CHECK(r.error().key == "count/k");
  CHECK(r.error().message.find("not an integer") != std::string::npos);
}

TEST_CASE("integer operations on a list are wrong_type") {
  REQUIRE(cluster.storage().lists()->push(counters.stored_key("l"), cachet::ListPos::Left,
                                 std::vector<std::string>{"1"}, cachet::engine::ExpiryAction::keep()));
  CHECK(test::code(counters.increment("l")) == cachet::Errc::wrong_type);
  CHECK(test::code(counters.get("l")) == cachet::Errc::wrong_type);
}

TEST_CASE("every increment renews the keyspace's expiry") {
  CHECK(expiring.increment("c") == 1);
  test::elapse(60ms);
  CHECK(expiring.increment("c") == 2);
  test::elapse(60ms);  // 120ms after the first write, 60ms after the second
  CHECK(expiring.get("c") == 2);
  test::elapse(60ms);
  CHECK(test::code(expiring.get("c")) == cachet::Errc::miss);
}

TEST_CASE("an increment with never_expire persists the counter") {
  CHECK(expiring.increment("b") == 1);
  REQUIRE(test::pttl(expiring, "b") > 0);
  CHECK(expiring.with(cachet::never_expire).increment("b") == 2);
  CHECK(test::pttl(expiring, "b") == -1);
  test::elapse(150ms);
  CHECK(expiring.get("b") == 2);
}
