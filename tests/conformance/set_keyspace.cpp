// SetKeyspace: every method's success, miss and error paths, counts, random choices, set
// algebra across keys, keys that disappear when emptied, what only sets do with expiry and
// wrong types (stores), and members that do not decode. Runs on the memory engine and, with
// CACHET_TEST_URL, on Redis (except the statistical tests, which need the memory engine's
// seeded randomness). Expiry on every set write, wrong types and a move's expiry are written
// once for every data type: expiry.cpp, wrong_type.cpp, move.cpp.
#include "../support.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <iomanip>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

using namespace std::string_literals;
using namespace std::chrono_literals;
using cachet::Errc;
using test::ok;
using test::pttl;
using test::sorted;
using test::value;
using test::write_string;

namespace {

cachet::Cluster cluster("test-sets");
cachet::SetKeyspace<std::string, std::string> names(cluster, {.key_pattern = "names/:key"});
cachet::SetKeyspace<std::string, std::int64_t> ids(cluster, {.key_pattern = "ids/:key"});
cachet::SetKeyspace<std::int64_t, double> scores(cluster, {.key_pattern = "scores/:key"});
// Writes here expire 200ms later unless a with() copy says otherwise.
cachet::SetKeyspace<std::string, std::string> online(
    cluster, {.key_pattern = "online/:key", .default_expiry = cachet::expire_in(200ms)});

using Names = test::Members<std::string>;
using Ids = test::Members<std::int64_t>;
using Scores = test::Members<double>;

// How many distinct values `items` holds.
template <class V>
std::size_t distinct(const std::vector<V>& items) {
  return std::set<V>(items.begin(), items.end()).size();
}


// Adds raw bytes as members of `key` of `ks`, as another program could.
template <class KS>
void add_raw(const KS& ks, const typename KS::key_type& key, std::vector<std::string> members) {
  REQUIRE(ok(cluster.storage().sets()->sadd(ks.stored_key(key), members, cachet::engine::ExpiryAction::keep())));
}

const double not_a_number = std::numeric_limits<double>::quiet_NaN();
const double infinity = std::numeric_limits<double>::infinity();

}  // namespace

// ---------------------------------------------------------------------------------------------
// Adding, removing, membership

TEST_CASE("add answers how many of the values were not members yet") {
  CHECK(value(names.add("k", "a", "b", "a")) == 2);
  CHECK(value(names.add("k", "b", "c")) == 1);
  CHECK(value(names.add("k", "c")) == 0);
  const std::vector<std::string> more{"d", "a"};
  CHECK(value(names.add("k", more)) == 1);
  CHECK(sorted(names.items("k")) == Names{"a", "b", "c", "d"});

  CHECK(value(ids.add("n", {1, 2, 3})) == 3);
  CHECK(sorted(ids.items("n")) == Ids{1, 2, 3});
}

TEST_CASE("adding no values answers 0 and neither creates nor changes a set") {
  const std::vector<std::string> none;
  CHECK(value(names.add("new", none)) == 0);
  CHECK(value(names.len("new")) == 0);
  CHECK(pttl(names, "new") == -2);
  REQUIRE(ok(names.add("k", "a")));
  CHECK(value(names.add("k", none)) == 0);
  CHECK(value(names.remove("k", none)) == 0);
  CHECK(sorted(names.items("k")) == Names{"a"});
}

TEST_CASE("members keep their exact value: any bytes, the int64 extremes, any finite double") {
  const std::string odd = "a\0b\xff\n"s;
  REQUIRE(ok(names.add("k", odd, "", "a")));
  CHECK(sorted(names.items("k")) == Names{odd, "", "a"});
  CHECK(value(names.contains("k", odd)) == true);
  CHECK(value(names.contains("k", "a\0c"s)) == false);
  CHECK(value(names.contains("k", "")) == true);

  constexpr auto lo = std::numeric_limits<std::int64_t>::min();
  constexpr auto hi = std::numeric_limits<std::int64_t>::max();
  CHECK(value(ids.add("n", lo, hi, 0)) == 3);
  CHECK(sorted(ids.items("n")) == Ids{lo, 0, hi});

  const double tiny = std::numeric_limits<double>::denorm_min();
  const double huge = std::numeric_limits<double>::max();
  CHECK(value(scores.add(7, 0.1, -2.5e-300, huge, tiny, 1e21, 1.5)) == 6);
  CHECK(sorted(scores.items(7)) == Scores{0.1, -2.5e-300, huge, tiny, 1e21, 1.5});
  CHECK(value(scores.contains(7, 0.1)) == true);
  CHECK(value(scores.contains(7, 0.2)) == false);
  CHECK(value(scores.add(7, 1.50)) == 0);
}

