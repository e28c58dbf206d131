// Expiry values (<cachet/expiry.hpp>): what resolve() makes of each form, before any backend
// sees it. What writes do with them, on every data type and backend: tests/conformance/expiry.cpp.
#include "../support.hpp"

#include <chrono>

using namespace std::chrono_literals;

TEST_CASE("expire_in rounds a sub-millisecond duration up, never into the past") {
  const auto action = cachet::resolve(cachet::expire_in(std::chrono::microseconds(10)));
  REQUIRE(action);
  CHECK(action->ttl == 1ms);
  CHECK(!action->deletes());
  CHECK(cachet::resolve(cachet::expire_in(std::chrono::microseconds(1500)))->ttl == 2ms);
  CHECK(cachet::resolve(cachet::expire_in(0ms))->deletes());
}

TEST_CASE("never_expire persists, keep_ttl keeps, a past expiry deletes") {
  using Kind = cachet::engine::ExpiryAction::Kind;
  CHECK(cachet::resolve(cachet::never_expire)->kind == Kind::persist);
  CHECK(cachet::resolve(cachet::keep_ttl)->kind == Kind::keep);
  CHECK(cachet::resolve(cachet::expire_in(-1s))->deletes());
  CHECK(cachet::resolve(cachet::expire_in(250ms))->ttl == 250ms);
}

TEST_CASE("an invalid expiry resolves to out_of_range saying what is wrong") {
  const auto far = cachet::resolve(cachet::expire_in(std::chrono::years(300)));
  CHECK(test::code(far) == cachet::Errc::out_of_range);
  CHECK(far.error().message.find("290 years") != std::string::npos);
  CHECK(test::code(cachet::resolve(cachet::expire_daily_at(24, 0, 0))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_daily_at(0, 60, 0))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_daily_at(0, 0, 60))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_daily_at(-1, 0, 0))) == cachet::Errc::out_of_range);
  const auto a_day_off = cachet::resolve(cachet::expire_daily_at(0, 0, 0, std::chrono::hours(24)));
  CHECK(test::code(a_day_off) == cachet::Errc::out_of_range);
}
