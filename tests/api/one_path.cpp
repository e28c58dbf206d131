// The one path: every public method of every keyspace runs through KeyspaceBase::call
// (api/cachet/keyspace.hpp), which tells the listener set with
// cachet::detail::set_call_listener about each call: its cluster, keyspace (the key pattern),
// op (the method's name), duration and outcome. Metrics and the observer hang there, so a
// method that went round it would go unseen.
//
// Keeping the list complete: `public_methods` names every public member function of every
// keyspace type as "Type::method" ("Type::method..." for its parameter-pack overload).
// public_methods.py, the meson test 'one-path list is complete', reads the public sections of
// the classes in api/cachet/*.hpp and fails when a method (or a keyspace type) is declared
// there but missing here, or listed here but declared nowhere. This test case fails when a
// listed method is not called below, or a call is checked under a name the list lacks. So a
// new method fails the suite until it is listed here and called below.
#include "../support.hpp"

#include <boost/describe.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using cachet::Errc;

namespace {

// public methods: begin
constexpr std::string_view public_methods[] = {
    // Every keyspace (KeyspaceBase), listed for each type.
    "StringKeyspace::with", "StringKeyspace::erase", "StringKeyspace::erase...", "StringKeyspace::key_pattern",
    "StringKeyspace::expiry", "StringKeyspace::cluster", "StringKeyspace::stored_key",
    "StringKeyspace::ttl", "StringKeyspace::expire", "StringKeyspace::exists",
    "IntKeyspace::with", "IntKeyspace::erase", "IntKeyspace::erase...", "IntKeyspace::key_pattern",
    "IntKeyspace::expiry", "IntKeyspace::cluster", "IntKeyspace::stored_key",
    "IntKeyspace::ttl", "IntKeyspace::expire", "IntKeyspace::exists",
    "FloatKeyspace::with", "FloatKeyspace::erase", "FloatKeyspace::erase...", "FloatKeyspace::key_pattern",
    "FloatKeyspace::expiry", "FloatKeyspace::cluster", "FloatKeyspace::stored_key",
    "FloatKeyspace::ttl", "FloatKeyspace::expire", "FloatKeyspace::exists",
    "StructKeyspace::with", "StructKeyspace::erase", "StructKeyspace::erase...", "StructKeyspace::key_pattern",
    "StructKeyspace::expiry", "StructKeyspace::cluster", "StructKeyspace::stored_key",
    "StructKeyspace::ttl", "StructKeyspace::expire", "StructKeyspace::exists",
    "ListKeyspace::with", "ListKeyspace::erase", "ListKeyspace::erase...", "ListKeyspace::key_pattern",
    "ListKeyspace::expiry", "ListKeyspace::cluster", "ListKeyspace::stored_key",
    "ListKeyspace::ttl", "ListKeyspace::expire", "ListKeyspace::exists",
    "SetKeyspace::with", "SetKeyspace::erase", "SetKeyspace::erase...", "SetKeyspace::key_pattern",
    "SetKeyspace::expiry", "SetKeyspace::cluster", "SetKeyspace::stored_key",
    "SetKeyspace::ttl", "SetKeyspace::expire", "SetKeyspace::exists",
    "HashKeyspace::with", "HashKeyspace::erase", "HashKeyspace::erase...", "HashKeyspace::key_pattern",
    "HashKeyspace::expiry", "HashKeyspace::cluster", "HashKeyspace::stored_key",
    "HashKeyspace::ttl", "HashKeyspace::expire", "HashKeyspace::exists",
    "SortedSetKeyspace::with", "SortedSetKeyspace::erase", "SortedSetKeyspace::erase...",
    "SortedSetKeyspace::key_pattern", "SortedSetKeyspace::expiry", "SortedSetKeyspace::cluster",
    "SortedSetKeyspace::stored_key", "SortedSetKeyspace::ttl", "SortedSetKeyspace::expire",
    "SortedSetKeyspace::exists",
    // Keyspaces of one value per key (ValueKeyspace).
    "StringKeyspace::get", "StringKeyspace::multi_get", "StringKeyspace::multi_get...", "StringKeyspace::set",
    "StringKeyspace::set_if_not_exists", "StringKeyspace::replace", "StringKeyspace::get_and_set",
    "StringKeyspace::get_and_delete", "StringKeyspace::multi_set", "StringKeyspace::multi_set...",
    "StringKeyspace::get_and_expire", "StringKeyspace::get_or_set",
    "IntKeyspace::get", "IntKeyspace::multi_get", "IntKeyspace::multi_get...", "IntKeyspace::set",
    "IntKeyspace::set_if_not_exists", "IntKeyspace::replace", "IntKeyspace::get_and_set",
    "IntKeyspace::get_and_delete", "IntKeyspace::multi_set", "IntKeyspace::multi_set...",
    "IntKeyspace::get_and_expire", "IntKeyspace::get_or_set",
    "FloatKeyspace::get", "FloatKeyspace::multi_get", "FloatKeyspace::multi_get...", "FloatKeyspace::set",
    "FloatKeyspace::set_if_not_exists", "FloatKeyspace::replace", "FloatKeyspace::get_and_set",
    "FloatKeyspace::get_and_delete", "FloatKeyspace::multi_set", "FloatKeyspace::multi_set...",
    "FloatKeyspace::get_and_expire", "FloatKeyspace::get_or_set",
    "StructKeyspace::get", "StructKeyspace::multi_get", "StructKeyspace::multi_get...", "StructKeyspace::set",
    "StructKeyspace::set_if_not_exists", "StructKeyspace::replace", "StructKeyspace::get_and_set",
    "StructKeyspace::get_and_delete", "StructKeyspace::multi_set", "StructKeyspace::multi_set...",
    "StructKeyspace::get_and_expire", "StructKeyspace::get_or_set",
    // Each type's own.
    "StringKeyspace::get_into", "StringKeyspace::append", "StringKeyspace::get_range", "StringKeyspace::set_range", "StringKeyspace::len",
    "IntKeyspace::increment", "IntKeyspace::decrement",
    "FloatKeyspace::increment", "FloatKeyspace::decrement",
    "ListKeyspace::push_left", "ListKeyspace::push_left...", "ListKeyspace::push_right",
    "ListKeyspace::push_right...", "ListKeyspace::pop_left", "ListKeyspace::pop_right", "ListKeyspace::len",
    "ListKeyspace::trim", "ListKeyspace::set", "ListKeyspace::get", "ListKeyspace::items", "ListKeyspace::get_range",
    "ListKeyspace::insert_before", "ListKeyspace::insert_after", "ListKeyspace::remove_all",
    "ListKeyspace::remove_first", "ListKeyspace::remove_last", "ListKeyspace::move",
    "SetKeyspace::add", "SetKeyspace::add...", "SetKeyspace::remove", "SetKeyspace::remove...",
    "SetKeyspace::pop_one", "SetKeyspace::pop", "SetKeyspace::contains", "SetKeyspace::len", "SetKeyspace::items",
    "SetKeyspace::items_set", "SetKeyspace::diff", "SetKeyspace::diff...", "SetKeyspace::diff_set",
    "SetKeyspace::diff_set...", "SetKeyspace::diff_store", "SetKeyspace::diff_store...", "SetKeyspace::intersect",
    "SetKeyspace::intersect...", "SetKeyspace::intersect_set", "SetKeyspace::intersect_set...",
    "SetKeyspace::intersect_store", "SetKeyspace::intersect_store...", "SetKeyspace::union_",
    "SetKeyspace::union_...", "SetKeyspace::union_set", "SetKeyspace::union_set...", "SetKeyspace::union_store",
    "SetKeyspace::union_store...", "SetKeyspace::sample_one", "SetKeyspace::sample",
    "SetKeyspace::sample_with_replacement", "SetKeyspace::move",
    // HashKeyspace
    "HashKeyspace::get", "HashKeyspace::multi_get", "HashKeyspace::multi_get...", "HashKeyspace::set",
    "HashKeyspace::set_many", "HashKeyspace::set_if_not_exists", "HashKeyspace::increment",
    "HashKeyspace::remove", "HashKeyspace::remove...", "HashKeyspace::contains", "HashKeyspace::len",
    "HashKeyspace::items", "HashKeyspace::items_map", "HashKeyspace::fields", "HashKeyspace::values",
    "HashKeyspace::sample",
    // SortedSetKeyspace
    "SortedSetKeyspace::add", "SortedSetKeyspace::add_many", "SortedSetKeyspace::increment",
    "SortedSetKeyspace::score", "SortedSetKeyspace::scores", "SortedSetKeyspace::rank", "SortedSetKeyspace::rank_desc",
    "SortedSetKeyspace::range", "SortedSetKeyspace::range_desc", "SortedSetKeyspace::range_by_score",
    "SortedSetKeyspace::range_by_score_desc", "SortedSetKeyspace::count", "SortedSetKeyspace::len",
    "SortedSetKeyspace::remove", "SortedSetKeyspace::remove...", "SortedSetKeyspace::remove_range",
    "SortedSetKeyspace::remove_range_by_score", "SortedSetKeyspace::pop_min", "SortedSetKeyspace::pop_max",
    "SortedSetKeyspace::sample", "SortedSetKeyspace::union_", "SortedSetKeyspace::union_...",
    "SortedSetKeyspace::intersect", "SortedSetKeyspace::intersect...", "SortedSetKeyspace::diff",
    "SortedSetKeyspace::diff...", "SortedSetKeyspace::union_store", "SortedSetKeyspace::union_store...",
    "SortedSetKeyspace::intersect_store", "SortedSetKeyspace::intersect_store...", "SortedSetKeyspace::diff_store",
    "SortedSetKeyspace::diff_store...",
};
// public methods: end

struct Point {
  std::int64_t x = 0;
  std::int64_t y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};
BOOST_DESCRIBE_STRUCT(Point, (), (x, y))

cachet::Cluster cluster("test-one-path");
cachet::StringKeyspace<std::string> strings(cluster, {.key_pattern = "str/:key"});
cachet::IntKeyspace<std::string> ints(cluster, {.key_pattern = "int/:key"});
cachet::FloatKeyspace<std::string> floats(cluster, {.key_pattern = "float/:key"});
cachet::StructKeyspace<std::string, Point> points(cluster, {.key_pattern = "point/:key"});
cachet::ListKeyspace<std::string, std::string> lists(cluster, {.key_pattern = "list/:key"});
cachet::SetKeyspace<std::string, std::int64_t> sets(cluster, {.key_pattern = "set/:key"});
cachet::HashKeyspace<std::string, std::string, std::int64_t> hashes(cluster, {.key_pattern = "hash/:key"});
cachet::SortedSetKeyspace<std::string, std::string> zsets(cluster, {.key_pattern = "zset/:key"});

}  // namespace