TEST_CASE("NaN and infinite doubles are invalid_value and nothing of the write is stored") {
  CHECK(test::code(scores.add(1, not_a_number)) == Errc::invalid_value);
  CHECK(test::code(scores.add(1, 1.0, infinity)) == Errc::invalid_value);
  CHECK(test::code(scores.add(1, {-infinity})) == Errc::invalid_value);
  CHECK(value(scores.len(1)) == 0);
  CHECK(pttl(scores, 1) == -2);

  REQUIRE(ok(scores.add(1, 1.0, 2.0)));
  CHECK(test::code(scores.remove(1, 1.0, not_a_number)) == Errc::invalid_value);
  CHECK(sorted(scores.items(1)) == Scores{1.0, 2.0});
}

TEST_CASE("remove answers how many of the values were members") {
  REQUIRE(ok(names.add("k", "a", "b", "c")));
  CHECK(value(names.remove("k", "a", "z", "a")) == 1);
  CHECK(sorted(names.items("k")) == Names{"b", "c"});
  CHECK(value(names.remove("k", "z")) == 0);
  CHECK(value(names.remove("nobody", "a")) == 0);
  CHECK(pttl(names, "nobody") == -2);
}

TEST_CASE("removing the last members removes the key") {
  REQUIRE(ok(ids.add("k", 1, 2)));
  CHECK(value(ids.remove("k", 1, 2)) == 2);
  CHECK(value(ids.len("k")) == 0);
  CHECK(sorted(ids.items("k")) == Ids{});
  CHECK(pttl(ids, "k") == -2);
}

TEST_CASE("contains answers whether a value is a member, false for a missing set") {
  REQUIRE(ok(scores.add(1, 1.5, 2.5)));
  CHECK(value(scores.contains(1, 1.5)) == true);
  CHECK(value(scores.contains(1, 3.5)) == false);
  CHECK(value(scores.contains(2, 1.5)) == false);
  CHECK(pttl(scores, 2) == -2);
}

TEST_CASE("len answers the number of members, 0 for a missing set") {
  CHECK(value(ids.len("k")) == 0);
  REQUIRE(ok(ids.add("k", 5, 6, 5)));
  CHECK(value(ids.len("k")) == 2);
}

TEST_CASE("items and items_set answer every member once, and nothing for a missing set") {
  CHECK(sorted(names.items("nobody")) == Names{});
  CHECK(sorted(names.items_set("nobody")) == Names{});
  REQUIRE(ok(names.add("k", "x", "y", "z", "y")));
  const auto all = value(names.items("k"));
  CHECK(all.size() == 3);
  CHECK(Names(all) == Names{"x", "y", "z"});
  CHECK(value(names.items_set("k")) == std::unordered_set<std::string>{"x", "y", "z"});
  REQUIRE(ok(scores.add(3, 0.5, 0.25)));
  CHECK(value(scores.items_set(3)) == std::unordered_set<double>{0.5, 0.25});
}

TEST_CASE("a set of many members keeps membership exact through removals and pops") {
  std::vector<std::int64_t> all;
  for (std::int64_t i = 0; i < 200; ++i) all.push_back(i);
  CHECK(value(ids.add("k", all)) == 200);
  std::vector<std::int64_t> even;
  for (std::int64_t i = 0; i < 200; i += 2) even.push_back(i);
  CHECK(value(ids.remove("k", even)) == 100);
  CHECK(value(ids.len("k")) == 100);
  for (std::int64_t i = 0; i < 200; ++i) {
    CAPTURE(i);
    CHECK(value(ids.contains("k", i)) == (i % 2 == 1));
  }
  const auto popped = value(ids.pop("k", 30));
  CHECK(popped.size() == 30);
  CHECK(distinct(popped) == 30);
  std::set<std::int64_t> left;
  for (const auto v : value(ids.items("k"))) left.insert(v);
  CHECK(left.size() == 70);
  for (const auto v : popped) {
    CAPTURE(v);
    CHECK(v % 2 == 1);
    CHECK(left.count(v) == 0);
    CHECK(value(ids.contains("k", v)) == false);
  }
  for (const auto v : left) CHECK(v % 2 == 1);
  CHECK(value(ids.pop("k", 1000)).size() == 70);
  CHECK(pttl(ids, "k") == -2);
}

// ---------------------------------------------------------------------------------------------
// Popping

TEST_CASE("pop_one removes and answers one of the members") {
  REQUIRE(ok(names.add("k", "a", "b", "c")));
  const auto popped = value(names.pop_one("k"));
  CHECK((popped == "a" || popped == "b" || popped == "c"));
  CHECK(value(names.contains("k", popped)) == false);
  CHECK(value(names.len("k")) == 2);
}

