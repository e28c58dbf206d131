#include "url.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace cachet::engine {
namespace {

template <class T>
std::optional<T> parse_number(std::string_view text) {
  T value{};
  if (text.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

// %XX escapes in user, password and key prefix.
std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    unsigned value = 0;
    auto [end, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, value, 16);
    if (ec != std::errc() || end != s.data() + i + 3) return std::nullopt;
    out += char(value);
    i += 2;
  }
  return out;
}

class UrlError {
 public:
  explicit UrlError(std::string redacted) : redacted_(std::move(redacted)) {}
  std::unexpected<Error> operator()(std::string_view problem) const {
    return fail(Errc::not_configured, "invalid cache URL \"" + redacted_ + "\": " + std::string(problem));
  }
  // For a URL whose password cannot be told apart from the rest: the URL is not shown at all.
  std::unexpected<Error> unshown(std::string_view problem) const {
    return fail(Errc::not_configured, "invalid cache URL (not shown: it may hold a password): " + std::string(problem));
  }

 private:
  std::string redacted_;
};

// Calls `on_option(name, value)` for each name=value pair of a query string.
template <class F>
Result<void> for_each_option(std::string_view query, const UrlError& error, F&& on_option) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) return error("option \"" + std::string(pair) + "\" is not name=value");
    if (auto r = on_option(pair.substr(0, eq), pair.substr(eq + 1)); !r) return r;
  }
  return {};
}

Result<BackendUrl> parse_memory(std::string_view rest, BackendUrl url, const UrlError& error) {
  url.kind = BackendUrl::Kind::memory;
  const auto q = rest.find('?');
  const std::string_view authority = rest.substr(0, q);
  if (!authority.empty() && authority != "/") return error("memory:// takes no host or path, only ?options");
  const std::string_view query = q == std::string_view::npos ? std::string_view() : rest.substr(q + 1);
  auto r = for_each_option(query, error, [&](std::string_view name, std::string_view value) -> Result<void> {
    if (name == "max_keys") {
      auto n = parse_number<std::uint64_t>(value);
      if (!n) return error("max_keys \"" + std::string(value) + "\" is not a whole number");
      url.memory.max_keys = *n;
    } else if (name == "max_memory") {
      auto n = parse_byte_size(value);
      if (!n) return error("max_memory \"" + std::string(value) + "\" is not a size such as 256mb");
      url.memory.max_memory = *n;
    } else if (name == "samples") {
      auto n = parse_number<int>(value);
      if (!n || *n < 1 || *n > 64) return error("samples \"" + std::string(value) + "\" must be a number from 1 to 64");
      url.memory.samples = *n;
    } else {
      return error("unknown option \"" + std::string(name) + "\" (memory:// takes max_keys, max_memory, samples)");
    }
    return {};
  });
  if (!r) return std::unexpected(r.error());
  return url;
}

Result<void> parse_redis_option(RedisOptions& redis, std::string_view name, std::string_view value,
                                const UrlError& error, bool unix_socket) {
  if (name == "pool_size") {
    auto n = parse_number<int>(value);
    if (!n || *n < 1 || *n > 1024) return error("pool_size \"" + std::string(value) + "\" must be a number from 1 to 1024");
    redis.pool_size = *n;
  } else if (name == "connect_timeout" || name == "command_timeout") {
    auto d = parse_duration(value);
    if (!d) return error(std::string(name) + " \"" + std::string(value) + "\" is not a duration such as 250ms or 2s");
    (name == "connect_timeout" ? redis.connect_timeout : redis.command_timeout) = *d;
  } else if (name == "key_prefix") {
    auto decoded = percent_decode(value);
    if (!decoded) return error("key_prefix has a malformed %-escape");
    redis.key_prefix = *decoded;
  } else if (name == "db" && unix_socket) {
    auto n = parse_number<int>(value);
    if (!n || *n < 0) return error("db \"" + std::string(value) + "\" is not a database number");
    redis.db = *n;
  } else {
    return error("unknown option \"" + std::string(name) + "\" (" + (unix_socket ? "unix://" : "redis://") +
                 " takes " + (unix_socket ? "db, " : "") + "pool_size, connect_timeout, command_timeout, key_prefix)");
  }
  return {};
}

Result<void> parse_userinfo(RedisOptions& redis, std::string_view userinfo, const UrlError& error) {
  const auto colon = userinfo.find(':');
  auto user = percent_decode(userinfo.substr(0, colon));
  if (!user) return error("the user has a malformed %-escape");
  if (colon == std::string_view::npos) {
    return error("the URL names user \"" + *user + "\" but no password; write user:password@ (or :password@ alone)");
  }
  auto password = percent_decode(userinfo.substr(colon + 1));
  if (!password) return error("the password has a malformed %-escape");
  if (password->empty()) return error("the password after ':' is empty");
  redis.user = *user;
  redis.password = *password;
  return {};
}

