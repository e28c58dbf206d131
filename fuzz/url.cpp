// Fuzz target: cluster URLs, the TLS options included. Parsing any text as the backend of its scheme never crashes; a refusal is
// not_configured with a message; the redacted URL is the text with exactly its password replaced
// by ***, and no error text or redacted URL ever shows a password; what parses lies within the
// documented ranges, and a canonical URL written from the parsed fields parses to the same fields.
#include "backends/backends.hpp"
#include "backends/memory/memory_url.hpp"
#include "backends/redis/redis_url.hpp"
#include "engine/url.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

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
  auto url = cachet::engine::parse_url(text);
  if (!url) std::abort();  // check_url accepted it
  BackendUrl out;
  out.redacted = url->redacted;
  if (url->scheme == "memory") {
    out.memory = cachet::memory::parse_url(*url).value();
  } else {
    out.kind = BackendUrl::Kind::redis;
    out.redis = cachet::redis::parse_url(*url).value();
  }
  return out;
}

[[noreturn]] void fail(const char* what, std::string_view url, std::string_view detail = {}) {
  std::fprintf(stderr, "url: %s\n  url: \"%.*s\"\n  detail: \"%.*s\"\n", what, int(url.size()), url.data(),
               int(detail.size()), detail.data());
  std::abort();
}

// Where the password is, by the URL grammar: scheme://user:password@host..., the authority
// ending at the first '/' or '?', the userinfo at its last '@', the password after the
// userinfo's first ':'. nullopt when the URL has none.
struct Span {
  std::size_t begin, end;
};
std::optional<Span> password_span(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::nullopt;
  const std::size_t start = scheme + 3;
  std::size_t end = start;
  while (end < url.size() && url[end] != '/' && url[end] != '?') ++end;
  const std::string_view authority = url.substr(start, end - start);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  const auto colon = authority.substr(0, at).find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return Span{start + colon + 1, start + at};
}

