// AUTH with a password and with an ACL user, and failures that never show the password.
#include "support.hpp"

using namespace redis_test;
using cachet::engine::SetCondition;

namespace {

RedisOptions auth_options(std::string user, std::string password) {
  RedisOptions o = options_from_env("CACHET_TEST_REDIS_AUTH_URL");
  o.user = std::move(user);
  o.password = std::move(password);
  o.key_prefix = "cachet-auth-test:";
  return o;
}

// The failure of a first call, checked to be not_configured and to hide `password`.
void check_refused(const RedisOptions& options, const std::string& password) {
  RedisStorage storage(options);
  const auto r = storage.strings()->set("k", "v", SetCondition::always, ExpiryAction::persist());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Errc::not_configured);
  INFO("message: ", r.error().message);
  CHECK(r.error().message.find("authentication failed") != std::string::npos);
  CHECK(r.error().message.find(password) == std::string::npos);
  CHECK(r.error().what().find(password) == std::string::npos);
}

}  // namespace

TEST_CASE("AUTH with the default user's password") {
  RedisStorage storage(auth_options("", "cachet-secret"));
  REQUIRE(storage.strings()->set("k", "v", SetCondition::always, ExpiryAction::persist()).value());
  CHECK(storage.strings()->get("k").value() == "v");
  CHECK(storage.strings()->append("k", "w", ExpiryAction::persist()).value() == 2);  // the write script loaded too
  CHECK(storage.clear().has_value());
}

TEST_CASE("AUTH as an ACL user") {
  RedisStorage storage(auth_options("cachet", "cachet-acl-secret"));
  REQUIRE(storage.strings()->set("k", "v", SetCondition::always, ExpiryAction::persist()).value());
  CHECK(storage.strings()->get("k").value() == "v");
  CHECK(storage.clear().has_value());
}

TEST_CASE("a URL with credentials reaches the server through backends::open") {
  const RedisOptions base = options_from_env("CACHET_TEST_REDIS_AUTH_URL");
  std::string url = std::string(base.tls.enabled ? "rediss" : "redis") + "://cachet:cachet-acl-secret@" + base.host +
                    ":" + std::to_string(base.port) + "/3?key_prefix=cachet-auth-test%3A";
  if (base.tls.enabled) {  // the TLS run: the server's CA and the client's certificate
    url += "&tls_ca_file=" + base.tls.ca_file + "&tls_cert_file=" + base.tls.cert_file + "&tls_key_file=" +
           base.tls.key_file;
  }
  auto parsed = cachet::redis::parse_url(url);
  REQUIRE(parsed.has_value());
  RedisStorage storage(*parsed);
  CHECK(storage.ping().has_value());
  CHECK(storage.clear().has_value());
}

TEST_CASE("a wrong password is not_configured and its message never shows the password") {
  check_refused(auth_options("", "wrong-password-6d1f"), "wrong-password-6d1f");
  check_refused(auth_options("cachet", "wrong-acl-password-93b2"), "wrong-acl-password-93b2");
  check_refused(auth_options("nobody", "cachet-secret"), "cachet-secret");
}

TEST_CASE("no password for a server that wants one is not_configured") {
  RedisStorage storage(auth_options("", ""));
  const auto r = storage.strings()->get("k");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Errc::not_configured);
  CHECK(r.error().message.find("NOAUTH") != std::string::npos);
}

TEST_CASE("a password for a server without one is not_configured and not shown") {
  RedisOptions options = main_options();
  options.password = "unneeded-password-41aa";
  RedisStorage storage(options);
  const auto r = storage.ping();
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Errc::not_configured);
  CHECK(r.error().what().find("unneeded-password-41aa") == std::string::npos);
}
