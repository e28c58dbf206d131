// How values become stored bytes and back. Strings are stored as they are, integers and
// floats as decimal text (as Redis stores them, so INCRBY and INCRBYFLOAT work on them),
// described structs as JSON. Any other type gets a specialization of its own:
//
//   template <> struct cachet::Codec<Money> {
//     static std::string encode(const Money& m);
//     static std::expected<Money, std::string> decode(std::string_view bytes);  // error: why not
//   };
#pragma once

#include <boost/describe/members.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <charconv>
#include <cmath>
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
    if (!std::isfinite(value)) return std::unexpected("the stored value is not a finite number");
    return value;
  }
};

// Structs described with BOOST_DESCRIBE_STRUCT: a JSON object of their fields (Boost.JSON).
template <class V>
  requires(std::is_class_v<V> && boost::describe::has_describe_members<V>::value)
struct Codec<V> {
  static std::string encode(const V& value) { return boost::json::serialize(boost::json::value_from(value)); }
  static std::expected<V, std::string> decode(std::string_view bytes) {
    boost::system::error_code ec;
    const boost::json::value json = boost::json::parse(bytes, ec);
    if (ec) return std::unexpected("the stored value is not JSON: " + ec.message());
    auto value = boost::json::try_value_to<V>(json);
    if (!value) return std::unexpected("the stored JSON does not match the struct: " + value.error().message());
    return std::move(*value);
  }
};

template <class V>
concept Codable = requires(const V& v, std::string_view bytes) {
  { Codec<V>::encode(v) } -> std::convertible_to<std::string>;
  { Codec<V>::decode(bytes) } -> std::same_as<std::expected<V, std::string>>;
};

}  // namespace cachet
