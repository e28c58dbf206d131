// StringKeyspace: every method's success, miss and error paths.
#include "../support.hpp"

#include <string>

using namespace std::string_literals;

namespace {

cachet::Cluster cluster("test-strings");
cachet::StringKeyspace<std::string> strings(cluster, {.key_pattern = "str/:key"});
cachet::ListKeyspace<std::string, std::string> lists(cluster, {.key_pattern = "strlist/:key"});

}  // namespace

TEST_CASE("get answers what set wrote, and a miss for a key never written") {
  CHECK(test::code(strings.get("nobody")) == cachet::Errc::miss);
  REQUIRE(strings.set("a", "alpha"));
  CHECK(strings.get("a") == "alpha");
  REQUIRE(strings.set("a", "beta"));
  CHECK(strings.get("a") == "beta");
}

TEST_CASE("a miss names the operation and the stored key") {
  const auto r = strings.get("u1");
  REQUIRE(!r);
  CHECK(r.error().op == "get");
  CHECK(r.error().key == "str/u1");
  CHECK(r.error().what() == "cachet: get \"str/u1\": cache miss");
}

TEST_CASE("values keep every byte, including NUL and non-UTF-8") {
  const std::string value = "a\0b\xff\n"s;
  REQUIRE(strings.set("bin", value));
  CHECK(strings.get("bin") == value);
  REQUIRE(strings.set("empty", ""));
  CHECK(strings.get("empty") == "");
}

TEST_CASE("set_if_not_exists writes only a new key") {
  REQUIRE(strings.set_if_not_exists("k", "first"));
  const auto again = strings.set_if_not_exists("k", "second");
  CHECK(test::code(again) == cachet::Errc::key_exists);
  CHECK(again.error().op == "set_if_not_exists");
  CHECK(strings.get("k") == "first");
}

TEST_CASE("replace writes only an existing key") {
  CHECK(test::code(strings.replace("k", "v")) == cachet::Errc::miss);
  CHECK(test::code(strings.get("k")) == cachet::Errc::miss);
  REQUIRE(strings.set("k", "v"));
  REQUIRE(strings.replace("k", "w"));
  CHECK(strings.get("k") == "w");
}

TEST_CASE("get_and_set answers the old value, or a miss after writing the first one") {
  const auto first = strings.get_and_set("k", "one");
  CHECK(test::code(first) == cachet::Errc::miss);
  CHECK(strings.get("k") == "one");
  CHECK(strings.get_and_set("k", "two") == "one");
  CHECK(strings.get("k") == "two");
}

TEST_CASE("get_and_delete answers the value and removes it") {
  CHECK(test::code(strings.get_and_delete("k")) == cachet::Errc::miss);
  REQUIRE(strings.set("k", "v"));
  CHECK(strings.get_and_delete("k") == "v");
  CHECK(test::code(strings.get("k")) == cachet::Errc::miss);
}

TEST_CASE("append creates or extends, answering the length") {
  CHECK(strings.append("k", "ab") == 2);
  CHECK(strings.append("k", "cde") == 5);
  CHECK(strings.get("k") == "abcde");
  CHECK(strings.append("k", "") == 5);
}

TEST_CASE("get_range follows GETRANGE: inclusive, negative from the end, clamped") {
  REQUIRE(strings.set("k", "Hello World"));
  CHECK(strings.get_range("k", 0, 4) == "Hello");
  CHECK(strings.get_range("k", -5, -1) == "World");
  CHECK(strings.get_range("k", 0, -1) == "Hello World");
  CHECK(strings.get_range("k", 6, 1000) == "World");
  CHECK(strings.get_range("k", 5, 3) == "");
  CHECK(strings.get_range("k", 100, 200) == "");
  CHECK(strings.get_range("k", -100, -50) == "H");  // Redis clamps a negative end to 0
  CHECK(strings.get_range("missing", 0, -1) == "");
}

TEST_CASE("set_range overwrites and zero-pads, answering the length") {
  REQUIRE(strings.set("k", "Hello World"));
  CHECK(strings.set_range("k", 6, "Redis") == 11);
  CHECK(strings.get("k") == "Hello Redis");
  CHECK(strings.set_range("pad", 3, "x") == 4);
  CHECK(strings.get("pad") == "\0\0\0x"s);
  CHECK(strings.set_range("k", 0, "") == 11);
  CHECK(strings.set_range("nothing", 5, "") == 0);
  CHECK(test::code(strings.get("nothing")) == cachet::Errc::miss);
  CHECK(test::code(strings.set_range("k", -1, "x")) == cachet::Errc::out_of_range);
}

TEST_CASE("len answers STRLEN, 0 for a missing key") {
  CHECK(strings.len("k") == 0);
  REQUIRE(strings.set("k", "four"));
  CHECK(strings.len("k") == 4);
}

TEST_CASE("string operations on a list answer wrong_type and change nothing") {
  REQUIRE(lists.push_left("x", "item"));
  // The same stored key through another keyspace of the cluster is impossible by design, so
  // the mismatch is made on the storage directly.
  auto& storage = cluster.storage();
  const std::string key = lists.stored_key("x");
  CHECK(test::code(storage.strings()->get(key)) == cachet::Errc::wrong_type);
  CHECK(test::code(storage.strings()->append(key, "x", cachet::engine::ExpiryAction::keep())) == cachet::Errc::wrong_type);
  CHECK(test::code(storage.strings()->strlen(key)) == cachet::Errc::wrong_type);
  CHECK(test::code(storage.strings()->getrange(key, 0, 1)) == cachet::Errc::wrong_type);
  CHECK(test::code(storage.strings()->set_get(key, "v", cachet::engine::ExpiryAction::keep())) == cachet::Errc::wrong_type);
  CHECK(lists.items("x") == std::vector<std::string>{"item"});
  // SET replaces whatever the key held, as in Redis.
  REQUIRE(storage.strings()->set(key, "now a string", cachet::engine::SetCondition::always, cachet::engine::ExpiryAction::persist()));
  CHECK(storage.strings()->get(key) == "now a string");
  CHECK(test::code(lists.len("x")) == cachet::Errc::wrong_type);
}

TEST_CASE("values over 512 MiB are refused with out_of_range, not stored") {
  CHECK(test::code(strings.set_range("k", 512ll * 1024 * 1024, "x")) == cachet::Errc::out_of_range);
  CHECK(test::code(strings.get("k")) == cachet::Errc::miss);
  const std::string huge(512u * 1024 * 1024 + 1, 'x');
  CHECK(test::code(strings.set("k", huge)) == cachet::Errc::out_of_range);
  CHECK(test::code(strings.get("k")) == cachet::Errc::miss);
}
