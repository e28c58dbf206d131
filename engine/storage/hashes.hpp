// The primitives on hashes (HSET, HGET, HINCRBY, HRANDFIELD, ...), on raw bytes.
#pragma once

#include "../error.hpp"
#include "../expiry_action.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::engine {

// One field of a hash and its value.
struct FieldValue {
  std::string field;
  std::string value;
  friend bool operator==(const FieldValue&, const FieldValue&) = default;
};

// The most fields HRANDFIELD with a negative count answers (each a separate draw).
inline constexpr std::int64_t max_random_fields = std::int64_t(1) << 24;

class HashStorage {
 public:
  virtual ~HashStorage() = default;

  // HGET: Errc::miss for no key or no such field.
  virtual Result<std::string> hget(std::string_view key, std::string_view field) = 0;
  // HMGET: nullopt for each field the hash does not hold (every one for no key).
  virtual Result<std::vector<std::optional<std::string>>> hmget(std::string_view key,
                                                                std::span<const std::string> fields) = 0;
  // HSET field value ...: how many fields were new. A field named twice takes its last value.
  // No pairs: 0, nothing written (still WRONGTYPE for a key of another type).
  virtual Result<std::int64_t> hset(std::string_view key, std::span<const FieldValue> pairs,
                                    ExpiryAction expiry) = 0;
  // HSETNX: false, and nothing written (the TTL included), when the field exists.
  virtual Result<bool> hsetnx(std::string_view key, std::string_view field, std::string_view value,
                              ExpiryAction expiry) = 0;
  // HINCRBY: the new value; a missing field counts from 0. Errc::invalid_value for a value
  // that is not an integer, Errc::out_of_range when the sum overflows.
  virtual Result<std::int64_t> hincrby(std::string_view key, std::string_view field, std::int64_t delta,
                                       ExpiryAction expiry) = 0;
  // HINCRBYFLOAT: the new value; Errc::invalid_value for a value that is not a number, a NaN
  // delta, or a sum that is NaN or infinite.
  virtual Result<double> hincrbyfloat(std::string_view key, std::string_view field, double delta,
                                      ExpiryAction expiry) = 0;
  // HDEL: how many of the fields existed. A hash left empty is removed.
  virtual Result<std::int64_t> hdel(std::string_view key, std::span<const std::string> fields,
                                    ExpiryAction expiry) = 0;
  virtual Result<bool> hexists(std::string_view key, std::string_view field) = 0;
  virtual Result<std::int64_t> hlen(std::string_view key) = 0;
  virtual Result<std::vector<FieldValue>> hgetall(std::string_view key) = 0;
  virtual Result<std::vector<std::string>> hkeys(std::string_view key) = 0;
  virtual Result<std::vector<std::string>> hvals(std::string_view key) = 0;
  // HRANDFIELD key count: count > 0 distinct fields, count < 0 |count| fields that may repeat
  // (at most max_random_fields: Errc::out_of_range beyond, for an existing hash).
  virtual Result<std::vector<std::string>> hrandfield(std::string_view key, std::int64_t count) = 0;
};

}  // namespace cachet::engine
