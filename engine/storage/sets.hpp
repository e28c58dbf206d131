// The primitives on sets (SADD, SPOP, SINTER, ...), on raw bytes.
#pragma once

#include "../error.hpp"
#include "../expiry_action.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::engine {

enum class SetAlgebra : std::uint8_t { diff, intersect, union_ };

// The most members SRANDMEMBER with a negative count answers (each a separate draw).
inline constexpr std::int64_t max_random_members = std::int64_t(1) << 24;

class SetStorage {
 public:
  virtual ~SetStorage() = default;

  virtual Result<std::int64_t> sadd(std::string_view key, std::span<const std::string> members,
                                    ExpiryAction expiry) = 0;
  virtual Result<std::int64_t> srem(std::string_view key, std::span<const std::string> members,
                                    ExpiryAction expiry) = 0;
  // SPOP key count: up to `count` distinct random members, removed.
  virtual Result<std::vector<std::string>> spop(std::string_view key, std::int64_t count, ExpiryAction expiry) = 0;
  virtual Result<bool> sismember(std::string_view key, std::string_view member) = 0;
  virtual Result<std::int64_t> scard(std::string_view key) = 0;
  virtual Result<std::vector<std::string>> smembers(std::string_view key) = 0;
  virtual Result<std::vector<std::string>> set_algebra(SetAlgebra op, std::span<const std::string> keys) = 0;
  // SDIFFSTORE/SINTERSTORE/SUNIONSTORE: replaces destination, answers its size.
  virtual Result<std::int64_t> set_algebra_store(SetAlgebra op, std::string_view destination,
                                                 std::span<const std::string> keys, ExpiryAction expiry) = 0;
  // SRANDMEMBER key count: count > 0 distinct members, count < 0 |count| members that may repeat.
  virtual Result<std::vector<std::string>> srandmember(std::string_view key, std::int64_t count) = 0;
  virtual Result<bool> smove(std::string_view source, std::string_view destination, std::string_view member,
                             ExpiryAction expiry) = 0;
};

}  // namespace cachet::engine
