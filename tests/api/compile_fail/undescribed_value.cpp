// expect: describe the struct with BOOST_DESCRIBE_STRUCT(V, (), (field, ...)), or give the type a cachet::Codec<V> specialization
#include <cachet/cachet.hpp>
struct Profile { std::string name; int age; };  // neither described nor given a Codec
inline cachet::Cluster c("cf");
inline cachet::StructKeyspace<std::string, Profile> k(c, {.key_pattern = "profile/:key"});
