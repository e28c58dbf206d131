// What the Redis backend's tests share: the servers the environment names, storages on them,
// a raw hiredis connection to look behind the storage's back, and a server that never answers.
//
// Environment (main.cpp refuses to run without the first):
//   CACHET_TEST_REDIS_URL       redis://127.0.0.1:PORT, no auth. These tests use databases 9-12
//                               only: the conformance run shares database 0 of this server.
//   CACHET_TEST_REDIS_SOCKET    the unix socket of that same server
//   CACHET_TEST_REDIS_AUTH_URL  redis://127.0.0.1:PORT2, started with --requirepass cachet-secret
//                               and --user cachet on '>cachet-acl-secret' '~*' '&*' '+@all'
//   CACHET_TEST_TLS_DIR         (optional) the certificates of tests/tls/make_certs.sh. With it the
//                               TLS tests run, and the servers the tests start themselves
//                               (ServerProcess) speak TLS when CACHET_TEST_REDIS_URL is rediss://:
//                               the same program then runs every test over TLS.
//   CACHET_TEST_REDIS_TLS_URL   rediss://127.0.0.1:PORT3, a TLS port that does not ask for a
//                               client certificate; CACHET_TEST_REDIS_PLAIN_PORT is the same
//                               server's plaintext port.
//   CACHET_TEST_REDIS_MTLS_URL  rediss://127.0.0.1:PORT4, a TLS port that requires a client
//                               certificate (no certificate options in the URL).
#pragma once

#include "../support.hpp"  // printing of Errc and Error in failed checks

#include "backends/redis/connection.hpp"
#include "backends/redis/redis_storage.hpp"
#include "backends/redis/reply.hpp"
#include "backends/redis/redis_url.hpp"
#include "engine/url.hpp"

#include <doctest/doctest.h>
#include <hiredis/hiredis.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace redis_test {

using cachet::Errc;
using cachet::Result;
using cachet::engine::ExpiryAction;
using cachet::redis::RedisOptions;
using cachet::redis::RedisStorage;

// Databases of the shared server that belong to these tests.
inline constexpr int db_main = 9;     // most tests; flushed by Fresh
inline constexpr int db_select = 10;  // SELECT checks
inline constexpr int db_kill = 11;    // connections killed by CLIENT KILL
inline constexpr int db_diff = 12;    // the differential run

// The options a URL from the environment names; fails the test when it is unset.
RedisOptions options_from_env(const char* variable);

inline RedisOptions main_options(int db = db_main, std::string prefix = {}) {
  RedisOptions o = options_from_env("CACHET_TEST_REDIS_URL");
  o.db = db;
  o.key_prefix = std::move(prefix);
  return o;
}

// The error code of a failed result (fails the check when the result succeeded).
template <class T>
Errc code(const Result<T>& r) {
  REQUIRE_MESSAGE(!r.has_value(), "expected an error");
  return r.error().code;
}

// A connection of the test's own: what is really on the server, under which key. Plain
// hiredis, independent of cachet's code; over TLS (which hiredis 0.14 cannot speak) cachet's
// own connection, sending only what the test writes.
class RawRedis {
 public:
  explicit RawRedis(const RedisOptions& options, int db);
  cachet::redis::ReplyPtr command(std::initializer_list<std::string_view> args);
  long long integer(std::initializer_list<std::string_view> args);
  std::optional<std::string> string(std::initializer_list<std::string_view> args);

 private:
  struct FreeContext {
    void operator()(redisContext* c) const { redisFree(c); }
  };
  std::unique_ptr<redisContext, FreeContext> context_;
  RedisOptions tls_options_;
  std::shared_ptr<const cachet::redis::TlsContext> tls_;
  std::unique_ptr<cachet::redis::Connection> tls_connection_;
};

// Whether the run speaks TLS to its servers (CACHET_TEST_REDIS_URL is rediss://).
bool tls_run();
// The TLS material's directory (CACHET_TEST_TLS_DIR) joined with `file`; "" when unset.
std::string tls_file(std::string_view file);

// A test's starting point: database 9 emptied, and a storage on it.
struct Fresh {
  explicit Fresh(std::string prefix = {});
  RawRedis raw;
  RedisStorage storage;
};

// A port on 127.0.0.1 that nothing listens on (it was free a moment ago).
int free_port();

// A TCP server that accepts connections and never answers, except that with a `greeting`
// it answers the first bytes each connection sends with it once (to let a handshake pass).
// With hang_up_on_command it closes a connection when it sends anything after that.
class StalledServer {
 public:
  static constexpr bool hang_up_on_command = true;
  explicit StalledServer(std::string greeting = {}, bool hang_up = false);
  ~StalledServer();
  int port() const { return port_; }

 private:
  void run();
  int listener_ = -1;
  int port_ = 0;
  std::string greeting_;
  bool hang_up_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A redis-server of the test's own, for faults no shared server may suffer: killed,
// restarted on the same port, put to sleep, filled to its maxmemory. It listens on a free
// loopback port, keeps nothing on disk, and is killed when the object goes.
class ServerProcess {
 public:
  // In a TLS run it also listens for TLS (CACHET_TEST_TLS_DIR's certificates), and options()
  // names that port; the checks the test makes itself use the plaintext port.
  explicit ServerProcess(std::vector<std::string> extra_arguments = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts it (again, on the same port) and waits until it answers PING.
  void start();
  // SIGKILL: the server vanishes mid-whatever, as in a crash; waits until it is gone.
  void kill();
  // Whether it answers PING within `limit` (a stalled or stopped one does not).
  bool answers_within(std::chrono::milliseconds limit) const;
  // Options naming this server, database 0 (over TLS in a TLS run).
  RedisOptions options() const;
  // Options naming its plaintext port.
  RedisOptions plain_options() const;
  // How many client connections it has, not counting the asking one (CLIENT LIST).
  int clients() const;

 private:
  std::vector<std::string> arguments_;
  int port_ = 0;
  int tls_port_ = 0;  // 0: no TLS
  int pid_ = -1;
};

// The reply to the handshake of a connection without AUTH or SELECT: a SHA1 from SCRIPT LOAD.
inline std::string script_load_reply() { return "$40\r\n" + std::string(40, 'a') + "\r\n"; }

}  // namespace redis_test
