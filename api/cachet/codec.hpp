// How values become stored bytes and back. Strings are stored as they are, integers and
// floats as decimal text (as Redis stores them, so INCRBY and INCRBYFLOAT work on them).
// Described structs are JSON (<cachet/json_codec.hpp>, included by StructKeyspace's header,
// so only its users pay for Boost.JSON). Any other type gets a specialization of its own:
//
//   template <> struct cachet::Codec<Money> {
//     static std::string encode(const Money& m);
//     static std::expected<Money, std::string> decode(std::string_view bytes);  // error: why not
//     static const char* invalid(const Money& m);  // optional: why it may not be stored, or nullptr
//   };
#pragma once

#include "engine/require_cxx23.hpp"

#include <charconv>
#include <concepts>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <type_traits>

namespace cachet {

template <class V>
struct Codec;  // no default: a value type needs one of the specializations below, or the user's

template <>
struct Codec<std::string> {
  static std::string encode(const std::string& value) { return value; }
  static std::expected<std::string, std::string> decode(std::string_view bytes) { return std::string(bytes); }
};

template <class V>
  requires(std::is_integral_v<V> && !std::same_as<V, bool>)
struct Codec<V> {
  static std::string encode(V value) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, end);
  }
  static std::expected<V, std::string> decode(std::string_view bytes) {
    V value{};
    auto [end, ec] = std::from_chars(bytes.data(), bytes.data() + bytes.size(), value);
    if (bytes.empty() || ec != std::errc() || end != bytes.data() + bytes.size()) {
      return std::unexpected("the stored value is not an integer in range");
    }
    return value;
  }
};

template <>
struct Codec<double> {
  // The shortest text that reads back as the same double.
  static std::string encode(double value) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, end);
  }
  static std::expected<double, std::string> decode(std::string_view bytes) {
    double value = 0;
    auto [end, ec] = std::from_chars(bytes.data(), bytes.data() + bytes.size(), value);
    if (bytes.empty() || ec != std::errc() || end != bytes.data() + bytes.size()) {
      return std::unexpected("the stored value is not a number");
    }
    if (!finite(value)) return std::unexpected("the stored value is not a finite number");
    return value;
  }
  // Neither backend can store NaN or infinity as a number.
  static const char* invalid(double value) {
    return finite(value) ? nullptr : "NaN and infinity cannot be stored";
  }
  // std::isfinite, without the 24,000 lines of <cmath> in every includer.
  static constexpr bool finite(double value) { return __builtin_isfinite(value); }
};

template <class V>
concept Codable = requires(const V& v, std::string_view bytes) {
  { Codec<V>::encode(v) } -> std::convertible_to<std::string>;
  { Codec<V>::decode(bytes) } -> std::same_as<std::expected<V, std::string>>;
};

}  // namespace cachet
