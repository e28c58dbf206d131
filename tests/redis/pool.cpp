// The connection pool: shared by threads, bounded, lazy, and a bounded wait when exhausted.
#include "support.hpp"

#include <string>

using namespace redis_test;
using namespace std::chrono_literals;

namespace {

// How many clients of the server have `db` selected.
int clients_of_db(RawRedis& raw, int db) {
  const auto list = raw.string({"CLIENT", "LIST"}).value();
  const std::string marker = " db=" + std::to_string(db) + " ";
  int count = 0;
  for (std::size_t at = list.find(marker); at != std::string::npos; at = list.find(marker, at + 1)) ++count;
  return count;
}

// Waits (up to a second) for the server to count `expected` clients on `db`: it notices a
// closed connection a moment after the close.
bool settles_at(RawRedis& raw, int db, int expected) {
  for (int i = 0; i < 100; ++i) {
    if (clients_of_db(raw, db) == expected) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

}  // namespace

TEST_CASE("many threads through one storage: every increment counts") {
  Fresh f;
  constexpr int threads = 8, each = 500;
  std::vector<std::thread> workers;
  std::atomic<int> failures{0};
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < each; ++i) {
        // Alternate the plain command and the write script.
        const auto expiry = (i + t) % 2 ? ExpiryAction::keep() : ExpiryAction::after(60s);
        if (!f.storage.strings()->incrby("counter", 1, expiry)) ++failures;
      }
    });
  }
  for (auto& w : workers) w.join();
  CHECK(failures == 0);
  CHECK(f.storage.strings()->get("counter").value() == std::to_string(threads * each));
}

TEST_CASE("connections are made on first need and never more than pool_size") {
  RawRedis raw(main_options(), db_select);
  RedisOptions options = main_options(db_select);
  options.pool_size = 3;
  {
    RedisStorage storage(options);
    CHECK(settles_at(raw, db_select, 1));  // only the raw connection: nothing dialled yet
    std::vector<std::thread> workers;
    for (int t = 0; t < 8; ++t) {
      workers.emplace_back([&] {
        for (int i = 0; i < 100; ++i) REQUIRE(storage.ping().has_value());
      });
    }
    for (auto& w : workers) w.join();
    const int pooled = clients_of_db(raw, db_select) - 1;
    CHECK(pooled >= 1);
    CHECK(pooled <= 3);
  }
  CHECK(settles_at(raw, db_select, 1));  // the storage closed its connections
}

TEST_CASE("an exhausted pool: a waiting caller gets timeout after command_timeout") {
  StalledServer server;  // holds each connection in its handshake until the call's deadline
  RedisOptions options = main_options(0);
  options.port = server.port();
  options.tls = {};  // the stalled server speaks no TLS
  options.pool_size = 1;
  options.connect_timeout = 2s;
  options.command_timeout = 200ms;
  RedisStorage storage(options);

  std::thread holder([&] { CHECK(code(storage.ping()) == Errc::timeout); });
  std::this_thread::sleep_for(100ms);
  const auto start = std::chrono::steady_clock::now();
  const auto r = storage.strings()->get("k");
  const auto waited = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Errc::timeout);
  // The holder's call ends at its own deadline, before the waiter's; the waiter then connects
  // itself and meets the same stall: either way its one budget is command_timeout.
  CHECK(r.error().message.find("command_timeout") != std::string::npos);
  CHECK(waited >= 150ms);
  CHECK(waited < 1500ms);
  holder.join();
}
