// What every cluster URL shares, whatever its backend (engine/url.hpp): the parts parse_url
// splits it into, what it refuses before any backend reads it, the redacted form, and the
// small parsers backends read their options with. A backend's own options: tests/memory/url.cpp,
// tests/redis/url.cpp.
#include "../support.hpp"

#include "engine/url.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using cachet::engine::parse_url;

TEST_CASE("parse_url splits a URL into scheme, user, password, hosts, path and options") {
  const auto url = parse_url(
      "redis://app:s%40cret@cache.internal:6380/3?pool_size=8&connect_timeout=250ms&command_timeout=2s&key_prefix=svc%3A");
  REQUIRE(url);
  CHECK(url->scheme == "redis");
  CHECK(url->user == "app");
  CHECK(url->password == "s@cret");
  REQUIRE(url->hosts.size() == 1);
  CHECK(url->hosts[0].name == "cache.internal");
  CHECK(url->hosts[0].port == 6380);
  CHECK(url->path == "/3");
  // Options stay as written: each backend decodes the ones it takes.
  const std::vector<std::pair<std::string, std::string>> options = {
      {"pool_size", "8"}, {"connect_timeout", "250ms"}, {"command_timeout", "2s"}, {"key_prefix", "svc%3A"}};
  CHECK(url->options == options);
  CHECK(url->redacted ==
        "redis://app:***@cache.internal:6380/3?pool_size=8&connect_timeout=250ms&command_timeout=2s&key_prefix=svc%3A");
}

TEST_CASE("a scheme is lower-cased; memory:// and unix:///path have no host") {
  CHECK(parse_url("REDIS://host")->scheme == "redis");
  const auto memory = parse_url("memory://?max_keys=1");
  REQUIRE(memory);
  CHECK(memory->hosts.empty());
  CHECK(memory->path.empty());
  CHECK(memory->options.size() == 1);
  const auto unix_socket = parse_url("unix:///run/redis/redis.sock?db=2");
  REQUIRE(unix_socket);
  CHECK(unix_socket->hosts.empty());
  CHECK(unix_socket->path == "/run/redis/redis.sock");
}

TEST_CASE("a password alone, an IPv6 host, and a host without a port") {
  auto url = parse_url("redis://:secret@[::1]:7000/");
  REQUIRE(url);
  CHECK(url->user.empty());
  CHECK(url->password == "secret");
  REQUIRE(url->hosts.size() == 1);
  CHECK(url->hosts[0].name == "::1");
  CHECK(url->hosts[0].port == 7000);
  url = parse_url("redis://localhost");
  REQUIRE(url);
  CHECK(url->password == std::nullopt);
  CHECK(url->hosts[0].port == std::nullopt);
  CHECK(parse_url("redis://app:hun%2Fter2@host")->password == "hun/ter2");
}

TEST_CASE("a URL no backend could read is refused with a message naming the problem") {
  CHECK(test::refusal(parse_url("localhost:6379")).find("scheme") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://host:0")).find("port \"0\"") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://host:99999")).find("port") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://host:abc")).find("port \"abc\"") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://host?novalue")).find("name=value") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://[::1")).find("']'") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://a:1,")).find("a host is empty") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://us%zer:pw@host")).find("malformed %-escape") != std::string::npos);
}

TEST_CASE("the redacted URL and every refusal hide the password") {
  CHECK(cachet::engine::redact_url("redis://app:hunter2@host:6379/0") == "redis://app:***@host:6379/0");
  CHECK(cachet::engine::redact_url("redis://:hunter2@host") == "redis://:***@host");
  CHECK(cachet::engine::redact_url("redis://app@host") == "redis://app@host");
  CHECK(cachet::engine::redact_url("memory://?max_keys=1") == "memory://?max_keys=1");
  const std::string message = test::refusal(parse_url("redis://app:hunter2@host:notaport"));
  CHECK(message.find("hunter2") == std::string::npos);
  CHECK(message.find("***") != std::string::npos);
}

TEST_CASE("a password with an unescaped '/' or '?' is refused without showing any of it") {
  // Such a password ends the host part early: its pieces were taken for a port or a path and
  // echoed in the refusal.
  for (std::string_view url : {"redis://app:hun/ter2@host:6379", "redis://app:hun?ter2@host", "redis://:hun/ter2@host/0",
                               "redis://app:hun/ter2@host/0?key_prefix=svc"}) {
    CAPTURE(url);
    const std::string message = test::refusal(parse_url(url));
    CHECK(message.find("hun") == std::string::npos);
    CHECK(message.find("ter2") == std::string::npos);
    CHECK(message.find("%2F") != std::string::npos);
  }
  // A '@' elsewhere after the host is refused too, and passes %-escaped.
  CHECK(test::refusal(parse_url("redis://host/0?key_prefix=a@b")).find("%40") != std::string::npos);
  CHECK(test::refusal(parse_url("redis://app:hun/ter2@host")).find("not shown") != std::string::npos);
}

TEST_CASE("percent_decode decodes %XX and refuses a malformed escape") {
  CHECK(cachet::engine::percent_decode("svc%3A") == "svc:");
  CHECK(cachet::engine::percent_decode("a%40b%2f") == "a@b/");
  CHECK(cachet::engine::percent_decode("plain") == "plain");
  CHECK(cachet::engine::percent_decode("%00") == std::string(1, '\0'));
  for (std::string_view bad : {"%", "%4", "a%zz", "%4g"}) {
    CAPTURE(bad);
    CHECK(cachet::engine::percent_decode(bad) == std::nullopt);
  }
}

TEST_CASE("parse_byte_size reads Redis's units: b, k, kb, m, mb, g, gb, in any case") {
  using cachet::engine::parse_byte_size;
  CHECK(parse_byte_size("512") == 512u);
  CHECK(parse_byte_size("5b") == 5u);
  CHECK(parse_byte_size("1000k") == 1000u * 1000);
  CHECK(parse_byte_size("1kb") == 1024u);
  CHECK(parse_byte_size("3m") == 3'000'000u);
  CHECK(parse_byte_size("256mb") == 256u * 1024 * 1024);
  CHECK(parse_byte_size("1g") == 1'000'000'000u);
  CHECK(parse_byte_size("2GB") == 2ull * 1024 * 1024 * 1024);
  for (std::string_view bad : {"", "mb", "12parsecs", "-1", "1.5mb", " 1", "99999999999999gb"}) {
    CAPTURE(bad);
    CHECK(parse_byte_size(bad) == std::nullopt);
  }
}

TEST_CASE("parse_duration reads ms, s and m, and refuses a number without a unit or not above 0") {
  using cachet::engine::parse_duration;
  CHECK(parse_duration("250ms") == 250ms);
  CHECK(parse_duration("2s") == 2000ms);
  CHECK(parse_duration("1m") == 60'000ms);
  CHECK(parse_duration("3S") == 3000ms);
  for (std::string_view bad : {"5", "0ms", "-1s", "1h", "1.5s", "", "ms"}) {
    CAPTURE(bad);
    CHECK(parse_duration(bad) == std::nullopt);
  }
}
