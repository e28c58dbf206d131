// The memory engine's operations on lists (LPUSH, LRANGE, LMOVE, ...).
#pragma once

#include "engine/storage/lists.hpp"

namespace cachet::memory {

class ShardedTable;

class MemoryLists final : public engine::ListStorage {
 public:
  explicit MemoryLists(ShardedTable& table) : table_(table) {}

  Result<std::int64_t> push(std::string_view key, ListPos end, std::span<const std::string> values,
                            engine::ExpiryAction expiry) override;
  Result<std::string> pop(std::string_view key, ListPos end, engine::ExpiryAction expiry) override;
  Result<std::int64_t> llen(std::string_view key) override;
  Result<void> ltrim(std::string_view key, std::int64_t start, std::int64_t stop,
                     engine::ExpiryAction expiry) override;
  Result<void> lset(std::string_view key, std::int64_t index, std::string_view value,
                    engine::ExpiryAction expiry) override;
  Result<std::string> lindex(std::string_view key, std::int64_t index) override;
  Result<std::vector<std::string>> lrange(std::string_view key, std::int64_t start, std::int64_t stop) override;
  Result<std::int64_t> linsert(std::string_view key, bool before, std::string_view pivot, std::string_view value,
                               engine::ExpiryAction expiry) override;
  Result<std::int64_t> lrem(std::string_view key, std::int64_t count, std::string_view value,
                            engine::ExpiryAction expiry) override;
  Result<std::string> lmove(std::string_view source, std::string_view destination, ListPos from, ListPos to,
                            engine::ExpiryAction expiry) override;

 private:
  ShardedTable& table_;
};

}  // namespace cachet::memory
