// expect: a key type must be std::string, an integer, an enum, or a struct whose public fields
#include <cachet/cachet.hpp>
inline cachet::Cluster c("cf");
inline cachet::KeyPattern<double> p = "a/:key";
