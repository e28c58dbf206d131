// List primitives against the server: answers, misses and errors.
#include "support.hpp"

using namespace redis_test;
using cachet::ListPos;
using Strings = std::vector<std::string>;

namespace {
const auto persist = ExpiryAction::persist();
}  // namespace

TEST_CASE("push, pop, llen, lrange and lindex") {
  Fresh f;
  auto& s = f.storage;
  CHECK(s.lists()->push("l", ListPos::Right, Strings{}, persist).value() == 0);
  CHECK(code(s.strings()->get("l")) == Errc::miss);  // pushing nothing made no list
  CHECK(s.lists()->push("l", ListPos::Right, Strings{"b", "c"}, persist).value() == 2);
  CHECK(s.lists()->push("l", ListPos::Left, Strings{"a", "z"}, persist).value() == 4);
  CHECK(s.lists()->push("l", ListPos::Left, Strings{}, persist).value() == 4);
  CHECK(s.lists()->lrange("l", 0, -1).value() == Strings{"z", "a", "b", "c"});
  CHECK(s.lists()->lrange("l", -2, 100).value() == Strings{"b", "c"});
  CHECK(s.lists()->lrange("missing", 0, -1).value().empty());
  CHECK(s.lists()->lindex("l", -1).value() == "c");
  CHECK(code(s.lists()->lindex("l", 4)) == Errc::miss);
  CHECK(code(s.lists()->lindex("missing", 0)) == Errc::miss);
  CHECK(s.lists()->pop("l", ListPos::Left, persist).value() == "z");
  CHECK(s.lists()->pop("l", ListPos::Right, persist).value() == "c");
  CHECK(s.lists()->llen("l").value() == 2);
  CHECK(s.lists()->pop("l", ListPos::Right, persist).value() == "b");
  CHECK(s.lists()->pop("l", ListPos::Right, persist).value() == "a");
  CHECK(code(s.lists()->pop("l", ListPos::Right, persist)) == Errc::miss);
  CHECK(s.lists()->llen("l").value() == 0);

  s.strings()->set("str", "v", cachet::engine::SetCondition::always, persist).value();
  CHECK(code(s.lists()->push("str", ListPos::Left, Strings{"x"}, persist)) == Errc::wrong_type);
  CHECK(code(s.lists()->push("str", ListPos::Left, Strings{}, persist)) == Errc::wrong_type);
  CHECK(code(s.lists()->pop("str", ListPos::Left, persist)) == Errc::wrong_type);
  CHECK(code(s.lists()->llen("str")) == Errc::wrong_type);
  CHECK(code(s.lists()->lrange("str", 0, -1)) == Errc::wrong_type);
  CHECK(code(s.lists()->lindex("str", 0)) == Errc::wrong_type);
}

TEST_CASE("a push longer than one script chunk is one atomic write") {
  Fresh f;
  Strings values;
  for (int i = 0; i < 25'000; ++i) values.push_back(std::to_string(i));
  CHECK(f.storage.lists()->push("l", ListPos::Left, values, ExpiryAction::after(std::chrono::seconds(60))).value() == 25'000);
  CHECK(f.storage.lists()->lindex("l", 0).value() == "24999");
  CHECK(f.storage.lists()->lindex("l", -1).value() == "0");
  CHECK(f.storage.keys().pttl("l").value().has_value());
}

TEST_CASE("ltrim, lset, linsert and lrem") {
  Fresh f;
  auto& s = f.storage;
  s.lists()->push("l", ListPos::Right, Strings{"a", "b", "a", "c", "a"}, persist).value();
  CHECK(s.lists()->lrem("l", -1, "a", persist).value() == 1);
  CHECK(s.lists()->lrange("l", 0, -1).value() == Strings{"a", "b", "a", "c"});
  CHECK(s.lists()->lrem("l", 0, "a", persist).value() == 2);
  CHECK(s.lists()->lrem("missing", 0, "a", persist).value() == 0);
  CHECK(s.lists()->linsert("l", true, "c", "before-c", persist).value() == 3);
  CHECK(s.lists()->linsert("l", false, "c", "after-c", persist).value() == 4);
  CHECK(s.lists()->lrange("l", 0, -1).value() == Strings{"b", "before-c", "c", "after-c"});
  CHECK(code(s.lists()->linsert("l", true, "nope", "x", persist)) == Errc::miss);
  CHECK(s.lists()->linsert("missing", true, "b", "x", persist).value() == 0);
  CHECK(code(s.keys().pttl("missing")) == Errc::miss);  // and created no list
  REQUIRE(s.lists()->lset("l", -1, "last", persist).has_value());
  CHECK(s.lists()->lindex("l", 3).value() == "last");
  CHECK(code(s.lists()->lset("l", 4, "x", persist)) == Errc::out_of_range);
  CHECK(code(s.lists()->lset("missing", 0, "x", persist)) == Errc::miss);
  REQUIRE(s.lists()->ltrim("l", 1, 2, persist).has_value());
  CHECK(s.lists()->lrange("l", 0, -1).value() == Strings{"before-c", "c"});
  REQUIRE(s.lists()->ltrim("l", 5, 10, persist).has_value());
  CHECK(s.lists()->llen("l").value() == 0);
  CHECK(code(s.keys().pttl("l")) == Errc::miss);  // an emptied list is gone
  REQUIRE(s.lists()->ltrim("missing", 0, 1, persist).has_value());

  s.sets()->sadd("set", Strings{"m"}, persist).value();
  CHECK(code(s.lists()->lrem("set", 0, "m", persist)) == Errc::wrong_type);
  CHECK(code(s.lists()->linsert("set", true, "m", "x", persist)) == Errc::wrong_type);
  CHECK(code(s.lists()->lset("set", 0, "x", persist)) == Errc::wrong_type);
  CHECK(code(s.lists()->ltrim("set", 0, 1, persist)) == Errc::wrong_type);
}

TEST_CASE("lmove between lists, onto itself, from a missing list, onto another type") {
  Fresh f;
  auto& s = f.storage;
  s.lists()->push("src", ListPos::Right, Strings{"1", "2", "3"}, persist).value();
  CHECK(s.lists()->lmove("src", "dst", ListPos::Left, ListPos::Right, persist).value() == "1");
  CHECK(s.lists()->lmove("src", "dst", ListPos::Right, ListPos::Left, persist).value() == "3");
  CHECK(s.lists()->lrange("dst", 0, -1).value() == Strings{"3", "1"});
  CHECK(s.lists()->lmove("dst", "dst", ListPos::Left, ListPos::Right, persist).value() == "3");
  CHECK(s.lists()->lrange("dst", 0, -1).value() == Strings{"1", "3"});
  CHECK(code(s.lists()->lmove("missing", "dst", ListPos::Left, ListPos::Left, persist)) == Errc::miss);
  s.strings()->set("str", "v", cachet::engine::SetCondition::always, persist).value();
  CHECK(code(s.lists()->lmove("src", "str", ListPos::Left, ListPos::Left, persist)) == Errc::wrong_type);
  CHECK(code(s.lists()->lmove("str", "dst", ListPos::Left, ListPos::Left, persist)) == Errc::wrong_type);
  CHECK(s.lists()->lrange("src", 0, -1).value() == Strings{"2"});
}
