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
    : Storage({.keys = &keys_, .strings = &strings_, .lists = &lists_, .sets = &sets_}), client_(options) {}

Result<void> RedisStorage::ping() {
  if (auto pong = client_.read(Command("PING"), status); !pong) return pong;
  if (client_.options().tls.enabled && client_.options().tls.verify == TlsVerify::none) {
    return fail(Errc::not_configured, "TLS with tls_verify=none: the connection is encrypted, but the server's "
                                      "identity is not checked; set tls_verify=full (and tls_ca_file if needed)");
  }
  return {};
}

Result<void> RedisStorage::clear() {
  if (client_.prefix().empty()) return client_.read(Command("FLUSHDB"), status);

  // SCAN the prefix's keys page by page; each page's UNLINK rides with the next SCAN.
  const std::string pattern = glob_escape(client_.prefix()) + "*";
  std::string cursor = "0";
  std::vector<std::string> found;
  do {
    std::vector<Command> batch;
    if (!found.empty()) {
      Command& unlink = batch.emplace_back("UNLINK");
      for (const auto& k : found) unlink.arg(k);
    }
    batch.push_back(std::move(Command("SCAN").arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(std::int64_t(1000))));
    auto replies = client_.round_trip(batch);
    if (!replies) return std::unexpected(std::move(replies.error()));
    if (batch.size() == 2) {
      if (auto n = integer(*replies->front()); !n) return std::unexpected(std::move(n.error()));
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
  Command unlink("UNLINK");
  for (const auto& k : found) unlink.arg(k);
  auto replies = client_.round_trip({&unlink, 1});
  if (!replies) return std::unexpected(std::move(replies.error()));
  if (auto n = integer(*replies->front()); !n) return std::unexpected(std::move(n.error()));
  return {};
}

}  // namespace cachet::redis
