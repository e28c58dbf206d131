// expect: a placeholder must be ':' followed by an identifier
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<std::string> k(c, {.key_pattern = "a/:1key"});
