// The errors the memory engine's operations answer, worded as Redis words them.
#pragma once

#include "engine/error.hpp"
#include "engine/expiry_action.hpp"
#include "entry.hpp"

#include <expected>
#include <span>
#include <string>

namespace cachet::memory {

inline std::unexpected<Error> wrong_type(ValueKind held, ValueKind wanted) {
  return fail(Errc::wrong_type, "WRONGTYPE the key holds a " + std::string(kind_name(held)) + ", not a " +
                                    std::string(kind_name(wanted)));
}
inline std::unexpected<Error> too_large() {
  return fail(Errc::out_of_range, "string exceeds maximum allowed size (512 MiB)");
}
inline std::unexpected<Error> not_an_integer() {
  return fail(Errc::invalid_value, "value is not an integer or out of range");
}

// Refuses elements of a list or set longer than any string may be.
inline Result<void> check_elements(std::span<const std::string> values) {
  for (const auto& v : values) {
    if (v.size() > engine::max_value_bytes) return too_large();
  }
  return {};
}

}  // namespace cachet::memory
