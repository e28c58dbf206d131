// What several test files share: printing results in failed checks, and letting time pass.
#pragma once

#include <cachet/cachet.hpp>
#include <cachet/testing.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <ostream>

namespace cachet {

inline std::ostream& operator<<(std::ostream& os, Errc code) { return os << errc_name(code); }
inline std::ostream& operator<<(std::ostream& os, const Error& e) { return os << e.what(); }

}  // namespace cachet

namespace test {

// The error code of a failed result (fails the check when the result succeeded).
template <class T>
cachet::Errc code(const cachet::Result<T>& r) {
  REQUIRE_MESSAGE(!r.has_value(), "expected an error");
  return r.error().code;
}

// Lets `d` pass for the memory backend's clock.
template <class Rep, class Period>
void elapse(std::chrono::duration<Rep, Period> d) {
  cachet::testing::advance_time(d);
}

}  // namespace test
