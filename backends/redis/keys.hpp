// The Redis backend's key primitives (DEL, PTTL, EXISTS, PEXPIRE / PERSIST), on keys of any type.
#pragma once

#include "client.hpp"
#include "engine/storage/keys.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::redis {

class RedisKeys final : public engine::KeyStorage {
 public:
  explicit RedisKeys(RedisClient& client) : client_(client) {}

  Result<std::int64_t> del(std::span<const std::string> keys) override;
  Result<std::optional<std::chrono::milliseconds>> pttl(std::string_view key) override;
  Result<bool> exists(std::string_view key) override;
  Result<bool> expire(std::string_view key, engine::ExpiryAction expiry) override;

 private:
  RedisClient& client_;
};

}  // namespace cachet::redis
