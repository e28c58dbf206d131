// Numbers as Redis stores them (engine/decimal.hpp): parsed and printed as Redis's string2ll,
// string2ld and ld2string do, so the memory engine answers INCRBY and INCRBYFLOAT byte for
// byte like a server.
#include "../support.hpp"

#include "engine/decimal.hpp"

#include <charconv>
#include <cstdint>
#include <limits>
#include <string>

using namespace std::string_literals;
namespace decimal = cachet::engine::decimal;

TEST_CASE("parse_int64 takes what string2ll takes: an optional '-', digits without a leading zero, in range") {
  CHECK(decimal::parse_int64("0") == 0);
  CHECK(decimal::parse_int64("42") == 42);
  CHECK(decimal::parse_int64("-17") == -17);
  CHECK(decimal::parse_int64("9223372036854775807") == std::numeric_limits<std::int64_t>::max());
  CHECK(decimal::parse_int64("-9223372036854775808") == std::numeric_limits<std::int64_t>::min());
  for (std::string_view bad : {"", "-", "-0", "007", "+1", " 1", "1 ", "1.5", "abc", "9223372036854775808",
                               "-9223372036854775809", "99999999999999999999", "123456789012345678901"}) {
    CAPTURE(bad);
    CHECK(decimal::parse_int64(bad) == std::nullopt);
  }
  CHECK(decimal::parse_int64("1\0"s) == std::nullopt);
}

TEST_CASE("parse_long_double takes what string2ld takes: the whole text, no leading space, no NaN, no overflow") {
  CHECK(decimal::parse_long_double("1.5") == 1.5L);
  CHECK(decimal::parse_long_double("-0.25") == -0.25L);
  CHECK(decimal::parse_long_double("5e3") == 5000.0L);
  CHECK(decimal::parse_long_double("10") == 10.0L);
  for (std::string_view bad : {"", " 1", "1 ", "nan", "1.5.2", "ten", "1e99999", "1e-99999", "0x"}) {
    CAPTURE(bad);
    CHECK(decimal::parse_long_double(bad) == std::nullopt);
  }
  CHECK(decimal::parse_long_double("1\0"s) == std::nullopt);  // SETRANGE pads with NULs
  CHECK(decimal::parse_long_double(std::string(5 * 1024, '1')) == std::nullopt);
}

TEST_CASE("format_int64 prints the whole int64 range") {
  CHECK(decimal::format_int64(0) == "0");
  CHECK(decimal::format_int64(-42) == "-42");
  CHECK(decimal::format_int64(std::numeric_limits<std::int64_t>::min()) == "-9223372036854775808");
  CHECK(decimal::format_int64(std::numeric_limits<std::int64_t>::max()) == "9223372036854775807");
}

TEST_CASE("format_long_double prints as ld2string: 17 decimals, trailing zeros and a bare '.' removed") {
  CHECK(decimal::format_long_double(5200.0L) == "5200");
  CHECK(decimal::format_long_double(0.5L) == "0.5");
  CHECK(decimal::format_long_double(-0.25L) == "-0.25");
  CHECK(decimal::format_long_double(-0.0L) == "0");  // Redis stores a zero result as 0, never -0
  CHECK(decimal::format_long_double(-1e-20L) == "0");
  CHECK(decimal::format_long_double(10.5L + 0.1L) == "10.6");  // INCRBYFLOAT 10.5 0.1 answers 10.6
  CHECK(decimal::format_long_double(1e20L) == "100000000000000000000");
  CHECK(decimal::format_long_double(std::numeric_limits<long double>::infinity()) == "inf");
  CHECK(decimal::format_long_double(-std::numeric_limits<long double>::infinity()) == "-inf");
  const std::string largest = decimal::format_long_double(std::numeric_limits<long double>::max());
  CHECK(largest.size() > 4900);
  CHECK(decimal::parse_long_double(largest) == std::numeric_limits<long double>::max());
}

TEST_CASE("format_double prints the shortest text that reads back as the same double") {
  CHECK(decimal::format_double(0.1) == "0.1");
  CHECK(decimal::format_double(-2.5) == "-2.5");
  CHECK(decimal::format_double(1e21) == "1e+21");
  for (double d : {0.1, 1.0 / 3, 5e-324, std::numeric_limits<double>::max(), -1e-300}) {
    CAPTURE(d);
    const std::string text = decimal::format_double(d);
    double back = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), back);
    CHECK(ec == std::errc());
    CHECK(end == text.data() + text.size());
    CHECK(back == d);
  }
}