TEST_CASE("pop_one of a missing set is a miss naming the operation and the stored key") {
  const auto missing = ids.pop_one("nobody");
  CHECK(test::code(missing) == Errc::miss);
  CHECK(missing.error().op == "pop_one");
  CHECK(missing.error().key == "ids/nobody");
  CHECK(pttl(ids, "nobody") == -2);
}

TEST_CASE("popping the last member removes the key, and the next pop_one is a miss") {
  REQUIRE(ok(ids.add("k", 42)));
  CHECK(value(ids.pop_one("k")) == 42);
  CHECK(value(ids.len("k")) == 0);
  CHECK(sorted(ids.items("k")) == Ids{});
  CHECK(pttl(ids, "k") == -2);
  CHECK(test::code(ids.pop_one("k")) == Errc::miss);
}

TEST_CASE("pop answers n distinct members and removes them") {
  REQUIRE(ok(names.add("k", "a", "b", "c", "d", "e")));
  const auto popped = value(names.pop("k", 2));
  CHECK(popped.size() == 2);
  CHECK(distinct(popped) == 2);
  for (const auto& m : popped) {
    CAPTURE(m);
    CHECK((m >= "a" && m <= "e" && m.size() == 1));
    CHECK(value(names.contains("k", m)) == false);
  }
  CHECK(value(names.len("k")) == 3);
}

TEST_CASE("pop with n beyond the size takes every member and removes the key") {
  REQUIRE(ok(scores.add(1, 1.0, 2.0, 3.0)));
  CHECK(sorted(scores.pop(1, 10)) == Scores{1.0, 2.0, 3.0});
  CHECK(value(scores.len(1)) == 0);
  CHECK(pttl(scores, 1) == -2);
  REQUIRE(ok(scores.add(1, 1.0, 2.0)));
  CHECK(sorted(scores.pop(1, 2)) == Scores{1.0, 2.0});
  CHECK(pttl(scores, 1) == -2);
}

TEST_CASE("pop and sample with the largest count answer every member") {
  constexpr auto most = std::numeric_limits<std::int64_t>::max();
  REQUIRE(ok(ids.add("k", 1, 2, 3)));
  CHECK(sorted(ids.sample("k", most)) == Ids{1, 2, 3});
  CHECK(sorted(ids.pop("k", most)) == Ids{1, 2, 3});
  CHECK(pttl(ids, "k") == -2);
}

TEST_CASE("pop with n = 0 answers nothing and changes nothing") {
  REQUIRE(ok(names.add("k", "a", "b")));
  CHECK(value(names.pop("k", 0)).empty());
  CHECK(sorted(names.items("k")) == Names{"a", "b"});
}

TEST_CASE("pop of a missing set answers nothing and creates no set") {
  CHECK(value(names.pop("nobody", 3)).empty());
  CHECK(pttl(names, "nobody") == -2);
}

TEST_CASE("pop with a negative count is out_of_range and removes nothing") {
  REQUIRE(ok(names.add("k", "a", "b")));
  const auto r = names.pop("k", -1);
  CHECK(test::code(r) == Errc::out_of_range);
  CHECK(r.error().op == "pop");
  CHECK(sorted(names.items("k")) == Names{"a", "b"});
}

// ---------------------------------------------------------------------------------------------
// Sampling

TEST_CASE("sample_one answers a member without removing it, and a miss for a missing set") {
  REQUIRE(ok(ids.add("k", 1, 2, 3)));
  for (int i = 0; i < 20; ++i) {
    const auto v = value(ids.sample_one("k"));
    CHECK((v >= 1 && v <= 3));
  }
  CHECK(value(ids.len("k")) == 3);
  const auto missing = ids.sample_one("nobody");
  CHECK(test::code(missing) == Errc::miss);
  CHECK(missing.error().op == "sample_one");
  CHECK(pttl(ids, "nobody") == -2);
}

TEST_CASE("sample answers n distinct members, never repeating, and removes none") {
  REQUIRE(ok(names.add("k", "a", "b", "c", "d", "e")));
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const auto some = value(names.sample("k", 3));
    CHECK(some.size() == 3);
    CHECK(distinct(some) == 3);
    for (const auto& m : some) {
      CHECK((m.size() == 1 && m >= "a" && m <= "e"));
      seen.insert(m);
    }
  }
  CHECK(seen.size() == 5);  // not always the same three
  CHECK(value(names.len("k")) == 5);
}

