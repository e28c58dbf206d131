// String primitives against the server: answers, misses and errors.
#include "support.hpp"

#include <limits>

using namespace redis_test;
using cachet::engine::KeyValue;
using cachet::engine::SetCondition;

namespace {
const auto keep = ExpiryAction::keep();
const auto persist = ExpiryAction::persist();
}  // namespace

TEST_CASE("get, set and their conditions") {
  Fresh f;
  auto& s = f.storage;
  CHECK(code(s.strings()->get("k")) == Errc::miss);
  CHECK(s.strings()->set("k", "v", SetCondition::always, persist).value());
  CHECK(s.strings()->get("k").value() == "v");
  CHECK_FALSE(s.strings()->set("k", "w", SetCondition::if_absent, persist).value());
  CHECK(s.strings()->get("k").value() == "v");
  CHECK(s.strings()->set("k", "w", SetCondition::if_present, persist).value());
  CHECK(s.strings()->get("k").value() == "w");
  CHECK_FALSE(s.strings()->set("absent", "x", SetCondition::if_present, persist).value());
  CHECK(code(s.strings()->get("absent")) == Errc::miss);
  CHECK(s.strings()->set("new", "x", SetCondition::if_absent, keep).value());

  const std::string binary("a\0b\r\n\xff", 6);
  CHECK(s.strings()->set(binary, binary, SetCondition::always, persist).value());
  CHECK(s.strings()->get(binary).value() == binary);

  CHECK(s.lists()->push("list", cachet::ListPos::Left, std::vector<std::string>{"x"}, persist).value() == 1);
  CHECK(code(s.strings()->get("list")) == Errc::wrong_type);
  CHECK(s.strings()->set("list", "now a string", SetCondition::always, persist).value());  // SET overwrites any type
  CHECK(s.strings()->get("list").value() == "now a string");
}

TEST_CASE("mget answers nullopt for missing keys and keys of another type") {
  Fresh f;
  auto& s = f.storage;
  CHECK(s.strings()->mget({}).value().empty());
  s.strings()->set("a", "1", SetCondition::always, persist).value();
  s.sets()->sadd("set", std::vector<std::string>{"m"}, persist).value();
  const std::vector<std::string> keys{"a", "missing", "set"};
  const auto values = s.strings()->mget(keys).value();
  REQUIRE(values.size() == 3);
  CHECK(values[0] == "1");
  CHECK_FALSE(values[1].has_value());
  CHECK_FALSE(values[2].has_value());
}

TEST_CASE("mset writes every pair, with each expiry") {
  Fresh f;
  auto& s = f.storage;
  CHECK(s.strings()->mset({}, persist).has_value());
  const std::vector<KeyValue> pairs{{"a", "1"}, {"b", "2"}, {"a", "3"}};
  REQUIRE(s.strings()->mset(pairs, persist).has_value());
  CHECK(s.strings()->get("a").value() == "3");
  CHECK(s.strings()->get("b").value() == "2");
  CHECK_FALSE(s.keys().pttl("a").value().has_value());

  REQUIRE(s.strings()->mset(pairs, ExpiryAction::after(std::chrono::seconds(60))).has_value());
  CHECK(s.keys().pttl("b").value().value() > std::chrono::seconds(50));
  const std::vector<KeyValue> one{{"b", "kept"}};
  REQUIRE(s.strings()->mset(one, keep).has_value());
  CHECK(s.keys().pttl("b").value().value() > std::chrono::seconds(50));
  REQUIRE(s.strings()->mset(one, persist).has_value());
  CHECK_FALSE(s.keys().pttl("b").value().has_value());
  REQUIRE(s.strings()->mset(pairs, ExpiryAction::after(std::chrono::milliseconds(0))).has_value());
  CHECK(code(s.strings()->get("a")) == Errc::miss);
  CHECK(code(s.strings()->get("b")) == Errc::miss);
}

TEST_CASE("set_get and getdel") {
  Fresh f;
  auto& s = f.storage;
  CHECK_FALSE(s.strings()->set_get("k", "1", persist).value().has_value());
  CHECK(s.strings()->set_get("k", "2", persist).value() == "1");
  CHECK(s.strings()->getdel("k").value() == "2");
  CHECK(code(s.strings()->getdel("k")) == Errc::miss);
  s.lists()->push("list", cachet::ListPos::Left, std::vector<std::string>{"x"}, persist).value();
  CHECK(code(s.strings()->set_get("list", "v", persist)) == Errc::wrong_type);
  CHECK(code(s.strings()->getdel("list")) == Errc::wrong_type);
  CHECK(s.lists()->llen("list").value() == 1);
}

