// expect: cluster name must start with a lowercase letter
#include <cachet/cachet.hpp>
inline cachet::Cluster c("Cache");
