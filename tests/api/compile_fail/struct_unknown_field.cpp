// expect: every placeholder must name a field of the key struct
#include <cachet/cachet.hpp>
#include <boost/describe.hpp>
struct K { std::string user_id; };
BOOST_DESCRIBE_STRUCT(K, (), (user_id))
inline cachet::Cluster c("cf");
inline cachet::StringKeyspace<K> k(c, {.key_pattern = "a/:user_id/:resource"});
