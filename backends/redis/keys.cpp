// The key primitives on the server: DEL, PTTL, EXISTS, and PEXPIRE / PERSIST.
#include "keys.hpp"

namespace cachet::redis {

Result<std::int64_t> RedisKeys::del(std::span<const std::string> keys) {
  if (keys.empty()) return 0;
  const auto groups = client_.by_slot(keys);
  if (groups.size() == 1) return client_.read(client_.on_keys("DEL", keys), integer);
  // On a cluster: one DEL per slot, the slots of a node in one round trip.
  auto replies = client_.per_slot("DEL", keys, groups);
  if (!replies) return std::unexpected(std::move(replies.error()));
  std::int64_t removed = 0;
  for (const auto& part : *replies) {
    auto n = integer(*part);
    if (!n) return n;
    removed += *n;
  }
  return removed;
}

Result<std::optional<std::chrono::milliseconds>> RedisKeys::pttl(std::string_view key) {
  auto ms = client_.read(client_.on("PTTL", key), integer);
  if (!ms) return std::unexpected(std::move(ms.error()));
  if (*ms == -2) return fail(Errc::miss, "cache miss");
  if (*ms == -1) return std::nullopt;
  return std::chrono::milliseconds(*ms);
}

Result<bool> RedisKeys::exists(std::string_view key) {
  auto n = client_.read(client_.on("EXISTS", key), integer);
  if (!n) return std::unexpected(std::move(n.error()));
  return *n == 1;
}

Result<bool> RedisKeys::expire(std::string_view key, engine::ExpiryAction expiry) {
  using Kind = engine::ExpiryAction::Kind;
  if (expiry.deletes()) {  // what PEXPIRE does with a time in the past, without sending one
    auto removed = client_.read(client_.on("DEL", key), integer);
    if (!removed) return std::unexpected(std::move(removed.error()));
    return *removed == 1;
  }
  if (expiry.kind == Kind::keep) return exists(key);
  if (expiry.kind == Kind::ttl) {
    auto set = client_.read(client_.on("PEXPIRE", key).arg(std::int64_t(expiry.ttl.count())), integer);
    if (!set) return std::unexpected(std::move(set.error()));
    return *set == 1;
  }
  // PERSIST answers 0 both for no key and for a key without a TTL: EXISTS tells them apart,
  // in one transaction so that the answer is about the key PERSIST saw.
  std::vector<Command> batch;
  batch.emplace_back("MULTI");
  batch.push_back(client_.on("EXISTS", key));
  batch.push_back(client_.on("PERSIST", key));
  batch.emplace_back("EXEC");
  auto replies = client_.round_trip(batch);
  if (!replies) return std::unexpected(std::move(replies.error()));
  for (const auto& reply : *replies) {
    if (reply->type == REDIS_REPLY_ERROR) return std::unexpected(reply_error(*reply));
  }
  const redisReply& exec = *replies->back();
  if (exec.type != REDIS_REPLY_ARRAY || exec.elements != 2) return fail(Errc::protocol, "EXEC answered no array of two");
  auto existed = integer(*exec.element[0]);
  if (!existed) return std::unexpected(std::move(existed.error()));
  return *existed == 1;
}

}  // namespace cachet::redis
