// expect: compiles
#include <cachet/cachet.hpp>
#include <boost/describe.hpp>
struct K { std::string user_id; std::int64_t n; };
BOOST_DESCRIBE_STRUCT(K, (), (user_id, n))
enum class Color { red };
inline cachet::Cluster c("valid-1");
inline cachet::StringKeyspace<std::string> a(c, {.key_pattern = "a/:key"});
inline cachet::IntKeyspace<K> b(c, {.key_pattern = "b/:n/x/:user_id"});
inline cachet::FloatKeyspace<Color> d(c, {.key_pattern = "d/:key"});
inline cachet::StringKeyspace<std::uint32_t> e(c, {.key_pattern = "v1.users-x/:key"});
