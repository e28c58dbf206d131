// Hash tags in key patterns ("feed/{:user_id}/posts/:day"): the stored key keeps the braces so
// that Redis Cluster hashes only the tag, and no placeholder value can move, cut or create a
// tag. (Bad tags are compile errors: tests/api/compile_fail/hash_tag_*.cpp.)
#include "../support.hpp"

#include "engine/hash_slot.hpp"

#include <boost/describe.hpp>

#include <set>

namespace {

struct FeedKey {
  std::string user_id;
  std::string day;
};
BOOST_DESCRIBE_STRUCT(FeedKey, (), (user_id, day))

struct TenantKey {
  std::string tenant;
  std::int64_t id;
  std::string name;
};
BOOST_DESCRIBE_STRUCT(TenantKey, (), (tenant, id, name))

enum class Region { eu, us };
BOOST_DESCRIBE_ENUM(Region, eu, us)

cachet::Cluster cluster("test-hash-tags");
cachet::StringKeyspace<FeedKey> feed(cluster, {.key_pattern = "feed/{:user_id}/posts/:day"});
cachet::StringKeyspace<TenantKey> tenant(cluster, {.key_pattern = "{t/:tenant/:id}/n/:name"});
cachet::StringKeyspace<std::string> global(cluster, {.key_pattern = "{global}/:key"});
// A cluster of its own: "{:key}" and "{global}/:key" conflict, as "{global}" could be a key.
cachet::Cluster lone_cluster("test-hash-tags-lone");
cachet::StringKeyspace<std::string> lone(lone_cluster, {.key_pattern = "{:key}"});
cachet::StringKeyspace<std::string> untagged(cluster, {.key_pattern = "plain/:key"});
cachet::IntKeyspace<std::int64_t> by_int(cluster, {.key_pattern = "i/{:key}/n"});
cachet::IntKeyspace<Region> by_enum(cluster, {.key_pattern = "r/{:key}"});

// The values whose encodings could meet if the escapes were careless.
const std::vector<std::string> tricky = {"",   "e",   "\\e", "\\",  "\\\\", "{",    "}",   "{}",   "}{",
                                         "(",  ")",   "\\(", "\\)", "/",    "\\/",  "{x}", "x{",   "}x",
                                         "{/", "/}", "a/b", "\\{", "\\}", "{{}}", "\\e\\", "ee", "{e}"};

}  // namespace

TEST_CASE("a tagged pattern's stored key keeps the braces, around the values as written") {
  CHECK(feed.stored_key({"42", "2024-01-01"}) == "feed/{42}/posts/2024-01-01");
  CHECK(tenant.stored_key({"acme", 7, "x"}) == "{t/acme/7}/n/x");
  CHECK(global.stored_key("k") == "{global}/k");
  CHECK(lone.stored_key("k") == "{k}");
  CHECK(by_int.stored_key(-3) == "i/{-3}/n");
  CHECK(by_enum.stored_key(Region::us) == "r/{us}");
}

TEST_CASE("every key of one user lives in the slot of the user's tag") {
  const auto slot = cachet::hash_slot("42");
  for (const char* day : {"2024-01-01", "2024-01-02", "mon", "", "{", "}", "a/b"}) {
    CAPTURE(day);
    const std::string stored = feed.stored_key({"42", day});
    CHECK(cachet::hash_tag(stored) == "42");
    CHECK(cachet::hash_slot(stored) == slot);
  }
  // Keys of a multi-segment tag share a slot per (tenant, id); a literal-only tag puts the whole
  // keyspace in one slot.
  CHECK(cachet::hash_slot(tenant.stored_key({"acme", 7, "a"})) == cachet::hash_slot(tenant.stored_key({"acme", 7, "b"})));
  CHECK(cachet::hash_tag(tenant.stored_key({"acme", 7, "a"})) == "t/acme/7");
  for (const char* key : {"a", "b", "{c}", ""}) CHECK(cachet::hash_tag(global.stored_key(key)) == "global");
}