TEST_CASE("sample with n at or beyond the size answers every member once") {
  REQUIRE(ok(scores.add(1, 1.0, 2.0, 3.0)));
  CHECK(sorted(scores.sample(1, 3)) == Scores{1.0, 2.0, 3.0});
  CHECK(sorted(scores.sample(1, 50)) == Scores{1.0, 2.0, 3.0});
  CHECK(value(scores.len(1)) == 3);
}

TEST_CASE("sample with n = 0, or of a missing set, answers nothing") {
  REQUIRE(ok(names.add("k", "a")));
  CHECK(value(names.sample("k", 0)).empty());
  CHECK(value(names.sample("nobody", 5)).empty());
  CHECK(pttl(names, "nobody") == -2);
}

TEST_CASE("sample with a negative count is out_of_range") {
  REQUIRE(ok(names.add("k", "a", "b")));
  const auto r = names.sample("k", -2);
  CHECK(test::code(r) == Errc::out_of_range);
  CHECK(r.error().op == "sample");
}

TEST_CASE("sample_with_replacement answers exactly n members, which repeat when n exceeds the size") {
  REQUIRE(ok(names.add("k", "a", "b")));
  const auto many = value(names.sample_with_replacement("k", 50));
  CHECK(many.size() == 50);
  for (const auto& m : many) CHECK((m == "a" || m == "b"));
  CHECK(distinct(many) < many.size());
  CHECK(distinct(many) == 2);  // both drawn: all 50 alike has a chance of 2^-49
  CHECK(value(names.len("k")) == 2);

  REQUIRE(ok(ids.add("one", 7)));
  CHECK(value(ids.sample_with_replacement("one", 3)) == std::vector<std::int64_t>{7, 7, 7});
}

TEST_CASE("sample_with_replacement with n = 0, or of a missing set, answers nothing") {
  REQUIRE(ok(names.add("k", "a")));
  CHECK(value(names.sample_with_replacement("k", 0)).empty());
  CHECK(value(names.sample_with_replacement("nobody", 5)).empty());
  CHECK(pttl(names, "nobody") == -2);
}

TEST_CASE("sample_with_replacement with a negative count or one beyond max_sample is out_of_range") {
  REQUIRE(ok(names.add("k", "a")));
  const auto negative = names.sample_with_replacement("k", -1);
  CHECK(test::code(negative) == Errc::out_of_range);
  CHECK(negative.error().op == "sample_with_replacement");
  CHECK(test::code(names.sample_with_replacement("k", names.max_sample + 1)) == Errc::out_of_range);
  CHECK(test::code(names.sample_with_replacement("k", std::numeric_limits<std::int64_t>::max())) ==
        Errc::out_of_range);
}

// ---------------------------------------------------------------------------------------------
// Random choices are uniform (the memory engine's randomness is seeded by the test scope)

namespace {

// Whether every member came up between half and one and a half times its fair share.
bool fair(const std::map<std::string, int>& counts, int draws, int members) {
  const double expected = double(draws) / members;
  bool all = counts.size() == std::size_t(members);
  for (const auto& [member, n] : counts) {
    INFO(member << " came up " << n << " times of " << draws);
    CHECK(n > expected * 0.5);
    CHECK(n < expected * 1.5);
    all = all && n > expected * 0.5 && n < expected * 1.5;
  }
  return all;
}

// Whether draws that follow each other are independent: a draw repeats the one before it
// about once in `members` times (never, or always, when a choice leans on the last one).
bool independent(const std::vector<std::string>& draws, int members) {
  int repeats = 0;
  for (std::size_t i = 1; i < draws.size(); ++i) repeats += draws[i] == draws[i - 1] ? 1 : 0;
  const double expected = double(draws.size() - 1) / members;
  INFO("a draw repeated the one before it " << repeats << " times of " << draws.size() - 1);
  CHECK(repeats > expected * 0.5);
  CHECK(repeats < expected * 1.5);
  return repeats > expected * 0.5 && repeats < expected * 1.5;
}

}  // namespace

TEST_CASE("pop_one picks each member about equally often, whatever it picked before" * test::memory_only()) {
  REQUIRE(ok(names.add("k", "a", "b", "c", "d", "e")));
  std::map<std::string, int> counts;
  std::vector<std::string> order;
  constexpr int draws = 2500;
  for (int i = 0; i < draws; ++i) {
    const auto m = value(names.pop_one("k"));
    ++counts[m];
    order.push_back(m);
    REQUIRE(value(names.add("k", m)) == 1);
  }
  CHECK(fair(counts, draws, 5));
  CHECK(independent(order, 5));
}

