// The memory engine's operations on hashes (HSET, HGET, HINCRBY, HRANDFIELD, ...).
#pragma once

#include "engine/storage/hashes.hpp"

namespace cachet::memory {

class ShardedTable;

class MemoryHashes final : public engine::HashStorage {
 public:
  explicit MemoryHashes(ShardedTable& table) : table_(table) {}

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
  template <class T, class Make>
  Result<std::vector<T>> each_pair(std::string_view key, Make make);

  ShardedTable& table_;
};

}  // namespace cachet::memory
