// expect: key pattern must not contain '\\' (it escapes placeholder values)
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<std::string> k(c, {.key_pattern = "a\\b/:key"});
