// HashKeyspace: every method's success, miss and error paths, counts, random choices, fields
// and values of every element type, hashes that disappear when emptied, small hashes and
// large ones (past the memory engine's packed form), and values that do not decode. Runs on
// the memory engine and, with CACHET_TEST_URL, on Redis (except the statistical test, which
// needs the memory engine's seeded randomness). Expiry on every hash write and wrong types
// are written once for every data type: expiry.cpp, wrong_type.cpp (data_types.hpp, Hashes).
#include "../support.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

using namespace std::string_literals;
using namespace std::chrono_literals;
using cachet::Errc;
using test::code;
using test::ok;
using test::pttl;
using test::sorted;
using test::value;

namespace {

cachet::Cluster cluster("test-hashes");
cachet::HashKeyspace<std::string, std::string, std::string> profiles(cluster, {.key_pattern = "profile/:key"});
cachet::HashKeyspace<std::string, std::string, std::int64_t> counters(cluster, {.key_pattern = "counters/:key"});
cachet::HashKeyspace<std::string, std::int64_t, double> prices(cluster, {.key_pattern = "prices/:key"});
cachet::HashKeyspace<std::int64_t, double, std::string> labels(cluster, {.key_pattern = "labels/:key"});
// Writes here expire 200ms later unless a with() copy says otherwise.
cachet::HashKeyspace<std::string, std::string, std::string> sessions(
    cluster, {.key_pattern = "session/:key", .default_expiry = cachet::expire_in(200ms)});

using Names = test::Members<std::string>;
const double not_a_number = std::numeric_limits<double>::quiet_NaN();
const double infinity = std::numeric_limits<double>::infinity();

// Writes raw field/value bytes into `key` of `ks`, as another program could.
template <class KS>
void set_raw(const KS& ks, const typename KS::key_type& key, std::string field, std::string value) {
  const std::vector<cachet::engine::FieldValue> pairs{{std::move(field), std::move(value)}};
  REQUIRE(ok(cluster.storage().hashes()->hset(ks.stored_key(key), pairs, cachet::engine::ExpiryAction::keep())));
}

template <class F, class V>
std::map<F, V> as_map(const cachet::Result<std::vector<std::pair<F, V>>>& r) {
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().what()));
  std::map<F, V> out;
  for (const auto& [f, v] : *r) {
    CHECK_MESSAGE(out.count(f) == 0, "a field answered twice");
    out[f] = v;
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Setting and getting

TEST_CASE("set answers whether the field is new, and get reads it back") {
  CHECK(value(profiles.set("u1", "name", "Ada")) == true);
  CHECK(value(profiles.set("u1", "city", "London")) == true);
  CHECK(value(profiles.get("u1", "name")) == "Ada");
  CHECK(value(profiles.set("u1", "name", "Ada L.")) == false);
  CHECK(value(profiles.get("u1", "name")) == "Ada L.");
  CHECK(value(profiles.len("u1")) == 2);
}

TEST_CASE("get of a missing field or a missing hash is a miss that names the op and the key") {
  REQUIRE(ok(profiles.set("u1", "name", "Ada")));
  const auto r = profiles.get("u1", "email");
  REQUIRE(!r);
  CHECK(r.error().code == Errc::miss);
  CHECK(r.error().op == "get");
  CHECK(r.error().key == profiles.stored_key("u1"));
  CHECK(code(profiles.get("nobody", "name")) == Errc::miss);
  CHECK(pttl(profiles, "nobody") == -2);
}

TEST_CASE("set_many answers how many fields were new; a field given twice takes its last value") {
  CHECK(value(profiles.set_many("u1", {{"a", "1"}, {"b", "2"}, {"a", "3"}})) == 2);
  CHECK(as_map(profiles.items("u1")) == std::map<std::string, std::string>{{"a", "3"}, {"b", "2"}});
  const std::vector<std::pair<std::string, std::string>> more{{"b", "20"}, {"c", "30"}};
  CHECK(value(profiles.set_many("u1", more)) == 1);
  CHECK(as_map(profiles.items("u1")) == std::map<std::string, std::string>{{"a", "3"}, {"b", "20"}, {"c", "30"}});
}

TEST_CASE("set_many with no pairs answers 0 and neither creates nor changes a hash") {
  const std::vector<std::pair<std::string, std::string>> none;
  CHECK(value(profiles.set_many("new", none)) == 0);
  CHECK(pttl(profiles, "new") == -2);
  REQUIRE(ok(profiles.set("k", "a", "1")));
  CHECK(value(profiles.set_many("k", none)) == 0);
  CHECK(value(profiles.remove("k", std::vector<std::string>())) == 0);
  CHECK(value(profiles.len("k")) == 1);
}

TEST_CASE("set_if_not_exists writes only a field the hash does not hold") {
  CHECK(value(profiles.set_if_not_exists("u1", "name", "Ada")) == true);
  CHECK(value(profiles.set_if_not_exists("u1", "name", "Bob")) == false);
  CHECK(value(profiles.get("u1", "name")) == "Ada");
  CHECK(value(profiles.set_if_not_exists("u1", "city", "Paris")) == true);
  CHECK(value(profiles.len("u1")) == 2);
}

TEST_CASE("set_if_not_exists on a field that exists leaves the key's TTL as it was") {
  REQUIRE(ok(sessions.set("s", "user", "1")));
  test::elapse(100ms);
  CHECK(value(sessions.set_if_not_exists("s", "user", "2")) == false);
  const auto left = pttl(sessions, "s");
  CHECK(left > 0);
  CHECK(left <= 100);
  CHECK(value(sessions.set_if_not_exists("s", "role", "admin")) == true);
  CHECK(pttl(sessions, "s") > 100);
}

TEST_CASE("multi_get answers each field's value in order, a miss for each field not held") {
  REQUIRE(ok(profiles.set_many("u1", {{"a", "1"}, {"b", "2"}})));
  const auto all = value(profiles.multi_get("u1", "b", "z", "a", "b"));
  REQUIRE(all.size() == 4);
  CHECK(value(all[0]) == "2");
  CHECK(code(all[1]) == Errc::miss);
  CHECK(value(all[2]) == "1");
  CHECK(value(all[3]) == "2");
  const std::vector<std::string> fields{"a", "q"};
  const auto none = value(profiles.multi_get("nobody", fields));
  REQUIRE(none.size() == 2);
  CHECK(code(none[0]) == Errc::miss);
  CHECK(code(none[1]) == Errc::miss);
  CHECK(value(profiles.multi_get("u1", std::vector<std::string>())).empty());
}

TEST_CASE("fields and values keep their exact bytes, the int64 extremes and any finite double") {
  const std::string odd = "a\0b\xff\n"s;
  REQUIRE(ok(profiles.set_many("k", {{odd, odd}, {"", ""}, {"e", ""}})));
  CHECK(value(profiles.get("k", odd)) == odd);
  CHECK(value(profiles.get("k", "")) == "");
  CHECK(value(profiles.contains("k", "")) == true);
  CHECK(value(profiles.contains("k", "a\0c"s)) == false);
  CHECK(value(profiles.len("k")) == 3);

  constexpr auto lo = std::numeric_limits<std::int64_t>::min();
  constexpr auto hi = std::numeric_limits<std::int64_t>::max();
  const double tiny = std::numeric_limits<double>::denorm_min();
  const double huge = std::numeric_limits<double>::max();
  REQUIRE(ok(prices.set_many("p", {{lo, tiny}, {hi, huge}, {0, -0.1}})));
  CHECK(as_map(prices.items("p")) == std::map<std::int64_t, double>{{lo, tiny}, {hi, huge}, {0, -0.1}});
  CHECK(value(prices.get("p", hi)) == huge);

  REQUIRE(ok(labels.set(7, 1.5, "one and a half")));
  REQUIRE(ok(labels.set(7, 1e21, "big")));
  CHECK(value(labels.get(7, 1.50)) == "one and a half");
  CHECK(sorted(labels.fields(7)) == test::Members<double>{1.5, 1e21});
}

TEST_CASE("NaN and infinite doubles are invalid_value and nothing of the write is stored") {
  CHECK(code(prices.set("p", 1, not_a_number)) == Errc::invalid_value);
  CHECK(code(prices.set_many("p", {{1, 1.0}, {2, infinity}})) == Errc::invalid_value);
  CHECK(code(labels.set(1, -infinity, "x")) == Errc::invalid_value);
  CHECK(code(prices.set_if_not_exists("p", 1, not_a_number)) == Errc::invalid_value);
  CHECK(pttl(prices, "p") == -2);
  CHECK(pttl(labels, 1) == -2);
  CHECK(code(labels.get(1, not_a_number)) == Errc::invalid_value);
  CHECK(code(labels.remove(1, not_a_number)) == Errc::invalid_value);
}

// ---------------------------------------------------------------------------------------------
// Removing, counting, reading whole

TEST_CASE("remove answers how many of the fields the hash held") {
  REQUIRE(ok(profiles.set_many("k", {{"a", "1"}, {"b", "2"}, {"c", "3"}})));
  CHECK(value(profiles.remove("k", "a", "z", "a")) == 1);
  CHECK(sorted(profiles.fields("k")) == Names{"b", "c"});
  CHECK(value(profiles.remove("k", "z")) == 0);
  CHECK(value(profiles.remove("nobody", "a")) == 0);
  CHECK(pttl(profiles, "nobody") == -2);
}

TEST_CASE("removing the last fields removes the key") {
  REQUIRE(ok(counters.set_many("k", {{"a", 1}, {"b", 2}})));
  CHECK(value(counters.remove("k", "a", "b")) == 2);
  CHECK(value(counters.len("k")) == 0);
  CHECK(value(counters.exists("k")) == false);
  CHECK(pttl(counters, "k") == -2);
  CHECK(value(counters.items("k")).empty());
  // And it starts anew: no TTL or field left over.
  CHECK(value(counters.set("k", "c", 3)) == true);
  CHECK(value(counters.len("k")) == 1);
}

TEST_CASE("contains and len answer for the hash, false and 0 for a missing one") {
  CHECK(value(profiles.len("k")) == 0);
  CHECK(value(profiles.contains("k", "a")) == false);
  REQUIRE(ok(profiles.set_many("k", {{"a", "1"}, {"b", "2"}})));
  CHECK(value(profiles.contains("k", "a")) == true);
  CHECK(value(profiles.contains("k", "1")) == false);
  CHECK(value(profiles.len("k")) == 2);
  CHECK(pttl(profiles, "nobody") == -2);
}

TEST_CASE("items, items_map, fields and values answer every pair once, in one order") {
  CHECK(value(profiles.items("nobody")).empty());
  CHECK(value(profiles.items_map("nobody")).empty());
  CHECK(value(profiles.fields("nobody")).empty());
  CHECK(value(profiles.values("nobody")).empty());
  REQUIRE(ok(profiles.set_many("k", {{"x", "1"}, {"y", "2"}, {"z", "3"}})));
  const auto items = value(profiles.items("k"));
  const auto fields = value(profiles.fields("k"));
  const auto values = value(profiles.values("k"));
  REQUIRE(items.size() == 3);
  REQUIRE(fields.size() == 3);
  REQUIRE(values.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(items[i].first == fields[i]);
    CHECK(items[i].second == values[i]);
  }
  CHECK(value(profiles.items_map("k")) == std::unordered_map<std::string, std::string>{{"x", "1"}, {"y", "2"}, {"z", "3"}});
}

// ---------------------------------------------------------------------------------------------
// Incrementing

TEST_CASE("increment adds to an integer field, counting a missing field or hash as 0") {
  CHECK(value(counters.increment("k", "views")) == 1);
  CHECK(value(counters.increment("k", "views", 41)) == 42);
  CHECK(value(counters.increment("k", "views", -50)) == -8);
  CHECK(value(counters.get("k", "views")) == -8);
  CHECK(value(counters.increment("k", "likes", 0)) == 0);
  CHECK(value(counters.len("k")) == 2);
}

TEST_CASE("increment past the int64 range is out_of_range and leaves the value") {
  constexpr auto hi = std::numeric_limits<std::int64_t>::max();
  constexpr auto lo = std::numeric_limits<std::int64_t>::min();
  REQUIRE(ok(counters.set("k", "n", hi - 1)));
  CHECK(value(counters.increment("k", "n")) == hi);  // beyond 2^53: answered exactly
  CHECK(code(counters.increment("k", "n")) == Errc::out_of_range);
  CHECK(value(counters.get("k", "n")) == hi);
  REQUIRE(ok(counters.set("k", "m", lo)));
  CHECK(code(counters.increment("k", "m", -1)) == Errc::out_of_range);
  CHECK(value(counters.get("k", "m")) == lo);
}

TEST_CASE("increment of a value that is not an integer is invalid_value and leaves it") {
  for (const std::string bad : {"abc", "1.5", " 1", "01", "", "99999999999999999999"}) {
    CAPTURE(bad);
    set_raw(counters, "k", "n", bad);
    CHECK(code(counters.increment("k", "n")) == Errc::invalid_value);
    CHECK(value(cluster.storage().hashes()->hget(counters.stored_key("k"), "n")) == bad);
  }
}

TEST_CASE("increment of a double field adds as Redis does and refuses NaN and infinity") {
  CHECK(value(prices.increment("p", 1, 10.5)) == 10.5);
  CHECK(value(prices.increment("p", 1, 0.1)) == 10.6);
  CHECK(value(prices.get("p", 1)) == 10.6);
  CHECK(value(prices.increment("p", 2)) == 1.0);
  CHECK(value(prices.increment("p", 2, -3e10)) == -29999999999.0);
  CHECK(code(prices.increment("p", 1, not_a_number)) == Errc::invalid_value);
  CHECK(code(prices.increment("p", 1, infinity)) == Errc::invalid_value);
  REQUIRE(ok(prices.set("p", 3, std::numeric_limits<double>::max())));
  CHECK(code(prices.increment("p", 3, std::numeric_limits<double>::max())) == Errc::invalid_value);
  CHECK(value(prices.get("p", 1)) == 10.6);
  set_raw(prices, "p", "4", "not a number");
  CHECK(code(prices.increment("p", 4, 1.0)) == Errc::invalid_value);
  // An integer's text is a valid float.
  set_raw(prices, "p", "5", "7");
  CHECK(value(prices.increment("p", 5, 0.5)) == 7.5);
}

// ---------------------------------------------------------------------------------------------
// Sampling

TEST_CASE("sample answers up to n distinct fields, all of them when n is at least the size") {
  REQUIRE(ok(profiles.set_many("k", {{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}})));
  for (int round = 0; round < 20; ++round) {
    const auto two = value(profiles.sample("k", 2));
    REQUIRE(two.size() == 2);
    CHECK(two[0] != two[1]);
    for (const auto& f : two) CHECK(value(profiles.contains("k", f)));
  }
  CHECK(sorted(profiles.sample("k", 4)) == Names{"a", "b", "c", "d"});
  CHECK(sorted(profiles.sample("k", 100)) == Names{"a", "b", "c", "d"});
  CHECK(value(profiles.sample("k", 0)).empty());
  CHECK(value(profiles.sample("nobody", 3)).empty());
  CHECK(value(profiles.sample("nobody", -3)).empty());
}

TEST_CASE("sample with a negative count answers exactly that many fields, which may repeat") {
  REQUIRE(ok(profiles.set_many("k", {{"a", "1"}, {"b", "2"}})));
  const auto many = value(profiles.sample("k", -50));
  CHECK(many.size() == 50);
  for (const auto& f : many) CHECK((f == "a" || f == "b"));
  CHECK(code(profiles.sample("k", -profiles.max_sample - 1)) == Errc::out_of_range);
  CHECK(code(profiles.sample("k", std::numeric_limits<std::int64_t>::min())) == Errc::out_of_range);
}

TEST_CASE("sample picks each field about equally often" * test::memory_only()) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 10; ++i) pairs.emplace_back("f" + std::to_string(i), "v");
  REQUIRE(ok(profiles.set_many("k", pairs)));
  std::map<std::string, int> seen;
  for (const auto& f : value(profiles.sample("k", -20000))) ++seen[f];
  REQUIRE(seen.size() == 10);
  for (const auto& [f, n] : seen) {
    CAPTURE(f);
    CHECK(n > 1600);  // expected 2000; six standard deviations is about 250
    CHECK(n < 2400);
  }
}

