// expect: cachet/cluster.hpp: No such file or directory
// The engine knows no keyspace: the public headers are not on its include path.
#include "cachet/cluster.hpp"
