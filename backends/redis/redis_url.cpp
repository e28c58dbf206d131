#include "redis_url.hpp"

namespace cachet::redis {
namespace {

Result<void> parse_option(RedisOptions& redis, const engine::Url& url, std::string_view name,
                          const std::string& value, bool unix_socket) {
  if (name == "pool_size") {
    auto n = engine::parse_number<int>(value);
    if (!n || *n < 1 || *n > 1024) return url.error("pool_size \"" + value + "\" must be a number from 1 to 1024");
    redis.pool_size = *n;
  } else if (name == "connect_timeout" || name == "command_timeout") {
    auto d = engine::parse_duration(value);
    if (!d) return url.error(std::string(name) + " \"" + value + "\" is not a duration such as 250ms or 2s");
    (name == "connect_timeout" ? redis.connect_timeout : redis.command_timeout) = *d;
  } else if (name == "key_prefix") {
    auto decoded = engine::percent_decode(value);
    if (!decoded) return url.error("key_prefix has a malformed %-escape");
    redis.key_prefix = *decoded;
  } else if (name.starts_with("tls_") && !redis.tls.enabled) {
    return url.error("option \"" + std::string(name) + "\" is for TLS, which takes rediss://");
  } else if (name == "tls_ca_file" || name == "tls_cert_file" || name == "tls_key_file") {
    auto path = engine::percent_decode(value);
    if (!path || path->empty()) return url.error(std::string(name) + " is not a file path (%-escape '&', '?' and '%')");
    (name == "tls_ca_file" ? redis.tls.ca_file : name == "tls_cert_file" ? redis.tls.cert_file : redis.tls.key_file) =
        *path;
  } else if (name == "tls_server_name") {
    auto server = engine::percent_decode(value);
    if (!server || server->empty()) return url.error("tls_server_name is empty or has a malformed %-escape");
    redis.tls.server_name = *server;
  } else if (name == "tls_verify") {
    if (value == "full") redis.tls.verify = TlsVerify::full;
    else if (value == "ca") redis.tls.verify = TlsVerify::ca;
    else if (value == "none") redis.tls.verify = TlsVerify::none;
    else return url.error("tls_verify \"" + value + "\" must be full, ca or none");
  } else if (name == "db" && unix_socket) {
    auto n = engine::parse_number<int>(value);
    if (!n || *n < 0) return url.error("db \"" + value + "\" is not a database number");
    redis.db = *n;
  } else {
    return url.unknown_option(name, unix_socket      ? "db, pool_size, connect_timeout, command_timeout, key_prefix"
                                    : redis.tls.enabled ? "pool_size, connect_timeout, command_timeout, key_prefix, "
                                                          "tls_ca_file, tls_cert_file, tls_key_file, tls_server_name, "
                                                          "tls_verify"
                                                        : "pool_size, connect_timeout, command_timeout, key_prefix");
  }
  return {};
}

Result<void> parse_credentials(RedisOptions& redis, const engine::Url& url) {
  if (!url.password) {
    if (!url.user.empty()) {
      return url.error("the URL names user \"" + url.user +
                       "\" but no password; write user:password@ (or :password@ alone)");
    }
    return {};
  }
  if (url.password->empty()) return url.error("the password after ':' is empty");
  redis.user = url.user;
  redis.password = *url.password;
  return {};
}

}  // namespace

Result<RedisOptions> parse_url(const engine::Url& url) {
  RedisOptions redis;
  const bool unix_socket = url.scheme == "unix";
  const bool cluster = url.scheme == "redis-cluster" || url.scheme == "rediss-cluster";
  redis.tls.enabled = url.scheme == "rediss" || url.scheme == "rediss-cluster";
  if (unix_socket) {
    if (!url.hosts.empty() || !url.user.empty() || url.password) {
      return url.error("a unix socket needs an absolute path (unix:///path/to/redis.sock)");
    }
    if (!url.path.starts_with('/')) return url.error("a unix socket needs an absolute path (unix:///path/to/redis.sock)");
    if (url.path.size() < 2) return url.error("the socket path is empty");
    redis.socket_path = url.path;
  } else {
    if (auto ok = parse_credentials(redis, url); !ok) return std::unexpected(ok.error());
    if (url.hosts.empty()) return url.error("no host (write redis://host[:port][/db])");
    if (url.hosts.size() > 1 && !cluster) {
      return url.error(url.scheme + ":// takes one host (for a Redis Cluster's nodes, write " + url.scheme +
                       "-cluster://host:port,host:port)");
    }
    if (cluster) {
      for (const auto& host : url.hosts) redis.seeds.emplace_back(host.name, host.port.value_or(6379));
    }
    redis.host = url.hosts.front().name;
    redis.port = url.hosts.front().port.value_or(6379);
    if (url.path.size() > 1) {
      auto db = engine::parse_number<int>(std::string_view(url.path).substr(1));
      if (!db || *db < 0) return url.error("database \"" + url.path.substr(1) + "\" is not a database number");
      redis.db = *db;
      if (cluster && *db != 0) {
        return url.error("a Redis Cluster has one database: /" + url.path.substr(1) + " cannot be selected (drop it, or write /0)");
      }
    }
  }
  for (const auto& [name, value] : url.options) {
    if (auto ok = parse_option(redis, url, name, value, unix_socket); !ok) return std::unexpected(ok.error());
  }
  if (cluster && redis.key_prefix.find_first_of("{}") != std::string::npos) {
    return url.error("key_prefix must not hold '{' or '}' on a Redis Cluster: the prefix stands before the key and "
                     "outside its hash tag, and a brace in it would decide every key's slot");
  }
  if (redis.tls.cert_file.empty() != redis.tls.key_file.empty()) {
    return url.error("a client certificate needs both tls_cert_file and tls_key_file");
  }
  return redis;
}

Result<RedisOptions> parse_url(std::string_view text) {
  auto url = engine::parse_url(text);
  if (!url) return std::unexpected(std::move(url.error()));
  return parse_url(*url);
}

}  // namespace cachet::redis
