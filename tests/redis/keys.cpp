// Keys: DEL, PTTL, PING, clear(), and where keys live (key prefix, database, unix socket).
#include "support.hpp"

using namespace redis_test;
using cachet::engine::SetCondition;
using Strings = std::vector<std::string>;

namespace {
const auto persist = ExpiryAction::persist();
}  // namespace

TEST_CASE("del counts the keys it removed, of any type") {
  Fresh f;
  auto& s = f.storage;
  CHECK(s.keys().del({}).value() == 0);
  s.strings()->set("a", "1", SetCondition::always, persist).value();
  s.sets()->sadd("b", Strings{"m"}, persist).value();
  CHECK(s.keys().del(Strings{"a", "b", "c"}).value() == 2);
  CHECK(s.keys().del(Strings{"a"}).value() == 0);
}

TEST_CASE("pttl: miss for no key, nullopt for no TTL, else the time left") {
  Fresh f;
  auto& s = f.storage;
  CHECK(code(s.keys().pttl("k")) == Errc::miss);
  s.strings()->set("k", "v", SetCondition::always, persist).value();
  CHECK_FALSE(s.keys().pttl("k").value().has_value());
  s.strings()->set("k", "v", SetCondition::always, ExpiryAction::after(std::chrono::seconds(10))).value();
  const auto left = s.keys().pttl("k").value();
  REQUIRE(left.has_value());
  CHECK(*left > std::chrono::seconds(9));
  CHECK(*left <= std::chrono::seconds(10));
}

TEST_CASE("ping") {
  Fresh f;
  CHECK(f.storage.ping().has_value());
}

TEST_CASE("key_prefix: every key is stored under it, and clear() removes only its keys") {
  // A prefix full of glob characters: clear() must match it literally.
  Fresh f("app*[1]?\\:");
  auto& s = f.storage;
  s.strings()->set("k", "v", SetCondition::always, persist).value();
  s.lists()->push("l", cachet::ListPos::Left, Strings{"x"}, persist).value();
  s.sets()->sadd("s", Strings{"m"}, persist).value();
  s.strings()->incrby("n", 1, ExpiryAction::after(std::chrono::seconds(60))).value();
  CHECK(f.raw.string({"GET", "app*[1]?\\:k"}) == "v");
  CHECK(f.raw.integer({"EXISTS", "k"}) == 0);
  CHECK(f.raw.integer({"LLEN", "app*[1]?\\:l"}) == 1);
  CHECK(f.raw.integer({"SCARD", "app*[1]?\\:s"}) == 1);
  CHECK(f.raw.integer({"PTTL", "app*[1]?\\:n"}) > 0);

  // Keys that a glob "app*[1]?\:*" would match, were the prefix not escaped.
  f.raw.command({"SET", "appX1Z\\:other", "keep me"});
  f.raw.command({"SET", "unprefixed", "keep me"});
  for (int i = 0; i < 2500; ++i) s.strings()->set("bulk" + std::to_string(i), "v", SetCondition::always, persist).value();
  REQUIRE(s.clear().has_value());
  CHECK(f.raw.integer({"DBSIZE"}) == 2);
  CHECK(f.raw.string({"GET", "unprefixed"}) == "keep me");
  CHECK(code(s.strings()->get("k")) == Errc::miss);
  REQUIRE(s.clear().has_value());  // nothing to remove
}

TEST_CASE("two storages with different key prefixes on one database never see each other's keys") {
  Fresh f;
  RedisStorage a(main_options(db_main, "tenant-a:")), b(main_options(db_main, "tenant-b:"));
  const Strings both{"k", "l"};
  for (RedisStorage* s : {&a, &b}) {
    const std::string mine = s == &a ? "a" : "b";
    s->strings()->set("k", mine, SetCondition::always, persist).value();
    s->lists()->push("l", cachet::ListPos::Left, Strings{mine}, persist).value();
    s->sets()->sadd("s", Strings{mine}, persist).value();
  }
  CHECK(a.strings()->get("k").value() == "a");
  CHECK(b.strings()->get("k").value() == "b");
  CHECK(b.lists()->lrange("l", 0, -1).value() == Strings{"b"});
  CHECK(a.sets()->set_algebra(cachet::engine::SetAlgebra::union_, Strings{"s"}).value() == Strings{"a"});
  // Writes of one reach nothing of the other: multi-key ones, moves and removals included.
  a.sets()->set_algebra_store(cachet::engine::SetAlgebra::union_, "u", Strings{"s"}, persist).value();
  CHECK(b.sets()->scard("u").value() == 0);
  CHECK(a.lists()->lmove("l", "moved", cachet::ListPos::Left, cachet::ListPos::Left, persist).value() == "a");
  CHECK(b.lists()->llen("l").value() == 1);
  CHECK(code(b.strings()->get("moved")) == Errc::miss);
  CHECK(a.keys().del(both).value() == 1);  // "l" was emptied by the move
  CHECK(b.strings()->get("k").value() == "b");
  REQUIRE(a.clear().has_value());
  CHECK(b.sets()->smembers("s").value() == Strings{"b"});
  CHECK(f.raw.integer({"EXISTS", "tenant-a:s"}) == 0);
  CHECK(f.raw.integer({"EXISTS", "tenant-b:s"}) == 1);
}

TEST_CASE("clear() without a prefix empties the storage's database, and only it") {
  Fresh f;
  RawRedis other(main_options(), db_select);
  other.command({"SET", "survivor", "v"});
  f.storage.strings()->set("k", "v", SetCondition::always, persist).value();
  REQUIRE(f.storage.clear().has_value());
  CHECK(f.raw.integer({"DBSIZE"}) == 0);
  CHECK(other.string({"GET", "survivor"}) == "v");
  other.command({"DEL", "survivor"});
}

TEST_CASE("db: a new connection SELECTs it") {
  RawRedis raw(main_options(), db_select);
  raw.command({"FLUSHDB"});
  RedisStorage storage(main_options(db_select));
  storage.strings()->set("selected", "v", SetCondition::always, persist).value();
  CHECK(raw.string({"GET", "selected"}) == "v");
  RawRedis main_db(main_options(), db_main);
  CHECK(main_db.integer({"EXISTS", "selected"}) == 0);
  raw.command({"FLUSHDB"});
}

TEST_CASE("a unix socket reaches the same server") {
  RedisOptions options = main_options();
  options.host.clear();
  options.tls = {};  // a unix socket carries no TLS
  const char* socket = std::getenv("CACHET_TEST_REDIS_SOCKET");
  REQUIRE_MESSAGE((socket != nullptr && *socket != '\0'), "CACHET_TEST_REDIS_SOCKET is not set");
  options.socket_path = socket;
  Fresh f;
  RedisStorage storage(options);
  REQUIRE(storage.strings()->set("over-socket", "v", SetCondition::always, persist).value());
  CHECK(f.raw.string({"GET", "over-socket"}) == "v");

  // Through backends::open, as a cluster's unix:// URL gets it.
  auto parsed = cachet::redis::parse_url("unix://" + std::string(socket) + "?db=9");
  REQUIRE(parsed.has_value());
  CHECK(RedisStorage(*parsed).strings()->get("over-socket").value() == "v");
}
