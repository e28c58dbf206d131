// expect: compiles
// The memory backend sees the engine and itself (the control for its checks).
#include "engine/storage.hpp"
#include "memory_url.hpp"
