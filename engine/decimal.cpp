#include "decimal.hpp"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <algorithm>

namespace cachet::engine::decimal {

std::optional<std::int64_t> parse_int64(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  if (text == "0") return 0;
  std::size_t i = text[0] == '-' ? 1 : 0;
  if (i >= text.size() || text[i] < '1' || text[i] > '9') return std::nullopt;
  for (std::size_t j = i; j < text.size(); ++j) {
    if (text[j] < '0' || text[j] > '9') return std::nullopt;
  }
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<long double> parse_long_double(std::string_view text) {
  constexpr std::size_t max_chars = 5 * 1024;  // Redis's MAX_LONG_DOUBLE_CHARS
  if (text.empty() || text.size() >= max_chars) return std::nullopt;
  if (std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
  const std::string buffer(text);  // strtold needs a terminated string
  char* end = nullptr;
  errno = 0;
  const long double value = std::strtold(buffer.c_str(), &end);
  // All of the text must be the number: a NUL inside it (SETRANGE pads with them) ends strtold early.
  if (std::size_t(end - buffer.c_str()) != text.size() || std::isnan(value)) return std::nullopt;
  if (errno == ERANGE && (std::isinf(value) || value == 0.0L)) return std::nullopt;
  if (errno == EINVAL) return std::nullopt;
  return value;
}

std::string format_int64(std::int64_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

std::string format_long_double(long double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // Redis formats into a 5 KiB buffer; long double's largest finite value needs about 4950 characters.
  char buffer[5 * 1024];
  const int n = std::snprintf(buffer, sizeof buffer, "%.17Lf", value);
  std::string out(buffer, std::size_t(std::max(0, std::min<int>(n, int(sizeof buffer) - 1))));
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  // As Redis stores a float result: a zero, or a negative too small for 17 decimals, is "0", never "-0".
  if (out == "-0") out = "0";
  return out;
}

std::string format_double(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

}  // namespace cachet::engine::decimal
