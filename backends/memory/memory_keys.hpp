// The memory engine's operations on keys of any type (DEL, PTTL, EXISTS, PEXPIRE/PERSIST).
#pragma once

#include "engine/storage/keys.hpp"

namespace cachet::memory {

class ShardedTable;

class MemoryKeys final : public engine::KeyStorage {
 public:
  explicit MemoryKeys(ShardedTable& table) : table_(table) {}

  Result<std::int64_t> del(std::span<const std::string> keys) override;
  Result<std::optional<std::chrono::milliseconds>> pttl(std::string_view key) override;
  Result<bool> exists(std::string_view key) override;
  Result<bool> expire(std::string_view key, engine::ExpiryAction expiry) override;

 private:
  ShardedTable& table_;
};

}  // namespace cachet::memory
