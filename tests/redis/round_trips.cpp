// Every operation is one round trip, whatever expiry it carries.
#include "support.hpp"

#include <functional>

using namespace redis_test;
using cachet::engine::KeyValue;
using cachet::engine::ListEnd;
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
      {"set", [&](ExpiryAction e) { (void)s.set("k", "v", SetCondition::always, e); }},
      {"set nx", [&](ExpiryAction e) { (void)s.set("k", "v", SetCondition::if_absent, e); }},
      {"set xx", [&](ExpiryAction e) { (void)s.set("k", "v", SetCondition::if_present, e); }},
      {"set_get", [&](ExpiryAction e) { (void)s.set_get("k", "v", e); }},
      {"mset", [&](ExpiryAction e) { (void)s.mset(pairs, e); }},
      {"append", [&](ExpiryAction e) { (void)s.append("k", "v", e); }},
      {"setrange", [&](ExpiryAction e) { (void)s.setrange("k", 1, "v", e); }},
      {"incrby", [&](ExpiryAction e) { (void)s.incrby("n", 1, e); }},
      {"incrbyfloat", [&](ExpiryAction e) { (void)s.incrbyfloat("n", 1.5, e); }},
      {"push", [&](ExpiryAction e) { (void)s.push("l", ListEnd::left, Strings{"1", "2", "3"}, e); }},
      {"pop", [&](ExpiryAction e) { (void)s.pop("l", ListEnd::right, e); }},
      {"ltrim", [&](ExpiryAction e) { (void)s.ltrim("l", 0, 5, e); }},
      {"lset", [&](ExpiryAction e) { (void)s.lset("l", 0, "x", e); }},
      {"linsert", [&](ExpiryAction e) { (void)s.linsert("l", true, "x", "y", e); }},
      {"lrem", [&](ExpiryAction e) { (void)s.lrem("l", 0, "y", e); }},
      {"lmove", [&](ExpiryAction e) { (void)s.lmove("l", "l2", ListEnd::left, ListEnd::left, e); }},
      {"sadd", [&](ExpiryAction e) { (void)s.sadd("s", Strings{"1", "2", "3"}, e); }},
      {"srem", [&](ExpiryAction e) { (void)s.srem("s", Strings{"1"}, e); }},
      {"spop", [&](ExpiryAction e) { (void)s.spop("s", 1, e); }},
      {"store", [&](ExpiryAction e) { (void)s.set_algebra_store(SetAlgebra::union_, "u", two, e); }},
      {"smove", [&](ExpiryAction e) { (void)s.smove("s", "t", "3", e); }},
      {"reads", [&](ExpiryAction) { (void)s.get("k"); }},
      {"mget", [&](ExpiryAction) { (void)s.mget(two); }},
      {"del", [&](ExpiryAction) { (void)s.del(two); }},
      {"pttl", [&](ExpiryAction) { (void)s.pttl("k"); }},
      {"lrange", [&](ExpiryAction) { (void)s.lrange("l", 0, -1); }},
      {"set_algebra", [&](ExpiryAction) { (void)s.set_algebra(SetAlgebra::diff, two); }},
      {"srandmember", [&](ExpiryAction) { (void)s.srandmember("s", -3); }},
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