TEST_CASE("sample_one picks each member about equally often, whatever it picked before" * test::memory_only()) {
  REQUIRE(ok(names.add("k", "a", "b", "c", "d", "e")));
  std::map<std::string, int> counts;
  std::vector<std::string> order;
  constexpr int draws = 2500;
  for (int i = 0; i < draws; ++i) {
    order.push_back(value(names.sample_one("k")));
    ++counts[order.back()];
  }
  CHECK(fair(counts, draws, 5));
  CHECK(independent(order, 5));
}

TEST_CASE("pop of several and sample of several pick each member about equally often" * test::memory_only()) {
  REQUIRE(ok(names.add("k", "a", "b", "c", "d", "e")));
  std::map<std::string, int> popped, sampled;
  constexpr int rounds = 1000;
  for (int i = 0; i < rounds; ++i) {
    for (const auto& m : value(names.sample("k", 2))) ++sampled[m];
    const auto two = value(names.pop("k", 2));
    REQUIRE(two.size() == 2);
    for (const auto& m : two) ++popped[m];
    REQUIRE(value(names.add("k", two)) == 2);
  }
  CHECK(fair(sampled, 2 * rounds, 5));
  CHECK(fair(popped, 2 * rounds, 5));
}

TEST_CASE("sample_with_replacement picks each member about equally often, each draw on its own" * test::memory_only()) {
  REQUIRE(ok(names.add("k", "a", "b", "c", "d", "e")));
  std::map<std::string, int> counts;
  constexpr int draws = 2500;
  const auto drawn = value(names.sample_with_replacement("k", draws));
  REQUIRE(drawn.size() == std::size_t(draws));
  for (const auto& m : drawn) ++counts[m];
  CHECK(fair(counts, draws, 5));
  CHECK(independent(drawn, 5));
}

// ---------------------------------------------------------------------------------------------
// Set algebra across keys

namespace {

// a = {1, 2, 3, 4}, b = {2, 3, 5}, c = {3, 6}
void three_sets() {
  REQUIRE(ok(ids.add("a", 1, 2, 3, 4)));
  REQUIRE(ok(ids.add("b", 2, 3, 5)));
  REQUIRE(ok(ids.add("c", 3, 6)));
}

}  // namespace

TEST_CASE("diff answers the members of the first set that are in none of the others") {
  three_sets();
  CHECK(sorted(ids.diff("a", "b")) == Ids{1, 4});
  CHECK(sorted(ids.diff("a", "b", "c")) == Ids{1, 4});
  CHECK(sorted(ids.diff("a", "c", "b")) == Ids{1, 4});
  CHECK(sorted(ids.diff("b", "c", "a")) == Ids{5});
  CHECK(sorted(ids.diff("b", "a")) == Ids{5});
  CHECK(sorted(ids.diff("a")) == Ids{1, 2, 3, 4});
  CHECK(sorted(ids.diff("a", "a")) == Ids{});
  const std::vector<std::string> keys{"c", "a"};
  CHECK(sorted(ids.diff(keys)) == Ids{6});
  CHECK(sorted(ids.diff_set(keys)) == Ids{6});
}

TEST_CASE("intersect answers the members in every set") {
  three_sets();
  CHECK(sorted(ids.intersect("a", "b")) == Ids{2, 3});
  CHECK(sorted(ids.intersect("a", "b", "c")) == Ids{3});
  CHECK(sorted(ids.intersect("a")) == Ids{1, 2, 3, 4});
  CHECK(sorted(ids.intersect("b", "b")) == Ids{2, 3, 5});
  const std::vector<std::string> keys{"a", "c"};
  CHECK(sorted(ids.intersect_set(keys)) == Ids{3});
}

TEST_CASE("union_ answers the members in any of the sets, each once") {
  three_sets();
  const auto all = value(ids.union_("a", "b", "c"));
  CHECK(all.size() == 6);
  CHECK(Ids(all) == Ids{1, 2, 3, 4, 5, 6});
  CHECK(sorted(ids.union_("c")) == Ids{3, 6});
  const std::vector<std::string> keys{"b", "c"};
  CHECK(sorted(ids.union_set(keys)) == Ids{2, 3, 5, 6});
}

TEST_CASE("diff, intersect and union_ count missing keys as empty sets") {
  three_sets();
  CHECK(sorted(ids.diff("a", "nobody")) == Ids{1, 2, 3, 4});
  CHECK(sorted(ids.diff("nobody", "a")) == Ids{});
  CHECK(sorted(ids.intersect("a", "nobody")) == Ids{});
  CHECK(sorted(ids.intersect("nobody", "a", "b")) == Ids{});
  CHECK(sorted(ids.union_("nobody", "c", "nobody2")) == Ids{3, 6});
  CHECK(sorted(ids.union_("nobody", "nobody2")) == Ids{});
  CHECK(sorted(ids.intersect_set({"nobody"})) == Ids{});
  CHECK(pttl(ids, "nobody") == -2);
}

