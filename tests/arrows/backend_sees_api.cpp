// expect: cachet/cluster.hpp: No such file or directory
// A backend knows no keyspace: the public headers are not on its include path.
#include "cachet/cluster.hpp"
