// Testing your own cache logic with doctest. The logic: a login lockout. Each failed login
// counts against the account for 15 minutes after the latest failure; at 3 the account is
// locked, until 15 minutes pass without another failure.
//
// Including <cachet/testing/doctest.hpp> gives every test case fresh, empty storage of its
// own, so no test cleans up after itself or sees another's keys; advance_time moves the
// storage's clock, so "15 minutes later" takes no time at all.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cachet/cachet.hpp>
#include <cachet/testing/doctest.hpp>

#include <chrono>
#include <cstdint>
#include <string>

using namespace std::chrono_literals;

// ---- The application's code (it would live in its own file) ----

inline cachet::Cluster auth("auth");
// Each write (every increment) sets the expiry again: the window restarts at each failure.
inline cachet::IntKeyspace<std::string> failed_logins(auth, {
    .key_pattern = "failed-logins/:key",
    .default_expiry = cachet::expire_in(15min),
});

constexpr std::int64_t failures_to_lock = 3;

void record_failed_login(const std::string& user) {
  (void)failed_logins.increment(user, 1);  // a cache failure loses one count: acceptable here
}

bool is_locked(const std::string& user) {
  const auto failures = failed_logins.get(user);
  return failures && *failures >= failures_to_lock;  // a miss (none recently) is not locked
}

// ---- Its tests ----

TEST_CASE("three failed logins lock the account, and only that account") {
  record_failed_login("ana");
  record_failed_login("ana");
  CHECK_FALSE(is_locked("ana"));
  record_failed_login("ana");
  CHECK(is_locked("ana"));
  CHECK_FALSE(is_locked("bo"));
}

TEST_CASE("the lock lifts once 15 minutes pass after the last failure") {
  for (int i = 0; i < 3; ++i) record_failed_login("ana");
  cachet::testing::advance_time(14min);
  CHECK(is_locked("ana"));
  cachet::testing::advance_time(1min + 1ms);  // as in Redis, a key lives through its last millisecond
  CHECK_FALSE(is_locked("ana"));
}

TEST_CASE("each failure restarts the 15 minutes, so slow guessing still locks") {
  record_failed_login("ana");
  cachet::testing::advance_time(10min);
  record_failed_login("ana");
  cachet::testing::advance_time(10min);  // 20 minutes after the first: it still counts
  record_failed_login("ana");
  CHECK(is_locked("ana"));
}

TEST_CASE("every test case starts with empty storage") {
  // The cases above locked ana; none of it is left here.
  CHECK_FALSE(is_locked("ana"));
  CHECK(failed_logins.get("ana").error().code == cachet::Errc::miss);
}
