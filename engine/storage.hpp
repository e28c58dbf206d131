// The one interface every backend implements: Redis's primitives on raw bytes.
//
// Keys and values go in as bytes; answers come back owned. Every primitive that writes
// carries an ExpiryAction and applies it atomically with the write (the memory backend
// under its shard locks, the Redis backend in the same command or MULTI/EXEC). Keyspaces
// do typing, key encoding and codecs; a Storage knows nothing of them.
#pragma once

#include "error.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::engine {

// What a write does to the time to live of the keys it writes.
struct ExpiryAction {
  enum class Kind : std::uint8_t {
    keep,     // leave any TTL as it is (SET ... KEEPTTL; other writes: nothing)
    persist,  // no TTL after the write (SET clears it; other writes: PERSIST)
    ttl,      // expire `ttl` from now; a ttl <= 0 deletes the key after the write
  };
  Kind kind = Kind::persist;
  std::chrono::milliseconds ttl{0};

  static constexpr ExpiryAction keep() { return {Kind::keep, {}}; }
  static constexpr ExpiryAction persist() { return {Kind::persist, {}}; }
  static constexpr ExpiryAction after(std::chrono::milliseconds d) { return {Kind::ttl, d}; }

  // The write is immediately undone: its expiry is already in the past.
  constexpr bool deletes() const { return kind == Kind::ttl && ttl.count() <= 0; }
};

enum class SetCondition : std::uint8_t { always, if_absent, if_present };  // SET, SET NX, SET XX
enum class ListEnd : std::uint8_t { left, right };
enum class SetAlgebra : std::uint8_t { diff, intersect, union_ };

struct KeyValue {
  std::string key;
  std::string value;
};

// The maximum size of one string value or list/set element, as in Redis (proto-max-bulk-len).
inline constexpr std::size_t max_value_bytes = 512u * 1024 * 1024;
// The most members SRANDMEMBER with a negative count answers (each a separate draw).
inline constexpr std::int64_t max_random_members = std::int64_t(1) << 24;

class Storage {
 public:
  virtual ~Storage() = default;

  // --- keys ---
  virtual Result<std::int64_t> del(std::span<const std::string> keys) = 0;                    // DEL
  // The remaining time to live: nullopt for a key without one; Errc::miss for no key.     PTTL
  virtual Result<std::optional<std::chrono::milliseconds>> pttl(std::string_view key) = 0;
  virtual Result<void> ping() = 0;   // can the backend be reached? (verify())
  virtual Result<void> clear() = 0;  // remove every key this storage holds (test scopes)

  // --- strings ---
  virtual Result<std::string> get(std::string_view key) = 0;  // GET; missing: Errc::miss
  // MGET: nullopt for a missing key or a key holding a list or set, as Redis does.
  virtual Result<std::vector<std::optional<std::string>>> mget(std::span<const std::string> keys) = 0;
  // SET [NX|XX]: false when the condition kept the value from being written.
  virtual Result<bool> set(std::string_view key, std::string_view value, SetCondition condition,
                           ExpiryAction expiry) = 0;
  // SET ... GET: the previous value, nullopt when there was none.
  virtual Result<std::optional<std::string>> set_get(std::string_view key, std::string_view value,
                                                     ExpiryAction expiry) = 0;
  virtual Result<void> mset(std::span<const KeyValue> pairs, ExpiryAction expiry) = 0;  // MSET, atomic
  virtual Result<std::string> getdel(std::string_view key) = 0;                          // GETDEL
  virtual Result<std::int64_t> append(std::string_view key, std::string_view value, ExpiryAction expiry) = 0;
  virtual Result<std::string> getrange(std::string_view key, std::int64_t start, std::int64_t end) = 0;
  virtual Result<std::int64_t> setrange(std::string_view key, std::int64_t offset, std::string_view value,
                                        ExpiryAction expiry) = 0;
  virtual Result<std::int64_t> strlen(std::string_view key) = 0;
  virtual Result<std::int64_t> incrby(std::string_view key, std::int64_t delta, ExpiryAction expiry) = 0;
  virtual Result<double> incrbyfloat(std::string_view key, double delta, ExpiryAction expiry) = 0;

  // --- lists ---
  virtual Result<std::int64_t> push(std::string_view key, ListEnd end, std::span<const std::string> values,
                                    ExpiryAction expiry) = 0;                                  // LPUSH/RPUSH
  virtual Result<std::string> pop(std::string_view key, ListEnd end, ExpiryAction expiry) = 0;  // LPOP/RPOP
  virtual Result<std::int64_t> llen(std::string_view key) = 0;
  virtual Result<void> ltrim(std::string_view key, std::int64_t start, std::int64_t stop, ExpiryAction expiry) = 0;
  // LSET: Errc::miss for no list, Errc::out_of_range for an index past either end.
  virtual Result<void> lset(std::string_view key, std::int64_t index, std::string_view value,
                            ExpiryAction expiry) = 0;
  virtual Result<std::string> lindex(std::string_view key, std::int64_t index) = 0;  // miss past either end
  virtual Result<std::vector<std::string>> lrange(std::string_view key, std::int64_t start, std::int64_t stop) = 0;
  // LINSERT: the new length; Errc::miss when the list or the pivot does not exist.
  virtual Result<std::int64_t> linsert(std::string_view key, bool before, std::string_view pivot,
                                       std::string_view value, ExpiryAction expiry) = 0;
  virtual Result<std::int64_t> lrem(std::string_view key, std::int64_t count, std::string_view value,
                                    ExpiryAction expiry) = 0;
  virtual Result<std::string> lmove(std::string_view source, std::string_view destination, ListEnd from,
                                    ListEnd to, ExpiryAction expiry) = 0;

  // --- sets ---
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
