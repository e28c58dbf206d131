// expect: key pattern must not start with the reserved prefix '__cachet'
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<std::string> k(c, {.key_pattern = "__cachet/:key"});
