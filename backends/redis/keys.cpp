// The key primitives on the server: DEL and PTTL.
#include "keys.hpp"

namespace cachet::redis {

Result<std::int64_t> RedisKeys::del(std::span<const std::string> keys) {
  if (keys.empty()) return 0;
  return client_.read(client_.on_keys("DEL", keys), integer);
}

Result<std::optional<std::chrono::milliseconds>> RedisKeys::pttl(std::string_view key) {
  auto ms = client_.read(client_.on("PTTL", key), integer);
  if (!ms) return std::unexpected(std::move(ms.error()));
  if (*ms == -2) return fail(Errc::miss, "cache miss");
  if (*ms == -1) return std::nullopt;
  return std::chrono::milliseconds(*ms);
}

}  // namespace cachet::redis
