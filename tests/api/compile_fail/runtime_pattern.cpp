// expect: is not usable in a constant expression
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline const char* text = "a/:key";
inline cachet::StringKeyspace<std::string> k(c, {.key_pattern = text});