// ---------------------------------------------------------------------------------------------
// Large hashes: past 128 fields or 64-byte fields and values (the memory engine's packed form)

TEST_CASE("a hash of many fields keeps every pair exact through overwrites and removals") {
  std::vector<std::pair<std::string, std::int64_t>> pairs;
  for (std::int64_t i = 0; i < 300; ++i) pairs.emplace_back("field:" + std::to_string(i), i);
  CHECK(value(counters.set_many("big", pairs)) == 300);
  CHECK(value(counters.len("big")) == 300);
  for (std::int64_t i = 0; i < 300; i += 3) CHECK(value(counters.increment("big", "field:" + std::to_string(i), 1000)) == i + 1000);
  std::vector<std::string> odd;
  for (std::int64_t i = 1; i < 300; i += 2) odd.push_back("field:" + std::to_string(i));
  CHECK(value(counters.remove("big", odd)) == 150);
  CHECK(value(counters.len("big")) == 150);
  const auto all = as_map(counters.items("big"));
  REQUIRE(all.size() == 150);
  for (std::int64_t i = 0; i < 300; ++i) {
    const std::string f = "field:" + std::to_string(i);
    CAPTURE(f);
    if (i % 2 == 1) {
      CHECK(all.count(f) == 0);
      CHECK(code(counters.get("big", f)) == Errc::miss);
    } else {
      CHECK(all.at(f) == (i % 3 == 0 ? i + 1000 : i));
      CHECK(value(counters.get("big", f)) == all.at(f));
    }
  }
  CHECK(value(counters.sample("big", -10)).size() == 10);
  CHECK(Names(value(counters.sample("big", 200))) == Names(value(counters.fields("big"))));
  std::vector<std::string> rest = value(counters.fields("big"));
  CHECK(value(counters.remove("big", rest)) == 150);
  CHECK(pttl(counters, "big") == -2);
}

