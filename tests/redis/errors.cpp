// Error replies and failures as Errc codes, with readable messages.
#include "support.hpp"

#include "backends/redis/write_script.hpp"

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

namespace {

std::string message_of(std::string text) {
  redisReply reply{};
  reply.type = REDIS_REPLY_ERROR;
  reply.str = text.data();
  reply.len = text.size();
  return cachet::redis::reply_error(reply).message;
}

}  // namespace

TEST_CASE("an error raised inside the write script says what went wrong, never the script's SHA or lines") {
  // The forms servers give: Redis 7 appends the trace, older servers put it first.
  CHECK(message_of("ERR invalid expire time in 'pexpire' command script: "
                   "df808f86bd4362deb4287d62e8b9e14210499e87, on @user_script:1.") ==
        "invalid expire time in 'pexpire' command");
  CHECK(message_of("ERR user_script:12: attempt to compare nil with number script: "
                   "67922cf258af37bf60f5eb89d45a82ba9c4d2e6a, on @user_script:12.") ==
        "attempt to compare nil with number");
  CHECK(message_of("ERR Error running script (call to f_67922cf258af37bf60f5eb89d45a82ba9c4d2e6a): "
                   "@user_script:3: @user_script: 3: Wrong number of args calling Redis command from script") ==
        "Wrong number of args calling Redis command from script");
  CHECK(message_of("ERR value is not an integer or out of range") == "value is not an integer or out of range");
  redisReply wrongtype{};
  std::string old_form = "ERR Error running script (call to f_67922cf258af37bf60f5eb89d45a82ba9c4d2e6a): "
                         "@user_script:3: WRONGTYPE Operation against a key holding the wrong kind of value";
  wrongtype.type = REDIS_REPLY_ERROR;
  wrongtype.str = old_form.data();
  wrongtype.len = old_form.size();
  CHECK(cachet::redis::reply_error(wrongtype).code == Errc::wrong_type);

  // And from the server itself: a TTL no Redis accepts fails the script's PEXPIRE.
  Fresh f;
  const auto r = f.storage.strings()->append("k", "v", ExpiryAction::after(std::chrono::milliseconds::max()));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Errc::out_of_range);
  CHECK(r.error().message.find("invalid expire time") != std::string::npos);
  CHECK(r.error().message.find("script") == std::string::npos);
  CHECK(r.error().message.find("user_script") == std::string::npos);
  const std::string sha = f.raw.string({"SCRIPT", "LOAD", cachet::redis::write_script}).value_or("");
  REQUIRE(sha.size() == 40);
  CHECK(r.error().message.find(sha) == std::string::npos);
}
