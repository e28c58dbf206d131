// expect: ignoring return value of
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<std::string> k(c, {.key_pattern = "a/:key"});
void f() { k.set("x", "y"); }  // a failed write would pass unnoticed: the Result must be looked at
