// Results and errors: every operation answers a Result<T> = std::expected<T, Error>.
// Defined beside the Storage interface (engine/), which answers the same types.
#pragma once

#include "engine/error.hpp"