TEST_CASE("braces in values are escaped, so a value can never move, cut or create a hash tag") {
  CHECK(feed.stored_key({"{a}", "b"}) == "feed/{\\(a\\)}/posts/b");
  CHECK(feed.stored_key({"a}", "{b}"}) == "feed/{a\\)}/posts/\\(b\\)");
  CHECK(untagged.stored_key("{x}") == "plain/\\(x\\)");
  CHECK(tenant.stored_key({"}{", 1, "{"}) == "{t/\\)\\(/1}/n/\\(");
  for (const std::string& v : tricky) {
    CAPTURE(v);
    // The tag Redis hashes is exactly the tag's value, escaped: a '}' in the user cannot cut it,
    // a '{' in the day cannot move it.
    CHECK(cachet::hash_tag(feed.stored_key({"u", v})) == "u");
    const std::string in_tag = feed.stored_key({v, "d"});
    CHECK(cachet::hash_tag(in_tag) == in_tag.substr(6, in_tag.find("}/posts/") - 6));
    CHECK(cachet::hash_slot(in_tag) == cachet::hash_slot(feed.stored_key({v, "other day"})));
    // Without a tag in the pattern, the key holds no brace at all: Redis hashes it whole.
    const std::string stored = untagged.stored_key(v);
    CHECK(stored.find_first_of("{}") == std::string::npos);
    CHECK(cachet::hash_tag(stored) == stored);
  }
}

TEST_CASE("an empty value that is a hash tag on its own is written \\e, so the tag is never empty") {
  CHECK(feed.stored_key({"", "d"}) == "feed/{\\e}/posts/d");
  CHECK(lone.stored_key("") == "{\\e}");
  CHECK(cachet::hash_tag(feed.stored_key({"", "d"})) == "\\e");
  CHECK(cachet::hash_slot(feed.stored_key({"", "d1"})) == cachet::hash_slot(feed.stored_key({"", "d2"})));
  // Elsewhere the empty value stays empty: outside a tag, and in a tag that holds more.
  CHECK(feed.stored_key({"u", ""}) == "feed/{u}/posts/");
  CHECK(untagged.stored_key("") == "plain/");
  CHECK(tenant.stored_key({"", 0, ""}) == "{t//0}/n/");
  // "e" and "\e" are other keys.
  CHECK(lone.stored_key("e") == "{e}");
  CHECK(lone.stored_key("\\e") == "{\\\\e}");
}

TEST_CASE("no two keys of a tagged keyspace share a stored key") {
  std::set<std::string> lone_keys, feed_keys, untagged_keys;
  for (const std::string& a : tricky) {
    CHECK(lone_keys.insert(lone.stored_key(a)).second);
    CHECK(untagged_keys.insert(untagged.stored_key(a)).second);
    for (const std::string& b : tricky) CHECK(feed_keys.insert(feed.stored_key({a, b})).second);
  }
  CHECK(lone_keys.size() == tricky.size());
  CHECK(feed_keys.size() == tricky.size() * tricky.size());
}

TEST_CASE("values under tagged and escaped keys are found by the same key, and only by it") {
  for (const std::string& v : tricky) {
    CAPTURE(v);
    REQUIRE(feed.set({v, v}, "value of " + v));
    REQUIRE(lone.set(v, "lone " + v));
  }
  for (const std::string& v : tricky) {
    CAPTURE(v);
    CHECK(feed.get({v, v}) == "value of " + v);
    CHECK(lone.get(v) == "lone " + v);
  }
  CHECK(test::code(feed.get({"", "e"})) == cachet::Errc::miss);
  CHECK(feed.erase(FeedKey{"{", "{"}, FeedKey{"{", "\\("}) == 1);
}

TEST_CASE("tagged patterns conflict by the same rule, braces part of their segments") {
  cachet::Cluster local("test-hash-tag-conflicts");
  cachet::StringKeyspace<std::string> a(local, {.key_pattern = "{:key}/x"});
  CHECK_THROWS_AS(cachet::StringKeyspace<std::string>(local, {.key_pattern = "{:key}/x"}), cachet::ConfigError);
  // A literal tag could be a value of the same shape.
  CHECK_THROWS_AS(cachet::StringKeyspace<std::string>(local, {.key_pattern = "{x}/:key"}), cachet::ConfigError);
  // A value never writes a brace, so braces in other places keep keyspaces apart.
  CHECK_NOTHROW(cachet::StringKeyspace<std::string>(local, {.key_pattern = ":key/x"}));
  CHECK_NOTHROW(cachet::StringKeyspace<std::string>(local, {.key_pattern = "{:key/x}"}));
}
