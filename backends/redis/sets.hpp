// The Redis backend's set primitives; every write that carries an expiry runs in the write
// script, long SADDs and SREMs cut into chunks there.
#pragma once

#include "client.hpp"
#include "engine/storage/sets.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::redis {

class RedisSets final : public engine::SetStorage {
 public:
  explicit RedisSets(RedisClient& client) : client_(client) {}

  Result<std::int64_t> sadd(std::string_view key, std::span<const std::string> members,
                            engine::ExpiryAction expiry) override;
  Result<std::int64_t> srem(std::string_view key, std::span<const std::string> members,
                            engine::ExpiryAction expiry) override;
  Result<std::vector<std::string>> spop(std::string_view key, std::int64_t count, engine::ExpiryAction expiry) override;
  Result<bool> sismember(std::string_view key, std::string_view member) override;
  Result<std::int64_t> scard(std::string_view key) override;
  Result<std::vector<std::string>> smembers(std::string_view key) override;
  Result<std::vector<std::string>> set_algebra(engine::SetAlgebra op, std::span<const std::string> keys) override;
  Result<std::int64_t> set_algebra_store(engine::SetAlgebra op, std::string_view destination,
                                         std::span<const std::string> keys, engine::ExpiryAction expiry) override;
  Result<std::vector<std::string>> srandmember(std::string_view key, std::int64_t count) override;
  Result<bool> smove(std::string_view source, std::string_view destination, std::string_view member,
                     engine::ExpiryAction expiry) override;

 private:
  RedisClient& client_;
};

}  // namespace cachet::redis
