// Testing: fresh, isolated storage per scope, and a clock tests can move.
#pragma once

#include "engine/require_cxx23.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>

namespace cachet {

namespace detail {
struct ScopeState;
void advance_clock(std::chrono::nanoseconds by);
}  // namespace detail

namespace testing {

// While a Scope lives, every cluster (on any thread) uses fresh, empty memory storage that
// belongs to the scope, whatever the environment says. Scopes nest; the innermost wins.
// Random choices (SPOP, SRANDMEMBER, eviction) follow `seed`, so tests are repeatable.
class Scope {
 public:
  explicit Scope(std::uint64_t seed = 0);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  std::unique_ptr<detail::ScopeState> state_;
};

// Moves the memory backend's clock forward, so keys expire without the test sleeping.
// Throws std::logic_error while a test scope runs on a real server (CACHET_TEST_URL names
// one): no one moves a server's clock, and a test relying on it would pass or fail by luck.
// The clock moves at most a hundred years ahead in all: a duration that would take it further
// (std::chrono::hours::max(), say) throws std::out_of_range and moves nothing, rather than
// overflowing. A negative duration moves nothing (the clock never goes back).
template <class Rep, class Period>
void advance_time(std::chrono::duration<Rep, Period> by) {
  // Compared in long double, so that no duration overflows on the way to nanoseconds.
  using Nanoseconds = std::chrono::duration<long double, std::nano>;
  const long double ns = std::chrono::duration_cast<Nanoseconds>(by).count();
  if (ns <= 0) return;
  if (!(ns <= 100.0L * 366 * 24 * 3600 * 1e9L)) {  // also NaN; the total is checked again when moving
    throw std::out_of_range("cachet::testing::advance_time: the duration is beyond a hundred years");
  }
  detail::advance_clock(std::chrono::nanoseconds(std::int64_t(ns)));
}

}  // namespace testing
}  // namespace cachet
