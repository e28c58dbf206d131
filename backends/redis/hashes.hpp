// The Redis backend's hash primitives; every write that carries an expiry runs in the write
// script, a long HSET or HDEL cut into chunks there. A hash is one key, so on a cluster every
// call goes to its key's slot.
#pragma once

#include "client.hpp"
#include "engine/storage/hashes.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::redis {

class RedisHashes final : public engine::HashStorage {
 public:
  explicit RedisHashes(RedisClient& client) : client_(client) {}

  Result<std::string> hget(std::string_view key, std::string_view field) override;
  Result<std::vector<std::optional<std::string>>> hmget(std::string_view key,
                                                        std::span<const std::string> fields) override;
  Result<std::int64_t> hset(std::string_view key, std::span<const engine::FieldValue> pairs,
                            engine::ExpiryAction expiry) override;
  Result<bool> hsetnx(std::string_view key, std::string_view field, std::string_view value,
                      engine::ExpiryAction expiry) override;
  Result<std::int64_t> hincrby(std::string_view key, std::string_view field, std::int64_t delta,
                               engine::ExpiryAction expiry) override;
  Result<double> hincrbyfloat(std::string_view key, std::string_view field, double delta,
                              engine::ExpiryAction expiry) override;
  Result<std::int64_t> hdel(std::string_view key, std::span<const std::string> fields,
                            engine::ExpiryAction expiry) override;
  Result<bool> hexists(std::string_view key, std::string_view field) override;
  Result<std::int64_t> hlen(std::string_view key) override;
  Result<std::vector<engine::FieldValue>> hgetall(std::string_view key) override;
  Result<std::vector<std::string>> hkeys(std::string_view key) override;
  Result<std::vector<std::string>> hvals(std::string_view key) override;
  Result<std::vector<std::string>> hrandfield(std::string_view key, std::int64_t count) override;

 private:
  RedisClient& client_;
};

}  // namespace cachet::redis
