// FloatKeyspace: doubles stored as decimal text, INCRBYFLOAT semantics.
#include "../support.hpp"

#include <cmath>
#include <limits>

namespace {

cachet::Cluster cluster("test-floats");
cachet::FloatKeyspace<std::int64_t> floats(cluster, {.key_pattern = "float/:key"});

}  // namespace

TEST_CASE("increment adds to a missing key counted as 0") {
  CHECK(floats.increment(1, 0.5) == 0.5);
  CHECK(floats.increment(1, 0.25) == 0.75);
  CHECK(floats.decrement(1, 1.0) == -0.25);
  CHECK(floats.get(1) == -0.25);
}

TEST_CASE("increment stores Redis's text: 10.5 + 0.1 reads back as 10.6") {
  REQUIRE(floats.set(2, 10.5));
  CHECK(floats.increment(2, 0.1) == 10.6);
  CHECK(cluster.storage().strings()->get(floats.stored_key(2)) == "10.6");
  REQUIRE(floats.set(3, 5.0e3));
  CHECK(floats.increment(3, 2.0e2) == 5200);
  CHECK(cluster.storage().strings()->get(floats.stored_key(3)) == "5200");
}

TEST_CASE("set and get round-trip doubles exactly") {
  for (double d : {0.1, -1e-300, 1e300, 123456789.123456789, 5e-324}) {
    CAPTURE(d);
    REQUIRE(floats.set(4, d));
    CHECK(floats.get(4) == d);
  }
}

TEST_CASE("NaN and infinity are refused with invalid_value, never stored") {
  CHECK(test::code(floats.set(5, std::nan(""))) == cachet::Errc::invalid_value);
  CHECK(test::code(floats.set(5, std::numeric_limits<double>::infinity())) == cachet::Errc::invalid_value);
  CHECK(test::code(floats.get(5)) == cachet::Errc::miss);
  CHECK(test::code(floats.increment(5, std::nan(""))) == cachet::Errc::invalid_value);
  CHECK(test::code(floats.increment(5, -std::numeric_limits<double>::infinity())) == cachet::Errc::invalid_value);
  CHECK(test::code(floats.get(5)) == cachet::Errc::miss);
}

TEST_CASE("an increment past the range of a double is invalid_value, as Redis's long double sum is") {
  REQUIRE(floats.set(6, std::numeric_limits<double>::max()));
  CHECK(test::code(floats.increment(6, std::numeric_limits<double>::max())) == cachet::Errc::invalid_value);
  // Redis keeps the long double sum; reading it as a double fails the same way.
  CHECK(test::code(floats.get(6)) == cachet::Errc::invalid_value);
}

TEST_CASE("increment of text that is not a number is invalid_value") {
  REQUIRE(cluster.storage().strings()->set(floats.stored_key(7), "ten", cachet::engine::SetCondition::always,
                                cachet::engine::ExpiryAction::persist()));
  CHECK(test::code(floats.increment(7, 1.0)) == cachet::Errc::invalid_value);
  CHECK(test::code(floats.get(7)) == cachet::Errc::invalid_value);
}

TEST_CASE("a result of zero is stored and answered as 0, never -0, as Redis normalizes it") {
  REQUIRE(floats.set(8, -0.0));
  const auto zero = floats.increment(8, -0.0);  // -0 + -0 is -0 in a long double sum
  REQUIRE(zero.has_value());
  CHECK(*zero == 0);
  CHECK_FALSE(std::signbit(*zero));
  CHECK(cluster.storage().strings()->get(floats.stored_key(8)) == "0");
  REQUIRE(floats.set(9, -1e-300));
  CHECK(cluster.storage().strings()->get(floats.stored_key(9)) != "0");
  REQUIRE(floats.increment(9, -1e-300));  // too small for 17 decimals: Redis prints 0
  CHECK(cluster.storage().strings()->get(floats.stored_key(9)) == "0");
  CHECK_FALSE(std::signbit(floats.get(9).value()));
}
