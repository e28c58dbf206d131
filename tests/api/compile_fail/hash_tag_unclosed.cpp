// expect: a hash tag's '{' must be closed by a '}'
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<std::string> k(c, {.key_pattern = "{a/:key"});
