// expect: a '}' must close a hash tag opened by '{' before it
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<std::string> k(c, {.key_pattern = "a}/:key"});