// An outcome in a failed check: "success" or the code's name.
template <>
struct doctest::StringMaker<std::optional<cachet::Errc>> {
  static doctest::String convert(const std::optional<cachet::Errc>& e) {
    return e ? doctest::String(std::string(cachet::errc_name(*e)).c_str()) : "success";
  }
};

namespace {

// A call as the listener saw it, its views copied.
struct Record {
  std::string cluster, keyspace, op;
  std::chrono::nanoseconds duration;
  std::optional<Errc> error;
};

std::mutex records_mutex;
std::vector<Record> records;

void listen(const cachet::detail::CallRecord& r) {
  std::lock_guard lock(records_mutex);
  records.push_back({std::string(r.cluster), std::string(r.keyspace), std::string(r.op), r.duration, r.error});
}

std::vector<Record> take_records() {
  std::lock_guard lock(records_mutex);
  return std::exchange(records, {});
}

// How a call ended, as its Result says.
template <class R>
std::optional<Errc> ended(const R& result) {
  if (result) return std::nullopt;
  return result.error().code;
}

// Listens for the life of a test case, and stops listening at its end, also when a check fails.
class Calls {
 public:
  Calls() {
    take_records();
    cachet::detail::set_call_listener(listen);
  }
  ~Calls() { cachet::detail::set_call_listener(nullptr); }
  Calls(const Calls&) = delete;
  Calls& operator=(const Calls&) = delete;

