// Every operation is one round trip, whatever expiry it carries.
#include "support.hpp"

#include <functional>

using namespace redis_test;
using cachet::engine::KeyValue;
using cachet::ListPos;
using cachet::engine::SetAlgebra;
using cachet::engine::SetCondition;
using Strings = std::vector<std::string>;

TEST_CASE("one round trip per operation") {
  Fresh f("rt:");
  auto& s = f.storage;
  const Strings two{"s", "t"};
  const std::vector<KeyValue> pairs{{"a", "1"}, {"b", "2"}};
  const std::vector<ExpiryAction> expiries{ExpiryAction::keep(), ExpiryAction::persist(),
                                           ExpiryAction::after(std::chrono::seconds(60)),
                                           ExpiryAction::after(std::chrono::milliseconds(0))};
  const std::vector<std::pair<const char*, std::function<void(ExpiryAction)>>> operations{
      {"set", [&](ExpiryAction e) { (void)s.strings()->set("k", "v", SetCondition::always, e); }},
      {"set nx", [&](ExpiryAction e) { (void)s.strings()->set("k", "v", SetCondition::if_absent, e); }},
      {"set xx", [&](ExpiryAction e) { (void)s.strings()->set("k", "v", SetCondition::if_present, e); }},
      {"set_get", [&](ExpiryAction e) { (void)s.strings()->set_get("k", "v", e); }},
      {"mset", [&](ExpiryAction e) { (void)s.strings()->mset(pairs, e); }},
      {"append", [&](ExpiryAction e) { (void)s.strings()->append("k", "v", e); }},
      {"setrange", [&](ExpiryAction e) { (void)s.strings()->setrange("k", 1, "v", e); }},
      {"incrby", [&](ExpiryAction e) { (void)s.strings()->incrby("n", 1, e); }},
      {"incrbyfloat", [&](ExpiryAction e) { (void)s.strings()->incrbyfloat("n", 1.5, e); }},
      {"push", [&](ExpiryAction e) { (void)s.lists()->push("l", ListPos::Left, Strings{"1", "2", "3"}, e); }},
      {"pop", [&](ExpiryAction e) { (void)s.lists()->pop("l", ListPos::Right, e); }},
      {"ltrim", [&](ExpiryAction e) { (void)s.lists()->ltrim("l", 0, 5, e); }},
      {"lset", [&](ExpiryAction e) { (void)s.lists()->lset("l", 0, "x", e); }},
      {"linsert", [&](ExpiryAction e) { (void)s.lists()->linsert("l", true, "x", "y", e); }},
      {"lrem", [&](ExpiryAction e) { (void)s.lists()->lrem("l", 0, "y", e); }},
      {"lmove", [&](ExpiryAction e) { (void)s.lists()->lmove("l", "l2", ListPos::Left, ListPos::Left, e); }},
      {"sadd", [&](ExpiryAction e) { (void)s.sets()->sadd("s", Strings{"1", "2", "3"}, e); }},
      {"srem", [&](ExpiryAction e) { (void)s.sets()->srem("s", Strings{"1"}, e); }},
      {"spop", [&](ExpiryAction e) { (void)s.sets()->spop("s", 1, e); }},
      {"store", [&](ExpiryAction e) { (void)s.sets()->set_algebra_store(SetAlgebra::union_, "u", two, e); }},
      {"smove", [&](ExpiryAction e) { (void)s.sets()->smove("s", "t", "3", e); }},
      {"reads", [&](ExpiryAction) { (void)s.strings()->get("k"); }},
      {"mget", [&](ExpiryAction) { (void)s.strings()->mget(two); }},
      {"del", [&](ExpiryAction) { (void)s.keys().del(two); }},
      {"pttl", [&](ExpiryAction) { (void)s.keys().pttl("k"); }},
      {"lrange", [&](ExpiryAction) { (void)s.lists()->lrange("l", 0, -1); }},
      {"set_algebra", [&](ExpiryAction) { (void)s.sets()->set_algebra(SetAlgebra::diff, two); }},
      {"srandmember", [&](ExpiryAction) { (void)s.sets()->srandmember("s", -3); }},
  };
  for (const auto& expiry : expiries) {
    for (const auto& [name, run] : operations) {
      const auto before = s.round_trips();
      run(expiry);
      INFO(name, " with expiry kind ", int(expiry.kind), " ttl ", expiry.ttl.count());
      CHECK(s.round_trips() - before == 1);
    }
  }
}

TEST_CASE("an argument past Redis's 512 MiB bulk limit is refused before anything is sent" * test::not_under_thread_sanitizer()) {
  Fresh f;
  auto& s = f.storage;
  const std::string huge(512u * 1024 * 1024 + 1, 'x');
  const Strings members{"a", huge};
  const std::vector<KeyValue> pairs{{"a", "1"}, {"b", huge}};
  const std::vector<std::pair<const char*, std::function<Errc()>>> writes{
      {"set", [&] { return code(s.strings()->set("k", huge, SetCondition::always, ExpiryAction::persist())); }},
      {"set_get", [&] { return code(s.strings()->set_get("k", huge, ExpiryAction::persist())); }},
      {"mset", [&] { return code(s.strings()->mset(pairs, ExpiryAction::persist())); }},
      {"append", [&] { return code(s.strings()->append("k", huge, ExpiryAction::persist())); }},
      {"setrange", [&] { return code(s.strings()->setrange("k", 0, huge, ExpiryAction::persist())); }},
      {"setrange offset", [&] { return code(s.strings()->setrange("k", 512 * 1024 * 1024, "x", ExpiryAction::persist())); }},
      {"push", [&] { return code(s.lists()->push("l", ListPos::Left, members, ExpiryAction::persist())); }},
      {"lset", [&] { return code(s.lists()->lset("l", 0, huge, ExpiryAction::persist())); }},
      {"linsert", [&] { return code(s.lists()->linsert("l", true, "a", huge, ExpiryAction::persist())); }},
      {"sadd", [&] { return code(s.sets()->sadd("s", members, ExpiryAction::persist())); }},
      {"smove", [&] { return code(s.sets()->smove("s", "t", huge, ExpiryAction::persist())); }},
      {"linsert pivot", [&] { return code(s.lists()->linsert("l", true, huge, "a", ExpiryAction::persist())); }},
      {"lrem", [&] { return code(s.lists()->lrem("l", 0, huge, ExpiryAction::persist())); }},
      {"srem", [&] { return code(s.sets()->srem("s", members, ExpiryAction::persist())); }},
      {"sismember", [&] { return code(s.sets()->sismember("s", huge)); }},
      {"get of a huge key", [&] { return code(s.strings()->get(huge)); }},
      {"del of a huge key", [&] { return code(s.keys().del(members)); }},
  };
  for (const auto& [name, run] : writes) {
    INFO(std::string(name));
    const auto before = s.round_trips();
    CHECK(run() == Errc::out_of_range);
    CHECK(s.round_trips() == before);
  }
  CHECK(f.raw.integer({"DBSIZE"}) == 0);
  CHECK(s.ping().has_value());  // the connection is as good as before
}
