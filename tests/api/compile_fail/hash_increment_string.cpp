// expect: constraints not satisfied
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::HashKeyspace<std::string, std::string, std::string> k(c, {.key_pattern = "a/:key"});
void f() { (void)k.increment("x", "f", "1"); }
