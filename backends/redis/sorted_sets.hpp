// The Redis backend's sorted-set primitives; every write that carries an expiry runs in the
// write script, long ZADDs and ZREMs cut into chunks there.
#pragma once

#include "client.hpp"
#include "engine/storage/sorted_sets.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::redis {

class RedisSortedSets final : public engine::SortedSetStorage {
 public:
  explicit RedisSortedSets(RedisClient& client) : client_(client) {}

  Result<std::int64_t> zadd(std::string_view key, std::span<const engine::ScoredMember> members, engine::ZAddMode mode,
                            engine::ExpiryAction expiry) override;
  Result<double> zincrby(std::string_view key, std::string_view member, double delta,
                         engine::ExpiryAction expiry) override;
  Result<std::optional<double>> zscore(std::string_view key, std::string_view member) override;
  Result<std::vector<std::optional<double>>> zmscore(std::string_view key, std::span<const std::string> members) override;
  Result<std::optional<std::int64_t>> zrank(std::string_view key, std::string_view member, bool reverse) override;
  Result<std::vector<engine::ScoredMember>> zrange(std::string_view key, std::int64_t start, std::int64_t stop,
                                                   bool reverse) override;
  Result<std::vector<engine::ScoredMember>> zrange_by_score(std::string_view key, engine::ZScoreBound min,
                                                            engine::ZScoreBound max, std::int64_t offset,
                                                            std::int64_t count, bool reverse) override;
  Result<std::int64_t> zcount(std::string_view key, engine::ZScoreBound min, engine::ZScoreBound max) override;
  Result<std::int64_t> zcard(std::string_view key) override;
  Result<std::int64_t> zrem(std::string_view key, std::span<const std::string> members,
                            engine::ExpiryAction expiry) override;
  Result<std::int64_t> zremrange_by_rank(std::string_view key, std::int64_t start, std::int64_t stop,
                                         engine::ExpiryAction expiry) override;
  Result<std::int64_t> zremrange_by_score(std::string_view key, engine::ZScoreBound min, engine::ZScoreBound max,
                                          engine::ExpiryAction expiry) override;
  Result<std::vector<engine::ScoredMember>> zpop(std::string_view key, std::int64_t count, bool max,
                                                 engine::ExpiryAction expiry) override;
  Result<std::vector<std::string>> zrandmember(std::string_view key, std::int64_t count) override;
  Result<std::vector<engine::ScoredMember>> zset_algebra(engine::SetAlgebra op,
                                                         std::span<const std::string> keys) override;
  Result<std::int64_t> zset_algebra_store(engine::SetAlgebra op, std::string_view destination,
                                          std::span<const std::string> keys, engine::ExpiryAction expiry) override;

 private:
  RedisClient& client_;
};

}  // namespace cachet::redis
