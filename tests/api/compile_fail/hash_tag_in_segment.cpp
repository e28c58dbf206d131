// expect: a hash tag must enclose whole segments: '{' may only start a segment and '}' only end one
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<std::string> k(c, {.key_pattern = "a{b}/:key"});
