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
// Hash tags: around one placeholder, several whole segments, or literals only.
inline cachet::StringKeyspace<K> f(c, {.key_pattern = "feed/{:user_id}/posts/:n"});
inline cachet::StringKeyspace<K> g(c, {.key_pattern = "{g/:user_id}/:n"});
inline cachet::StringKeyspace<K> h(c, {.key_pattern = "h/{:n/:user_id}"});
inline cachet::StringKeyspace<std::string> i(c, {.key_pattern = "{global}/i/:key"});
