// expect: cluster name must not be empty
#include <cachet/cachet.hpp>
inline cachet::Cluster c("");