  // Runs `call`, one call of `method` (ending in "..." for the parameter-pack overload) of
  // `ks`, of type `type`, or of a with() copy of it, and checks it: it answered `expected`
  // (nullopt: success), and the listener saw exactly one record, naming the method, the
  // cluster, the key pattern and that outcome.
  template <class KS, class F>
  void expect(std::string_view type, const KS& ks, std::string_view method, std::optional<Errc> expected, F&& call) {
    take_records();
    const std::optional<Errc> outcome = ended(call());
    check_call(type, ks.cluster().name(), ks.key_pattern(), method, expected, outcome);
  }

  // Runs `use`, which uses `method` of a keyspace of type `type` that is no call (with(), the
  // accessors): the listener must see nothing.
  template <class F>
  void no_call(std::string_view type, std::string_view method, F&& use) {
    const std::string name = std::string(type) + "::" + std::string(method);
    INFO("use: " << name);
    take_records();
    use();
    CHECK(take_records().empty());
    count(name);
  }

  // Every listed method was called or used, and nothing else was.
  void check_complete() const {
    for (std::string_view m : public_methods) {
      INFO("listed, never called: " << std::string(m));
      CHECK(called_.count(std::string(m)) == 1);
    }
  }

 private:
  // The checks of expect, written once rather than for each call's type.
  void check_call(std::string_view type, std::string_view cluster_name, std::string_view key_pattern,
                  std::string_view method, std::optional<Errc> expected, std::optional<Errc> outcome) {
    const std::string name = std::string(type) + "::" + std::string(method);
    INFO("call: " << name);
    const auto seen = take_records();
    CHECK(outcome == expected);
    REQUIRE(seen.size() == 1);
    std::string_view op = method;
    if (op.ends_with("...")) op.remove_suffix(3);
    CHECK(seen[0].op == op);
    CHECK(seen[0].cluster == cluster_name);
    CHECK(seen[0].keyspace == key_pattern);
    CHECK(seen[0].error == outcome);
    CHECK(seen[0].duration >= 0ns);
    count(name);
  }

  void count(const std::string& name) {
    const bool listed = std::find(std::begin(public_methods), std::end(public_methods), name) != std::end(public_methods);
    INFO("called, not listed in public_methods: " << name);
    CHECK(listed);
    called_.insert(name);
  }

