// expect: hash tags must not be nested: a '{' inside '{...}'
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<std::string> k(c, {.key_pattern = "{a/{:key}}"});
