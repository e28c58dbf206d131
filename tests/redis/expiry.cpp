// How writes leave TTLs: as the memory backend leaves them, including after a failed write
// or one that did nothing, where MULTI/EXEC would still have run the PEXPIRE.
#include "support.hpp"

using namespace redis_test;
using cachet::ListPos;
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
  auto t = s.keys().pttl(key);
  REQUIRE_MESSAGE(t.has_value(), "no key " << key);
  return *t;
}

bool about_a_minute(std::optional<std::chrono::milliseconds> t) { return t && *t > 50s && *t <= 60s; }
bool about_an_hour(std::optional<std::chrono::milliseconds> t) { return t && *t > 3500s && *t <= 3600s; }

}  // namespace

TEST_CASE("SET applies its expiry as one command: PX, KEEPTTL, or none") {
  Fresh f;
  auto& s = f.storage;
  s.strings()->set("k", "1", SetCondition::always, minute).value();
  CHECK(about_a_minute(ttl(s, "k")));
  s.strings()->set("k", "2", SetCondition::always, keep).value();
  CHECK(about_a_minute(ttl(s, "k")));
  s.strings()->set("k", "3", SetCondition::if_present, persist).value();
  CHECK_FALSE(ttl(s, "k").has_value());
  CHECK(s.strings()->set_get("k", "4", hour).value() == "3");
  CHECK(about_an_hour(ttl(s, "k")));
  CHECK(s.strings()->set_get("k", "5", keep).value() == "4");
  CHECK(about_an_hour(ttl(s, "k")));
  CHECK_FALSE(s.strings()->set("k", "6", SetCondition::if_absent, minute).value());
  CHECK(about_an_hour(ttl(s, "k")));
}

TEST_CASE("a SET whose expiry is already past answers as written, then the key is gone") {
  Fresh f;
  auto& s = f.storage;
  CHECK(s.strings()->set("k", "v", SetCondition::always, gone).value());
  CHECK(code(s.strings()->get("k")) == Errc::miss);
  s.strings()->set("k", "v", SetCondition::always, persist).value();
  CHECK(s.strings()->set("k", "w", SetCondition::if_present, past).value());
  CHECK(code(s.strings()->get("k")) == Errc::miss);
  CHECK_FALSE(s.strings()->set("k", "w", SetCondition::if_present, past).value());
  // Set-if-absent on an existing key writes nothing, so deletes nothing.
  s.strings()->set("k", "v", SetCondition::always, persist).value();
  CHECK_FALSE(s.strings()->set("k", "w", SetCondition::if_absent, gone).value());
  CHECK(s.strings()->get("k").value() == "v");
  CHECK(s.strings()->set("absent", "w", SetCondition::if_absent, gone).value());
  CHECK(code(s.strings()->get("absent")) == Errc::miss);
  CHECK(s.strings()->set_get("k", "w", gone).value() == "v");
  CHECK(code(s.strings()->get("k")) == Errc::miss);
  CHECK_FALSE(s.strings()->set_get("k", "w", gone).value().has_value());
}

TEST_CASE("other writes apply the expiry to the keys they write, when they exist afterwards") {
  Fresh f;
  auto& s = f.storage;
  CHECK(s.strings()->append("a", "x", minute).value() == 1);
  CHECK(about_a_minute(ttl(s, "a")));
  CHECK(s.strings()->append("a", "y", keep).value() == 2);
  CHECK(about_a_minute(ttl(s, "a")));
  CHECK(s.strings()->append("a", "z", persist).value() == 3);
  CHECK_FALSE(ttl(s, "a").has_value());
  CHECK(s.strings()->incrby("n", 1, minute).value() == 1);
  CHECK(about_a_minute(ttl(s, "n")));
  CHECK(s.strings()->incrbyfloat("n", 1.5, hour).value() == 2.5);
  CHECK(about_an_hour(ttl(s, "n")));

  s.lists()->push("l", ListPos::Left, Strings{"1", "2"}, minute).value();
  s.lists()->lmove("l", "l2", ListPos::Left, ListPos::Left, hour).value();
  CHECK(about_an_hour(ttl(s, "l")));
  CHECK(about_an_hour(ttl(s, "l2")));
  CHECK(s.lists()->lrem("l", 0, "nothing", persist).value() == 0);  // no change, yet PERSIST
  CHECK_FALSE(ttl(s, "l").has_value());

  s.sets()->sadd("s", Strings{"1", "2"}, minute).value();
  CHECK(s.sets()->smove("s", "s2", "1", hour).value());
  CHECK(about_an_hour(ttl(s, "s")));
  CHECK(about_an_hour(ttl(s, "s2")));
  CHECK_FALSE(s.sets()->smove("s", "s2", "nothing", persist).value());  // the source exists: both persist
  CHECK_FALSE(ttl(s, "s").has_value());
  CHECK_FALSE(ttl(s, "s2").has_value());
  CHECK(s.sets()->set_algebra_store(cachet::engine::SetAlgebra::union_, "u", Strings{"s", "s2"}, minute).value() == 2);
  CHECK(about_a_minute(ttl(s, "u")));
  CHECK_FALSE(ttl(s, "s").has_value());
}

