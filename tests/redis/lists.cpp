// List primitives against the server: answers, misses and errors.
#include "support.hpp"

using namespace redis_test;
using cachet::engine::ListEnd;
using Strings = std::vector<std::string>;

namespace {
const auto persist = ExpiryAction::persist();
}  // namespace

TEST_CASE("push, pop, llen, lrange and lindex") {
  Fresh f;
  auto& s = f.storage;
  CHECK(s.push("l", ListEnd::right, Strings{}, persist).value() == 0);
  CHECK(code(s.get("l")) == Errc::miss);  // pushing nothing made no list
  CHECK(s.push("l", ListEnd::right, Strings{"b", "c"}, persist).value() == 2);
  CHECK(s.push("l", ListEnd::left, Strings{"a", "z"}, persist).value() == 4);
  CHECK(s.push("l", ListEnd::left, Strings{}, persist).value() == 4);
  CHECK(s.lrange("l", 0, -1).value() == Strings{"z", "a", "b", "c"});
  CHECK(s.lrange("l", -2, 100).value() == Strings{"b", "c"});
  CHECK(s.lrange("missing", 0, -1).value().empty());
  CHECK(s.lindex("l", -1).value() == "c");
  CHECK(code(s.lindex("l", 4)) == Errc::miss);
  CHECK(code(s.lindex("missing", 0)) == Errc::miss);
  CHECK(s.pop("l", ListEnd::left, persist).value() == "z");
  CHECK(s.pop("l", ListEnd::right, persist).value() == "c");
  CHECK(s.llen("l").value() == 2);
  CHECK(s.pop("l", ListEnd::right, persist).value() == "b");
  CHECK(s.pop("l", ListEnd::right, persist).value() == "a");
  CHECK(code(s.pop("l", ListEnd::right, persist)) == Errc::miss);
  CHECK(s.llen("l").value() == 0);

  s.set("str", "v", cachet::engine::SetCondition::always, persist).value();
  CHECK(code(s.push("str", ListEnd::left, Strings{"x"}, persist)) == Errc::wrong_type);
  CHECK(code(s.push("str", ListEnd::left, Strings{}, persist)) == Errc::wrong_type);
  CHECK(code(s.pop("str", ListEnd::left, persist)) == Errc::wrong_type);
  CHECK(code(s.llen("str")) == Errc::wrong_type);
  CHECK(code(s.lrange("str", 0, -1)) == Errc::wrong_type);
  CHECK(code(s.lindex("str", 0)) == Errc::wrong_type);
}

TEST_CASE("a push longer than one script chunk is one atomic write") {
  Fresh f;
  Strings values;
  for (int i = 0; i < 25'000; ++i) values.push_back(std::to_string(i));
  CHECK(f.storage.push("l", ListEnd::left, values, ExpiryAction::after(std::chrono::seconds(60))).value() == 25'000);
  CHECK(f.storage.lindex("l", 0).value() == "24999");
  CHECK(f.storage.lindex("l", -1).value() == "0");
  CHECK(f.storage.pttl("l").value().has_value());
}

TEST_CASE("ltrim, lset, linsert and lrem") {
  Fresh f;
  auto& s = f.storage;
  s.push("l", ListEnd::right, Strings{"a", "b", "a", "c", "a"}, persist).value();
  CHECK(s.lrem("l", -1, "a", persist).value() == 1);
  CHECK(s.lrange("l", 0, -1).value() == Strings{"a", "b", "a", "c"});
  CHECK(s.lrem("l", 0, "a", persist).value() == 2);
  CHECK(s.lrem("missing", 0, "a", persist).value() == 0);
  CHECK(s.linsert("l", true, "c", "before-c", persist).value() == 3);
  CHECK(s.linsert("l", false, "c", "after-c", persist).value() == 4);
  CHECK(s.lrange("l", 0, -1).value() == Strings{"b", "before-c", "c", "after-c"});
  CHECK(code(s.linsert("l", true, "nope", "x", persist)) == Errc::miss);
  CHECK(code(s.linsert("missing", true, "b", "x", persist)) == Errc::miss);
  REQUIRE(s.lset("l", -1, "last", persist).has_value());
  CHECK(s.lindex("l", 3).value() == "last");
  CHECK(code(s.lset("l", 4, "x", persist)) == Errc::out_of_range);
  CHECK(code(s.lset("missing", 0, "x", persist)) == Errc::miss);
  REQUIRE(s.ltrim("l", 1, 2, persist).has_value());
  CHECK(s.lrange("l", 0, -1).value() == Strings{"before-c", "c"});
  REQUIRE(s.ltrim("l", 5, 10, persist).has_value());
  CHECK(s.llen("l").value() == 0);
  CHECK(code(s.pttl("l")) == Errc::miss);  // an emptied list is gone
  REQUIRE(s.ltrim("missing", 0, 1, persist).has_value());

  s.sadd("set", Strings{"m"}, persist).value();
  CHECK(code(s.lrem("set", 0, "m", persist)) == Errc::wrong_type);
  CHECK(code(s.linsert("set", true, "m", "x", persist)) == Errc::wrong_type);
  CHECK(code(s.lset("set", 0, "x", persist)) == Errc::wrong_type);
  CHECK(code(s.ltrim("set", 0, 1, persist)) == Errc::wrong_type);
}

TEST_CASE("lmove between lists, onto itself, from a missing list, onto another type") {
  Fresh f;
  auto& s = f.storage;
  s.push("src", ListEnd::right, Strings{"1", "2", "3"}, persist).value();
  CHECK(s.lmove("src", "dst", ListEnd::left, ListEnd::right, persist).value() == "1");
  CHECK(s.lmove("src", "dst", ListEnd::right, ListEnd::left, persist).value() == "3");
  CHECK(s.lrange("dst", 0, -1).value() == Strings{"3", "1"});
  CHECK(s.lmove("dst", "dst", ListEnd::left, ListEnd::right, persist).value() == "3");
  CHECK(s.lrange("dst", 0, -1).value() == Strings{"1", "3"});
  CHECK(code(s.lmove("missing", "dst", ListEnd::left, ListEnd::left, persist)) == Errc::miss);
  s.set("str", "v", cachet::engine::SetCondition::always, persist).value();
  CHECK(code(s.lmove("src", "str", ListEnd::left, ListEnd::left, persist)) == Errc::wrong_type);
  CHECK(code(s.lmove("str", "dst", ListEnd::left, ListEnd::left, persist)) == Errc::wrong_type);
  CHECK(s.lrange("src", 0, -1).value() == Strings{"2"});
}
