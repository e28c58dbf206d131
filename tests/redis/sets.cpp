// Set primitives against the server: answers, misses and errors.
#include "support.hpp"

#include <algorithm>
#include <charconv>
#include <set>

using namespace redis_test;
using cachet::engine::SetAlgebra;
using Strings = std::vector<std::string>;

namespace {
const auto persist = ExpiryAction::persist();

Strings sorted(Strings v) {
  std::sort(v.begin(), v.end());
  return v;
}
}  // namespace

TEST_CASE("sadd, srem, sismember, scard and smembers") {
  Fresh f;
  auto& s = f.storage;
  CHECK(s.sets()->sadd("s", Strings{}, persist).value() == 0);
  CHECK(s.sets()->sadd("s", Strings{"a", "b", "a"}, persist).value() == 2);
  CHECK(s.sets()->sadd("s", Strings{"b", "c"}, persist).value() == 1);
  CHECK(s.sets()->scard("s").value() == 3);
  CHECK(s.sets()->sismember("s", "c").value());
  CHECK_FALSE(s.sets()->sismember("s", "z").value());
  CHECK_FALSE(s.sets()->sismember("missing", "z").value());
  CHECK(sorted(s.sets()->smembers("s").value()) == Strings{"a", "b", "c"});
  CHECK(s.sets()->smembers("missing").value().empty());
  CHECK(s.sets()->srem("s", Strings{"a", "z"}, persist).value() == 1);
  CHECK(s.sets()->srem("s", Strings{}, persist).value() == 0);
  CHECK(s.sets()->srem("missing", Strings{"a"}, persist).value() == 0);
  CHECK(s.sets()->srem("s", Strings{"b", "c"}, persist).value() == 2);
  CHECK(code(s.keys().pttl("s")) == Errc::miss);  // an emptied set is gone

  s.strings()->set("str", "v", cachet::engine::SetCondition::always, persist).value();
  CHECK(code(s.sets()->sadd("str", Strings{"x"}, persist)) == Errc::wrong_type);
  CHECK(code(s.sets()->sadd("str", Strings{}, persist)) == Errc::wrong_type);
  CHECK(code(s.sets()->srem("str", Strings{"x"}, persist)) == Errc::wrong_type);
  CHECK(code(s.sets()->srem("str", Strings{}, persist)) == Errc::wrong_type);
  CHECK(code(s.sets()->sismember("str", "x")) == Errc::wrong_type);
  CHECK(code(s.sets()->scard("str")) == Errc::wrong_type);
  CHECK(code(s.sets()->smembers("str")) == Errc::wrong_type);
}

