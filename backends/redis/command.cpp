#include "command.hpp"

#include <charconv>

namespace cachet::redis {
namespace {

void append_header(std::string& out, char type, std::size_t count) {
  char buffer[24];
  buffer[0] = type;
  const auto end = std::to_chars(buffer + 1, buffer + sizeof buffer, count).ptr;
  out.append(buffer, end);
  out.append("\r\n", 2);
}

}  // namespace

void Command::write_to(std::string& out) const {
  // Reserve once: every argument costs its bytes plus a header of at most 24 characters.
  std::size_t bytes = 24;
  for (const Arg& a : args_) bytes += a.prefix.size() + a.bytes.size() + 24 + 2;
  out.reserve(out.size() + bytes);

  append_header(out, '*', args_.size());
  for (const Arg& a : args_) {
    if (a.is_number) {
      char digits[24];
      const auto end = std::to_chars(digits, digits + sizeof digits, a.number).ptr;
      append_header(out, '$', std::size_t(end - digits));
      out.append(digits, end);
    } else {
      append_header(out, '$', a.prefix.size() + a.bytes.size());
      out.append(a.prefix);
      out.append(a.bytes);
    }
    out.append("\r\n", 2);
  }
}

}  // namespace cachet::redis
