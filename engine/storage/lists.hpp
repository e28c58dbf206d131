// The primitives on lists (LPUSH, LRANGE, LMOVE, ...), on raw bytes.
#pragma once

#include "../error.hpp"
#include "../expiry_action.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cachet {

// The ends of a list: where a push, a pop or a move takes place.
enum class ListPos { Left, Right };

}  // namespace cachet

namespace cachet::engine {

class ListStorage {
 public:
  virtual ~ListStorage() = default;

  // LPUSH / RPUSH: each value in turn at that end; the new length.
  virtual Result<std::int64_t> push(std::string_view key, ListPos end, std::span<const std::string> values,
                                    ExpiryAction expiry) = 0;
  // LPOP / RPOP: Errc::miss for no list.
  virtual Result<std::string> pop(std::string_view key, ListPos end, ExpiryAction expiry) = 0;
  virtual Result<std::int64_t> llen(std::string_view key) = 0;
  virtual Result<void> ltrim(std::string_view key, std::int64_t start, std::int64_t stop, ExpiryAction expiry) = 0;
  // LSET: Errc::miss for no list, Errc::out_of_range for an index past either end.
  virtual Result<void> lset(std::string_view key, std::int64_t index, std::string_view value,
                            ExpiryAction expiry) = 0;
  virtual Result<std::string> lindex(std::string_view key, std::int64_t index) = 0;  // miss past either end
  virtual Result<std::vector<std::string>> lrange(std::string_view key, std::int64_t start, std::int64_t stop) = 0;
  // LINSERT: the new length; 0 when the list does not exist; Errc::miss when the pivot does not.
  virtual Result<std::int64_t> linsert(std::string_view key, bool before, std::string_view pivot,
                                       std::string_view value, ExpiryAction expiry) = 0;
  virtual Result<std::int64_t> lrem(std::string_view key, std::int64_t count, std::string_view value,
                                    ExpiryAction expiry) = 0;
  // LMOVE: Errc::miss for no source list.
  virtual Result<std::string> lmove(std::string_view source, std::string_view destination, ListPos from,
                                    ListPos to, ExpiryAction expiry) = 0;
};

}  // namespace cachet::engine