TEST_CASE("a long field or value is kept whole, and the hash answers as before") {
  const std::string long_value(1000, 'v');
  const std::string long_field(200, 'f');
  REQUIRE(ok(profiles.set_many("k", {{"a", "1"}, {"b", "2"}})));
  CHECK(value(profiles.set("k", "c", long_value)) == true);
  CHECK(value(profiles.set("k", long_field, "x")) == true);
  CHECK(value(profiles.get("k", "c")) == long_value);
  CHECK(value(profiles.get("k", long_field)) == "x");
  CHECK(value(profiles.get("k", "a")) == "1");
  CHECK(value(profiles.len("k")) == 4);
  CHECK(value(profiles.set("k", "c", "short")) == false);
  CHECK(value(profiles.remove("k", long_field)) == 1);
  CHECK(sorted(profiles.fields("k")) == Names{"a", "b", "c"});
}

// ---------------------------------------------------------------------------------------------
// Decoding, keys, expiry

TEST_CASE("a field or value that does not decode is invalid_value naming the bytes") {
  set_raw(prices, "p", "not-an-int", "1.5");
  const auto r = prices.items("p");
  REQUIRE(!r);
  CHECK(r.error().code == Errc::invalid_value);
  CHECK(r.error().op == "items");
  CHECK(code(prices.fields("p")) == Errc::invalid_value);
  CHECK(value(prices.values("p")) == std::vector<double>{1.5});
  set_raw(counters, "c", "n", "x1");
  CHECK(code(counters.get("c", "n")) == Errc::invalid_value);
  const auto all = value(counters.multi_get("c", "n", "m"));
  CHECK(code(all[0]) == Errc::invalid_value);
  CHECK(code(all[1]) == Errc::miss);
}

