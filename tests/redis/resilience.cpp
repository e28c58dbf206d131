// Timeouts and lost connections: every call returns within its timeout, and the storage
// repairs itself on the next call.
#include "support.hpp"

#include "engine/notice.hpp"

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

using namespace redis_test;
using namespace std::chrono_literals;
using cachet::engine::SetCondition;

namespace {

RedisOptions stalled_options(const StalledServer& server) {
  RedisOptions o = main_options(0);
  o.port = server.port();
  o.tls = {};  // the stalled server speaks no TLS (tls.cpp has a handshake that stalls)
  o.connect_timeout = 300ms;
  o.command_timeout = 300ms;
  return o;
}

// Kills, from another connection, every client connection that has `db` selected.
int kill_clients_of_db(RawRedis& raw, int db) {
  const auto list = raw.string({"CLIENT", "LIST"}).value();
  const std::string marker = " db=" + std::to_string(db) + " ";
  const auto me = std::to_string(raw.integer({"CLIENT", "ID"}));
  int killed = 0;
  std::size_t line_start = 0;
  while (line_start < list.size()) {
    const auto line_end = list.find('\n', line_start);
    const std::string line = list.substr(line_start, line_end - line_start);
    line_start = line_end == std::string::npos ? list.size() : line_end + 1;
    if (line.find(marker) == std::string::npos || !line.starts_with("id=")) continue;
    const std::string id = line.substr(3, line.find(' ') - 3);
    if (id == me) continue;
    killed += int(raw.integer({"CLIENT", "KILL", "ID", id}));
  }
  return killed;
}

}  // namespace

TEST_CASE("a server that stops answering: timeout within about command_timeout") {
  StalledServer server(script_load_reply());  // passes the handshake, then never answers
  RedisStorage storage(stalled_options(server));
  for (int attempt = 0; attempt < 2; ++attempt) {  // the timed-out connection is replaced, and times out again
    const auto start = std::chrono::steady_clock::now();
    const auto r = storage.strings()->get("k");
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::timeout);
    CHECK(r.error().message.find("did not answer within command_timeout (300ms)") != std::string::npos);
    CHECK(took >= 250ms);
    CHECK(took < 3s);
  }
}

TEST_CASE("a connect that must be made counts against command_timeout: the call's bound holds") {
  StalledServer server;  // accepts, and never answers the connection's handshake
  RedisOptions o = stalled_options(server);
  o.connect_timeout = 2s;
  o.command_timeout = 250ms;
  RedisStorage storage(o);
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto start = std::chrono::steady_clock::now();
    const auto r = storage.strings()->get("k");
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::timeout);
    CHECK(took >= 200ms);
    CHECK(took < 250ms + 400ms);  // not connect_timeout's 2 s
  }
}

TEST_CASE("a server that accepts but never greets: timeout within about connect_timeout") {
  StalledServer server;
  RedisStorage storage(stalled_options(server));
  const auto start = std::chrono::steady_clock::now();
  CHECK(code(storage.ping()) == Errc::timeout);
  CHECK(std::chrono::steady_clock::now() - start < 3s);
}

TEST_CASE("connections the server closed are replaced on the next call") {
  RawRedis raw(main_options(), db_kill);
  raw.command({"FLUSHDB"});
  RedisOptions options = main_options(db_kill);
  options.pool_size = 4;
  RedisStorage storage(options);
  // Open several pooled connections by using them at once.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) REQUIRE(storage.strings()->incrby("n", 1, ExpiryAction::keep()).has_value());
    });
  }
  for (auto& t : threads) t.join();
  CHECK(kill_clients_of_db(raw, db_kill) >= 1);

  for (int i = 0; i < 8; ++i) {
    const auto r = storage.strings()->incrby("n", 1, ExpiryAction::persist());
    REQUIRE_MESSAGE(r.has_value(), r.error());
    CHECK(*r == 201 + i);
  }
  raw.command({"FLUSHDB"});
}

namespace {
std::mutex notices_mutex;
std::vector<std::string> notices;
void keep_notice(std::string_view text) {
  std::lock_guard lock(notices_mutex);
  notices.emplace_back(text);
}
}  // namespace

TEST_CASE("stats(): the connections open, and each reconnect after a lost one, also as a notice") {
  RawRedis raw(main_options(), db_kill);
  raw.command({"FLUSHDB"});
  RedisOptions options = main_options(db_kill);
  options.pool_size = 1;
  RedisStorage storage(options);
  CHECK(storage.stats().connections == 0u);  // nothing dialled before the first call
  CHECK(storage.stats().reconnects == 0u);
  REQUIRE(storage.strings()->incrby("n", 1, ExpiryAction::keep()).has_value());
  CHECK(storage.stats().connections == 1u);
  CHECK(storage.stats().reconnects == 0u);
  CHECK(!storage.stats().keys.has_value());  // a Redis storage reports no memory-engine figures

  cachet::engine::set_notice_sink(keep_notice);
  {
    std::lock_guard lock(notices_mutex);
    notices.clear();
  }
  REQUIRE(kill_clients_of_db(raw, db_kill) == 1);
  const auto r = storage.strings()->incrby("n", 1, ExpiryAction::keep());
  cachet::engine::set_notice_sink(nullptr);
  REQUIRE_MESSAGE(r.has_value(), r.error());
  CHECK(storage.stats().connections == 1u);
  CHECK(storage.stats().reconnects == 1u);
  std::lock_guard lock(notices_mutex);
  REQUIRE(notices.size() == 1);
  CHECK(notices[0].find("reconnected") != std::string::npos);
  CHECK(notices[0].find(std::to_string(options.port)) != std::string::npos);
  raw.command({"FLUSHDB"});
}

TEST_CASE("a connection lost in the middle of a call: unavailable, not a hang") {
  StalledServer server(script_load_reply(), StalledServer::hang_up_on_command);
  RedisStorage storage(stalled_options(server));
  const auto r = storage.strings()->set("k", "v", SetCondition::always, ExpiryAction::persist());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Errc::unavailable);
  CHECK(r.error().message.find("closed the connection") != std::string::npos);
}
