// The Redis backend put together: the client and one part per data type, and what the
// storage does as a whole (PING, emptying its key prefix).
#include "redis_storage.hpp"

namespace cachet::redis {
namespace {

// SCAN MATCH takes a glob: the prefix's own *?[]\ must match literally.
std::string glob_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

RedisStorage::RedisStorage(const RedisOptions& options)
    : Storage({.keys = &keys_, .strings = &strings_, .lists = &lists_, .sets = &sets_, .hashes = &hashes_,
               .sorted_sets = &sorted_sets_}),
      client_(options) {}

Result<void> RedisStorage::ping() {
  if (client_.cluster()) {
    if (auto pong = client_.read(Command("PING"), status); !pong) return pong;
  } else {
    // INFO cluster rides along: a cluster node reached through redis:// would answer only
    // the keys of its own slots.
    const Command commands[] = {Command("PING"), std::move(Command("INFO").arg("cluster"))};
    auto replies = client_.round_trip(commands);
    if (!replies) return std::unexpected(std::move(replies.error()));
    if (auto pong = status(*(*replies)[0]); !pong) return pong;
    if (auto info = string_reply(*(*replies)[1]); info && info->find("cluster_enabled:1") != std::string::npos) {
      return fail(Errc::not_configured, "this server is part of a Redis Cluster: use redis-cluster://" +
                                            client_.options().host + ":" + std::to_string(client_.options().port));
    }
  }
  if (client_.options().tls.enabled && client_.options().tls.verify == TlsVerify::none) {
    return fail(Errc::not_configured, "TLS with tls_verify=none: the connection is encrypted, but the server's "
                                      "identity is not checked; set tls_verify=full (and tls_ca_file if needed)");
  }
  return {};
}

Result<void> RedisStorage::clear() {
  auto nodes = client_.node_count();
  if (!nodes) return std::unexpected(std::move(nodes.error()));
  for (std::size_t node = 0; node < *nodes; ++node) {
    if (auto ok = clear_node(node); !ok) return ok;
  }
  return {};
}

// On a cluster each key found goes by its own UNLINK: the keys of one node span its slots.
void RedisStorage::add_unlink(std::vector<Command>& batch, const std::vector<std::string>& keys) const {
  if (keys.empty()) return;
  if (client_.cluster()) {
    for (const auto& k : keys) batch.push_back(std::move(Command("UNLINK").arg(k)));
    return;
  }
  Command& unlink = batch.emplace_back("UNLINK");
  for (const auto& k : keys) unlink.arg(k);
}

Result<void> RedisStorage::clear_node(std::size_t node) {
  if (client_.prefix().empty()) {
    const Command flush("FLUSHDB");
    auto replies = client_.on_node(node, {&flush, 1});
    if (!replies) return std::unexpected(std::move(replies.error()));
    return status(*replies->front());
  }

  // SCAN the prefix's keys page by page; each page's UNLINKs ride with the next SCAN.
  const std::string pattern = glob_escape(client_.prefix()) + "*";
  std::string cursor = "0";
  std::vector<std::string> found;
  do {
    std::vector<Command> batch;
    add_unlink(batch, found);
    batch.push_back(std::move(Command("SCAN").arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(std::int64_t(1000))));
    auto replies = client_.on_node(node, batch);
    if (!replies) return std::unexpected(std::move(replies.error()));
    for (std::size_t i = 0; i + 1 < replies->size(); ++i) {
      if (auto n = integer(*(*replies)[i]); !n) return std::unexpected(std::move(n.error()));
    }
    const redisReply& page = *replies->back();
    if (page.type == REDIS_REPLY_ERROR) return std::unexpected(reply_error(page));
    if (page.type != REDIS_REPLY_ARRAY || page.elements != 2) return fail(Errc::protocol, "SCAN answered a malformed page");
    auto next = string_reply(*page.element[0]);
    if (!next) return std::unexpected(std::move(next.error()));
    auto keys = redis::strings(*page.element[1]);
    if (!keys) return std::unexpected(std::move(keys.error()));
    cursor = std::move(*next);
    found = std::move(*keys);
  } while (cursor != "0");
  if (found.empty()) return {};
  std::vector<Command> batch;
  add_unlink(batch, found);
  auto replies = client_.on_node(node, batch);
  if (!replies) return std::unexpected(std::move(replies.error()));
  for (const auto& reply : *replies) {
    if (auto n = integer(*reply); !n) return std::unexpected(std::move(n.error()));
  }
  return {};
}

}  // namespace cachet::redis
