// Results and errors: every operation answers a Result<T> = std::expected<T, Error>.
// Defined beside the Storage interface (engine/), which answers the same types.
#pragma once

#include "engine/require_cxx23.hpp"

#include "engine/error.hpp"
