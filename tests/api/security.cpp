// What no key or value may do: reach the reserved prefix, or exceed Redis's 512 MiB bulk
// limit. Both fail with a clear error before anything is sent; on Redis an argument past the
// limit would otherwise cost the connection (the server refuses the whole request).
#include "../support.hpp"

#include <boost/describe.hpp>

#include <string>
#include <utility>
#include <vector>

namespace {

struct Tenant {
  std::string id;
  std::string user;
};
BOOST_DESCRIBE_STRUCT(Tenant, (), (id, user))

// Patterns that start with a placeholder: a key alone decides how the stored key begins. (A
// cluster each: patterns that differ only after a placeholder conflict.)
cachet::Cluster string_cluster("test-security-strings"), counter_cluster("test-security-counters"),
    list_cluster("test-security-lists"), set_cluster("test-security-sets");
cachet::StringKeyspace<std::string> strings(string_cluster, {.key_pattern = ":key"});
cachet::IntKeyspace<Tenant> counters(counter_cluster, {.key_pattern = ":id/:user/n"});
cachet::ListKeyspace<std::string, std::string> lists(list_cluster, {.key_pattern = ":key/list"});
cachet::SetKeyspace<std::string, std::string> sets(set_cluster, {.key_pattern = ":key/set"});

// Checks a refusal for the reserved prefix: invalid_value naming the prefix and the operation.
template <class T>
void check_reserved(const cachet::Result<T>& r, std::string_view op) {
  REQUIRE_MESSAGE(!r.has_value(), "expected a refusal of the reserved prefix");
  CHECK(r.error().code == cachet::Errc::invalid_value);
  CHECK(r.error().op == op);
  CHECK(r.error().message.find("reserved prefix '__cachet'") != std::string::npos);
}

const std::string& too_large() {
  static const std::string value(512u * 1024 * 1024 + 1, 'x');
  return value;
}

}  // namespace

TEST_CASE("a key that would start with the reserved prefix is refused, for reads and writes alike") {
  check_reserved(strings.get("__cachet"), "get");
  check_reserved(strings.get("__cachet/x"), "get");
  check_reserved(strings.get("__cachetsomething"), "get");
  check_reserved(strings.set("__cachet", "v"), "set");
  check_reserved(strings.set_if_not_exists("__cachet", "v"), "set_if_not_exists");
  check_reserved(strings.get_and_set("__cachet", "v"), "get_and_set");
  check_reserved(strings.append("__cachet", "v"), "append");
  check_reserved(strings.erase("ok", "__cachet"), "erase");
  check_reserved(strings.multi_get("ok", "__cachet"), "multi_get");
  check_reserved(strings.multi_set({std::pair<std::string, std::string>{"ok", "v"}, {"__cachet", "v"}}), "multi_set");
  check_reserved(counters.increment(Tenant{"__cachet", "u"}), "increment");
  check_reserved(lists.push_left("__cachet", "v"), "push_left");
  check_reserved(lists.move("ok", "__cachet", cachet::ListPos::Left, cachet::ListPos::Right), "move");
  check_reserved(sets.add("__cachet", "v"), "add");
  check_reserved(sets.union_("ok", "__cachet"), "union_");
  check_reserved(sets.union_store("__cachet", "ok"), "union_store");
  check_reserved(sets.union_store("ok", "ok", "__cachet"), "union_store");
  check_reserved(sets.move("ok", "__cachet", "v"), "move");

  // Nothing of a refused multi-key write happened, not even to its allowed keys.
  CHECK(test::code(strings.get("ok")) == cachet::Errc::miss);
  CHECK(lists.len("ok") == 0);
}

TEST_CASE("keys near the reserved prefix, or holding it further in, are ordinary keys") {
  for (const std::string key : {"__cache", "_cachet", "__CACHET", "x__cachet", "\\__cachet", "/__cachet"}) {
    CAPTURE(key);
    REQUIRE(strings.set(key, "v"));
    CHECK(strings.get(key) == "v");
  }
  CHECK(counters.increment(Tenant{"t", "__cachet"}) == 1);  // not the first segment
  CHECK(lists.push_left("ok", "__cachet") == 1);           // values may be anything
}

TEST_CASE("values past 512 MiB are refused with out_of_range by every write, and nothing changes" * test::not_under_thread_sanitizer()) {
  const std::string& huge = too_large();
  REQUIRE(strings.set("s", "small"));
  CHECK(test::code(strings.set("s", huge)) == cachet::Errc::out_of_range);
  CHECK(test::code(strings.get_and_set("s", huge)) == cachet::Errc::out_of_range);
  CHECK(test::code(strings.multi_set({std::pair<std::string, std::string>{"m", "v"}, {"s", huge}})) ==
        cachet::Errc::out_of_range);
  CHECK(strings.get("s") == "small");
  CHECK(test::code(strings.get("m")) == cachet::Errc::miss);

  REQUIRE(lists.push_right("l", "a") == 1);
  CHECK(test::code(lists.push_right("l", "b", huge)) == cachet::Errc::out_of_range);
  CHECK(test::code(lists.push_left("l", huge)) == cachet::Errc::out_of_range);
  CHECK(test::code(lists.set("l", 0, huge)) == cachet::Errc::out_of_range);
  CHECK(test::code(lists.insert_before("l", "a", huge)) == cachet::Errc::out_of_range);
  CHECK(lists.items("l") == std::vector<std::string>{"a"});

  REQUIRE(sets.add("t", "a") == 1);
  CHECK(test::code(sets.add("t", "b", huge)) == cachet::Errc::out_of_range);
  CHECK(test::code(sets.move("t", "u", huge)) == cachet::Errc::out_of_range);
  CHECK(sets.items("t") == std::vector<std::string>{"a"});
}

TEST_CASE("a needle, a member asked for, or a key past 512 MiB is refused with out_of_range too" * test::not_under_thread_sanitizer()) {
  const std::string& huge = too_large();
  REQUIRE(lists.push_right("l", "a") == 1);
  CHECK(test::code(lists.insert_after("l", huge, "b")) == cachet::Errc::out_of_range);
  CHECK(test::code(lists.remove_all("l", huge)) == cachet::Errc::out_of_range);
  REQUIRE(sets.add("t", "a") == 1);
  CHECK(test::code(sets.contains("t", huge)) == cachet::Errc::out_of_range);
  CHECK(test::code(sets.remove("t", "a", huge)) == cachet::Errc::out_of_range);
  CHECK(sets.items("t") == std::vector<std::string>{"a"});
  CHECK(test::code(strings.get(huge)) == cachet::Errc::out_of_range);
  CHECK(test::code(strings.set(huge, "v")) == cachet::Errc::out_of_range);
  CHECK(test::code(strings.erase("s", huge)) == cachet::Errc::out_of_range);
}
