#include "url.hpp"

#include <algorithm>
#include <cctype>

namespace cachet::engine {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

// For a URL whose password cannot be told apart from the rest: the URL is not shown at all.
std::unexpected<Error> unshown(std::string_view problem) {
  return fail(Errc::not_configured, "invalid cache URL (not shown: it may hold a password): " + std::string(problem));
}

Result<void> parse_userinfo(Url& url, std::string_view userinfo) {
  const auto colon = userinfo.find(':');
  auto user = percent_decode(userinfo.substr(0, colon));
  if (!user) return url.error("the user has a malformed %-escape");
  url.user = std::move(*user);
  if (colon == std::string_view::npos) return {};
  auto password = percent_decode(userinfo.substr(colon + 1));
  if (!password) return url.error("the password has a malformed %-escape");
  url.password = std::move(*password);
  return {};
}

Result<UrlHost> parse_host(const Url& url, std::string_view text) {
  UrlHost host;
  std::string_view name = text, port;
  bool has_port = false;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return url.error("an IPv6 host needs a closing ']'");
    name = text.substr(1, close - 1);
    const std::string_view after = text.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return url.error("unexpected text after the IPv6 host");
      port = after.substr(1);
      has_port = true;
    }
  } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
    name = text.substr(0, colon);
    port = text.substr(colon + 1);
    has_port = true;
  }
  if (name.empty()) return url.error("a host is empty");
  host.name = std::string(name);
  if (has_port) {
    auto p = parse_number<int>(port);
    if (!p || *p < 1 || *p > 65535) return url.error("port \"" + std::string(port) + "\" is not a number from 1 to 65535");
    host.port = *p;
  }
  return host;
}

}  // namespace

std::unexpected<Error> Url::error(std::string_view problem) const {
  return fail(Errc::not_configured, "invalid cache URL \"" + redacted + "\": " + std::string(problem));
}

std::unexpected<Error> Url::unknown_option(std::string_view name, std::string_view accepted) const {
  return error("unknown option \"" + std::string(name) + "\" (" + scheme + ":// takes " + std::string(accepted) + ")");
}

Result<Url> parse_url(std::string_view text) {
  Url url;
  url.redacted = redact_url(text);
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    return url.error("expected scheme://... (the URL has no scheme)");
  }
  url.scheme = lower(text.substr(0, scheme_end));
  std::string_view rest = text.substr(scheme_end + 3);

  const auto q = rest.find('?');
  std::string_view query = q == std::string_view::npos ? std::string_view() : rest.substr(q + 1);
  rest = rest.substr(0, q);
  std::string_view authority = rest.substr(0, rest.find('/'));
  url.path = std::string(rest.substr(authority.size()));

  // A '@' past the host is most likely a password's end, the password holding an unescaped
  // '/' or '?' that ended the host part early: its pieces must not be echoed as a port or path.
  if (url.path.find('@') != std::string::npos || query.find('@') != std::string_view::npos) {
    return unshown("'@' after the host: %-escape it (%40), and a '/' or '?' in a password (%2F, %3F)");
  }
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    if (auto ok = parse_userinfo(url, authority.substr(0, at)); !ok) return std::unexpected(ok.error());
    authority = authority.substr(at + 1);
  }
  while (!authority.empty()) {
    const auto comma = authority.find(',');
    auto host = parse_host(url, authority.substr(0, comma));
    if (!host) return std::unexpected(host.error());
    url.hosts.push_back(std::move(*host));
    if (comma == std::string_view::npos) break;
    authority = authority.substr(comma + 1);
    if (authority.empty()) return url.error("a host is empty (a ',' ends the host list)");
  }

  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) return url.error("option \"" + std::string(pair) + "\" is not name=value");
    url.options.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
  }
  return url;
}

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

}  // namespace cachet::engine
