// expect: constraints not satisfied
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::HashKeyspace<std::string, float, std::string> k(c, {.key_pattern = "a/:key"});
