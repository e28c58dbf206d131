// The primitives on string values (GET, SET and friends, INCRBY, INCRBYFLOAT), on raw bytes.
#pragma once

#include "../error.hpp"
#include "../expiry_action.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cachet::engine {

enum class SetCondition : std::uint8_t { always, if_absent, if_present };  // SET, SET NX, SET XX

struct KeyValue {
  std::string key;
  std::string value;
};

class StringStorage {
 public:
  virtual ~StringStorage() = default;

  virtual Result<std::string> get(std::string_view key) = 0;  // GET; missing: Errc::miss
  // GET into the caller's string, whose capacity a backend may reuse (no allocation when the
  // value fits). On failure `out` is left as it was. By default a get() and a move.
  virtual Result<void> get_into(std::string_view key, std::string& out) {
    auto value = get(key);
    if (!value) return std::unexpected(std::move(value.error()));
    out = std::move(*value);
    return {};
  }
  // MGET: nullopt for a missing key or a key holding another type, as Redis does.
  virtual Result<std::vector<std::optional<std::string>>> mget(std::span<const std::string> keys) = 0;
  // SET [NX|XX]: false when the condition kept the value from being written.
  virtual Result<bool> set(std::string_view key, std::string_view value, SetCondition condition,
                           ExpiryAction expiry) = 0;
  // SET ... GET: the previous value, nullopt when there was none.
  virtual Result<std::optional<std::string>> set_get(std::string_view key, std::string_view value,
                                                     ExpiryAction expiry) = 0;
  virtual Result<void> mset(std::span<const KeyValue> pairs, ExpiryAction expiry) = 0;  // MSET, atomic
  virtual Result<std::string> getdel(std::string_view key) = 0;                          // GETDEL
  // GETEX: the value, its expiry changed to `expiry` in the same step (keep: unchanged; a
  // ttl <= 0 deletes the key after reading it); Errc::miss for no key.
  virtual Result<std::string> getex(std::string_view key, ExpiryAction expiry) = 0;
  virtual Result<std::int64_t> append(std::string_view key, std::string_view value, ExpiryAction expiry) = 0;
  virtual Result<std::string> getrange(std::string_view key, std::int64_t start, std::int64_t end) = 0;
  virtual Result<std::int64_t> setrange(std::string_view key, std::int64_t offset, std::string_view value,
                                        ExpiryAction expiry) = 0;
  virtual Result<std::int64_t> strlen(std::string_view key) = 0;
  virtual Result<std::int64_t> incrby(std::string_view key, std::int64_t delta, ExpiryAction expiry) = 0;
  virtual Result<double> incrbyfloat(std::string_view key, double delta, ExpiryAction expiry) = 0;
};

}  // namespace cachet::engine