TEST_CASE("every write applies the keyspace's expiry atomically with it; reads leave it") {
  REQUIRE(ok(sessions.set("s", "a", "1")));
  const auto first = pttl(sessions, "s");
  CHECK(first > 0);
  CHECK(first <= 200);
  test::elapse(100ms);
  CHECK(value(sessions.get("s", "a")) == "1");
  CHECK(pttl(sessions, "s") <= 100);
  REQUIRE(ok(sessions.remove("s", "zzz")));  // removes nothing, renews the TTL
  CHECK(pttl(sessions, "s") > 100);
  test::elapse(250ms);
  CHECK(value(sessions.len("s")) == 0);
  CHECK(code(sessions.get("s", "a")) == Errc::miss);
  // A write onto the expired key starts anew.
  CHECK(value(sessions.set("s", "b", "2")) == true);
  CHECK(sorted(sessions.fields("s")) == Names{"b"});
}

TEST_CASE("a key that would start with the reserved prefix is invalid_value before anything is sent") {
  static cachet::Cluster bare("test-hashes-bare");
  cachet::HashKeyspace<std::string, std::string, std::string> raw(bare, {.key_pattern = ":key"});
  CHECK(code(raw.set("__cachet/x", "a", "1")) == Errc::invalid_value);
  CHECK(code(raw.get("__cachet/x", "a")) == Errc::invalid_value);
}
