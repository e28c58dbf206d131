// How writes leave TTLs: as the memory backend leaves them, including after a failed write
// or one that did nothing, where MULTI/EXEC would still have run the PEXPIRE.
#include "support.hpp"

using namespace redis_test;
using cachet::engine::ListEnd;
using cachet::engine::SetCondition;
using Strings = std::vector<std::string>;
using namespace std::chrono_literals;

namespace {

const auto keep = ExpiryAction::keep();
const auto persist = ExpiryAction::persist();
const auto minute = ExpiryAction::after(60s);
const auto hour = ExpiryAction::after(3600s);
const auto gone = ExpiryAction::after(0ms);
const auto past = ExpiryAction::after(-5ms);

// The key's TTL: nullopt for none; fails the check for a missing key.
std::optional<std::chrono::milliseconds> ttl(RedisStorage& s, std::string_view key) {
  auto t = s.pttl(key);
  REQUIRE_MESSAGE(t.has_value(), "no key " << key);
  return *t;
}

bool about_a_minute(std::optional<std::chrono::milliseconds> t) { return t && *t > 50s && *t <= 60s; }
bool about_an_hour(std::optional<std::chrono::milliseconds> t) { return t && *t > 3500s && *t <= 3600s; }

}  // namespace

TEST_CASE("SET applies its expiry as one command: PX, KEEPTTL, or none") {
  Fresh f;
  auto& s = f.storage;
  s.set("k", "1", SetCondition::always, minute).value();
  CHECK(about_a_minute(ttl(s, "k")));
  s.set("k", "2", SetCondition::always, keep).value();
  CHECK(about_a_minute(ttl(s, "k")));
  s.set("k", "3", SetCondition::if_present, persist).value();
  CHECK_FALSE(ttl(s, "k").has_value());
  CHECK(s.set_get("k", "4", hour).value() == "3");
  CHECK(about_an_hour(ttl(s, "k")));
  CHECK(s.set_get("k", "5", keep).value() == "4");
  CHECK(about_an_hour(ttl(s, "k")));
  CHECK_FALSE(s.set("k", "6", SetCondition::if_absent, minute).value());
  CHECK(about_an_hour(ttl(s, "k")));
}

TEST_CASE("a SET whose expiry is already past answers as written, then the key is gone") {
  Fresh f;
  auto& s = f.storage;
  CHECK(s.set("k", "v", SetCondition::always, gone).value());
  CHECK(code(s.get("k")) == Errc::miss);
  s.set("k", "v", SetCondition::always, persist).value();
  CHECK(s.set("k", "w", SetCondition::if_present, past).value());
  CHECK(code(s.get("k")) == Errc::miss);
  CHECK_FALSE(s.set("k", "w", SetCondition::if_present, past).value());
  // Set-if-absent on an existing key writes nothing, so deletes nothing.
  s.set("k", "v", SetCondition::always, persist).value();
  CHECK_FALSE(s.set("k", "w", SetCondition::if_absent, gone).value());
  CHECK(s.get("k").value() == "v");
  CHECK(s.set("absent", "w", SetCondition::if_absent, gone).value());
  CHECK(code(s.get("absent")) == Errc::miss);
  CHECK(s.set_get("k", "w", gone).value() == "v");
  CHECK(code(s.get("k")) == Errc::miss);
  CHECK_FALSE(s.set_get("k", "w", gone).value().has_value());
}

TEST_CASE("other writes apply the expiry to the keys they write, when they exist afterwards") {
  Fresh f;
  auto& s = f.storage;
  CHECK(s.append("a", "x", minute).value() == 1);
  CHECK(about_a_minute(ttl(s, "a")));
  CHECK(s.append("a", "y", keep).value() == 2);
  CHECK(about_a_minute(ttl(s, "a")));
  CHECK(s.append("a", "z", persist).value() == 3);
  CHECK_FALSE(ttl(s, "a").has_value());
  CHECK(s.incrby("n", 1, minute).value() == 1);
  CHECK(about_a_minute(ttl(s, "n")));
  CHECK(s.incrbyfloat("n", 1.5, hour).value() == 2.5);
  CHECK(about_an_hour(ttl(s, "n")));

  s.push("l", ListEnd::left, Strings{"1", "2"}, minute).value();
  s.lmove("l", "l2", ListEnd::left, ListEnd::left, hour).value();
  CHECK(about_an_hour(ttl(s, "l")));
  CHECK(about_an_hour(ttl(s, "l2")));
  CHECK(s.lrem("l", 0, "nothing", persist).value() == 0);  // no change, yet PERSIST
  CHECK_FALSE(ttl(s, "l").has_value());

  s.sadd("s", Strings{"1", "2"}, minute).value();
  CHECK(s.smove("s", "s2", "1", hour).value());
  CHECK(about_an_hour(ttl(s, "s")));
  CHECK(about_an_hour(ttl(s, "s2")));
  CHECK_FALSE(s.smove("s", "s2", "nothing", persist).value());  // the source exists: both persist
  CHECK_FALSE(ttl(s, "s").has_value());
  CHECK_FALSE(ttl(s, "s2").has_value());
  CHECK(s.set_algebra_store(cachet::engine::SetAlgebra::union_, "u", Strings{"s", "s2"}, minute).value() == 2);
  CHECK(about_a_minute(ttl(s, "u")));
  CHECK_FALSE(ttl(s, "s").has_value());
}