  std::set<std::string> called_;
};

// What every keyspace has (KeyspaceBase): erase, with() copies, the accessors.
template <class KS>
void every_keyspace(Calls& calls, std::string_view type, const KS& ks) {
  const std::vector<std::string> none;
  calls.expect(type, ks, "erase", std::nullopt, [&] { return ks.erase({"a", "b"}); });
  calls.expect(type, ks, "erase", std::nullopt, [&] { return ks.erase(none); });  // no key: still one call
  calls.expect(type, ks, "erase...", std::nullopt, [&] { return ks.erase("a", std::string("b")); });
  calls.no_call(type, "with", [&] { (void)ks.with(cachet::keep_ttl); });
  // A with() copy's calls are the keyspace's own: same cluster, same key pattern.
  calls.expect(type, ks, "erase", std::nullopt, [&] { return ks.with(cachet::expire_in(1s)).erase({"a"}); });
  calls.no_call(type, "key_pattern", [&] { CHECK(!ks.key_pattern().empty()); });
  calls.no_call(type, "expiry", [&] { CHECK(ks.expiry() == cachet::never_expire); });
  calls.no_call(type, "cluster", [&] { CHECK(&ks.cluster() == &cluster); });
  calls.no_call(type, "stored_key", [&] { CHECK(ks.stored_key("a").ends_with("/a")); });
  calls.expect(type, ks, "ttl", Errc::miss, [&] { return ks.ttl("nobody"); });
  calls.expect(type, ks, "expire", Errc::miss, [&] { return ks.expire("nobody", cachet::expire_in(1s)); });
  calls.expect(type, ks, "exists", std::nullopt, [&] { return ks.exists("nobody"); });
}

// What every keyspace of one value per key has (ValueKeyspace), with two values of its type.
template <class KS>
void value_keyspace(Calls& calls, std::string_view type, const KS& ks, const typename KS::value_type& v,
                    const typename KS::value_type& w) {
  using Pair = std::pair<std::string, typename KS::value_type>;
  const std::vector<std::string> keys{"a", "b"};
  const std::vector<Pair> pairs{{"c", v}};
  calls.expect(type, ks, "get", Errc::miss, [&] { return ks.get("a"); });
  calls.expect(type, ks, "set", std::nullopt, [&] { return ks.set("a", v); });
  calls.expect(type, ks, "get", std::nullopt, [&] { return ks.get("a"); });
  calls.expect(type, ks, "set_if_not_exists", Errc::key_exists, [&] { return ks.set_if_not_exists("a", w); });
  calls.expect(type, ks, "set_if_not_exists", std::nullopt, [&] { return ks.set_if_not_exists("n", w); });
  calls.expect(type, ks, "replace", Errc::miss, [&] { return ks.replace("b", w); });
  calls.expect(type, ks, "replace", std::nullopt, [&] { return ks.replace("a", w); });
  calls.expect(type, ks, "get_and_set", Errc::miss, [&] { return ks.get_and_set("b", v); });  // written all the same
  calls.expect(type, ks, "get_and_set", std::nullopt, [&] { return ks.get_and_set("b", w); });
  calls.expect(type, ks, "get_and_delete", std::nullopt, [&] { return ks.get_and_delete("b"); });
  calls.expect(type, ks, "get_and_delete", Errc::miss, [&] { return ks.get_and_delete("b"); });
  calls.expect(type, ks, "get_and_expire", std::nullopt, [&] { return ks.get_and_expire("a"); });
  calls.expect(type, ks, "get_and_expire", Errc::miss, [&] { return ks.get_and_expire("b"); });
  calls.expect(type, ks, "ttl", std::nullopt, [&] { return ks.ttl("a"); });
  calls.expect(type, ks, "expire", std::nullopt, [&] { return ks.expire("a", cachet::never_expire); });
  calls.expect(type, ks, "exists", std::nullopt, [&] { return ks.exists("a"); });
  // The loader's own calls are theirs; get_or_set is one call whether it hits or loads.
  calls.expect(type, ks, "get_or_set", std::nullopt, [&] { return ks.get_or_set("a", [&] { return v; }); });
  calls.expect(type, ks, "get_or_set", std::nullopt, [&] { return ks.get_or_set("b", [&] { return v; }); });
  calls.expect(type, ks, "get_or_set", Errc::unavailable, [&] {
    return ks.get_or_set("x", [&]() -> cachet::Result<typename KS::value_type> {
      return cachet::fail(Errc::unavailable, "the source is down");
    });
  });
  calls.expect(type, ks, "get_and_delete", std::nullopt, [&] { return ks.get_and_delete("b"); });
  // A multi_get answers per key; the call itself succeeds, misses and all.
  calls.expect(type, ks, "multi_get", std::nullopt, [&] { return ks.multi_get(keys); });
  calls.expect(type, ks, "multi_get...", std::nullopt, [&] { return ks.multi_get("a", std::string("b")); });
  calls.expect(type, ks, "multi_set", std::nullopt, [&] { return ks.multi_set(pairs); });
  calls.expect(type, ks, "multi_set...", std::nullopt, [&] { return ks.multi_set(Pair{"d", v}, Pair{"e", w}); });
  calls.expect(type, ks, "set", std::nullopt, [&] { return ks.with(cachet::keep_ttl).set("a", v); });
  calls.expect(type, ks, "set", Errc::out_of_range,
               [&] { return ks.with(cachet::expire_daily_at(24, 0, 0)).set("a", v); });
  every_keyspace(calls, type, ks);
}

}  // namespace

