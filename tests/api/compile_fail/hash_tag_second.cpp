// expect: a key pattern may hold at most one hash tag '{...}'
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<std::string> k(c, {.key_pattern = "{a}/{:key}"});
