// The primitives on keys of any type, which every backend implements.
#pragma once

#include "../error.hpp"
#include "../expiry_action.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cachet::engine {

class KeyStorage {
 public:
  virtual ~KeyStorage() = default;

  // DEL: removes the keys, answers how many existed.
  virtual Result<std::int64_t> del(std::span<const std::string> keys) = 0;
  // PTTL: the remaining time to live, nullopt for a key without one; Errc::miss for no key.
  virtual Result<std::optional<std::chrono::milliseconds>> pttl(std::string_view key) = 0;
  // EXISTS on one key: is it there (of any type)?
  virtual Result<bool> exists(std::string_view key) = 0;
  // PEXPIRE / PERSIST: applies `expiry` to the key as a write would (keep: nothing; persist:
  // no TTL; ttl: expire then, a ttl <= 0 deletes the key), atomically with the check that it
  // exists. False, and nothing changed, for no key.
  virtual Result<bool> expire(std::string_view key, ExpiryAction expiry) = 0;
};

}  // namespace cachet::engine
