// expect: compiles
// The API sees the engine and the table of backends (the control for the arrows into it).
#include "backends/backends.hpp"
#include "cachet/cluster.hpp"
#include "engine/storage.hpp"
