// expect: backends/backends.hpp: No such file or directory
// The engine knows no backend: the table of backends is not on its include path.
#include "backends/backends.hpp"
