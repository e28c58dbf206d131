// The memory engine's operations on strings (GET, SET and friends, INCRBY, INCRBYFLOAT).
#pragma once

#include "engine/storage/strings.hpp"

namespace cachet::memory {

class ShardedTable;

class MemoryStrings final : public engine::StringStorage {
 public:
  explicit MemoryStrings(ShardedTable& table) : table_(table) {}

  Result<std::string> get(std::string_view key) override;
  Result<void> get_into(std::string_view key, std::string& out) override;
  Result<std::vector<std::optional<std::string>>> mget(std::span<const std::string> keys) override;
  Result<bool> set(std::string_view key, std::string_view value, engine::SetCondition condition,
                   engine::ExpiryAction expiry) override;
  Result<std::optional<std::string>> set_get(std::string_view key, std::string_view value,
                                             engine::ExpiryAction expiry) override;
  Result<void> mset(std::span<const engine::KeyValue> pairs, engine::ExpiryAction expiry) override;
  Result<std::string> getdel(std::string_view key) override;
  Result<std::string> getex(std::string_view key, engine::ExpiryAction expiry) override;
  Result<std::int64_t> append(std::string_view key, std::string_view value, engine::ExpiryAction expiry) override;
  Result<std::string> getrange(std::string_view key, std::int64_t start, std::int64_t end) override;
  Result<std::int64_t> setrange(std::string_view key, std::int64_t offset, std::string_view value,
                                engine::ExpiryAction expiry) override;
  Result<std::int64_t> strlen(std::string_view key) override;
  Result<std::int64_t> incrby(std::string_view key, std::int64_t delta, engine::ExpiryAction expiry) override;
  Result<double> incrbyfloat(std::string_view key, double delta, engine::ExpiryAction expiry) override;

 private:
  ShardedTable& table_;
};

}  // namespace cachet::memory
