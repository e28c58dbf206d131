// StringKeyspace: every method's success, miss and error paths, and what only strings do with
// expiry and other types (SET replaces any key; a refused SET NX writes nothing). Expiry on
// every string write and wrong types are written once for every data type: expiry.cpp,
// wrong_type.cpp.
#include "../support.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

using namespace std::string_literals;
using namespace std::chrono_literals;

namespace {

cachet::Cluster cluster("test-strings");
cachet::StringKeyspace<std::string> strings(cluster, {.key_pattern = "str/:key"});

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

TEST_CASE("get_into writes what get answers into the caller's string, and leaves it alone on failure") {
  REQUIRE(strings.set("into", "a longer value than the buffer held"));
  std::string out = "old";
  REQUIRE(strings.get_into("into", out));
  CHECK(out == "a longer value than the buffer held");
  REQUIRE(strings.set("into", ""));
  REQUIRE(strings.get_into("into", out));
  CHECK(out.empty());
  const std::string bytes = "x\0y\xfe"s;
  REQUIRE(strings.set("into", bytes));
  REQUIRE(strings.get_into("into", out));
  CHECK(out == bytes);

  out = "kept";
  const auto miss = strings.get_into("nobody", out);
  REQUIRE(!miss);
  CHECK(miss.error().code == cachet::Errc::miss);
  CHECK(miss.error().what() == "cachet: get_into \"str/nobody\": cache miss");
  CHECK(out == "kept");

  auto& storage = cluster.storage();
  const std::string key = strings.stored_key("into-list");
  REQUIRE(storage.lists()->push(key, cachet::ListPos::Left, std::vector<std::string>{"item"},
                                cachet::engine::ExpiryAction::keep()));
  CHECK(test::code(strings.get_into("into-list", out)) == cachet::Errc::wrong_type);
  CHECK(out == "kept");
  REQUIRE(strings.erase("into-list"));
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

TEST_CASE("set, replace and multi_set replace a key of another type, as SET does") {
  // A string keyspace cannot reach another keyspace's key: the other type is written under
  // its own key through the storage.
  auto& storage = cluster.storage();
  const auto keep = cachet::engine::ExpiryAction::keep();
  const std::string key = strings.stored_key("x");
  auto plant_list = [&] {
    REQUIRE(storage.lists()->push(key, cachet::ListPos::Left, std::vector<std::string>{"item"}, keep));
  };
  auto plant_set = [&] { REQUIRE(storage.sets()->sadd(key, std::vector<std::string>{"member"}, keep)); };
  for (const auto& plant : {std::function<void()>(plant_list), std::function<void()>(plant_set)}) {
    plant();
    REQUIRE(strings.set("x", "now a string"));
    CHECK(strings.get("x") == "now a string");
    CHECK(test::code(storage.lists()->llen(key)) == cachet::Errc::wrong_type);
    CHECK(test::code(storage.sets()->scard(key)) == cachet::Errc::wrong_type);
    REQUIRE(strings.erase("x"));
    plant();
    REQUIRE(strings.replace("x", "replaced"));
    CHECK(strings.get("x") == "replaced");
    REQUIRE(strings.erase("x"));
    plant();
    REQUIRE(strings.multi_set({{"x", "multi"}}));
    CHECK(strings.get("x") == "multi");
    REQUIRE(strings.erase("x"));
  }
  // set_if_not_exists finds the key there, whatever it holds.
  plant_list();
  CHECK(test::code(strings.set_if_not_exists("x", "v")) == cachet::Errc::key_exists);
  CHECK(storage.lists()->llen(key) == 1);
}

TEST_CASE("set with keep_ttl on a new key leaves it without a TTL") {
  REQUIRE(strings.with(cachet::keep_ttl).set("new", "v"));
  CHECK(test::pttl(strings, "new") == -1);
}

TEST_CASE("a refused write leaves the key and its TTL alone, whatever its expiry") {
  REQUIRE(strings.set("k", "v"));
  CHECK(test::code(strings.with(cachet::expire_in(50ms)).set_if_not_exists("k", "w")) == cachet::Errc::key_exists);
  CHECK(test::pttl(strings, "k") == -1);
  // An expiry in the past deletes only what a write writes.
  CHECK(test::code(strings.with(cachet::expire_in(-1s)).set_if_not_exists("k", "other")) == cachet::Errc::key_exists);
  CHECK(strings.get("k") == "v");
  CHECK(test::code(strings.with(cachet::expire_in(-1s)).replace("missing", "x")) == cachet::Errc::miss);
  CHECK(test::pttl(strings, "missing") == -2);
}

TEST_CASE("values over 512 MiB are refused with out_of_range, not stored" * test::not_under_thread_sanitizer()) {
  CHECK(test::code(strings.set_range("k", 512ll * 1024 * 1024, "x")) == cachet::Errc::out_of_range);
  CHECK(test::code(strings.get("k")) == cachet::Errc::miss);
  const std::string huge(512u * 1024 * 1024 + 1, 'x');
  CHECK(test::code(strings.set("k", huge)) == cachet::Errc::out_of_range);
  CHECK(test::code(strings.get("k")) == cachet::Errc::miss);
}
