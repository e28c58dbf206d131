// Redis over TLS: what works as over TCP, and each bad set-up a user can make, answered by a
// clear, bounded Errc::unavailable whose message says what failed, at start-up (ping, which
// verify() calls) and on every call. Against the servers tests/run.sh starts with the
// certificates of tests/tls/make_certs.sh (CACHET_TEST_TLS_DIR, CACHET_TEST_REDIS_TLS_URL,
// CACHET_TEST_REDIS_PLAIN_PORT, CACHET_TEST_REDIS_MTLS_URL; see support.hpp).
#include "support.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>

using namespace redis_test;
using namespace std::chrono_literals;
using cachet::engine::SetCondition;

namespace {

// Skips when the run has no TLS servers, unless the run must have them.
bool have_tls() {
  if (!tls_file("ca.crt").empty() && std::getenv("CACHET_TEST_REDIS_TLS_URL") != nullptr &&
      std::getenv("CACHET_TEST_REDIS_MTLS_URL") != nullptr) {
    return true;
  }
  REQUIRE_MESSAGE(std::getenv("CACHET_REQUIRE_REDIS") == nullptr,
                  "CACHET_TEST_TLS_DIR, CACHET_TEST_REDIS_TLS_URL and CACHET_TEST_REDIS_MTLS_URL must be set");
  MESSAGE("no TLS servers named: TLS tests skipped");
  return false;
}

// The TLS port that asks for no client certificate, trusting the test CA, database 5 (6 in the TLS run).
RedisOptions tls_options() {
  RedisOptions o = options_from_env("CACHET_TEST_REDIS_TLS_URL");
  o.tls.ca_file = tls_file("ca.crt");
  o.db = tls_run() ? 6 : 5;  // the plain and the TLS run may run at once
  o.connect_timeout = 1s;
  o.command_timeout = 1s;
  return o;
}

// The TLS port that requires a client certificate (and a password), with the test CA.
RedisOptions mtls_options() {
  RedisOptions o = options_from_env("CACHET_TEST_REDIS_MTLS_URL");
  o.tls.ca_file = tls_file("ca.crt");
  o.password = "cachet-secret";
  o.connect_timeout = 1s;
  o.command_timeout = 1s;
  return o;
}

int plain_port() {
  const char* port = std::getenv("CACHET_TEST_REDIS_PLAIN_PORT");
  REQUIRE_MESSAGE(port != nullptr, "CACHET_TEST_REDIS_PLAIN_PORT is not set");
  return std::atoi(port);
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// A bad set-up: ping (what verify() calls at start-up) and a call both answer unavailable
// within the call's bound, with the same message. Returns it.
std::string refusal(const RedisOptions& options) {
  RedisStorage storage(options);
  const auto bound = options.command_timeout + 500ms;  // the bound, and slack for a loaded machine
  INFO("options: port ", options.port, ", TLS ", options.tls.enabled);
  auto start = std::chrono::steady_clock::now();
  auto ping = storage.ping();
  CHECK(std::chrono::steady_clock::now() - start < bound);
  REQUIRE_FALSE(ping.has_value());
  INFO("ping: ", ping.error().message);
  CHECK(ping.error().code == Errc::unavailable);
  start = std::chrono::steady_clock::now();
  auto get = storage.strings()->get("k");
  CHECK(std::chrono::steady_clock::now() - start < bound);
  REQUIRE_FALSE(get.has_value());
  CHECK(get.error().code == Errc::unavailable);
  CHECK(get.error().message == ping.error().message);
  return ping.error().message;
}

}  // namespace

TEST_CASE("over TLS a storage writes, reads, expires and runs its script as over TCP") {
  if (!have_tls()) return;
  RedisOptions o = tls_options();
  o.key_prefix = "tls:";
  RedisStorage storage(o);
  REQUIRE(storage.ping());
  REQUIRE(storage.clear());
  CHECK(storage.strings()->set("k", "v", SetCondition::always, ExpiryAction::keep()));
  CHECK(storage.strings()->get("k") == "v");
  // A list push runs the write script: write and expiry in one EVALSHA.
  std::vector<std::string> values{"a", "b"};
  CHECK(storage.lists()->push("l", cachet::ListPos::Right, values, ExpiryAction::after(60s)));
  RawRedis raw(o, o.db);
  CHECK(raw.integer({"PTTL", "tls:l"}) > 0);
  CHECK(raw.string({"GET", "tls:k"}) == std::optional<std::string>("v"));
}

TEST_CASE("over mutual TLS with a password: the client certificate, AUTH and SELECT") {
  if (!have_tls()) return;
  RedisOptions o = mtls_options();
  o.tls.cert_file = tls_file("client.crt");
  o.tls.key_file = tls_file("client.key");
  o.db = tls_run() ? 4 : 3;
  RedisStorage storage(o);
  REQUIRE(storage.ping());
  CHECK(storage.strings()->set("mtls", "yes", SetCondition::always, ExpiryAction::keep()));
  CHECK(storage.strings()->get("mtls") == "yes");
  RawRedis raw(o, o.db);
  CHECK(raw.string({"GET", "mtls"}) == std::optional<std::string>("yes"));
  CHECK(raw.integer({"DEL", "mtls"}) == 1);
  o.user = "cachet";
  o.password = "cachet-acl-secret";
  CHECK(RedisStorage(o).ping());
}

TEST_CASE("the server's name: tls_server_name and tls_verify") {
  if (!have_tls()) return;
  RedisOptions o = tls_options();
  o.tls.server_name = "localhost";  // in the certificate, as a DNS name; the host is 127.0.0.1
  CHECK(RedisStorage(o).ping());
  o.tls.server_name = "cache.example.com";
  const std::string message = refusal(o);
  CHECK(contains(message, "TLS"));
  CHECK(contains(message, "does not name \"cache.example.com\""));
  CHECK(contains(message, "cache.example.com"));
  CHECK(contains(message, "tls_server_name"));
  o.tls.verify = cachet::redis::TlsVerify::ca;  // the chain only
  CHECK(RedisStorage(o).ping());
}

TEST_CASE("an unknown CA: certificate verify failed, naming the server") {
  if (!have_tls()) return;
  RedisOptions o = tls_options();
  o.tls.ca_file = tls_file("other-ca.crt");
  std::string message = refusal(o);
  CHECK(contains(message, "certificate verify failed"));
  CHECK(contains(message, "127.0.0.1:" + std::to_string(o.port)));
  CHECK(contains(message, "tls_ca_file"));
  o.tls.ca_file.clear();  // the system's trust store does not know the test CA either
  message = refusal(o);
  CHECK(contains(message, "certificate verify failed"));
}

TEST_CASE("tls_verify=none connects, and ping (verify() at start-up) says the identity is not checked") {
  if (!have_tls()) return;
  RedisOptions o = tls_options();
  o.tls.ca_file = tls_file("other-ca.crt");
  o.tls.verify = cachet::redis::TlsVerify::none;
  RedisStorage storage(o);
  CHECK(storage.strings()->set("k", "v", SetCondition::always, ExpiryAction::keep()));
  CHECK(storage.strings()->get("k") == "v");
  auto ping = storage.ping();
  REQUIRE_FALSE(ping.has_value());
  CHECK(ping.error().code == Errc::not_configured);
  CHECK(contains(ping.error().message, "tls_verify=none"));
}

TEST_CASE("a client certificate: missing, or signed by a CA the server does not trust") {
  if (!have_tls()) return;
  RedisOptions o = mtls_options();
  std::string message = refusal(o);
  CHECK(contains(message, "client certificate"));
  CHECK(contains(message, "tls_cert_file"));
  o.tls.cert_file = tls_file("other-client.crt");
  o.tls.key_file = tls_file("other-client.key");
  message = refusal(o);
  CHECK(contains(message, "refused the client certificate"));
}

TEST_CASE("a TLS URL at a plaintext port, and a plaintext URL at a TLS port") {
  if (!have_tls()) return;
  // A plaintext Redis never answers a ClientHello (it waits for a newline that a NUL byte hides
  // from it), which a client cannot tell from a stalled server: a timeout within
  // connect_timeout, whose message names TLS and the likely cause.
  RedisOptions o = tls_options();
  o.port = plain_port();
  o.connect_timeout = 300ms;
  RedisStorage storage(o);
  const auto start = std::chrono::steady_clock::now();
  auto ping = storage.ping();
  CHECK(std::chrono::steady_clock::now() - start < 300ms + 500ms);
  REQUIRE_FALSE(ping.has_value());
  CHECK(ping.error().code == Errc::timeout);
  std::string message = ping.error().message;
  CHECK(contains(message, "TLS handshake"));
  CHECK(contains(message, "plaintext port"));
  CHECK(contains(message, "redis://"));
  // A TLS port drops a client that speaks plaintext: unavailable, at once.
  RedisOptions plain = tls_options();
  plain.tls = {};
  message = refusal(plain);
  CHECK(contains(message, "TLS port"));
  CHECK(contains(message, "rediss://"));
}

TEST_CASE("certificate and key files that cannot be used are named, and no key material is printed") {
  if (!have_tls()) return;
  const std::string garbage = tls_file("garbage.pem");
  std::ofstream(garbage) << "-----BEGIN PRIVATE KEY-----\nnot-a-key-c2VjcmV0\n-----END PRIVATE KEY-----\n";
  const auto rejects = [](RedisOptions o, std::string_view option, const std::string& path) {
    const std::string message = refusal(o);
    CAPTURE(message);
    CHECK(contains(message, option));
    CHECK(contains(message, path));
    CHECK_FALSE(contains(message, "BEGIN"));
    CHECK_FALSE(contains(message, "c2VjcmV0"));
  };
  RedisOptions o = tls_options();
  o.tls.ca_file = tls_file("no-such-ca.crt");
  rejects(o, "tls_ca_file", o.tls.ca_file);
  o = mtls_options();
  o.tls.cert_file = tls_file("client.crt");
  o.tls.key_file = garbage;
  rejects(o, "tls_key_file", garbage);
  o.tls.key_file = tls_file("no-such.key");
  rejects(o, "tls_key_file", o.tls.key_file);
  o.tls.cert_file = garbage;
  o.tls.key_file = tls_file("client.key");
  rejects(o, "tls_cert_file", garbage);
  o.tls.cert_file = tls_file("client.crt");
  o.tls.key_file = tls_file("server.key");  // a real key, not the certificate's
  rejects(o, "does not match", o.tls.key_file);
}

TEST_CASE("a TLS handshake that never finishes ends within command_timeout, not connect_timeout after it") {
  if (!have_tls()) return;
  StalledServer server;  // accepts the connection and never answers the ClientHello
  RedisOptions o = tls_options();
  o.port = server.port();
  o.connect_timeout = 2s;
  o.command_timeout = 250ms;
  RedisStorage storage(o);
  const auto start = std::chrono::steady_clock::now();
  auto r = storage.strings()->get("k");
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Errc::timeout);
  CHECK(contains(r.error().message, "TLS handshake"));
  CHECK(took < 250ms + 400ms);
}
