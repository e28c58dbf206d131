// expect: a hash tag must not start or end with '/'
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<std::string> k(c, {.key_pattern = "{a/}/:key"});
