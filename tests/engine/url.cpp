// Cluster URLs: every accepted form, and a clear error for each bad one (never a password).
#include "../support.hpp"

#include "backends/backends.hpp"
#include "backends/memory/memory_url.hpp"
#include "backends/redis/redis_url.hpp"
#include "engine/url.hpp"

using namespace std::chrono_literals;

namespace {

// A URL as the backend of its scheme reads it.
struct BackendUrl {
  enum class Kind { memory, redis };
  Kind kind = Kind::memory;
  cachet::memory::MemoryOptions memory;
  cachet::redis::RedisOptions redis;
  std::string redacted;
};

cachet::Result<BackendUrl> parse_backend_url(std::string_view text) {
  if (auto ok = cachet::backends::check_url(text); !ok) return std::unexpected(ok.error());
  auto url = cachet::engine::parse_url(text).value();
  BackendUrl out;
  out.redacted = url.redacted;
  if (url.scheme == "memory") {
    out.memory = cachet::memory::parse_url(url).value();
  } else {
    out.kind = BackendUrl::Kind::redis;
    out.redis = cachet::redis::parse_url(url).value();
  }
  return out;
}

// The error message for a URL that must be refused.
std::string refusal(std::string_view url) {
  const auto r = parse_backend_url(url);
  REQUIRE_MESSAGE(!r.has_value(), "accepted: ", url);
  CHECK(r.error().code == cachet::Errc::not_configured);
  return r.error().message;
}

}  // namespace

TEST_CASE("memory:// takes max_keys, max_memory with Redis's units, and samples") {
  auto r = parse_backend_url("memory://?max_keys=1000&max_memory=256mb&samples=10");
  REQUIRE(r);
  CHECK(r->kind == BackendUrl::Kind::memory);
  CHECK(r->memory.max_keys == 1000);
  CHECK(r->memory.max_memory == 256u * 1024 * 1024);
  CHECK(r->memory.samples == 10);
  r = parse_backend_url("memory://");
  REQUIRE(r);
  CHECK(r->memory.max_keys == 0);
  CHECK(r->memory.max_memory == 0);
  CHECK(parse_backend_url("memory://?max_memory=2GB")->memory.max_memory == 2ull * 1024 * 1024 * 1024);
  CHECK(parse_backend_url("memory://?max_memory=1000k")->memory.max_memory == 1000u * 1000);
  CHECK(parse_backend_url("memory://?max_memory=512")->memory.max_memory == 512);
}

TEST_CASE("redis:// takes user, password, host, port, db and the pool and timeout options") {
  const auto r = parse_backend_url(
      "redis://app:s%40cret@cache.internal:6380/3?pool_size=8&connect_timeout=250ms&command_timeout=2s&key_prefix=svc%3A");
  REQUIRE(r);
  CHECK(r->kind == BackendUrl::Kind::redis);
  CHECK(r->redis.user == "app");
  CHECK(r->redis.password == "s@cret");
  CHECK(r->redis.host == "cache.internal");
  CHECK(r->redis.port == 6380);
  CHECK(r->redis.db == 3);
  CHECK(r->redis.pool_size == 8);
  CHECK(r->redis.connect_timeout == 250ms);
  CHECK(r->redis.command_timeout == 2000ms);
  CHECK(r->redis.key_prefix == "svc:");
  CHECK(r->redacted == "redis://app:***@cache.internal:6380/3?pool_size=8&connect_timeout=250ms&command_timeout=2s&key_prefix=svc%3A");
}

TEST_CASE("redis:// defaults: port 6379, db 0, no auth; a password alone and IPv6 hosts") {
  auto r = parse_backend_url("redis://localhost");
  REQUIRE(r);
  CHECK(r->redis.port == 6379);
  CHECK(r->redis.db == 0);
  CHECK(r->redis.password.empty());
  r = parse_backend_url("redis://:secret@[::1]:7000/");
  REQUIRE(r);
  CHECK(r->redis.user.empty());
  CHECK(r->redis.password == "secret");
  CHECK(r->redis.host == "::1");
  CHECK(r->redis.port == 7000);
}

