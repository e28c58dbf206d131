// Described structs as stored values: a JSON object of their fields, through Boost.JSON.
// Included by <cachet/struct_keyspace.hpp>; only users of StructKeyspace pay for it.
#pragma once

#include "engine/require_cxx23.hpp"

#include "codec.hpp"

#include <boost/describe/members.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_stack.hpp>
#include <boost/json/value_to.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <type_traits>

namespace cachet {

namespace detail {

// Whether every number in `json` is finite. Boost.JSON reads a number past the range of a
// double (1e400) as infinity, and infinity encodes as "Infinity", which is not JSON: a value
// decoded from such bytes could never be stored and read back.
inline bool numbers_finite(const boost::json::value& json) {
  switch (json.kind()) {
    case boost::json::kind::double_: return std::isfinite(json.get_double());
    case boost::json::kind::array:
      for (const auto& element : json.get_array()) {
        if (!numbers_finite(element)) return false;
      }
      return true;
    case boost::json::kind::object:
      for (const auto& member : json.get_object()) {
        if (!numbers_finite(member.value())) return false;
      }
      return true;
    default: return true;
  }
}

// Builds a boost::json::value as boost::json::parse does, but reads every number that is not
// an integer from its text with std::from_chars. Boost.JSON 1.81 reads such numbers quickly but
// not always to the nearest double ("2.3820188140736326E2", which it writes itself, comes back
// as 238.20188140736329), so a double field would change on its way through the cache.
struct ExactJsonHandler {
  static constexpr std::size_t max_object_size = boost::json::object::max_size();
  static constexpr std::size_t max_array_size = boost::json::array::max_size();
  static constexpr std::size_t max_key_size = boost::json::string::max_size();
  static constexpr std::size_t max_string_size = boost::json::string::max_size();
  using error_code = boost::system::error_code;
  using string_view = boost::json::string_view;

  boost::json::value_stack stack;
  std::string number;  // the number read so far, when the parser hands it over in parts

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) { return true; }
  bool on_object_end(std::size_t n, error_code&) { return stack.push_object(n), true; }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t n, error_code&) { return stack.push_array(n), true; }
  bool on_key_part(string_view s, std::size_t, error_code&) { return stack.push_chars(s), true; }
  bool on_key(string_view s, std::size_t, error_code&) { return stack.push_key(s), true; }
  bool on_string_part(string_view s, std::size_t, error_code&) { return stack.push_chars(s), true; }
  bool on_string(string_view s, std::size_t, error_code&) { return stack.push_string(s), true; }
  bool on_number_part(string_view s, error_code&) { return number.append(s.data(), s.size()), true; }
  bool on_int64(std::int64_t i, string_view, error_code&) { return number.clear(), stack.push_int64(i), true; }
  bool on_uint64(std::uint64_t u, string_view, error_code&) { return number.clear(), stack.push_uint64(u), true; }
  bool on_double(double d, string_view s, error_code&) {
    number.append(s.data(), s.size());
    double exact = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), exact);
    // Out of range: Boost.JSON's own reading (infinity, or zero for an underflow) stands.
    if (ec == std::errc() && end == number.data() + number.size()) d = exact;
    number.clear();
    return stack.push_double(d), true;
  }
  bool on_bool(bool b, error_code&) { return stack.push_bool(b), true; }
  bool on_null(error_code&) { return stack.push_null(), true; }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }
};

// boost::json::parse(bytes, ec), with numbers read by ExactJsonHandler. Strings need not be
// UTF-8: Boost.JSON writes a std::string's bytes as they are, and what encode() writes must
// read back.
inline boost::json::value parse_json(std::string_view bytes, boost::system::error_code& ec) {
  boost::json::parse_options options;
  options.allow_invalid_utf8 = true;
  boost::json::basic_parser<ExactJsonHandler> parser(options);
  parser.handler().stack.reset();
  const std::size_t used = parser.write_some(false, bytes.data(), bytes.size(), ec);
  if (!ec && used < bytes.size()) ec = boost::json::error::extra_data;
  if (ec) return nullptr;
  return parser.handler().stack.release();
}

}  // namespace detail

// Structs described with BOOST_DESCRIBE_STRUCT: a JSON object of their fields (Boost.JSON).
template <class V>
  requires(std::is_class_v<V> && boost::describe::has_describe_members<V>::value)
struct Codec<V> {
  static std::string encode(const V& value) { return boost::json::serialize(boost::json::value_from(value)); }
  static std::expected<V, std::string> decode(std::string_view bytes) {
    boost::system::error_code ec;
    const boost::json::value json = detail::parse_json(bytes, ec);
    if (ec) return std::unexpected("the stored value is not JSON: " + ec.message());
    if (!detail::numbers_finite(json)) {
      return std::unexpected("the stored JSON has a number beyond the range of a double");
    }
    auto value = boost::json::try_value_to<V>(json);
    if (!value) return std::unexpected("the stored JSON does not match the struct: " + value.error().message());
    return std::move(*value);
  }
  // JSON has no NaN or infinity: Boost.JSON would write them, and no read could take them back.
  static const char* invalid(const V& value) {
    if (detail::numbers_finite(boost::json::value_from(value))) return nullptr;
    return "NaN and infinity cannot be stored (JSON has no such numbers)";
  }
};

}  // namespace cachet
