// expect: for a struct, add BOOST_DESCRIBE_STRUCT(K, (), (field, ...)) after it, naming every field
#include <cachet/cachet.hpp>
struct UserKey { std::string user_id; };  // not described: its fields are unknown to cachet
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<UserKey> k(c, {.key_pattern = "user/:user_id"});
