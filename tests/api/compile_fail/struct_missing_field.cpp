// expect: every field of the key struct must appear in the key pattern
#include <cachet/cachet.hpp>
#include <boost/describe.hpp>
struct K { std::string user_id; std::string resource_path; };
BOOST_DESCRIBE_STRUCT(K, (), (user_id, resource_path))
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<K> k(c, {.key_pattern = "a/:user_id"});
