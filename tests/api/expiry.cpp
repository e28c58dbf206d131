// Expiry values (<cachet/expiry.hpp>): what resolve() makes of each form, before any backend
// sees it. What writes do with them, on every data type and backend: tests/conformance/expiry.cpp.
#include "../support.hpp"

#include <chrono>
#include <cmath>

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
  CHECK(far.error().message.find("9e12 milliseconds") != std::string::npos);
  CHECK(test::code(cachet::resolve(cachet::expire_daily_at(24, 0, 0))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_daily_at(0, 60, 0))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_daily_at(0, 0, 60))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_daily_at(-1, 0, 0))) == cachet::Errc::out_of_range);
  const auto a_day_off = cachet::resolve(cachet::expire_daily_at(0, 0, 0, std::chrono::hours(24)));
  CHECK(test::code(a_day_off) == cachet::Errc::out_of_range);
}

TEST_CASE("expire_in refuses a duration past 9e12 ms either way instead of wrapping it into another TTL") {
  using namespace std::chrono;
  // Each of these overflows int64 milliseconds, or comes close: none may become a TTL.
  CHECK(test::code(cachet::resolve(cachet::expire_in(seconds(-9999999999999999)))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_in(seconds(9999999999999999)))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_in(hours::max()))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_in(hours::min()))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_in(milliseconds::max()))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_in(milliseconds::min()))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_in(years(-300)))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_in(duration<double>(1e300)))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_in(duration<double>(-1e300)))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_in(duration<double>(std::nan(""))))) == cachet::Errc::out_of_range);
  // Even nanoseconds' extremes, about 292 years, are past the limit.
  CHECK(test::code(cachet::resolve(cachet::expire_in(nanoseconds::min()))) == cachet::Errc::out_of_range);
  CHECK(test::code(cachet::resolve(cachet::expire_in(nanoseconds::max()))) == cachet::Errc::out_of_range);
  // The limit itself is a TTL, and its negative a deletion.
  CHECK(cachet::resolve(cachet::expire_in(milliseconds(9'000'000'000'000)))->ttl == milliseconds(9'000'000'000'000));
  CHECK(cachet::resolve(cachet::expire_in(milliseconds(-9'000'000'000'000)))->deletes());
  CHECK(test::code(cachet::resolve(cachet::expire_in(milliseconds(9'000'000'000'001)))) == cachet::Errc::out_of_range);
}
