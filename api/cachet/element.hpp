// The element types of lists and sets (and of hashes' fields and values): strings, 64-bit
// integers and doubles, stored as Redis stores them.
#pragma once

#include "engine/require_cxx23.hpp"

#include <concepts>
#include <cstdint>
#include <string>

namespace cachet {

template <class V>
concept Element = std::same_as<V, std::string> || std::same_as<V, std::int64_t> || std::same_as<V, double>;

}  // namespace cachet
