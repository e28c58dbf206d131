// expect: compiles
// The Redis backend sees the engine and itself (the control for its checks).
#include "engine/storage.hpp"
#include "redis_url.hpp"
