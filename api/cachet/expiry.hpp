// When written keys expire: a keyspace's default_expiry, or ks.with(expiry) for some writes.
#pragma once

#include "engine/require_cxx23.hpp"

#include "engine/error.hpp"
#include "engine/expiry_action.hpp"

#include <chrono>
#include <cstdint>

namespace cachet {

class Expiry {
 public:
  enum class Kind : std::uint8_t { never, keep, after, daily, invalid };

  static constexpr Expiry never() { return Expiry(Kind::never); }
  static constexpr Expiry keep() { return Expiry(Kind::keep); }

  constexpr Kind kind() const { return kind_; }
  constexpr std::chrono::milliseconds after() const { return after_; }

  friend constexpr bool operator==(const Expiry&, const Expiry&) = default;

  template <class Rep, class Period>
  friend constexpr Expiry expire_in(std::chrono::duration<Rep, Period> duration);
  friend constexpr Expiry expire_daily_at(int hour, int minute, int second, std::chrono::minutes utc_offset);
  // What a write does with this expiry now: the TTL to set, or an error for an invalid expiry.
  friend Result<engine::ExpiryAction> resolve(const Expiry& expiry);

 private:
  constexpr explicit Expiry(Kind kind) : kind_(kind) {}
  static constexpr Expiry invalid(const char* problem) {
    Expiry e(Kind::invalid);
    e.problem_ = problem;
    return e;
  }

  Kind kind_;
  std::int8_t hour_ = 0, minute_ = 0, second_ = 0;
  std::chrono::minutes utc_offset_{0};
  std::chrono::milliseconds after_{0};
  const char* problem_ = nullptr;
};

// The key keeps no TTL after the write (SET clears one; other writes PERSIST). The default.
inline constexpr Expiry never_expire = Expiry::never();
// The write leaves the key's TTL as it was (SET ... KEEPTTL).
inline constexpr Expiry keep_ttl = Expiry::keep();

// Expire `duration` after the write (rounded up to whole milliseconds); zero or negative
// durations are in the past: the write deletes the key. A duration beyond 9e12 ms (about
// 285 years) either way, or NaN, fails the write with out_of_range, as Redis answers
// "invalid expire time" rather than wrapping around.
template <class Rep, class Period>
constexpr Expiry expire_in(std::chrono::duration<Rep, Period> d) {
  // Compared in long double, so that no duration, however long, overflows on the way; within
  // the limit, rounding to int64 milliseconds and adding it to a clock cannot overflow either.
  using Milliseconds = std::chrono::duration<long double, std::milli>;
  const long double ms = std::chrono::duration_cast<Milliseconds>(d).count();
  if (!(ms >= -9.0e12L && ms <= 9.0e12L)) {
    return Expiry::invalid("expire_in: the duration is beyond 9e12 milliseconds (about 285 years) either way");
  }
  Expiry e(Expiry::Kind::after);
  e.after_ = std::chrono::ceil<std::chrono::milliseconds>(d);
  return e;
}

// Expire at the next occurrence of hour:minute:second, wall-clock time at `utc_offset`
// from UTC (UTC by default). A time equal to now counts as tomorrow's.
constexpr Expiry expire_daily_at(int hour, int minute, int second, std::chrono::minutes utc_offset = {}) {
  if (hour < 0 || hour > 23) return Expiry::invalid("expire_daily_at: hour must be 0 to 23");
  if (minute < 0 || minute > 59) return Expiry::invalid("expire_daily_at: minute must be 0 to 59");
  if (second < 0 || second > 59) return Expiry::invalid("expire_daily_at: second must be 0 to 59");
  if (utc_offset <= std::chrono::minutes(-24 * 60) || utc_offset >= std::chrono::minutes(24 * 60)) {
    return Expiry::invalid("expire_daily_at: utc_offset must be within a day of UTC");
  }
  Expiry e(Expiry::Kind::daily);
  e.hour_ = static_cast<std::int8_t>(hour);
  e.minute_ = static_cast<std::int8_t>(minute);
  e.second_ = static_cast<std::int8_t>(second);
  e.utc_offset_ = utc_offset;
  return e;
}

[[nodiscard]] Result<engine::ExpiryAction> resolve(const Expiry& expiry);

}  // namespace cachet
