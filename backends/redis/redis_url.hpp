// The Redis backend's URLs and options:
//   redis://[user[:password]@]host[:port][/db][?options]
//   rediss://[user[:password]@]host[:port][/db][?options]   (TLS)
//   unix:///path/to/redis.sock[?db=N&options]
//   redis-cluster://[user[:password]@]host:port[,host:port...][?options]   (seeds of a cluster)
//   rediss-cluster://...                                                (the same over TLS)
// with options pool_size, connect_timeout, command_timeout, key_prefix, and for rediss://
// tls_ca_file, tls_cert_file, tls_key_file, tls_server_name, tls_verify.
#pragma once

#include "engine/error.hpp"
#include "engine/url.hpp"
#include "tls.hpp"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace cachet::redis {

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
  TlsOptions tls;           // rediss:// only
  // redis-cluster:// only: the nodes named, where the slot map is first learnt (host and
  // port above are the first of them).
  std::vector<std::pair<std::string, int>> seeds;
  bool cluster() const { return !seeds.empty(); }
};

// The options of a redis:// or unix:// URL; Errc::not_configured naming the problem (never
// the password).
Result<RedisOptions> parse_url(const engine::Url& url);
// The same from the URL's text.
Result<RedisOptions> parse_url(std::string_view text);

}  // namespace cachet::redis