TEST_CASE("diff, intersect and union_ of doubles and strings compare members exactly") {
  REQUIRE(ok(scores.add(1, 0.5, 1.5, 2.5)));
  REQUIRE(ok(scores.add(2, 1.5, 3.5)));
  CHECK(sorted(scores.diff(1, 2)) == Scores{0.5, 2.5});
  CHECK(sorted(scores.intersect(1, 2)) == Scores{1.5});
  CHECK(sorted(scores.union_(1, 2)) == Scores{0.5, 1.5, 2.5, 3.5});

  REQUIRE(ok(names.add("x", "a", "A", "a ")));
  REQUIRE(ok(names.add("y", "a")));
  CHECK(sorted(names.diff("x", "y")) == Names{"A", "a "});
  CHECK(sorted(names.intersect_set({"x", "y"})) == Names{"a"});
}

TEST_CASE("with no keys, diff, intersect and union_ answer nothing and the stores answer 0") {
  REQUIRE(ok(ids.add("dst", 9)));
  const std::vector<std::string> none;
  CHECK(value(ids.diff(none)).empty());
  CHECK(value(ids.intersect(none)).empty());
  CHECK(value(ids.union_(none)).empty());
  CHECK(value(ids.diff_set(none)).empty());
  CHECK(value(ids.intersect_set(none)).empty());
  CHECK(value(ids.union_set(none)).empty());
  CHECK(value(ids.diff_store("dst", none)) == 0);
  CHECK(value(ids.intersect_store("dst", none)) == 0);
  CHECK(value(ids.union_store("dst", none)) == 0);
  // "Without touching the backend" (api.md section 5): the destination is as it was.
  CHECK(sorted(ids.items("dst")) == Ids{9});
}

TEST_CASE("diff_store, intersect_store and union_store write the result and answer its size") {
  three_sets();
  CHECK(value(ids.diff_store("d", "a", "b")) == 2);
  CHECK(sorted(ids.items("d")) == Ids{1, 4});
  CHECK(value(ids.intersect_store("i", "a", "b")) == 2);
  CHECK(sorted(ids.items("i")) == Ids{2, 3});
  CHECK(value(ids.union_store("u", "a", "b", "c")) == 6);
  CHECK(sorted(ids.items("u")) == Ids{1, 2, 3, 4, 5, 6});
  const std::vector<std::string> keys{"b", "c"};
  CHECK(value(ids.union_store("u2", keys)) == 4);
  CHECK(value(ids.len("u2")) == 4);
  // The sources are unchanged.
  CHECK(sorted(ids.items("a")) == Ids{1, 2, 3, 4});
  CHECK(sorted(ids.items("b")) == Ids{2, 3, 5});
}

TEST_CASE("a store replaces whatever the destination held, a set or a string") {
  three_sets();
  REQUIRE(ok(ids.add("dst", 99, 1)));
  CHECK(value(ids.diff_store("dst", "a", "b")) == 2);
  CHECK(sorted(ids.items("dst")) == Ids{1, 4});
  CHECK(value(ids.intersect_store("dst", "b", "c")) == 1);
  CHECK(sorted(ids.items("dst")) == Ids{3});

  write_string(ids, "s");
  CHECK(value(ids.union_store("s", "b", "c")) == 4);
  CHECK(sorted(ids.items("s")) == Ids{2, 3, 5, 6});
}

TEST_CASE("a store may name its destination among its sources") {
  three_sets();
  CHECK(value(ids.union_store("a", "a", "c")) == 5);
  CHECK(sorted(ids.items("a")) == Ids{1, 2, 3, 4, 6});
  CHECK(value(ids.intersect_store("b", "a", "b")) == 2);
  CHECK(sorted(ids.items("b")) == Ids{2, 3});
  CHECK(value(ids.diff_store("c", "c", "b")) == 1);
  CHECK(sorted(ids.items("c")) == Ids{6});
}

TEST_CASE("a store whose result is empty leaves no destination key, even one that existed") {
  three_sets();
  REQUIRE(ok(ids.add("dst", 7)));
  CHECK(value(ids.intersect_store("dst", "a", "nobody")) == 0);
  CHECK(value(ids.len("dst")) == 0);
  CHECK(pttl(ids, "dst") == -2);

  CHECK(value(ids.diff_store("d", "b", "a", "c")) == 1);
  CHECK(value(ids.diff_store("d", "c", "a", "b")) == 1);
  CHECK(value(ids.diff_store("d", "nobody", "a")) == 0);
  CHECK(pttl(ids, "d") == -2);
  CHECK(value(ids.union_store("u", "nobody", "nobody2")) == 0);
  CHECK(pttl(ids, "u") == -2);
  CHECK(value(ids.diff_store("self", "a", "a")) == 0);
  CHECK(pttl(ids, "self") == -2);
}

