// expect: cluster name must not end with '-'
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cache-");
