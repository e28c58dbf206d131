// Faults of a real redis-server under load: killed and restarted, stalled by DEBUG SLEEP,
// full at its maxmemory. Every call answers promptly with an Errc, and the storage heals
// itself once the server does, with no action by the application. Each test starts a
// server of its own (ServerProcess), so the faults hit nothing else.
#include "support.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>

using namespace redis_test;
using namespace std::chrono_literals;
using cachet::engine::SetCondition;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto command_timeout = 300ms;
// What a failing call may take: its command_timeout and 100 ms for the rest.
constexpr auto failure_bound = command_timeout + 100ms;

RedisOptions fault_options(const ServerProcess& server, int pool_size) {
  RedisOptions o = server.options();
  o.pool_size = pool_size;
  o.connect_timeout = command_timeout;
  o.command_timeout = command_timeout;
  return o;
}

// One call as the load saw it.
struct Call {
  Clock::time_point start, end;
  std::optional<Errc> error;  // none: it succeeded
};

// Threads calling the storage without pause (a write through the script, a plain write, a
// read), each logging every call, until stopped. Thread t starts t * stagger late; after a
// failure a thread pauses a moment, so that a caller waiting for its connection gets it.
class Load {
 public:
  Load(RedisStorage& storage, int threads, std::chrono::milliseconds stagger = {}) : logs_(std::size_t(threads)) {
    for (int t = 0; t < threads; ++t) {
      workers_.emplace_back([this, &storage, t, stagger] {
        std::this_thread::sleep_for(t * stagger);
        auto& log = logs_[std::size_t(t)];
        const std::string key = "load:" + std::to_string(t);
        for (std::uint64_t i = 0; !stop_; ++i) {
          Call call{Clock::now(), {}, {}};
          std::optional<Errc> error;
          switch (i % 3) {
            case 0: error = failure_of(storage.strings()->incrby(key, 1, ExpiryAction::after(60s))); break;
            case 1: error = failure_of(storage.strings()->set(key + ":s", "v", SetCondition::always, ExpiryAction::persist())); break;
            default: error = failure_of(storage.strings()->get(key + ":s")); break;
          }
          call.end = Clock::now();
          call.error = error;
          log.push_back(call);
          if (error) std::this_thread::sleep_for(5ms);  // as an application would, handling the error
        }
      });
    }
  }
  ~Load() { stop(); }

  void stop() {
    stop_ = true;
    for (auto& w : workers_) {
      if (w.joinable()) w.join();
    }
  }
  // Every call of every thread (after stop()).
  const std::vector<std::vector<Call>>& logs() const { return logs_; }

 private:
  template <class T>
  static std::optional<Errc> failure_of(const Result<T>& r) {
    if (r.has_value() || r.error().code == Errc::miss) return std::nullopt;
    return r.error().code;
  }

  std::atomic<bool> stop_{false};
  std::vector<std::vector<Call>> logs_;
  std::vector<std::thread> workers_;
};

// Checks every failed call of the load: unavailable or timeout, and within failure_bound.
// Answers how many calls failed.
int check_failures(const Load& load) {
  int failed = 0, wrong_code = 0, too_slow = 0;
  auto slowest = Clock::duration::zero();
  for (const auto& log : load.logs()) {
    for (const Call& c : log) {
      if (!c.error) continue;
      ++failed;
      if (*c.error != Errc::unavailable && *c.error != Errc::timeout) ++wrong_code;
      if (c.end - c.start > failure_bound) ++too_slow;
      slowest = std::max(slowest, c.end - c.start);
    }
  }
  INFO("slowest failed call: ", std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count(), "ms");
  CHECK(wrong_code == 0);
  CHECK(too_slow == 0);
  return failed;
}

// The largest number of connections the server saw while `until` had not yet come.
int most_clients_until(const ServerProcess& server, Clock::time_point until) {
  int most = 0;
  while (Clock::now() < until) {
    most = std::max(most, server.clients());
    std::this_thread::sleep_for(10ms);
  }
  return most;
}

}  // namespace

