// The memory engine's operations on sets (SADD, SPOP, SINTER, ...).
#pragma once

#include "engine/storage/sets.hpp"

namespace cachet::memory {

class ShardedTable;

class MemorySets final : public engine::SetStorage {
 public:
  explicit MemorySets(ShardedTable& table) : table_(table) {}

  Result<std::int64_t> sadd(std::string_view key, std::span<const std::string> members,
                            engine::ExpiryAction expiry) override;
  Result<std::int64_t> srem(std::string_view key, std::span<const std::string> members,
                            engine::ExpiryAction expiry) override;
  Result<std::vector<std::string>> spop(std::string_view key, std::int64_t count,
                                        engine::ExpiryAction expiry) override;
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
  ShardedTable& table_;
};

}  // namespace cachet::memory
