// expect: compiles
// The engine's own headers, as its sources include them (the control for the engine's checks).
#include "backend.hpp"
#include "storage.hpp"
#include "url.hpp"
