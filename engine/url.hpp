// The pieces every cluster URL shares, whatever its backend:
//
//   scheme://[user[:password]@][host[:port][,host[:port]...]][/path][?name=value&...]
//
// parse_url splits a URL into them (and refuses what no backend could read); each backend
// then reads its own hosts, path and options, and says what is wrong with them through
// Url::error, which never shows the password.
#pragma once

#include "error.hpp"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cachet::engine {

struct UrlHost {
  std::string name;          // an IPv6 address without its brackets
  std::optional<int> port;   // 1-65535 when given
};

struct Url {
  std::string scheme;                     // lower-cased: "redis", "memory", ...
  std::string user;                       // percent-decoded; empty when none
  std::optional<std::string> password;    // percent-decoded; nullopt when none
  std::vector<UrlHost> hosts;             // empty when none is given (scheme:///path, scheme://?options)
  std::string path;                       // from the '/' after the hosts up to '?', '/' included
  std::vector<std::pair<std::string, std::string>> options;  // name=value, as written (not decoded)
  std::string redacted;                   // the URL with the password replaced by ***

  // Errc::not_configured: "invalid cache URL "<redacted>": <problem>".
  std::unexpected<Error> error(std::string_view problem) const;
  // The same for an option: "unknown option "x" (scheme:// takes a, b, c)".
  std::unexpected<Error> unknown_option(std::string_view name, std::string_view accepted) const;
};

// Errc::not_configured naming the problem; the message never holds a password.
Result<Url> parse_url(std::string_view text);

// The URL with the password (if any) replaced by ***.
std::string redact_url(std::string_view url);

// %XX escapes (user, password, key prefixes); nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

// A whole decimal number of type T, nothing else; nullopt otherwise.
template <class T>
std::optional<T> parse_number(std::string_view text) {
  T value{};
  if (text.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "256mb" -> 268435456, with Redis's units (b, k, kb, m, mb, g, gb); nullopt if malformed.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

// "250ms", "2s", "1m" -> milliseconds; nullopt if malformed or not positive.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace cachet::engine