TEST_CASE("every public method of every keyspace makes exactly one call through the one path") {
  Calls calls;

  value_keyspace(calls, "StringKeyspace", strings, "v", "w");
  calls.expect("StringKeyspace", strings, "append", std::nullopt, [] { return strings.append("a", "!"); });
  std::string into;
  calls.expect("StringKeyspace", strings, "get_into", std::nullopt, [&] { return strings.get_into("a", into); });
  calls.expect("StringKeyspace", strings, "get_into", Errc::miss, [&] { return strings.get_into("absent", into); });
  calls.expect("StringKeyspace", strings, "get_range", std::nullopt, [] { return strings.get_range("a", 0, -1); });
  calls.expect("StringKeyspace", strings, "set_range", Errc::out_of_range,
               [] { return strings.set_range("a", -1, "x"); });
  calls.expect("StringKeyspace", strings, "set_range", std::nullopt, [] { return strings.set_range("a", 0, "x"); });
  calls.expect("StringKeyspace", strings, "len", std::nullopt, [] { return strings.len("a"); });

  value_keyspace(calls, "IntKeyspace", ints, 1, 2);
  calls.expect("IntKeyspace", ints, "increment", std::nullopt, [] { return ints.increment("i", 5); });
  calls.expect("IntKeyspace", ints, "decrement", std::nullopt, [] { return ints.decrement("i"); });
  REQUIRE(ints.set("max", std::numeric_limits<std::int64_t>::max()));
  calls.expect("IntKeyspace", ints, "increment", Errc::out_of_range, [] { return ints.increment("max"); });
  calls.expect("IntKeyspace", ints, "decrement", Errc::out_of_range,
               [] { return ints.decrement("i", std::numeric_limits<std::int64_t>::min()); });

  value_keyspace(calls, "FloatKeyspace", floats, 0.5, 1.5);
  calls.expect("FloatKeyspace", floats, "increment", std::nullopt, [] { return floats.increment("f", 0.25); });
  calls.expect("FloatKeyspace", floats, "decrement", std::nullopt, [] { return floats.decrement("f"); });
  calls.expect("FloatKeyspace", floats, "increment", Errc::invalid_value,
               [] { return floats.increment("f", std::numeric_limits<double>::quiet_NaN()); });
  calls.expect("FloatKeyspace", floats, "set", Errc::invalid_value,
               [] { return floats.set("f", std::numeric_limits<double>::infinity()); });

  value_keyspace(calls, "StructKeyspace", points, Point{1, 2}, Point{3, 4});

  const std::string_view list = "ListKeyspace";
  const std::vector<std::string> two{"x", "y"};
  calls.expect(list, lists, "pop_left", Errc::miss, [] { return lists.pop_left("l"); });
  calls.expect(list, lists, "push_left", std::nullopt, [&] { return lists.push_left("l", two); });
  calls.expect(list, lists, "push_left", std::nullopt, [] { return lists.push_left("l", std::vector<std::string>()); });
  calls.expect(list, lists, "push_left...", std::nullopt, [] { return lists.push_left("l", "a", "b"); });
  calls.expect(list, lists, "push_right", std::nullopt, [] { return lists.push_right("l", {"c"}); });
  calls.expect(list, lists, "push_right...", std::nullopt, [] { return lists.push_right("l", "d"); });
  calls.expect(list, lists, "pop_left", std::nullopt, [] { return lists.pop_left("l"); });
  calls.expect(list, lists, "pop_right", std::nullopt, [] { return lists.pop_right("l"); });
  calls.expect(list, lists, "pop_right", Errc::miss, [] { return lists.pop_right("none"); });
  calls.expect(list, lists, "len", std::nullopt, [] { return lists.len("l"); });
  calls.expect(list, lists, "trim", std::nullopt, [] { return lists.trim("l", 0, 99); });
  calls.expect(list, lists, "set", std::nullopt, [] { return lists.set("l", 0, "A"); });
  calls.expect(list, lists, "set", Errc::miss, [] { return lists.set("none", 0, "A"); });
  calls.expect(list, lists, "set", Errc::out_of_range, [] { return lists.set("l", 99, "A"); });
  calls.expect(list, lists, "get", std::nullopt, [] { return lists.get("l", 0); });
  calls.expect(list, lists, "get", Errc::miss, [] { return lists.get("l", 99); });
  calls.expect(list, lists, "items", std::nullopt, [] { return lists.items("l"); });
  calls.expect(list, lists, "get_range", std::nullopt, [] { return lists.get_range("l", 0, 1); });
  calls.expect(list, lists, "insert_before", std::nullopt, [] { return lists.insert_before("l", "A", "z"); });
  calls.expect(list, lists, "insert_before", Errc::miss, [] { return lists.insert_before("l", "absent", "z"); });
  calls.expect(list, lists, "insert_after", std::nullopt, [] { return lists.insert_after("l", "A", "z"); });
  calls.expect(list, lists, "remove_all", std::nullopt, [] { return lists.remove_all("l", "z"); });
  calls.expect(list, lists, "remove_first", std::nullopt, [] { return lists.remove_first("l", 1, "x"); });
  calls.expect(list, lists, "remove_first", Errc::out_of_range, [] { return lists.remove_first("l", -1, "x"); });
  calls.expect(list, lists, "remove_last", std::nullopt, [] { return lists.remove_last("l", 1, "y"); });
  calls.expect(list, lists, "move", std::nullopt,
               [] { return lists.move("l", "m", cachet::ListPos::Left, cachet::ListPos::Right); });
  calls.expect(list, lists, "move", Errc::miss,
               [] { return lists.move("none", "m", cachet::ListPos::Left, cachet::ListPos::Right); });
  test::write_string(lists, "s");  // a string where a list is asked for
  calls.expect(list, lists, "len", Errc::wrong_type, [] { return lists.len("s"); });
  calls.expect(list, lists, "push_right...", Errc::out_of_range,
               [] { return lists.with(cachet::expire_in(std::chrono::years(300))).push_right("l", "x"); });
  every_keyspace(calls, list, lists);

  const std::string_view set = "SetKeyspace";
  const std::vector<std::int64_t> members{1, 2, 3};
  const std::vector<std::string> keys{"s1", "s2"};
  calls.expect(set, sets, "pop_one", Errc::miss, [] { return sets.pop_one("s1"); });
  calls.expect(set, sets, "sample_one", Errc::miss, [] { return sets.sample_one("s1"); });
  calls.expect(set, sets, "add", std::nullopt, [&] { return sets.add("s1", members); });
  calls.expect(set, sets, "add...", std::nullopt, [] { return sets.add("s2", 3, 4, 5); });
  calls.expect(set, sets, "remove", std::nullopt, [] { return sets.remove("s1", {1}); });
  calls.expect(set, sets, "remove...", std::nullopt, [] { return sets.remove("s2", 5); });
  calls.expect(set, sets, "contains", std::nullopt, [] { return sets.contains("s1", 2); });
  calls.expect(set, sets, "len", std::nullopt, [] { return sets.len("s1"); });
  calls.expect(set, sets, "items", std::nullopt, [] { return sets.items("s1"); });
  calls.expect(set, sets, "items_set", std::nullopt, [] { return sets.items_set("s1"); });
  calls.expect(set, sets, "diff", std::nullopt, [&] { return sets.diff(keys); });
  calls.expect(set, sets, "diff...", std::nullopt, [] { return sets.diff("s1", std::string("s2")); });
  calls.expect(set, sets, "diff_set", std::nullopt, [&] { return sets.diff_set(keys); });
  calls.expect(set, sets, "diff_set...", std::nullopt, [] { return sets.diff_set("s1", std::string("s2")); });
  calls.expect(set, sets, "diff_store", std::nullopt, [&] { return sets.diff_store("d", keys); });
  calls.expect(set, sets, "diff_store...", std::nullopt, [] { return sets.diff_store("d", "s1", std::string("s2")); });
  calls.expect(set, sets, "intersect", std::nullopt, [&] { return sets.intersect(keys); });
  calls.expect(set, sets, "intersect...", std::nullopt, [] { return sets.intersect("s1", std::string("s2")); });
  calls.expect(set, sets, "intersect_set", std::nullopt, [&] { return sets.intersect_set(keys); });
  calls.expect(set, sets, "intersect_set...", std::nullopt,
               [] { return sets.intersect_set("s1", std::string("s2")); });
  calls.expect(set, sets, "intersect_store", std::nullopt, [&] { return sets.intersect_store("d", keys); });
  calls.expect(set, sets, "intersect_store...", std::nullopt,
               [] { return sets.intersect_store("d", "s1", std::string("s2")); });
  calls.expect(set, sets, "union_", std::nullopt, [&] { return sets.union_(keys); });
  calls.expect(set, sets, "union_", std::nullopt, [] { return sets.union_(std::vector<std::string>()); });
  calls.expect(set, sets, "union_...", std::nullopt, [] { return sets.union_("s1", std::string("s2")); });
  calls.expect(set, sets, "union_set", std::nullopt, [&] { return sets.union_set(keys); });
  calls.expect(set, sets, "union_set...", std::nullopt, [] { return sets.union_set("s1", std::string("s2")); });
  calls.expect(set, sets, "union_store", std::nullopt, [&] { return sets.union_store("d", keys); });
  calls.expect(set, sets, "union_store...", std::nullopt,
               [] { return sets.union_store("d", "s1", std::string("s2")); });
  calls.expect(set, sets, "sample_one", std::nullopt, [] { return sets.sample_one("s1"); });
  calls.expect(set, sets, "sample", std::nullopt, [] { return sets.sample("s1", 2); });
  calls.expect(set, sets, "sample", Errc::out_of_range, [] { return sets.sample("s1", -1); });
  calls.expect(set, sets, "sample_with_replacement", std::nullopt, [] { return sets.sample_with_replacement("s1", 3); });
  calls.expect(set, sets, "sample_with_replacement", Errc::out_of_range,
               [] { return sets.sample_with_replacement("s1", sets.max_sample + 1); });
  calls.expect(set, sets, "move", std::nullopt, [] { return sets.move("s1", "s3", 2); });
  calls.expect(set, sets, "pop", std::nullopt, [] { return sets.pop("s2", 1); });
  calls.expect(set, sets, "pop", Errc::out_of_range, [] { return sets.pop("s2", -1); });
  calls.expect(set, sets, "pop_one", std::nullopt, [] { return sets.pop_one("s1"); });
  REQUIRE(cluster.storage().lists()->push(sets.stored_key("list-key"), cachet::ListPos::Left,
                                          std::vector<std::string>{"x"}, cachet::engine::ExpiryAction::persist()));
  calls.expect(set, sets, "add...", Errc::wrong_type, [] { return sets.add("list-key", 1); });
  every_keyspace(calls, set, sets);

  const std::string_view hash = "HashKeyspace";
  const std::vector<std::string> fields{"a", "b"};
  calls.expect(hash, hashes, "get", Errc::miss, [] { return hashes.get("h", "a"); });
  calls.expect(hash, hashes, "set", std::nullopt, [] { return hashes.set("h", "a", 1); });
  REQUIRE(cluster.storage().lists()->push(hashes.stored_key("list-key"), cachet::ListPos::Left,
                                          std::vector<std::string>{"x"}, cachet::engine::ExpiryAction::persist()));
  calls.expect(hash, hashes, "set", Errc::wrong_type, [] { return hashes.set("list-key", "a", 1); });
  calls.expect(hash, hashes, "get", std::nullopt, [] { return hashes.get("h", "a"); });
  calls.expect(hash, hashes, "set_many", std::nullopt, [] { return hashes.set_many("h", {{"b", 2}, {"c", 3}}); });
  calls.expect(hash, hashes, "set_if_not_exists", std::nullopt, [] { return hashes.set_if_not_exists("h", "a", 9); });
  calls.expect(hash, hashes, "increment", std::nullopt, [] { return hashes.increment("h", "a", 5); });
  calls.expect(hash, hashes, "increment", Errc::out_of_range,
               [] { return hashes.increment("h", "a", std::numeric_limits<std::int64_t>::max()); });
  calls.expect(hash, hashes, "multi_get", std::nullopt, [&] { return hashes.multi_get("h", fields); });
  calls.expect(hash, hashes, "multi_get...", std::nullopt, [] { return hashes.multi_get("h", "a", "z"); });
  calls.expect(hash, hashes, "contains", std::nullopt, [] { return hashes.contains("h", "a"); });
  calls.expect(hash, hashes, "len", std::nullopt, [] { return hashes.len("h"); });
  calls.expect(hash, hashes, "items", std::nullopt, [] { return hashes.items("h"); });
  calls.expect(hash, hashes, "items_map", std::nullopt, [] { return hashes.items_map("h"); });
  calls.expect(hash, hashes, "fields", std::nullopt, [] { return hashes.fields("h"); });
  calls.expect(hash, hashes, "values", std::nullopt, [] { return hashes.values("h"); });
  calls.expect(hash, hashes, "sample", std::nullopt, [] { return hashes.sample("h", -3); });
  calls.expect(hash, hashes, "sample", Errc::out_of_range, [] { return hashes.sample("h", -hashes.max_sample - 1); });
  calls.expect(hash, hashes, "remove", std::nullopt, [&] { return hashes.remove("h", fields); });
  calls.expect(hash, hashes, "remove...", std::nullopt, [] { return hashes.remove("h", "c"); });
  every_keyspace(calls, hash, hashes);

  const std::string_view zset = "SortedSetKeyspace";
  const std::vector<cachet::Scored<std::string>> scored{{"a", 1}, {"b", 2}, {"c", 3}};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  calls.expect(zset, zsets, "score", Errc::miss, [] { return zsets.score("z1", "a"); });
  calls.expect(zset, zsets, "add_many", std::nullopt, [&] { return zsets.add_many("z1", scored); });
  calls.expect(zset, zsets, "add", std::nullopt, [] { return zsets.add("z2", "b", 5, cachet::AddMode::if_greater); });
  calls.expect(zset, zsets, "add", Errc::invalid_value, [&] { return zsets.add("z2", "b", nan); });
  calls.expect(zset, zsets, "increment", std::nullopt, [] { return zsets.increment("z1", "a", 1); });
  calls.expect(zset, zsets, "score", std::nullopt, [] { return zsets.score("z1", "a"); });
  calls.expect(zset, zsets, "scores", std::nullopt, [] { return zsets.scores("z1", {"a", "x"}); });
  calls.expect(zset, zsets, "rank", std::nullopt, [] { return zsets.rank("z1", "a"); });
  calls.expect(zset, zsets, "rank_desc", Errc::miss, [] { return zsets.rank_desc("z1", "x"); });
  calls.expect(zset, zsets, "range", std::nullopt, [] { return zsets.range("z1", 0, -1); });
  calls.expect(zset, zsets, "range_desc", std::nullopt, [] { return zsets.range_desc("z1", 0, 1); });
  calls.expect(zset, zsets, "range_by_score", std::nullopt, [] { return zsets.range_by_score("z1", {1}, {2}); });
  calls.expect(zset, zsets, "range_by_score_desc", std::nullopt,
               [] { return zsets.range_by_score_desc("z1", {3}, {1, false}, 0, 1); });
  calls.expect(zset, zsets, "count", std::nullopt, [] { return zsets.count("z1", {1}, {2}); });
  calls.expect(zset, zsets, "len", std::nullopt, [] { return zsets.len("z1"); });
  calls.expect(zset, zsets, "sample", std::nullopt, [] { return zsets.sample("z1", -2); });
  calls.expect(zset, zsets, "union_", std::nullopt, [&] { return zsets.union_(keys); });
  calls.expect(zset, zsets, "union_...", std::nullopt, [] { return zsets.union_("z1", std::string("z2")); });
  calls.expect(zset, zsets, "intersect", std::nullopt, [&] { return zsets.intersect(keys); });
  calls.expect(zset, zsets, "intersect...", std::nullopt, [] { return zsets.intersect("z1", std::string("z2")); });
  calls.expect(zset, zsets, "diff", std::nullopt, [&] { return zsets.diff(keys); });
  calls.expect(zset, zsets, "diff...", std::nullopt, [] { return zsets.diff("z1", std::string("z2")); });
  calls.expect(zset, zsets, "union_store", std::nullopt, [&] { return zsets.union_store("d", keys); });
  calls.expect(zset, zsets, "union_store...", std::nullopt,
               [] { return zsets.union_store("d", "z1", std::string("z2")); });
  calls.expect(zset, zsets, "intersect_store", std::nullopt, [&] { return zsets.intersect_store("d", keys); });
  calls.expect(zset, zsets, "intersect_store...", std::nullopt,
               [] { return zsets.intersect_store("d", "z1", std::string("z2")); });
  calls.expect(zset, zsets, "diff_store", std::nullopt, [&] { return zsets.diff_store("d", keys); });
  calls.expect(zset, zsets, "diff_store...", std::nullopt,
               [] { return zsets.diff_store("d", "z1", std::string("z2")); });
  calls.expect(zset, zsets, "remove", std::nullopt, [] { return zsets.remove("z1", {"a"}); });
  calls.expect(zset, zsets, "remove...", std::nullopt, [] { return zsets.remove("z1", "x", "y"); });
  calls.expect(zset, zsets, "remove_range", std::nullopt, [] { return zsets.remove_range("z1", 0, 0); });
  calls.expect(zset, zsets, "remove_range_by_score", std::nullopt,
               [] { return zsets.remove_range_by_score("z2", {0}, {1}); });
  calls.expect(zset, zsets, "pop_min", std::nullopt, [] { return zsets.pop_min("z1", 1); });
  calls.expect(zset, zsets, "pop_max", Errc::out_of_range, [] { return zsets.pop_max("z1", -1); });
  test::write_string(zsets, "s");
  calls.expect(zset, zsets, "len", Errc::wrong_type, [] { return zsets.len("s"); });
  every_keyspace(calls, zset, zsets);

  calls.check_complete();
}

TEST_CASE("with no listener, calls run as before; a listener set again sees calls again") {
  {
    Calls calls;
  }  // set, then reset to nullptr
  take_records();
  REQUIRE(strings.set("a", "v"));
  CHECK(strings.get("a") == "v");
  CHECK(take_records().empty());
  {
    Calls calls;
    calls.expect("StringKeyspace", strings, "get", std::nullopt, [] { return strings.get("a"); });
  }
  REQUIRE(strings.get("a"));
  CHECK(take_records().empty());
}