TEST_CASE("unix:// takes a socket path and db as an option") {
  const auto r = parse_backend_url("unix:///run/redis/redis.sock?db=2&command_timeout=100ms");
  REQUIRE(r);
  CHECK(r->redis.socket_path == "/run/redis/redis.sock");
  CHECK(r->redis.db == 2);
  CHECK(r->redis.command_timeout == 100ms);
}

TEST_CASE("bad URLs are refused with a message naming the problem") {
  CHECK(refusal("localhost:6379").find("scheme") != std::string::npos);
  CHECK(refusal("mysql://db").find("unknown scheme \"mysql\"") != std::string::npos);
  CHECK(refusal("redis://").find("no host") != std::string::npos);
  CHECK(refusal("redis://host:0").find("port \"0\"") != std::string::npos);
  CHECK(refusal("redis://host:99999").find("port") != std::string::npos);
  CHECK(refusal("redis://host:abc").find("port \"abc\"") != std::string::npos);
  CHECK(refusal("redis://host/x").find("database \"x\"") != std::string::npos);
  CHECK(refusal("redis://host?pool_size=0").find("pool_size") != std::string::npos);
  CHECK(refusal("redis://host?command_timeout=5").find("command_timeout \"5\"") != std::string::npos);
  CHECK(refusal("redis://host?colour=blue").find("unknown option \"colour\"") != std::string::npos);
  CHECK(refusal("redis://host?novalue").find("name=value") != std::string::npos);
  CHECK(refusal("redis://user@host").find("no password") != std::string::npos);
  CHECK(refusal("redis://[::1").find("']'") != std::string::npos);
  CHECK(refusal("unix://relative.sock").find("absolute path") != std::string::npos);
  CHECK(refusal("memory://somehost").find("no host") != std::string::npos);
  CHECK(refusal("memory://?max_keys=lots").find("max_keys \"lots\"") != std::string::npos);
  CHECK(refusal("memory://?max_memory=12parsecs").find("max_memory") != std::string::npos);
  CHECK(refusal("memory://?pool_size=2").find("unknown option") != std::string::npos);
}

TEST_CASE("rediss:// is refused with the reason and the way around it") {
  const std::string message = refusal("rediss://:pw@cache:6380");
  CHECK(message.find("TLS") != std::string::npos);
  CHECK(message.find("sidecar") != std::string::npos);
}

TEST_CASE("a password never appears in an error message") {
  for (std::string_view url : {"redis://app:hunter2@host:notaport", "redis://:hunter2@host?bogus=1",
                               "rediss://app:hunter2@host", "redis://app:hunter2@/0"}) {
    CAPTURE(url);
    const std::string message = refusal(url);
    CHECK(message.find("hunter2") == std::string::npos);
    CHECK(message.find("***") != std::string::npos);
  }
}

TEST_CASE("a password with an unescaped '/' or '?' is refused without showing any of it") {
  // Such a password ends the host part early: its pieces were taken for a port or a path and
  // echoed in the refusal.
  for (std::string_view url : {"redis://app:hun/ter2@host:6379", "redis://app:hun?ter2@host", "redis://:hun/ter2@host/0",
                               "redis://app:hun/ter2@host/0?key_prefix=svc"}) {
    CAPTURE(url);
    const std::string message = refusal(url);
    CHECK(message.find("hun") == std::string::npos);
    CHECK(message.find("ter2") == std::string::npos);
    CHECK(message.find("%2F") != std::string::npos);
  }
  // A '@' elsewhere after the host is refused too, and passes %-escaped.
  CHECK(refusal("redis://host/0?key_prefix=a@b").find("%40") != std::string::npos);
  CHECK(refusal("redis://app:hun/ter2@host").find("not shown") != std::string::npos);
  CHECK(parse_backend_url("redis://host/0?key_prefix=a%40b")->redis.key_prefix == "a@b");
  CHECK(parse_backend_url("redis://app:hun%2Fter2@host")->redis.password == "hun/ter2");
}
