// Error replies and failures as Errc codes, with readable messages.
#include "support.hpp"

using namespace redis_test;
using cachet::redis::classify_error;

TEST_CASE("error replies map to the codes the memory backend answers") {
  CHECK(classify_error("WRONGTYPE Operation against a key holding the wrong kind of value") == Errc::wrong_type);
  CHECK(classify_error("ERR value is not an integer or out of range") == Errc::invalid_value);
  CHECK(classify_error("ERR value is not a valid float") == Errc::invalid_value);
  CHECK(classify_error("ERR increment would produce NaN or Infinity") == Errc::invalid_value);
  CHECK(classify_error("ERR increment or decrement would overflow") == Errc::out_of_range);
  CHECK(classify_error("ERR index out of range") == Errc::out_of_range);
  CHECK(classify_error("ERR offset is out of range") == Errc::out_of_range);
  CHECK(classify_error("ERR value is out of range, must be positive") == Errc::out_of_range);
  CHECK(classify_error("ERR string exceeds maximum allowed size (proto-max-bulk-len)") == Errc::out_of_range);
  CHECK(classify_error("ERR no such key") == Errc::miss);
  CHECK(classify_error("OOM command not allowed when used memory > 'maxmemory'.") == Errc::out_of_memory);
  CHECK(classify_error("NOAUTH Authentication required.") == Errc::not_configured);
  CHECK(classify_error("WRONGPASS invalid username-password pair or user is disabled.") == Errc::not_configured);
  CHECK(classify_error("ERR invalid password") == Errc::not_configured);
  CHECK(classify_error("NOPERM this user has no permissions to run the 'eval' command") == Errc::not_configured);
  CHECK(classify_error("LOADING Redis is loading the dataset in memory") == Errc::unavailable);
  CHECK(classify_error("ERR something nobody expected") == Errc::protocol);
}

TEST_CASE("a WRONGTYPE reply from the server is wrong_type, with the server's words") {
  Fresh f;
  f.raw.command({"RPUSH", "list", "x"});
  const auto r = f.storage.strings()->get("list");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Errc::wrong_type);
  CHECK(r.error().message.find("WRONGTYPE") != std::string::npos);
  const auto n = f.storage.strings()->incrby("list", 1, ExpiryAction::persist());  // through the write script
  CHECK(code(n) == Errc::wrong_type);

  f.raw.command({"SET", "text", "abc"});
  const auto i = f.storage.strings()->incrby("text", 1, ExpiryAction::persist());
  REQUIRE_FALSE(i.has_value());
  CHECK(i.error().code == Errc::invalid_value);
  CHECK(i.error().message == "value is not an integer or out of range");  // "ERR " dropped
}

TEST_CASE("nothing listening: unavailable, quickly, naming the server") {
  RedisOptions options = main_options();
  options.port = free_port();
  RedisStorage storage(options);  // connects lazily: constructing cannot fail
  const auto start = std::chrono::steady_clock::now();
  const auto r = storage.ping();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Errc::unavailable);
  CHECK(r.error().message.find("127.0.0.1:" + std::to_string(options.port)) != std::string::npos);
  CHECK(code(storage.strings()->get("k")) == Errc::unavailable);  // and again: nothing is left broken
}

TEST_CASE("a unix socket that does not exist is unavailable") {
  RedisOptions options = main_options();
  options.host.clear();
  options.socket_path = "/tmp/cachet-no-such-redis.sock";
  RedisStorage storage(options);
  const auto r = storage.ping();
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Errc::unavailable);
  CHECK(r.error().message.find("/tmp/cachet-no-such-redis.sock") != std::string::npos);
}

TEST_CASE("a database the server does not have is not_configured") {
  RedisOptions options = main_options(100000);
  const auto r = RedisStorage(options).ping();
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Errc::not_configured);
  CHECK(r.error().message.find("database 100000") != std::string::npos);
}
