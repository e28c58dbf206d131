// The Redis backend: every Storage primitive as one round trip to a Redis server, giving the
// memory backend's answers (values, Errc codes, misses) and leaving the same TTLs. How a
// write and its expiry stay atomic: write_script.hpp.
#pragma once

#include "client.hpp"
#include "engine/storage.hpp"
#include "redis_url.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::redis {

class RedisStorage final : public engine::Storage,
                           engine::KeyStorage,
                           engine::StringStorage,
                           engine::ListStorage,
                           engine::SetStorage {
 public:
  // Connects lazily: nothing is dialled before the first operation.
  explicit RedisStorage(const RedisOptions& options);

  Result<void> ping() override;
  Result<void> clear() override;

  // Round trips made so far. Every operation makes exactly one, except clear() (one per SCAN
  // page) and a write that finds the server's script cache flushed (two).
  std::uint64_t round_trips() const { return client_.round_trips(); }

 private:
  Result<std::int64_t> del(std::span<const std::string> keys) override;
  Result<std::optional<std::chrono::milliseconds>> pttl(std::string_view key) override;

  Result<std::string> get(std::string_view key) override;
  Result<std::vector<std::optional<std::string>>> mget(std::span<const std::string> keys) override;
  Result<bool> set(std::string_view key, std::string_view value, engine::SetCondition condition,
                   engine::ExpiryAction expiry) override;
  Result<std::optional<std::string>> set_get(std::string_view key, std::string_view value,
                                             engine::ExpiryAction expiry) override;
  Result<void> mset(std::span<const engine::KeyValue> pairs, engine::ExpiryAction expiry) override;
  Result<std::string> getdel(std::string_view key) override;
  Result<std::int64_t> append(std::string_view key, std::string_view value, engine::ExpiryAction expiry) override;
  Result<std::string> getrange(std::string_view key, std::int64_t start, std::int64_t end) override;
  Result<std::int64_t> setrange(std::string_view key, std::int64_t offset, std::string_view value,
                                engine::ExpiryAction expiry) override;
  Result<std::int64_t> strlen(std::string_view key) override;
  Result<std::int64_t> incrby(std::string_view key, std::int64_t delta, engine::ExpiryAction expiry) override;
  Result<double> incrbyfloat(std::string_view key, double delta, engine::ExpiryAction expiry) override;

  Result<std::int64_t> push(std::string_view key, ListPos end, std::span<const std::string> values,
                            engine::ExpiryAction expiry) override;
  Result<std::string> pop(std::string_view key, ListPos end, engine::ExpiryAction expiry) override;
  Result<std::int64_t> llen(std::string_view key) override;
  Result<void> ltrim(std::string_view key, std::int64_t start, std::int64_t stop, engine::ExpiryAction expiry) override;
  Result<void> lset(std::string_view key, std::int64_t index, std::string_view value,
                    engine::ExpiryAction expiry) override;
  Result<std::string> lindex(std::string_view key, std::int64_t index) override;
  Result<std::vector<std::string>> lrange(std::string_view key, std::int64_t start, std::int64_t stop) override;
  Result<std::int64_t> linsert(std::string_view key, bool before, std::string_view pivot, std::string_view value,
                               engine::ExpiryAction expiry) override;
  Result<std::int64_t> lrem(std::string_view key, std::int64_t count, std::string_view value,
                            engine::ExpiryAction expiry) override;
  Result<std::string> lmove(std::string_view source, std::string_view destination, ListPos from,
                            ListPos to, engine::ExpiryAction expiry) override;

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

  RedisClient client_;
};

}  // namespace cachet::redis
