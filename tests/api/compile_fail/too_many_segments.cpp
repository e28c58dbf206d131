// expect: key pattern must have at most 16 segments
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<std::string> k(c, {.key_pattern = "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/:key"});