std::string escape_all(std::string_view text) {  // %XX for every byte but letters and digits
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += char(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string duration(std::chrono::milliseconds d) {  // the unit that keeps the number within 10^9
  const auto ms = d.count();
  if (ms <= 1'000'000'000) return std::to_string(ms) + "ms";
  if (ms % 1000 == 0 && ms / 1000 <= 1'000'000'000) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms / 60'000) + "m";
}

// The URL that says what `url` says, written the canonical way.
std::string canonical(const BackendUrl& url) {
  if (url.kind == BackendUrl::Kind::memory) {
    return "memory://?max_keys=" + std::to_string(url.memory.max_keys) +
           "&max_memory=" + std::to_string(url.memory.max_memory) + "&samples=" + std::to_string(url.memory.samples);
  }
  const auto& r = url.redis;
  std::string out;
  if (!r.socket_path.empty()) {
    out = "unix://" + r.socket_path + "?db=" + std::to_string(r.db) + "&";
  } else {
    out = std::string(r.tls.enabled ? "rediss" : "redis") + (r.cluster() ? "-cluster://" : "://");
    if (!r.password.empty()) out += escape_all(r.user) + ":" + escape_all(r.password) + "@";
    // A host in brackets ends at the first ']'; one without ends at the last ':'.
    auto host_port = [](const std::string& host, int port) {
      const bool brackets = host.find(']') == std::string::npos &&
                            (host.starts_with('[') || host.find(':') != std::string::npos);
      return (brackets ? "[" + host + "]" : host) + ":" + std::to_string(port);
    };
    if (r.cluster()) {
      for (std::size_t i = 0; i < r.seeds.size(); ++i) out += (i ? "," : "") + host_port(r.seeds[i].first, r.seeds[i].second);
    } else {
      out += host_port(r.host, r.port);
    }
    out += "/" + std::to_string(r.db) + "?";
  }
  if (r.pool_size != 0) out += "pool_size=" + std::to_string(r.pool_size) + "&";
  out += "connect_timeout=" + duration(r.connect_timeout) + "&command_timeout=" + duration(r.command_timeout) +
         "&key_prefix=" + escape_all(r.key_prefix);
  if (r.tls.enabled) {
    if (!r.tls.ca_file.empty()) out += "&tls_ca_file=" + escape_all(r.tls.ca_file);
    if (!r.tls.cert_file.empty()) {
      out += "&tls_cert_file=" + escape_all(r.tls.cert_file) + "&tls_key_file=" + escape_all(r.tls.key_file);
    }
    if (!r.tls.server_name.empty()) out += "&tls_server_name=" + escape_all(r.tls.server_name);
    using cachet::redis::TlsVerify;
    out += std::string("&tls_verify=") +
           (r.tls.verify == TlsVerify::full ? "full" : r.tls.verify == TlsVerify::ca ? "ca" : "none");
  }
  return out;
}

bool same_fields(const BackendUrl& a, const BackendUrl& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == BackendUrl::Kind::memory) {
    return a.memory.max_keys == b.memory.max_keys && a.memory.max_memory == b.memory.max_memory &&
           a.memory.samples == b.memory.samples;
  }
  const auto &x = a.redis, &y = b.redis;
  return x.host == y.host && x.port == y.port && x.socket_path == y.socket_path && x.user == y.user &&
         x.password == y.password && x.db == y.db && x.pool_size == y.pool_size &&
         x.connect_timeout == y.connect_timeout && x.command_timeout == y.command_timeout &&
         x.key_prefix == y.key_prefix && x.tls.enabled == y.tls.enabled && x.tls.ca_file == y.tls.ca_file &&
         x.tls.cert_file == y.tls.cert_file && x.tls.key_file == y.tls.key_file &&
         x.tls.server_name == y.tls.server_name && x.tls.verify == y.tls.verify && x.seeds == y.seeds;
}

void check_ranges(std::string_view text, const BackendUrl& url) {
  if (url.kind == BackendUrl::Kind::memory) {
    if (url.memory.samples < 1 || url.memory.samples > 64) fail("samples outside 1..64", text);
    return;
  }
  const auto& r = url.redis;
  if (r.socket_path.empty() == r.host.empty()) fail("not exactly one of host and socket path", text);
  if (!r.socket_path.empty() && (r.socket_path[0] != '/' || r.socket_path.size() < 2)) fail("socket path", text);
  if (r.port < 1 || r.port > 65535) fail("port outside 1..65535", text);
  if (r.db < 0) fail("negative db", text);
  if (r.pool_size < 0 || r.pool_size > 1024) fail("pool_size outside 0..1024", text);
  if (r.connect_timeout.count() <= 0 || r.command_timeout.count() <= 0) fail("a timeout that is not positive", text);
  if (!r.user.empty() && r.password.empty()) fail("a user without a password", text);
  // TLS: only from rediss://, never over a unix socket, and a client certificate comes with its key.
  std::string scheme(text.substr(0, text.find("://")));
  for (char& c : scheme) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (r.tls.enabled != (scheme == "rediss" || scheme == "rediss-cluster")) {
    fail("TLS without rediss://, or rediss:// without TLS", text);
  }
  // A cluster: seeds only from its schemes, one database, no brace in the prefix (outside the tag).
  if (r.cluster() != scheme.ends_with("-cluster")) fail("seeds without a cluster scheme, or none with one", text);
  if (r.cluster() && (r.db != 0 || r.key_prefix.find_first_of("{}") != std::string::npos)) {
    fail("a cluster with a database or a brace in key_prefix", text);
  }
  if (r.cluster() && (r.host != r.seeds.front().first || r.port != r.seeds.front().second)) {
    fail("a cluster's host is not its first seed", text);
  }
  if (!r.tls.enabled && (!r.tls.ca_file.empty() || !r.tls.cert_file.empty() || !r.tls.server_name.empty())) {
    fail("TLS options without TLS", text);
  }
  if (r.tls.enabled && !r.socket_path.empty()) fail("TLS over a unix socket", text);
  if (r.tls.cert_file.empty() != r.tls.key_file.empty()) fail("a client certificate without its key", text);
}

// Neither the redacted URL nor an error message may show the password, as written or decoded.
void check_hidden(std::string_view text, std::string_view raw, std::string_view decoded) {
  const auto r = parse_backend_url(text);
  const std::string& redacted = r ? r->redacted : std::string();
  const std::string& message = r ? std::string() : r.error().message;
  for (std::string_view shown : {std::string_view(redacted), std::string_view(message)}) {
    if (shown.find(raw) != std::string_view::npos || shown.find(decoded) != std::string_view::npos) {
      fail("a password is shown", text, shown);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = parse_backend_url(text);
  const auto span = password_span(text);

  if (!parsed) {
    if (parsed.error().code != cachet::Errc::not_configured) fail("a refusal that is not not_configured", text);
    if (parsed.error().message.empty()) fail("a refusal without a message", text);
  } else {
    check_ranges(text, *parsed);
    // Redacted: exactly the password replaced, everything else as written.
    const std::string expected =
        span ? std::string(text.substr(0, span->begin)) + "***" + std::string(text.substr(span->end))
             : std::string(text);
    if (parsed->redacted != expected) {
      fail("the redacted URL is not the URL with its password hidden", text, parsed->redacted);
    }

    const std::string again = canonical(*parsed);
    const auto reparsed = parse_backend_url(again);
    if (!reparsed) fail("the canonical URL is refused", again, reparsed.error().message);
    if (!same_fields(*parsed, *reparsed)) fail("the canonical URL parses to other fields", text, again);
  }

  // The same URL with a recognizable password: it must not show up anywhere. (The input's own
  // password may be text that also appears elsewhere in the URL, so that one is not searched for.)
  if (span) {
    constexpr std::string_view raw = "Pw%5Fq7Zx", decoded = "Pw_q7Zx";
    const std::string marked = std::string(text.substr(0, span->begin)) + std::string(raw) +
                               std::string(text.substr(span->end));
    const std::string_view rest = std::string_view(marked).substr(span->begin + raw.size());
    const std::string_view head = std::string_view(marked).substr(0, span->begin);
    const bool marker_elsewhere =
        rest.find("Pw") != std::string_view::npos || head.find("Pw") != std::string_view::npos;
    if (!marker_elsewhere) check_hidden(marked, raw, decoded);
  }
  return 0;
}
