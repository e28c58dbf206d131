// The key primitives on the server: DEL and PTTL.
#include "keys.hpp"

namespace cachet::redis {

Result<std::int64_t> RedisKeys::del(std::span<const std::string> keys) {
  if (keys.empty()) return 0;
  const auto groups = client_.by_slot(keys);
  if (groups.size() == 1) return client_.read(client_.on_keys("DEL", keys), integer);
  // On a cluster: one DEL per slot, the slots of a node in one round trip.
  std::vector<std::vector<Command>> batches(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    Command& del = batches[g].emplace_back("DEL");
    for (std::size_t i : groups[g]) del.key(client_.prefix(), keys[i]);
  }
  auto replies = client_.round_trips(batches);
  if (!replies) return std::unexpected(std::move(replies.error()));
  std::int64_t removed = 0;
  for (const auto& part : *replies) {
    auto n = integer(*part.front());
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

}  // namespace cachet::redis
