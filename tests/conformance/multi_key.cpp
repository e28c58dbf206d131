// Operations on several keys at once: a span, a braced list or a parameter pack; and none.
#include "../support.hpp"

#include <chrono>
#include <cmath>
#include <span>
#include <vector>

using namespace std::chrono_literals;

namespace {

cachet::Cluster cluster("test-multi");
cachet::StringKeyspace<std::string> strings(cluster, {.key_pattern = "multi/:key"});
cachet::StringKeyspace<std::string> short_lived(cluster, {.key_pattern = "multi-100ms/:key",
                                                          .default_expiry = cachet::expire_in(100ms)});

}  // namespace

TEST_CASE("multi_set writes every pair and multi_get answers per key, in order") {
  REQUIRE(strings.multi_set({{"a", "1"}, {"b", "2"}}));
  const auto r = strings.multi_get({"b", "missing", "a"});
  REQUIRE(r);
  REQUIRE(r->size() == 3);
  CHECK((*r)[0] == "2");
  CHECK(test::code((*r)[1]) == cachet::Errc::miss);
  CHECK((*r)[1].error().key == "multi/missing");
  CHECK((*r)[2] == "1");
}

TEST_CASE("a span, a vector, a braced list and a pack are the same call") {
  const std::vector<std::pair<std::string, std::string>> pairs = {{"a", "1"}, {"b", "2"}};
  REQUIRE(strings.multi_set(std::span<const std::pair<std::string, std::string>>(pairs)));
  const std::vector<std::string> keys = {"a", "b"};
  const auto from_span = strings.multi_get(std::span<const std::string>(keys));
  const auto from_vector = strings.multi_get(keys);
  const auto from_list = strings.multi_get({"a", "b"});
  const auto from_pack = strings.multi_get("a", std::string("b"));
  REQUIRE((from_span && from_vector && from_list && from_pack));
  for (const auto* r : {&*from_span, &*from_vector, &*from_list, &*from_pack}) {
    REQUIRE(r->size() == 2);
    CHECK((*r)[0] == "1");
    CHECK((*r)[1] == "2");
  }
  REQUIRE(strings.multi_set(std::pair<std::string, std::string>{"c", "3"}, std::pair<std::string, std::string>{"d", "4"}));
  CHECK(strings.get("d") == "4");
}

TEST_CASE("erase answers how many of the keys existed") {
  REQUIRE(strings.multi_set({{"a", "1"}, {"b", "2"}, {"c", "3"}}));
  CHECK(strings.erase("a", "nope") == 1);
  CHECK(strings.erase({"b", "c", "b"}) == 2);
  CHECK(strings.erase(std::vector<std::string>{"a", "b", "c"}) == 0);
}

TEST_CASE("with no keys, multi-key operations answer empty without touching the backend") {
  const std::vector<std::string> none;
  CHECK(strings.erase(none) == 0);
  CHECK(strings.erase(std::span<const std::string>()) == 0);
  const auto got = strings.multi_get(none);
  REQUIRE(got);
  CHECK(got->empty());
  CHECK(strings.multi_set(std::vector<std::pair<std::string, std::string>>{}));
}

TEST_CASE("multi_set is all or nothing when a value is refused") {
  cachet::FloatKeyspace<std::string> floats(cluster, {.key_pattern = "multi-floats/:key"});
  const auto r = floats.multi_set({{"x", 1.0}, {"y", std::nan("")}});
  CHECK(test::code(r) == cachet::Errc::invalid_value);
  CHECK(test::code(floats.get("x")) == cachet::Errc::miss);
}

TEST_CASE("multi_get of a key holding a list is a miss in its place, as MGET answers nil") {
  REQUIRE(cluster.storage().lists()->push(strings.stored_key("l"), cachet::ListPos::Left,
                                 std::vector<std::string>{"x"}, cachet::engine::ExpiryAction::keep()));
  REQUIRE(strings.set("s", "v"));
  const auto r = strings.multi_get("l", "s");
  REQUIRE(r);
  CHECK(test::code((*r)[0]) == cachet::Errc::miss);
  CHECK((*r)[1] == "v");
}

TEST_CASE("multi_set applies the expiry to every key") {
  REQUIRE(short_lived.multi_set({{"a", "1"}, {"b", "2"}}));
  CHECK(test::pttl(short_lived, "a") > 0);
  CHECK(test::pttl(short_lived, "b") > 0);
  test::elapse(150ms);
  const auto gone = short_lived.multi_get("a", "b");
  REQUIRE(gone);
  CHECK(test::code((*gone)[0]) == cachet::Errc::miss);
  CHECK(test::code((*gone)[1]) == cachet::Errc::miss);
}
