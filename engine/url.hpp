// Parsing and validating a cluster's URL (memory://, redis://, unix://).
#pragma once

#include "error.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cachet::engine {

struct MemoryOptions {
  std::uint64_t max_keys = 0;    // 0: no bound on the number of keys
  std::uint64_t max_memory = 0;  // bytes; 0: no bound on memory
  int samples = 5;               // keys sampled per eviction (Redis maxmemory-samples)
};

struct RedisOptions {
  std::string host;         // empty for a unix socket
  int port = 6379;
  std::string socket_path;  // unix:// only
  std::string user;         // ACL user; empty for the default user
  std::string password;     // empty: no AUTH
  int db = 0;
  int pool_size = 0;        // 0: twice the hardware threads
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds command_timeout{1000};
  std::string key_prefix;   // prepended to every key, stripped where keys come back
};

struct BackendUrl {
  enum class Kind { memory, redis };
  Kind kind = Kind::memory;
  MemoryOptions memory;
  RedisOptions redis;
  std::string redacted;  // the URL with any password replaced by ***, for messages
};

// Errc::not_configured with a message naming the problem; the message never holds a password.
Result<BackendUrl> parse_backend_url(std::string_view url);

// The URL with the password (if any) replaced by ***.
std::string redact_url(std::string_view url);

// "256mb" -> 268435456, with Redis's units (b, k, kb, m, mb, g, gb); nullopt if malformed.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

// "250ms", "2s", "1m" -> milliseconds; nullopt if malformed or not positive.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace cachet::engine
