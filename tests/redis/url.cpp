// The Redis backend's URLs: redis://[user[:password]@]host[:port][/db] and
// unix:///path[?db=N], each with pool_size, connect_timeout, command_timeout and key_prefix.
// No server needed; they live here because they are this backend's.
#include "support.hpp"

#include <string>

using namespace std::chrono_literals;
using cachet::redis::parse_url;

TEST_CASE("redis:// takes user, password, host, port, db and the pool and timeout options") {
  const auto r = parse_url(
      "redis://app:s%40cret@cache.internal:6380/3?pool_size=8&connect_timeout=250ms&command_timeout=2s&key_prefix=svc%3A");
  REQUIRE(r);
  CHECK(r->user == "app");
  CHECK(r->password == "s@cret");
  CHECK(r->host == "cache.internal");
  CHECK(r->port == 6380);
  CHECK(r->socket_path.empty());
  CHECK(r->db == 3);
  CHECK(r->pool_size == 8);
  CHECK(r->connect_timeout == 250ms);
  CHECK(r->command_timeout == 2000ms);
  CHECK(r->key_prefix == "svc:");
}

TEST_CASE("redis:// defaults: port 6379, db 0, no auth; a password alone and IPv6 hosts") {
  auto r = parse_url("redis://localhost");
  REQUIRE(r);
  CHECK(r->port == 6379);
  CHECK(r->db == 0);
  CHECK(r->password.empty());
  CHECK(r->pool_size == 0);
  CHECK(r->connect_timeout == 1000ms);
  CHECK(r->command_timeout == 1000ms);
  r = parse_url("redis://:secret@[::1]:7000/");
  REQUIRE(r);
  CHECK(r->user.empty());
  CHECK(r->password == "secret");
  CHECK(r->host == "::1");
  CHECK(r->port == 7000);
  CHECK(r->db == 0);
}

TEST_CASE("unix:// takes a socket path and db as an option") {
  const auto r = parse_url("unix:///run/redis/redis.sock?db=2&command_timeout=100ms");
  REQUIRE(r);
  CHECK(r->socket_path == "/run/redis/redis.sock");
  CHECK(r->host.empty());
  CHECK(r->db == 2);
  CHECK(r->command_timeout == 100ms);
}

TEST_CASE("bad redis:// and unix:// URLs are refused with a message naming the problem") {
  CHECK(test::refusal(parse_url("redis://")).find("no host") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://host/x")).find("database \"x\"") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://a:1,b:2")).find("one host") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://host?pool_size=0")).find("pool_size") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://host?command_timeout=5")).find("command_timeout \"5\"") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://host?colour=blue")).find("unknown option \"colour\"") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://host?db=2")).find("unknown option \"db\"") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://user@host")).find("no password") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://user:@host")).find("password after ':' is empty") != std::string::npos);
  CHECK(test::refusal(parse_url("unix://relative.sock")).find("absolute path") != std::string::npos);
  CHECK(test::refusal(parse_url("unix:///s.sock?db=x")).find("db \"x\"") != std::string::npos);
}

TEST_CASE("rediss:// takes the TLS options; each has a default a managed Redis would expect") {
  auto r = parse_url("rediss://app:pw@cache.example.com:6380/2");
  REQUIRE(r);
  CHECK(r->tls.enabled);
  CHECK(r->tls.ca_file.empty());  // the system's trust store
  CHECK(r->tls.cert_file.empty());
  CHECK(r->tls.server_name.empty());  // the host
  CHECK(r->tls.verify == cachet::redis::TlsVerify::full);
  CHECK(r->port == 6380);
  CHECK(r->db == 2);
  r = parse_url(
      "rediss://cache:6380?tls_ca_file=%2Fetc%2Fca.pem&tls_cert_file=/c.pem&tls_key_file=/k.pem"
      "&tls_server_name=redis.internal&tls_verify=ca");
  REQUIRE(r);
  CHECK(r->tls.ca_file == "/etc/ca.pem");
  CHECK(r->tls.cert_file == "/c.pem");
  CHECK(r->tls.key_file == "/k.pem");
  CHECK(r->tls.server_name == "redis.internal");
  CHECK(r->tls.verify == cachet::redis::TlsVerify::ca);
  CHECK(parse_url("rediss://h?tls_verify=none")->tls.verify == cachet::redis::TlsVerify::none);
  CHECK_FALSE(parse_url("redis://h")->tls.enabled);
}

TEST_CASE("bad TLS options are refused with a message naming the problem") {
  CHECK(test::refusal(parse_url("redis://h?tls_ca_file=/ca.pem")).find("rediss://") != std::string::npos);
  CHECK(test::refusal(parse_url("unix:///s.sock?tls_verify=full")).find("rediss://") != std::string::npos);
  CHECK(test::refusal(parse_url("rediss://h?tls_verify=strict")).find("tls_verify \"strict\"") != std::string::npos);
  CHECK(test::refusal(parse_url("rediss://h?tls_cert_file=/c.pem")).find("tls_key_file") != std::string::npos);
  CHECK(test::refusal(parse_url("rediss://h?tls_key_file=/k.pem")).find("tls_cert_file") != std::string::npos);
  CHECK(test::refusal(parse_url("rediss://h?tls_server_name=")).find("tls_server_name") != std::string::npos);
  CHECK(test::refusal(parse_url("rediss://h?tls_ca_file=")).find("tls_ca_file") != std::string::npos);
  CHECK(test::refusal(parse_url("rediss://h?tls_colour=1")).find("unknown option \"tls_colour\"") != std::string::npos);
}

TEST_CASE("a password never appears in the backend's refusals") {
  for (std::string_view url : {"redis://:hunter2@host?bogus=1", "rediss://app:hunter2@host?tls_verify=no", "redis://app:hunter2@/0"}) {
    CAPTURE(url);
    const std::string message = test::refusal(parse_url(url));
    CHECK(message.find("hunter2") == std::string::npos);
    CHECK(message.find("***") != std::string::npos);
  }
}

TEST_CASE("key_prefix and the password are %-decoded") {
  CHECK(parse_url("redis://host/0?key_prefix=a%40b")->key_prefix == "a@b");
  CHECK(parse_url("redis://app:hun%2Fter2@host")->password == "hun/ter2");
  CHECK(test::refusal(parse_url("redis://host?key_prefix=%zz")).find("key_prefix") != std::string::npos);
}