TEST_CASE("a TTL <= 0 lets the write answer, then deletes what it wrote") {
  Fresh f;
  auto& s = f.storage;
  CHECK(s.strings()->incrby("n", 5, gone).value() == 5);
  CHECK(code(s.strings()->get("n")) == Errc::miss);
  CHECK(s.lists()->push("l", ListPos::Left, Strings{"a"}, past).value() == 1);
  CHECK(code(s.keys().pttl("l")) == Errc::miss);
  s.lists()->push("l", ListPos::Left, Strings{"a", "b"}, persist).value();
  CHECK(s.lists()->lmove("l", "l2", ListPos::Left, ListPos::Left, gone).value() == "b");
  CHECK(code(s.keys().pttl("l")) == Errc::miss);
  CHECK(code(s.keys().pttl("l2")) == Errc::miss);
  CHECK(s.sets()->sadd("s", Strings{"x"}, gone).value() == 1);
  CHECK(code(s.keys().pttl("s")) == Errc::miss);
}

TEST_CASE("a write that fails or does nothing leaves every TTL alone, even a TTL <= 0") {
  Fresh f;
  auto& s = f.storage;
  s.strings()->set("str", "abc", SetCondition::always, hour).value();
  s.lists()->push("list", ListPos::Left, Strings{"a"}, hour).value();
  s.sets()->sadd("set", Strings{"m"}, hour).value();

  // Failed: WRONGTYPE, not an integer or float, LSET out of range.
  CHECK(code(s.strings()->incrby("str", 1, gone)) == Errc::invalid_value);
  CHECK(code(s.strings()->incrbyfloat("str", 1, gone)) == Errc::invalid_value);
  CHECK(code(s.lists()->push("str", ListPos::Left, Strings{"x"}, gone)) == Errc::wrong_type);
  CHECK(code(s.strings()->append("list", "x", gone)) == Errc::wrong_type);
  CHECK(code(s.sets()->sadd("list", Strings{"x"}, gone)) == Errc::wrong_type);
  CHECK(code(s.lists()->lset("list", 5, "x", gone)) == Errc::out_of_range);
  CHECK(code(s.lists()->lmove("list", "set", ListPos::Left, ListPos::Left, gone)) == Errc::wrong_type);
  CHECK(code(s.sets()->smove("set", "list", "m", gone)) == Errc::wrong_type);
  CHECK(code(s.sets()->set_algebra_store(cachet::engine::SetAlgebra::union_, "set", Strings{"list"}, gone)) ==
        Errc::wrong_type);
  // Did nothing: no pivot, no source, nothing to pop or push.
  CHECK(code(s.lists()->linsert("list", true, "no pivot", "x", gone)) == Errc::miss);
  CHECK(code(s.lists()->lmove("missing", "list", ListPos::Left, ListPos::Left, gone)) == Errc::miss);
  CHECK_FALSE(s.sets()->smove("missing", "set", "m", gone).value());
  CHECK(s.sets()->spop("set", 0, gone).value().empty());
  CHECK(s.lists()->push("list", ListPos::Left, Strings{}, gone).value() == 1);
  CHECK(s.sets()->sadd("set", Strings{}, gone).value() == 0);

  CHECK(about_an_hour(ttl(s, "str")));
  CHECK(about_an_hour(ttl(s, "list")));
  CHECK(about_an_hour(ttl(s, "set")));
}

TEST_CASE("reads never change a TTL; srem of nothing still applies the expiry, as memory does") {
  Fresh f;
  auto& s = f.storage;
  s.sets()->sadd("set", Strings{"m"}, hour).value();
  s.sets()->smembers("set").value();
  s.sets()->scard("set").value();
  CHECK(about_an_hour(ttl(s, "set")));
  CHECK(s.sets()->srem("set", Strings{}, persist).value() == 0);
  CHECK_FALSE(ttl(s, "set").has_value());
}

TEST_CASE("a flushed script cache costs one more round trip, not a failure") {
  Fresh f;
  REQUIRE(f.storage.strings()->append("k", "a", persist).value() == 1);
  REQUIRE(f.raw.command({"SCRIPT", "FLUSH"})->type == REDIS_REPLY_STATUS);
  const auto before = f.storage.round_trips();
  CHECK(f.storage.strings()->append("k", "b", minute).value() == 2);
  CHECK(f.storage.round_trips() - before == 2);
  CHECK(about_a_minute(ttl(f.storage, "k")));
  const auto after = f.storage.round_trips();
  CHECK(f.storage.strings()->append("k", "c", persist).value() == 3);  // cached again by EVAL
  CHECK(f.storage.round_trips() - after == 1);
}
