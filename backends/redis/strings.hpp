// The Redis backend's string primitives: SET, SET NX/XX/GET and MSET take their expiry as
// SET's own PX or KEEPTTL; APPEND, SETRANGE and the counters run in the write script.
#pragma once

#include "client.hpp"
#include "engine/storage/strings.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::redis {

class RedisStrings final : public engine::StringStorage {
 public:
  explicit RedisStrings(RedisClient& client) : client_(client) {}

  Result<std::string> get(std::string_view key) override;
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
  RedisClient& client_;
};

}  // namespace cachet::redis
