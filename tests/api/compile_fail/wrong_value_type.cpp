// expect: cannot convert
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::IntKeyspace<std::string> k(c, {.key_pattern = "a/:key"});
void f() { (void)k.set("x", std::string("not a number")); }
