// What a write does to the time to live of the keys it writes. Every write primitive of a
// Storage carries one and applies it atomically with the write.
#pragma once

#include "require_cxx23.hpp"

#include <chrono>
#include <cstdint>

namespace cachet::engine {

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

// The maximum size of one string value, list or set element, or key, as in Redis
// (proto-max-bulk-len): both backends refuse a longer one with Errc::out_of_range.
inline constexpr std::size_t max_value_bytes = 512u * 1024 * 1024;

}  // namespace cachet::engine
