// expect: a keyspace with a basic key type must contain the placeholder ':key'
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<std::string> k(c, {.key_pattern = "a/b"});
