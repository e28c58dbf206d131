// expect: a placeholder must not appear twice in a key pattern
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<std::string> k(c, {.key_pattern = "a/:key/:key"});
