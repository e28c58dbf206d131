// Key patterns at run time: how keys are encoded, that encoding never collides, and that
// conflicting keyspaces of one cluster are refused. (Bad patterns are compile errors:
// tests/api/compile_fail/.)
#include "../support.hpp"

#include <boost/describe.hpp>

#include <set>

namespace {

struct ResourceKey {
  std::string user_id;
  std::string resource_path;
};
BOOST_DESCRIBE_STRUCT(ResourceKey, (), (user_id, resource_path))

struct Mixed {
  std::int64_t shard;
  std::string name;
};
BOOST_DESCRIBE_STRUCT(Mixed, (), (shard, name))

enum class Color { red, green };
BOOST_DESCRIBE_ENUM(Color, red, green)
enum class Plain : std::uint8_t { a = 3 };

cachet::Cluster cluster("test-patterns");
cachet::StringKeyspace<std::string> by_string(cluster, {.key_pattern = "s/:key"});
cachet::StringKeyspace<std::int64_t> by_int(cluster, {.key_pattern = "i/:key/v1"});
cachet::StringKeyspace<ResourceKey> by_struct(cluster, {.key_pattern = "r/:user_id/x/:resource_path"});
cachet::StringKeyspace<Mixed> reordered(cluster, {.key_pattern = "m/:name/:shard"});
cachet::StringKeyspace<Color> by_enum(cluster, {.key_pattern = "e/:key"});
cachet::StringKeyspace<Plain> by_plain_enum(cluster, {.key_pattern = "p/:key"});

}  // namespace

TEST_CASE("keys fill their pattern's placeholders") {
  CHECK(by_string.stored_key("u1") == "s/u1");
  CHECK(by_int.stored_key(-42) == "i/-42/v1");
  CHECK(by_struct.stored_key({"ann", "index.html"}) == "r/ann/x/index.html");
  CHECK(reordered.stored_key({7, "b"}) == "m/b/7");
  CHECK(by_enum.stored_key(Color::green) == "e/green");
  CHECK(by_plain_enum.stored_key(Plain::a) == "p/3");
}

TEST_CASE("'/' and '\\' in a value are escaped, so no two keys share a stored key") {
  CHECK(by_string.stored_key("a/b") == "s/a\\/b");
  CHECK(by_string.stored_key("a\\b") == "s/a\\\\b");
  CHECK(by_struct.stored_key({"/foo", "bar/"}) == "r/\\/foo/x/bar\\/");
  // Pairs that would collide under naive joining stay apart.
  CHECK(by_struct.stored_key({"a/x", "b"}) != by_struct.stored_key({"a", "x/b"}));
  CHECK(by_string.stored_key("a\\/b") != by_string.stored_key("a/b"));
  std::set<std::string> seen;
  const std::vector<std::string> parts = {"", "a", "/", "\\", "a/", "/a", "\\/", "/\\", "\\\\", "x/x", "x\\"};
  for (const auto& u : parts) {
    for (const auto& r : parts) CHECK(seen.insert(by_struct.stored_key({u, r})).second);
  }
}

TEST_CASE("an escaped byte is found at every position of values of every length") {
  // The scan for bytes to escape goes by words and blocks: an escape at any offset, in a value
  // of any length, must still be seen.
  for (std::size_t length = 1; length <= 70; ++length) {
    const std::string plain(length, 'a');
    CHECK(by_string.stored_key(plain) == "s/" + plain);
    for (std::size_t at = 0; at < length; ++at) {
      for (char c : {'/', '\\', '{', '}'}) {
        std::string value = plain;
        value[at] = c;
        const std::string code = c == '{' ? "(" : c == '}' ? ")" : std::string(1, c);
        INFO("length " << length << ", '" << c << "' at " << at);
        CHECK(by_string.stored_key(value) == "s/" + plain.substr(0, at) + "\\" + code + plain.substr(at + 1));
      }
    }
  }
}

TEST_CASE("values stored under escaped keys are found by the same key") {
  const ResourceKey tricky{"ann/admin", "C:\\path/to"};
  REQUIRE(by_struct.set(tricky, "v"));
  CHECK(by_struct.get(tricky) == "v");
  CHECK(test::code(by_struct.get({"ann", "admin/C:\\path/to"})) == cachet::Errc::miss);
}

TEST_CASE("conflicting keyspaces in one cluster throw ConfigError naming both patterns") {
  std::string what;
  try {
    cachet::IntKeyspace<std::string> clash(cluster, {.key_pattern = "s/:key"});
  } catch (const cachet::ConfigError& e) {
    what = e.what();
  }
  CHECK(what.find("\"s/:key\" conflicts with key pattern \"s/:key\"") != std::string::npos);
  try {
    cachet::StringKeyspace<ResourceKey> clash(cluster, {.key_pattern = "r/:user_id/:resource_path"});
  } catch (const cachet::ConfigError& e) {
    what = e.what();
  }
  CHECK(what.find("\"r/:user_id/:resource_path\"") != std::string::npos);
  CHECK(what.find("\"r/:user_id/x/:resource_path\"") != std::string::npos);
}

TEST_CASE("foo/:a conflicts with foo/bar/:b, while a/:id and a/:id/b do not") {
  cachet::Cluster local("test-pattern-conflicts");
  cachet::StringKeyspace<std::string> foo(local, {.key_pattern = "foo/:key"});
  CHECK_THROWS_AS(cachet::StringKeyspace<std::string>(local, {.key_pattern = "foo/bar/:key"}), cachet::ConfigError);
  CHECK_THROWS_AS(cachet::StringKeyspace<std::string>(local, {.key_pattern = ":key/x"}), cachet::ConfigError);
  cachet::StringKeyspace<std::string> a(local, {.key_pattern = "a/:key"});
  CHECK_NOTHROW(cachet::StringKeyspace<std::string>(local, {.key_pattern = "a/:key/b"}));
  CHECK_NOTHROW(cachet::StringKeyspace<std::string>(local, {.key_pattern = "b/:key"}));
  // Another cluster is another namespace.
  cachet::Cluster other("test-pattern-other");
  CHECK_NOTHROW(cachet::StringKeyspace<std::string>(other, {.key_pattern = "foo/:key"}));
}

TEST_CASE("destroying a keyspace releases its pattern; with() copies never register") {
  cachet::Cluster local("test-pattern-release");
  {
    cachet::StringKeyspace<std::string> first(local, {.key_pattern = "x/:key"});
    auto copy = first.with(cachet::keep_ttl);
    REQUIRE(copy.set("k", "v"));
    CHECK(first.get("k") == "v");
  }
  CHECK_NOTHROW(cachet::StringKeyspace<std::string>(local, {.key_pattern = "x/:key"}));
}
