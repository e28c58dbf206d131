// expect: cluster name must be kebab-case: lowercase letters, digits and '-'
#include <cachet/cachet.hpp>
inline cachet::Cluster c("my_cache");
