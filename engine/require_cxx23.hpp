// Every installed cachet header includes this first. Without C++23 it stops the compile at
// once with one message, rather than letting <expected> and friends fail hundreds of times.
#pragma once

#if !defined(__cplusplus) || __cplusplus <= 202002L
#error "cachet needs C++23: compile with -std=c++23 (g++ 12 or newer)"
// An include that never exists is a fatal error: the compiler stops here, after the line above.
#include <cachet-stops-here-without-cxx23>
#endif