// ---------------------------------------------------------------------------------------------
// Moving between sets (SMOVE)

TEST_CASE("move takes a member from the source and adds it to the destination") {
  REQUIRE(ok(names.add("src", "a", "b")));
  REQUIRE(ok(names.add("dst", "x")));
  CHECK(value(names.move("src", "dst", "a")) == true);
  CHECK(sorted(names.items("src")) == Names{"b"});
  CHECK(sorted(names.items("dst")) == Names{"a", "x"});

  REQUIRE(ok(scores.add(1, 1.5, 2.5)));
  CHECK(value(scores.move(1, 2, 2.5)) == true);
  CHECK(sorted(scores.items(2)) == Scores{2.5});
  CHECK(sorted(scores.items(1)) == Scores{1.5});
}

TEST_CASE("move of a member the destination already holds removes it from the source only") {
  REQUIRE(ok(ids.add("src", 1, 2)));
  REQUIRE(ok(ids.add("dst", 1, 3)));
  CHECK(value(ids.move("src", "dst", 1)) == true);
  CHECK(sorted(ids.items("src")) == Ids{2});
  CHECK(sorted(ids.items("dst")) == Ids{1, 3});
}

TEST_CASE("move of a value the source does not hold answers false and changes nothing") {
  REQUIRE(ok(names.add("src", "a")));
  REQUIRE(ok(names.add("dst", "x")));
  CHECK(value(names.move("src", "dst", "z")) == false);
  CHECK(value(names.move("src", "dst", "x")) == false);
  CHECK(sorted(names.items("src")) == Names{"a"});
  CHECK(sorted(names.items("dst")) == Names{"x"});
}

TEST_CASE("move from a missing source answers false and creates no destination") {
  CHECK(value(names.move("nobody", "dst", "a")) == false);
  CHECK(pttl(names, "dst") == -2);
  CHECK(pttl(names, "nobody") == -2);
  CHECK(value(online.move("nobody", "dst", "a")) == false);
  CHECK(pttl(online, "dst") == -2);
  // SMOVE answers 0 for a missing source before it looks at the destination's type.
  write_string(names, "s");
  CHECK(value(names.move("nobody", "s", "a")) == false);
  CHECK(value(cluster.storage().strings()->get(names.stored_key("s"))) == "text");
}

TEST_CASE("move to a missing destination creates it") {
  REQUIRE(ok(ids.add("src", 5, 6)));
  CHECK(value(ids.move("src", "dst", 5)) == true);
  CHECK(sorted(ids.items("dst")) == Ids{5});
  CHECK(sorted(ids.items("src")) == Ids{6});
}

TEST_CASE("move of the source's last member removes the source") {
  REQUIRE(ok(ids.add("src", 5)));
  REQUIRE(ok(ids.add("dst", 1)));
  CHECK(value(ids.move("src", "dst", 5)) == true);
  CHECK(sorted(ids.items("dst")) == Ids{1, 5});
  CHECK(value(ids.len("src")) == 0);
  CHECK(sorted(ids.items("src")) == Ids{});
  CHECK(pttl(ids, "src") == -2);
}

TEST_CASE("move within one set answers whether the value is a member and changes nothing") {
  REQUIRE(ok(names.add("k", "a", "b")));
  CHECK(value(names.move("k", "k", "a")) == true);
  CHECK(value(names.move("k", "k", "z")) == false);
  CHECK(sorted(names.items("k")) == Names{"a", "b"});
}

// ---------------------------------------------------------------------------------------------
// Erasing

TEST_CASE("erase removes sets and answers how many existed") {
  REQUIRE(ok(names.add("a", "1")));
  REQUIRE(ok(names.add("b", "2")));
  CHECK(value(names.erase("a", "b", "nobody")) == 2);
  CHECK(value(names.len("a")) == 0);
  CHECK(pttl(names, "b") == -2);
  const std::vector<std::string> none;
  CHECK(value(names.erase(none)) == 0);
}

// ---------------------------------------------------------------------------------------------
// Expiry (what every set write does with it: expiry.cpp; a move's: move.cpp)