TEST_CASE("the server killed under load: prompt errors, then recovery on its own once it is back") {
  ServerProcess server;
  constexpr int pool_size = 4;
  RedisStorage storage(fault_options(server, pool_size));
  Load load(storage, 6);  // more threads than connections: some wait for one
  std::this_thread::sleep_for(300ms);

  server.kill();
  const auto killed = Clock::now();
  std::this_thread::sleep_for(700ms);
  server.start();  // the same port
  const auto back = Clock::now();
  // While the load runs on: the storage never holds more than pool_size connections.
  const int most = most_clients_until(server, back + 1500ms);
  load.stop();

  check_failures(load);
  CHECK(most <= pool_size);
  for (const auto& log : load.logs()) {
    const auto before = std::count_if(log.begin(), log.end(), [&](const Call& c) { return c.end < killed && !c.error; });
    const auto down = std::count_if(log.begin(), log.end(), [&](const Call& c) { return c.start > killed && c.end < back && c.error; });
    CHECK(before > 0);
    CHECK(down > 0);
    // Back within a second: every call that started a second after the restart succeeded.
    const auto late_failures =
        std::count_if(log.begin(), log.end(), [&](const Call& c) { return c.start > back + 1s && c.error; });
    const auto late_successes =
        std::count_if(log.begin(), log.end(), [&](const Call& c) { return c.start > back + 1s && !c.error; });
    CHECK(late_failures == 0);
    CHECK(late_successes > 0);
  }
  CHECK(server.clients() <= pool_size);
}

TEST_CASE("a stalled server (DEBUG SLEEP): calls time out within the bound, and the pool recovers") {
  ServerProcess server;
  constexpr int pool_size = 2;
  RedisStorage storage(fault_options(server, pool_size));
  REQUIRE(storage.ping().has_value());

  const auto stall = 1500ms;
  Clock::time_point stalled, resumed;
  std::thread sleeper([&] {
    RawRedis raw(server.options(), 0);
    stalled = Clock::now();
    raw.command({"DEBUG", "SLEEP", "1.5"});
    resumed = Clock::now();
  });
  // Once the server sleeps for sure, so that the callers below start out of step:
  for (int i = 0; i < 100 && server.answers_within(50ms); ++i) std::this_thread::sleep_for(5ms);
  const auto asleep = Clock::now();
  // Twice the pool, out of step: callers wait for a connection, then have only the rest of
  // their command_timeout for connecting and their round trip.
  Load load(storage, 4, 20ms);
  std::this_thread::sleep_for(stall);
  sleeper.join();
  load.stop();

  CHECK(resumed - stalled >= stall);
  check_failures(load);
  int timed_out = 0, answered_while_stalled = 0;
  for (const auto& log : load.logs()) {
    for (const Call& c : log) {
      // The sleep began after `stalled` (and by `asleep`), so it lasts until stalled + 1.5 s at
      // least: a call made in between cannot have had an answer. (`resumed` is when the sleeper
      // thread saw its reply, which can be well after the server woke.)
      if (c.start > std::max(asleep, stalled + 300ms) && c.end < stalled + stall) {
        if (c.error == Errc::timeout) ++timed_out;
        else ++answered_while_stalled;
      }
    }
  }
  CHECK(timed_out > 0);
  CHECK(answered_while_stalled == 0);

  // Afterwards: every call succeeds at once, and the connections dropped in the stall are gone.
  for (int i = 0; i < 20; ++i) {
    const auto r = storage.strings()->incrby("after", 1, ExpiryAction::after(60s));
    REQUIRE_MESSAGE(r.has_value(), r.error());
    CHECK(*r == i + 1);
  }
  int clients = server.clients();
  for (int i = 0; i < 100 && clients > pool_size; ++i) {  // the server notices closed sockets a moment later
    std::this_thread::sleep_for(10ms);
    clients = server.clients();
  }
  CHECK(clients <= pool_size);
}