TEST_CASE("append, getrange, setrange and strlen") {
  Fresh f;
  auto& s = f.storage;
  CHECK(s.strings()->strlen("k").value() == 0);
  CHECK(s.strings()->getrange("k", 0, -1).value().empty());
  CHECK(s.strings()->append("k", "Hello", persist).value() == 5);
  CHECK(s.strings()->append("k", " World", persist).value() == 11);
  CHECK(s.strings()->getrange("k", 0, 4).value() == "Hello");
  CHECK(s.strings()->getrange("k", -5, -1).value() == "World");
  CHECK(s.strings()->getrange("k", 5, 2).value().empty());
  CHECK(s.strings()->setrange("k", 6, "Redis", persist).value() == 11);
  CHECK(s.strings()->get("k").value() == "Hello Redis");
  CHECK(s.strings()->setrange("pad", 3, "x", persist).value() == 4);
  CHECK(s.strings()->get("pad").value() == std::string("\0\0\0x", 4));
  CHECK(s.strings()->setrange("none", 5, "", persist).value() == 0);
  CHECK(code(s.strings()->get("none")) == Errc::miss);
  CHECK(code(s.strings()->setrange("k", -1, "x", persist)) == Errc::out_of_range);
  CHECK(code(s.strings()->setrange("k", std::int64_t(cachet::engine::max_value_bytes), "x", persist)) == Errc::out_of_range);
  CHECK(s.strings()->strlen("k").value() == 11);

  s.sets()->sadd("set", std::vector<std::string>{"m"}, persist).value();
  CHECK(code(s.strings()->append("set", "x", persist)) == Errc::wrong_type);
  CHECK(code(s.strings()->getrange("set", 0, 1)) == Errc::wrong_type);
  CHECK(code(s.strings()->setrange("set", 0, "x", persist)) == Errc::wrong_type);
  CHECK(code(s.strings()->strlen("set")) == Errc::wrong_type);
}

TEST_CASE("incrby: counting, not an integer, overflow, the whole int64 range") {
  Fresh f;
  auto& s = f.storage;
  CHECK(s.strings()->incrby("n", 5, persist).value() == 5);
  CHECK(s.strings()->incrby("n", -7, persist).value() == -2);
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  // With an expiry the answer comes through the write script: no digit may be lost.
  CHECK(s.strings()->incrby("big", max - 1, ExpiryAction::after(std::chrono::seconds(60))).value() == max - 1);
  CHECK(s.strings()->incrby("big", 1, persist).value() == max);
  CHECK(s.strings()->incrby("big", 0, keep).value() == max);
  CHECK(code(s.strings()->incrby("big", 1, persist)) == Errc::out_of_range);
  CHECK(s.strings()->get("big").value() == std::to_string(max));
  s.strings()->set("text", "abc", SetCondition::always, persist).value();
  CHECK(code(s.strings()->incrby("text", 1, persist)) == Errc::invalid_value);
  CHECK(code(s.strings()->incrby("text", 1, keep)) == Errc::invalid_value);
  s.sets()->sadd("set", std::vector<std::string>{"m"}, persist).value();
  CHECK(code(s.strings()->incrby("set", 1, persist)) == Errc::wrong_type);
}

TEST_CASE("incrbyfloat: the value Redis prints, invalid floats, NaN and infinity") {
  Fresh f;
  auto& s = f.storage;
  CHECK(s.strings()->incrbyfloat("x", 10.5, persist).value() == 10.5);
  CHECK(s.strings()->incrbyfloat("x", 0.1, persist).value() == 10.6);
  CHECK(s.strings()->get("x").value() == "10.6");
  s.strings()->set("e", "5.0e3", SetCondition::always, persist).value();
  CHECK(s.strings()->incrbyfloat("e", 200, persist).value() == 5200);
  s.strings()->set("text", "abc", SetCondition::always, persist).value();
  CHECK(code(s.strings()->incrbyfloat("text", 1, persist)) == Errc::invalid_value);
  CHECK(code(s.strings()->incrbyfloat("x", std::numeric_limits<double>::infinity(), persist)) == Errc::invalid_value);
  CHECK(code(s.strings()->incrbyfloat("x", std::numeric_limits<double>::quiet_NaN(), persist)) == Errc::invalid_value);
  CHECK(s.strings()->get("x").value() == "10.6");
  s.lists()->push("list", cachet::ListPos::Left, std::vector<std::string>{"x"}, persist).value();
  CHECK(code(s.strings()->incrbyfloat("list", 1, persist)) == Errc::wrong_type);
}