TEST_CASE("a store applies the write's expiry to the destination only") {
  const auto never = online.with(cachet::never_expire);
  REQUIRE(ok(never.add("a", "u1", "u2")));
  REQUIRE(ok(online.add("b", "u2", "u3")));
  test::elapse(100ms);
  CHECK(value(online.union_store("all", "a", "b")) == 3);
  const auto ttl = pttl(online, "all");
  CHECK(ttl > 100);
  CHECK(ttl <= 200);
  CHECK(pttl(online, "a") == -1);
  const auto source = pttl(online, "b");
  CHECK(source > 0);
  CHECK(source <= 100);

  CHECK(value(never.intersect_store("all", "a", "b")) == 1);
  CHECK(pttl(online, "all") == -1);
  CHECK(value(online.diff_store("only", "a", "b")) == 1);
  CHECK(pttl(online, "only") > 100);
  CHECK(value(online.with(cachet::expire_in(-1s)).diff_store("only", "a", "b")) == 1);
  CHECK(pttl(online, "only") == -2);
  CHECK(pttl(online, "a") == -1);
}

TEST_CASE("set algebra reads leave the TTL of every key they read") {
  REQUIRE(ok(online.add("room", "u1", "u2", "u3")));
  REQUIRE(ok(online.with(cachet::never_expire).add("other", "u2")));
  test::elapse(100ms);
  CHECK(sorted(online.diff("room", "other")) == Names{"u1", "u3"});
  CHECK(sorted(online.intersect("room", "other")) == Names{"u2"});
  CHECK(sorted(online.union_("room", "other")) == Names{"u1", "u2", "u3"});
  const auto ttl = pttl(online, "room");
  CHECK(ttl > 0);
  CHECK(ttl <= 100);
  CHECK(pttl(online, "other") == -1);
}

// ---------------------------------------------------------------------------------------------
// Wrong types (every set operation on a key of another type: wrong_type.cpp)

TEST_CASE("a store with a source holding a string answers wrong_type and leaves the destination alone") {
  write_string(ids, "s");
  REQUIRE(ok(ids.add("set", 1)));
  REQUIRE(ok(ids.add("dst", 9)));
  CHECK(test::code(ids.union_store("dst", "set", "s")) == Errc::wrong_type);
  CHECK(test::code(ids.intersect_store("dst", "s", "set")) == Errc::wrong_type);
  CHECK(test::code(ids.diff_store("dst", "set", "s")) == Errc::wrong_type);
  CHECK(test::code(ids.intersect_store("dst", "set", "nobody", "s")) == Errc::wrong_type);
  CHECK(sorted(ids.items("dst")) == Ids{9});
  CHECK(test::code(ids.union_store("new", "s")) == Errc::wrong_type);
  CHECK(pttl(ids, "new") == -2);
}

// ---------------------------------------------------------------------------------------------
// Members that do not decode

TEST_CASE("reading a set with a member that is not an integer is invalid_value naming the member") {
  REQUIRE(ok(ids.add("k", 1)));
  add_raw(ids, "k", {"abc"});
  // (op: the operation the error must name; nullptr where api.md leaves the name open)
  auto names_member = [](const auto& r, const char* op) {
    INFO((op ? op : "?"));
    CHECK(test::code(r) == Errc::invalid_value);
    if (op) CHECK(r.error().op == op);
    CHECK(r.error().message.find("abc") != std::string::npos);
  };
  names_member(ids.items("k"), "items");
  names_member(ids.items_set("k"), nullptr);
  names_member(ids.sample("k", 10), "sample");
  names_member(ids.diff("k", "nobody"), "diff");
  names_member(ids.intersect("k", "k"), "intersect");
  names_member(ids.union_("k"), nullptr);
  names_member(ids.union_set({"k"}), nullptr);
  CHECK(value(ids.len("k")) == 2);
  CHECK(value(ids.contains("k", 1)) == true);

  add_raw(ids, "bad", {"abc"});
  names_member(ids.sample_one("bad"), "sample_one");
  names_member(ids.sample_with_replacement("bad", 2), "sample_with_replacement");
  names_member(ids.pop_one("bad"), "pop_one");
  add_raw(ids, "bad", {"1.0"});
  const auto popped = ids.pop("bad", 5);
  CHECK(test::code(popped) == Errc::invalid_value);
  CHECK(popped.error().message.find("1.0") != std::string::npos);
}

TEST_CASE("a member that is not a finite number fails a double set's reads with invalid_value") {
  for (const char* text : {"nan", "inf", "-inf", "1.5.2", "", "0x"}) {
    CAPTURE(text);
    REQUIRE(ok(scores.erase(1)));
    add_raw(scores, 1, {text});
    CHECK(test::code(scores.items(1)) == Errc::invalid_value);
    CHECK(test::code(scores.sample_one(1)) == Errc::invalid_value);
  }
}