TEST_CASE("a TTL <= 0 lets the write answer, then deletes what it wrote") {
  Fresh f;
  auto& s = f.storage;
  CHECK(s.incrby("n", 5, gone).value() == 5);
  CHECK(code(s.get("n")) == Errc::miss);
  CHECK(s.push("l", ListEnd::left, Strings{"a"}, past).value() == 1);
  CHECK(code(s.pttl("l")) == Errc::miss);
  s.push("l", ListEnd::left, Strings{"a", "b"}, persist).value();
  CHECK(s.lmove("l", "l2", ListEnd::left, ListEnd::left, gone).value() == "b");
  CHECK(code(s.pttl("l")) == Errc::miss);
  CHECK(code(s.pttl("l2")) == Errc::miss);
  CHECK(s.sadd("s", Strings{"x"}, gone).value() == 1);
  CHECK(code(s.pttl("s")) == Errc::miss);
}

TEST_CASE("a write that fails or does nothing leaves every TTL alone, even a TTL <= 0") {
  Fresh f;
  auto& s = f.storage;
  s.set("str", "abc", SetCondition::always, hour).value();
  s.push("list", ListEnd::left, Strings{"a"}, hour).value();
  s.sadd("set", Strings{"m"}, hour).value();

  // Failed: WRONGTYPE, not an integer or float, LSET out of range.
  CHECK(code(s.incrby("str", 1, gone)) == Errc::invalid_value);
  CHECK(code(s.incrbyfloat("str", 1, gone)) == Errc::invalid_value);
  CHECK(code(s.push("str", ListEnd::left, Strings{"x"}, gone)) == Errc::wrong_type);
  CHECK(code(s.append("list", "x", gone)) == Errc::wrong_type);
  CHECK(code(s.sadd("list", Strings{"x"}, gone)) == Errc::wrong_type);
  CHECK(code(s.lset("list", 5, "x", gone)) == Errc::out_of_range);
  CHECK(code(s.lmove("list", "set", ListEnd::left, ListEnd::left, gone)) == Errc::wrong_type);
  CHECK(code(s.smove("set", "list", "m", gone)) == Errc::wrong_type);
  CHECK(code(s.set_algebra_store(cachet::engine::SetAlgebra::union_, "set", Strings{"list"}, gone)) ==
        Errc::wrong_type);
  // Did nothing: no pivot, no source, nothing to pop or push.
  CHECK(code(s.linsert("list", true, "no pivot", "x", gone)) == Errc::miss);
  CHECK(code(s.lmove("missing", "list", ListEnd::left, ListEnd::left, gone)) == Errc::miss);
  CHECK_FALSE(s.smove("missing", "set", "m", gone).value());
  CHECK(s.spop("set", 0, gone).value().empty());
  CHECK(s.push("list", ListEnd::left, Strings{}, gone).value() == 1);
  CHECK(s.sadd("set", Strings{}, gone).value() == 0);

  CHECK(about_an_hour(ttl(s, "str")));
  CHECK(about_an_hour(ttl(s, "list")));
  CHECK(about_an_hour(ttl(s, "set")));
}

TEST_CASE("reads never change a TTL; srem of nothing still applies the expiry, as memory does") {
  Fresh f;
  auto& s = f.storage;
  s.sadd("set", Strings{"m"}, hour).value();
  s.smembers("set").value();
  s.scard("set").value();
  CHECK(about_an_hour(ttl(s, "set")));
  CHECK(s.srem("set", Strings{}, persist).value() == 0);
  CHECK_FALSE(ttl(s, "set").has_value());
}

TEST_CASE("a flushed script cache costs one more round trip, not a failure") {
  Fresh f;
  REQUIRE(f.storage.append("k", "a", persist).value() == 1);
  REQUIRE(f.raw.command({"SCRIPT", "FLUSH"})->type == REDIS_REPLY_STATUS);
  const auto before = f.storage.round_trips();
  CHECK(f.storage.append("k", "b", minute).value() == 2);
  CHECK(f.storage.round_trips() - before == 2);
  CHECK(about_a_minute(ttl(f.storage, "k")));
  const auto after = f.storage.round_trips();
  CHECK(f.storage.append("k", "c", persist).value() == 3);  // cached again by EVAL
  CHECK(f.storage.round_trips() - after == 1);
}