Result<BackendUrl> parse_redis(std::string_view rest, BackendUrl url, const UrlError& error) {
  url.kind = BackendUrl::Kind::redis;
  RedisOptions& redis = url.redis;
  const auto q = rest.find('?');
  const std::string_view query = q == std::string_view::npos ? std::string_view() : rest.substr(q + 1);
  rest = rest.substr(0, q);
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  const std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);

  // A '@' past the host is most likely a password's end, the password holding an unescaped
  // '/' or '?' that ended the host part early: its pieces must not be echoed as a port or path.
  if (rest.substr(authority.size()).find('@') != std::string_view::npos ||
      query.find('@') != std::string_view::npos) {
    return error.unshown("'@' after the host: %-escape it (%40), and a '/' or '?' in a password (%2F, %3F)");
  }
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    if (auto r = parse_userinfo(redis, authority.substr(0, at), error); !r) return std::unexpected(r.error());
    authority = authority.substr(at + 1);
  }
  std::string_view host = authority, port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return error("an IPv6 host needs a closing ']'");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return error("unexpected text after the IPv6 host");
      port = after.substr(1);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return error("no host (write redis://host[:port][/db])");
  redis.host = std::string(host);
  if (!port.empty() || authority.ends_with(':')) {
    auto p = parse_number<int>(port);
    if (!p || *p < 1 || *p > 65535) return error("port \"" + std::string(port) + "\" is not a number from 1 to 65535");
    redis.port = *p;
  }
  if (!path.empty()) {
    auto db = parse_number<int>(path);
    if (!db || *db < 0) return error("database \"" + std::string(path) + "\" is not a database number");
    redis.db = *db;
  }
  auto r = for_each_option(query, error, [&](std::string_view name, std::string_view value) {
    return parse_redis_option(redis, name, value, error, false);
  });
  if (!r) return std::unexpected(r.error());
  return url;
}

Result<BackendUrl> parse_unix(std::string_view rest, BackendUrl url, const UrlError& error) {
  url.kind = BackendUrl::Kind::redis;
  const auto q = rest.find('?');
  const std::string_view path = rest.substr(0, q);
  if (!path.starts_with('/')) return error("a unix socket needs an absolute path (unix:///path/to/redis.sock)");
  if (path.size() < 2) return error("the socket path is empty");
  url.redis.socket_path = std::string(path);
  const std::string_view query = q == std::string_view::npos ? std::string_view() : rest.substr(q + 1);
  auto r = for_each_option(query, error, [&](std::string_view name, std::string_view value) {
    return parse_redis_option(url.redis, name, value, error, true);
  });
  if (!r) return std::unexpected(r.error());
  return url;
}

}  // namespace

std::string redact_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const auto start = scheme_end + 3;
  const auto authority_end = std::min(url.find('/', start), url.find('?', start));
  const std::string_view authority = url.substr(start, authority_end - start);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  const auto colon = authority.substr(0, at).find(':');
  if (colon == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, start + colon + 1));
  out += "***";
  out += url.substr(start + at);
  return out;
}

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  auto number = parse_number<std::uint64_t>(text.substr(0, digits));
  if (!number) return std::nullopt;
  const std::string unit = lower(text.substr(digits));
  std::uint64_t scale = 0;
  if (unit.empty() || unit == "b") scale = 1;
  else if (unit == "k") scale = 1000;
  else if (unit == "kb") scale = 1024;
  else if (unit == "m") scale = 1000 * 1000;
  else if (unit == "mb") scale = 1024 * 1024;
  else if (unit == "g") scale = 1000 * 1000 * 1000;
  else if (unit == "gb") scale = 1024ull * 1024 * 1024;
  else return std::nullopt;
  if (*number > UINT64_MAX / scale) return std::nullopt;
  return *number * scale;
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  auto number = parse_number<std::int64_t>(text.substr(0, digits));
  if (!number || *number <= 0 || *number > 1'000'000'000) return std::nullopt;
  const std::string unit = lower(text.substr(digits));
  if (unit == "ms") return std::chrono::milliseconds(*number);
  if (unit == "s") return std::chrono::milliseconds(*number * 1000);
  if (unit == "m") return std::chrono::milliseconds(*number * 60'000);
  return std::nullopt;
}

Result<BackendUrl> parse_backend_url(std::string_view text) {
  BackendUrl url;
  url.redacted = redact_url(text);
  const UrlError error(url.redacted);
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return error("expected scheme://..., one of memory://, redis://, unix://");
  }
  const std::string scheme = lower(text.substr(0, scheme_end));
  const std::string_view rest = text.substr(scheme_end + 3);
  if (scheme == "memory") return parse_memory(rest, std::move(url), error);
  if (scheme == "redis") return parse_redis(rest, std::move(url), error);
  if (scheme == "unix") return parse_unix(rest, std::move(url), error);
  if (scheme == "rediss") {
    return error(
        "TLS (rediss://) is not supported: the hiredis this cachet is built with has no TLS. Run a TLS "
        "sidecar (stunnel, ghostunnel or spiped) on this host and point cachet at it with redis://127.0.0.1:PORT");
  }
  return error("unknown scheme \"" + scheme + "\" (use memory://, redis:// or unix://)");
}

}  // namespace cachet::engine
