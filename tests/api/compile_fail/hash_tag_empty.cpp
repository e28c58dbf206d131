// expect: a hash tag must not be empty: '{}'
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<std::string> k(c, {.key_pattern = "a/{}/:key"});