TEST_CASE("sadd and srem longer than one script chunk count every member") {
  Fresh f;
  Strings members;
  for (int i = 0; i < 12'345; ++i) {
    char name[16] = "m";
    members.emplace_back(name, std::to_chars(name + 1, name + sizeof name, i).ptr);
  }
  CHECK(f.storage.sets()->sadd("s", members, persist).value() == 12'345);
  CHECK(f.storage.sets()->sadd("s", members, ExpiryAction::keep()).value() == 0);
  members.push_back("not there");
  CHECK(f.storage.sets()->srem("s", members, persist).value() == 12'345);
  CHECK(f.storage.sets()->scard("s").value() == 0);
}

TEST_CASE("spop and srandmember") {
  Fresh f;
  auto& s = f.storage;
  s.sets()->sadd("s", Strings{"a", "b", "c", "d"}, persist).value();
  const auto sample = s.sets()->srandmember("s", 3).value();
  CHECK(sample.size() == 3);
  CHECK(std::set<std::string>(sample.begin(), sample.end()).size() == 3);
  CHECK(s.sets()->srandmember("s", -10).value().size() == 10);
  CHECK(s.sets()->srandmember("s", 10).value().size() == 4);
  CHECK(s.sets()->srandmember("s", 0).value().empty());
  CHECK(s.sets()->srandmember("missing", 3).value().empty());

  CHECK(s.sets()->spop("s", 0, persist).value().empty());
  const auto popped = s.sets()->spop("s", 3, persist).value();
  CHECK(popped.size() == 3);
  CHECK(s.sets()->scard("s").value() == 1);
  CHECK(s.sets()->spop("s", 5, persist).value().size() == 1);
  CHECK(s.sets()->spop("s", 1, persist).value().empty());
  CHECK(code(s.sets()->spop("s", -1, persist)) == Errc::out_of_range);

  s.strings()->set("str", "v", cachet::engine::SetCondition::always, persist).value();
  CHECK(code(s.sets()->spop("str", 1, persist)) == Errc::wrong_type);
  CHECK(code(s.sets()->spop("str", 0, persist)) == Errc::wrong_type);
  CHECK(code(s.sets()->srandmember("str", 0)) == Errc::wrong_type);
}

TEST_CASE("set algebra and its store forms") {
  Fresh f;
  auto& s = f.storage;
  s.sets()->sadd("a", Strings{"1", "2", "3"}, persist).value();
  s.sets()->sadd("b", Strings{"2", "3", "4"}, persist).value();
  const Strings ab{"a", "b"};
  const Strings a_missing{"a", "missing"};
  CHECK(sorted(s.sets()->set_algebra(SetAlgebra::diff, ab).value()) == Strings{"1"});
  CHECK(sorted(s.sets()->set_algebra(SetAlgebra::intersect, ab).value()) == Strings{"2", "3"});
  CHECK(sorted(s.sets()->set_algebra(SetAlgebra::union_, ab).value()) == Strings{"1", "2", "3", "4"});
  CHECK(s.sets()->set_algebra(SetAlgebra::intersect, a_missing).value().empty());
  CHECK(s.sets()->set_algebra(SetAlgebra::union_, {}).value().empty());

  CHECK(s.sets()->set_algebra_store(SetAlgebra::union_, "dst", ab, persist).value() == 4);
  CHECK(sorted(s.sets()->smembers("dst").value()) == Strings{"1", "2", "3", "4"});
  s.strings()->set("str", "v", cachet::engine::SetCondition::always, persist).value();
  CHECK(s.sets()->set_algebra_store(SetAlgebra::diff, "str", ab, persist).value() == 1);  // replaces any type
  CHECK(sorted(s.sets()->smembers("str").value()) == Strings{"1"});
  CHECK(s.sets()->set_algebra_store(SetAlgebra::intersect, "dst", a_missing, persist).value() == 0);
  CHECK(code(s.keys().pttl("dst")) == Errc::miss);
  CHECK(s.sets()->set_algebra_store(SetAlgebra::intersect, "str", {}, persist).value() == 0);
  CHECK(code(s.keys().pttl("str")) == Errc::miss);

  s.lists()->push("list", cachet::ListPos::Left, Strings{"x"}, persist).value();
  const Strings with_list{"a", "list"};
  CHECK(code(s.sets()->set_algebra(SetAlgebra::union_, with_list)) == Errc::wrong_type);
  CHECK(code(s.sets()->set_algebra_store(SetAlgebra::union_, "dst", with_list, persist)) == Errc::wrong_type);
}

TEST_CASE("smove") {
  Fresh f;
  auto& s = f.storage;
  s.sets()->sadd("src", Strings{"1", "2"}, persist).value();
  CHECK(s.sets()->smove("src", "dst", "1", persist).value());
  CHECK_FALSE(s.sets()->smove("src", "dst", "9", persist).value());
  CHECK_FALSE(s.sets()->smove("missing", "dst", "1", persist).value());
  CHECK(s.sets()->smove("src", "src", "2", persist).value());
  CHECK_FALSE(s.sets()->smove("src", "src", "9", persist).value());
  CHECK(s.sets()->smembers("dst").value() == Strings{"1"});
  s.strings()->set("str", "v", cachet::engine::SetCondition::always, persist).value();
  CHECK(code(s.sets()->smove("src", "str", "2", persist)) == Errc::wrong_type);
  CHECK(code(s.sets()->smove("str", "dst", "2", persist)) == Errc::wrong_type);
  CHECK_FALSE(s.sets()->smove("missing", "str", "2", persist).value());  // no source: nothing is checked
}

TEST_CASE("a store with an expiry takes 10,000 sources, past Lua's unpack limit, the destination among them") {
  Fresh f;
  auto& s = f.storage;
  Strings sources;
  for (int i = 0; i < 10000; ++i) {
    sources.push_back("src" + std::to_string(i));
    s.sets()->sadd(sources.back(), Strings{"m" + std::to_string(i % 7), "shared"}, persist).value();
  }
  const auto ttl = ExpiryAction::after(std::chrono::seconds(60));
  CHECK(s.sets()->set_algebra_store(SetAlgebra::union_, "dst", sources, ttl).value() == 8);
  CHECK(s.keys().pttl("dst").value().has_value());
  CHECK(s.sets()->set_algebra_store(SetAlgebra::intersect, "dst", sources, ttl).value() == 1);
  CHECK(s.sets()->smembers("dst").value() == Strings{"shared"});
  // The destination as a late source reads its old value, as one SINTERSTORE would.
  s.sets()->sadd("dst", Strings{"m0"}, persist).value();
  sources.push_back("dst");
  CHECK(s.sets()->set_algebra_store(SetAlgebra::union_, "dst", sources, ttl).value() == 8);
  Strings diff_keys = {"dst"};
  diff_keys.insert(diff_keys.end(), sources.begin() + 1, sources.end() - 1);  // all but src0 and dst
  CHECK(s.sets()->set_algebra_store(SetAlgebra::diff, "dst", diff_keys, ttl).value() == 0);
  // A source of another type, however late, refuses the store before anything is written.
  s.sets()->sadd("dst", Strings{"kept"}, persist).value();
  s.strings()->set("late", "x", cachet::engine::SetCondition::always, persist).value();
  sources.push_back("late");
  CHECK(code(s.sets()->set_algebra_store(SetAlgebra::union_, "dst", sources, ttl)) == Errc::wrong_type);
  CHECK(s.sets()->smembers("dst").value() == Strings{"kept"});
}
