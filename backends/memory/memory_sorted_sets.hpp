// The memory engine's operations on sorted sets (ZADD, ZRANGE, ZUNION, ...).
#pragma once

#include "engine/storage/sorted_sets.hpp"

namespace cachet::memory {

class ShardedTable;

class MemorySortedSets final : public engine::SortedSetStorage {
 public:
  explicit MemorySortedSets(ShardedTable& table) : table_(table) {}

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
  ShardedTable& table_;
};

}  // namespace cachet::memory