TEST_CASE("connections killed by the server (CLIENT KILL) under load: the next calls reconnect") {
  ServerProcess server;
  constexpr int pool_size = 3;
  RedisStorage storage(fault_options(server, pool_size));
  Load load(storage, 3);
  {
    RawRedis raw(server.options(), 0);
    for (int round = 0; round < 5; ++round) {
      std::this_thread::sleep_for(100ms);
      CHECK(raw.integer({"CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal"}) >= 1);
    }
  }
  std::this_thread::sleep_for(300ms);
  const auto last_kill_settled = Clock::now() - 200ms;
  load.stop();
  // A call in flight when its connection was killed answers unavailable; the next call of
  // that thread, and every later one, connects afresh and succeeds.
  check_failures(load);
  for (const auto& log : load.logs()) {
    for (std::size_t i = 1; i < log.size(); ++i) {
      if (log[i - 1].error) {
        INFO("call ", i, " after a failed one");
        CHECK_FALSE(log[i].error.has_value());
      }
    }
    CHECK(std::none_of(log.begin(), log.end(), [&](const Call& c) { return c.start > last_kill_settled && c.error; }));
  }
  CHECK(server.clients() <= pool_size);
}

TEST_CASE("a server full at maxmemory with noeviction: writes answer out_of_memory, reads work") {
  ServerProcess server({"--maxmemory", "3mb", "--maxmemory-policy", "noeviction"});
  RedisStorage storage(server.options());
  const std::string value(64 * 1024, 'v');
  int stored = 0;
  Result<bool> refused = true;
  for (; stored < 1000; ++stored) {
    refused = storage.strings()->set("fill:" + std::to_string(stored), value, SetCondition::always, ExpiryAction::persist());
    if (!refused) break;
  }
  REQUIRE(stored > 0);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == Errc::out_of_memory);
  INFO("message: ", refused.error().message);
  CHECK(refused.error().message.find("maxmemory") != std::string::npos);
  // The server's figure moves with its buffers, so a small write may still slip in at the
  // edge: the limit goes well under what is stored, to keep the server full.
  RawRedis raw(server.options(), 0);
  raw.command({"CONFIG", "SET", "maxmemory", "1mb"});

  // Every kind of write is refused, whether a plain command or the write script.
  const std::vector<std::string> member{"m"};
  CHECK(code(storage.strings()->set("new", "v", SetCondition::always, ExpiryAction::after(60s))) == Errc::out_of_memory);
  CHECK(code(storage.strings()->incrby("counter", 1, ExpiryAction::persist())) == Errc::out_of_memory);
  CHECK(code(storage.strings()->incrby("counter", 1, ExpiryAction::after(60s))) == Errc::out_of_memory);
  CHECK(code(storage.lists()->push("list", cachet::ListPos::Left, member, ExpiryAction::after(60s))) ==
        Errc::out_of_memory);
  CHECK(code(storage.sets()->sadd("set", member, ExpiryAction::persist())) == Errc::out_of_memory);

  // Reads keep working, and nothing stored was lost.
  CHECK(storage.strings()->get("fill:0").value() == value);
  CHECK(storage.strings()->strlen("fill:" + std::to_string(stored - 1)).value() == std::int64_t(value.size()));
  const std::vector<std::string> keys{"fill:0", "new", "fill:1"};
  const auto got = storage.strings()->mget(keys);
  REQUIRE(got.has_value());
  CHECK((*got)[0] == value);
  CHECK_FALSE((*got)[1].has_value());
  CHECK(code(storage.strings()->get("new")) == Errc::miss);

  // Making room makes writes work again.
  std::vector<std::string> all;
  for (int i = 0; i < stored; ++i) all.push_back("fill:" + std::to_string(i));
  CHECK(storage.keys().del(all).value() == stored);
  raw.command({"CONFIG", "SET", "maxmemory", "3mb"});
  CHECK(storage.strings()->incrby("counter", 1, ExpiryAction::after(60s)).value() == 1);
}

TEST_CASE("the pool never holds more than pool_size connections under load") {
  ServerProcess server;
  constexpr int pool_size = 3;
  RedisStorage storage(fault_options(server, pool_size));
  Load load(storage, 8);
  const int most = most_clients_until(server, Clock::now() + 1s);
  load.stop();
  CHECK(check_failures(load) == 0);
  CHECK(most >= 1);
  CHECK(most <= pool_size);
}
