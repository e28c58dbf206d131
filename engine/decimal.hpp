// Numbers as Redis stores them: decimal text, parsed and printed exactly as Redis does, so
// the memory backend answers INCRBY and INCRBYFLOAT byte for byte like a Redis server.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cachet::engine::decimal {

// Redis's string2ll: an optional '-', then digits with no leading zero ("0" alone is fine),
// nothing else, within int64.
std::optional<std::int64_t> parse_int64(std::string_view text);

// Redis's string2ld: strtold over the whole text, no leading space, no NaN, no overflow.
std::optional<long double> parse_long_double(std::string_view text);

std::string format_int64(std::int64_t value);

// Redis's ld2string in human mode: "%.17Lf" with trailing zeros (and a bare '.') removed.
std::string format_long_double(long double value);

// The shortest text that reads back as the same double (for sending a delta to Redis).
std::string format_double(double value);

}  // namespace cachet::engine::decimal
