// SortedSetKeyspace: every method's success, miss and error paths; Redis's order (score, then
// member bytes), inclusive and exclusive bounds, infinities, negative ranks, ZADD's modes,
// NaN refused, counts, algebra across keys with summed scores, keys that disappear when
// emptied, and the large shape of the memory engine (past 128 members) answering as the small
// one. Runs on the memory engine and, with CACHET_TEST_URL, on Redis. Expiry on every write
// and wrong types are written once for every data type: expiry.cpp, wrong_type.cpp.
#include "../support.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace std::string_literals;
using namespace std::chrono_literals;
using cachet::AddMode;
using cachet::Errc;
using cachet::ScoreBound;
using test::ok;
using test::pttl;
using test::value;
using test::write_string;

namespace {

cachet::Cluster cluster("test-sorted-sets");
cachet::SortedSetKeyspace<std::string, std::string> board(cluster, {.key_pattern = "board/:key"});
cachet::SortedSetKeyspace<std::string, std::int64_t> ids(cluster, {.key_pattern = "zids/:key"});
cachet::SortedSetKeyspace<std::string, double> reals(cluster, {.key_pattern = "zreals/:key"});
cachet::SortedSetKeyspace<std::string, std::string> window(
    cluster, {.key_pattern = "window/:key", .default_expiry = cachet::expire_in(200ms)});

using Scored = cachet::Scored<std::string>;
using Items = std::vector<Scored>;

const double inf = std::numeric_limits<double>::infinity();
const double not_a_number = std::numeric_limits<double>::quiet_NaN();

// "a=1 b=2": members and scores in the order answered.
std::string text(const cachet::Result<Items>& r) {
  const Items items = value(r);
  std::string out;
  for (const auto& m : items) {
    if (!out.empty()) out += ' ';
    std::ostringstream score;
    score << m.score;
    out += m.member + "=" + score.str();
  }
  return out;
}

void fill(const std::string& key, std::initializer_list<Scored> members) {
  const Items items(members);
  REQUIRE(ok(board.add_many(key, items)));
}

}  // namespace

namespace cachet {
template <class V>
std::ostream& operator<<(std::ostream& os, const Scored<V>& s) {
  return os << s.member << "=" << s.score;
}
}  // namespace cachet

// ---------------------------------------------------------------------------------------------
// Adding and scores

TEST_CASE("add answers whether the member is new, and a second add moves it") {
  CHECK(value(board.add("k", "alice", 10)) == true);
  CHECK(value(board.add("k", "bob", 5)) == true);
  CHECK(value(board.add("k", "alice", 3)) == false);
  CHECK(text(board.range("k", 0, -1)) == "alice=3 bob=5");
  CHECK(value(board.score("k", "alice")) == 3);
  CHECK(value(board.len("k")) == 2);
}

TEST_CASE("add_many counts new members; a member given twice takes its last score") {
  const Items items{{"a", 1}, {"b", 2}, {"a", 7}};
  CHECK(value(board.add_many("k", items)) == 2);
  CHECK(text(board.range("k", 0, -1)) == "b=2 a=7");
  CHECK(value(board.add_many("k", Items{})) == 0);
  CHECK(value(board.exists("k")) == true);
  CHECK(value(board.add_many("empty", Items{})) == 0);
  CHECK(value(board.exists("empty")) == false);
}

TEST_CASE("members of equal score are ordered by their bytes, for every member type") {
  fill("k", {{"b", 1}, {"a", 1}, {"B", 1}, {"\xff", 1}, {"ab", 1}, {"", 1}});
  CHECK(text(board.range("k", 0, -1)) == "=1 B=1 a=1 ab=1 b=1 \xff=1");
  // Integers are stored as their decimal text: 10 sorts before 9 at equal scores.
  REQUIRE(ok(ids.add("n", 9, 0)));
  REQUIRE(ok(ids.add("n", 10, 0)));
  REQUIRE(ok(ids.add("n", -1, 0)));
  const auto members = value(ids.range("n", 0, -1));
  REQUIRE(members.size() == 3);
  CHECK(members[0].member == -1);
  CHECK(members[1].member == 10);
  CHECK(members[2].member == 9);
}

TEST_CASE("add modes: if_absent, if_present, if_greater and if_less, as NX, XX, GT and LT") {
  fill("k", {{"a", 5}});
  CHECK(value(board.add("k", "a", 1, AddMode::if_absent)) == false);
  CHECK(value(board.score("k", "a")) == 5);
  CHECK(value(board.add("k", "b", 1, AddMode::if_absent)) == true);

  CHECK(value(board.add("k", "a", 6, AddMode::if_present)) == false);
  CHECK(value(board.score("k", "a")) == 6);
  CHECK(value(board.add("k", "c", 1, AddMode::if_present)) == false);
  CHECK(test::code(board.score("k", "c")) == Errc::miss);
  // XX onto no key creates none.
  CHECK(value(board.add("nothing", "c", 1, AddMode::if_present)) == false);
  CHECK(value(board.exists("nothing")) == false);

  CHECK(value(board.add("k", "a", 4, AddMode::if_greater)) == false);
  CHECK(value(board.score("k", "a")) == 6);
  CHECK(value(board.add("k", "a", 8, AddMode::if_greater)) == false);
  CHECK(value(board.score("k", "a")) == 8);
  CHECK(value(board.add("k", "d", 1, AddMode::if_greater)) == true);  // GT still adds new members

  CHECK(value(board.add("k", "a", 9, AddMode::if_less)) == false);
  CHECK(value(board.score("k", "a")) == 8);
  CHECK(value(board.add("k", "a", 2, AddMode::if_less)) == false);
  CHECK(value(board.score("k", "a")) == 2);
  CHECK(value(board.add("k", "e", 1, AddMode::if_less)) == true);
  CHECK(value(board.len("k")) == 4);
}

TEST_CASE("NaN scores, deltas and bounds are refused with invalid_value and write nothing") {
  CHECK(test::code(board.add("k", "a", not_a_number)) == Errc::invalid_value);
  const Items items{{"a", 1}, {"b", not_a_number}};
  CHECK(test::code(board.add_many("k", items)) == Errc::invalid_value);
  CHECK(value(board.exists("k")) == false);
  fill("k", {{"a", 1}});
  CHECK(test::code(board.increment("k", "a", not_a_number)) == Errc::invalid_value);
  CHECK(test::code(board.range_by_score("k", {not_a_number}, {1})) == Errc::invalid_value);
  CHECK(test::code(board.count("k", {0}, {not_a_number})) == Errc::invalid_value);
  CHECK(test::code(board.remove_range_by_score("k", {not_a_number}, {not_a_number})) == Errc::invalid_value);
  CHECK(value(board.score("k", "a")) == 1);
  // A double member may not be NaN or infinite either (its codec refuses them).
  CHECK(test::code(reals.add("r", not_a_number, 1)) == Errc::invalid_value);
}

TEST_CASE("infinite scores are valid and sort at the ends") {
  fill("k", {{"top", inf}, {"bottom", -inf}, {"zero", 0}});
  CHECK(text(board.range("k", 0, -1)) == "bottom=-inf zero=0 top=inf");
  CHECK(value(board.score("k", "top")) == inf);
  CHECK(value(board.count("k", {-inf}, {inf})) == 3);
  CHECK(value(board.count("k", {-inf, false}, {inf, false})) == 1);
  // inf + -inf would be NaN: refused, the score stays.
  CHECK(test::code(board.increment("k", "top", -inf)) == Errc::invalid_value);
  CHECK(value(board.score("k", "top")) == inf);
  CHECK(value(board.increment("k", "zero", inf)) == inf);
}

TEST_CASE("scores round-trip exactly, however many digits they take") {
  const std::vector<double> values{0.1, 1.0 / 3, -2.5e-308, 1.7976931348623157e308, 4.9e-324, 123456789.123456789,
                                   -0.0, 9007199254740993.0};
  for (std::size_t i = 0; i < values.size(); ++i) {
    REQUIRE(ok(board.add("k", "m" + std::to_string(i), values[i])));
    CHECK(value(board.score("k", "m" + std::to_string(i))) == values[i]);
  }
  // -0 is stored as 0 on both backends (Redis's compact encoding answers 0 for it).
  CHECK(!std::signbit(value(board.score("k", "m6"))));
  const auto all = value(board.range("k", 0, -1));
  REQUIRE(all.size() == values.size());
  for (const auto& m : all) CHECK(m.score == values[std::stoul(m.member.substr(1))]);
}

TEST_CASE("increment adds to a member's score, starting a missing one at 0") {
  CHECK(value(board.increment("k", "a", 2.5)) == 2.5);
  CHECK(value(board.increment("k", "a", -1)) == 1.5);
  CHECK(value(board.increment("k", "b", 0)) == 0);
  CHECK(text(board.range("k", 0, -1)) == "b=0 a=1.5");
}

TEST_CASE("score and scores: a miss for no member or no key, nullopt in a list") {
  fill("k", {{"a", 1}, {"b", 2}});
  CHECK(test::code(board.score("k", "z")) == Errc::miss);
  CHECK(test::code(board.score("none", "a")) == Errc::miss);
  CHECK(value(board.scores("k", {"b", "z", "a"})) == std::vector<std::optional<double>>{2.0, std::nullopt, 1.0});
  CHECK(value(board.scores("none", {"a"})) == std::vector<std::optional<double>>{std::nullopt});
  CHECK(value(board.scores("k", std::vector<std::string>{})).empty());
}

// ---------------------------------------------------------------------------------------------
// Ranks and ranges

TEST_CASE("rank and rank_desc count from the lowest and the highest score; a miss without the member") {
  fill("k", {{"a", 1}, {"b", 2}, {"c", 3}});
  CHECK(value(board.rank("k", "a")) == 0);
  CHECK(value(board.rank("k", "c")) == 2);
  CHECK(value(board.rank_desc("k", "a")) == 2);
  CHECK(value(board.rank_desc("k", "c")) == 0);
  CHECK(test::code(board.rank("k", "z")) == Errc::miss);
  CHECK(test::code(board.rank_desc("none", "a")) == Errc::miss);
}

TEST_CASE("range takes ranks start..stop inclusive, negative ones from the end, clamped") {
  fill("k", {{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}});
  CHECK(text(board.range("k", 0, 1)) == "a=1 b=2");
  CHECK(text(board.range("k", -2, -1)) == "c=3 d=4");
  CHECK(text(board.range("k", 1, 100)) == "b=2 c=3 d=4");
  CHECK(text(board.range("k", -100, 0)) == "a=1");
  CHECK(text(board.range("k", 2, 1)) == "");
  CHECK(text(board.range("k", 4, 10)) == "");
  CHECK(text(board.range("k", -1, -2)) == "");
  CHECK(text(board.range_desc("k", 0, 1)) == "d=4 c=3");
  CHECK(text(board.range_desc("k", -1, -1)) == "a=1");
  CHECK(text(board.range_desc("k", 1, 100)) == "c=3 b=2 a=1");
  CHECK(text(board.range("none", 0, -1)) == "");
}

TEST_CASE("range_by_score: inclusive and exclusive bounds, infinities, offset and count") {
  fill("k", {{"a", 1}, {"b", 2}, {"c", 2}, {"d", 3}, {"e", 4}});
  CHECK(text(board.range_by_score("k", {2}, {3})) == "b=2 c=2 d=3");
  CHECK(text(board.range_by_score("k", {2, false}, {3})) == "d=3");
  CHECK(text(board.range_by_score("k", {2}, {3, false})) == "b=2 c=2");
  CHECK(text(board.range_by_score("k", {-inf}, {inf})) == "a=1 b=2 c=2 d=3 e=4");
  CHECK(text(board.range_by_score("k", {-inf}, {2, false})) == "a=1");
  CHECK(text(board.range_by_score("k", {3}, {2})) == "");
  CHECK(text(board.range_by_score("k", {2}, {2, false})) == "");
  CHECK(text(board.range_by_score("k", {-inf}, {inf}, 1, 2)) == "b=2 c=2");
  CHECK(text(board.range_by_score("k", {-inf}, {inf}, 3)) == "d=3 e=4");
  CHECK(text(board.range_by_score("k", {-inf}, {inf}, 5)) == "");
  CHECK(text(board.range_by_score("k", {-inf}, {inf}, 0, 0)) == "");
  // As Redis: a negative offset answers nothing, a negative count takes all that follow.
  CHECK(text(board.range_by_score("k", {-inf}, {inf}, -1, 2)) == "");
  CHECK(text(board.range_by_score("k", {-inf}, {inf}, 4, -5)) == "e=4");

  CHECK(text(board.range_by_score_desc("k", {3}, {2})) == "d=3 c=2 b=2");
  CHECK(text(board.range_by_score_desc("k", {inf}, {-inf}, 1, 2)) == "d=3 c=2");
  CHECK(text(board.range_by_score_desc("k", {3, false}, {1, false})) == "c=2 b=2");
  CHECK(text(board.range_by_score_desc("k", {2}, {3})) == "");
  CHECK(text(board.range_by_score("none", {-inf}, {inf})) == "");
}

TEST_CASE("count answers how many scores lie within the bounds") {
  fill("k", {{"a", 1}, {"b", 2}, {"c", 3}});
  CHECK(value(board.count("k", {1}, {3})) == 3);
  CHECK(value(board.count("k", {1, false}, {3, false})) == 1);
  CHECK(value(board.count("k", {5}, {1})) == 0);
  CHECK(value(board.count("none", {-inf}, {inf})) == 0);
}

// ---------------------------------------------------------------------------------------------
// Removing

TEST_CASE("remove answers how many were members; the emptied sorted set disappears") {
  fill("k", {{"a", 1}, {"b", 2}});
  CHECK(value(board.remove("k", "a", "z")) == 1);
  CHECK(value(board.remove("k", std::vector<std::string>{})) == 0);
  CHECK(value(board.remove("k", "b")) == 1);
  CHECK(value(board.exists("k")) == false);
  CHECK(value(board.remove("none", "a")) == 0);
}

TEST_CASE("remove_range and remove_range_by_score remove what range would answer") {
  fill("k", {{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}, {"e", 5}});
  CHECK(value(board.remove_range("k", -2, -1)) == 2);
  CHECK(text(board.range("k", 0, -1)) == "a=1 b=2 c=3");
  CHECK(value(board.remove_range("k", 5, 10)) == 0);
  CHECK(value(board.remove_range_by_score("k", {1, false}, {3})) == 2);
  CHECK(text(board.range("k", 0, -1)) == "a=1");
  CHECK(value(board.remove_range_by_score("k", {-inf}, {inf})) == 1);
  CHECK(value(board.exists("k")) == false);
  CHECK(value(board.remove_range("none", 0, -1)) == 0);
}

TEST_CASE("pop_min and pop_max take from either end; a negative count is out_of_range") {
  fill("k", {{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}});
  CHECK(text(board.pop_min("k", 1)) == "a=1");
  CHECK(text(board.pop_max("k", 2)) == "d=4 c=3");
  CHECK(text(board.pop_min("k", 0)) == "");
  CHECK(test::code(board.pop_max("k", -1)) == Errc::out_of_range);
  CHECK(text(board.pop_min("k", 10)) == "b=2");
  CHECK(value(board.exists("k")) == false);
  CHECK(text(board.pop_max("none", 3)) == "");
}

// ---------------------------------------------------------------------------------------------
// Sampling

TEST_CASE("sample answers distinct members for a positive count, repeats for a negative one") {
  fill("k", {{"a", 1}, {"b", 2}, {"c", 3}});
  const auto two = value(board.sample("k", 2));
  CHECK(two.size() == 2);
  CHECK(std::set<std::string>(two.begin(), two.end()).size() == 2);
  const auto all = value(board.sample("k", 10));
  CHECK(std::set<std::string>(all.begin(), all.end()) == std::set<std::string>{"a", "b", "c"});
  const auto many = value(board.sample("k", -20));
  CHECK(many.size() == 20);
  for (const auto& m : many) CHECK((m == "a" || m == "b" || m == "c"));
  CHECK(value(board.sample("k", 0)).empty());
  CHECK(value(board.sample("none", -5)).empty());
  CHECK(test::code(board.sample("k", board.max_sample + 1)) == Errc::out_of_range);
  CHECK(test::code(board.sample("k", -board.max_sample - 1)) == Errc::out_of_range);
}

// ---------------------------------------------------------------------------------------------
// Algebra

TEST_CASE("union_, intersect and diff sum scores and answer in order of score") {
  fill("x", {{"a", 1}, {"b", 2}, {"c", 3}});
  fill("y", {{"b", 10}, {"c", -5}, {"d", 0}});
  CHECK(text(board.union_("x", "y")) == "c=-2 d=0 a=1 b=12");
  CHECK(text(board.intersect("x", "y")) == "c=-2 b=12");
  CHECK(text(board.diff("x", "y")) == "a=1");
  CHECK(text(board.diff("y", "x")) == "d=0");
  // A missing key is an empty sorted set.
  CHECK(text(board.union_("x", "none")) == "a=1 b=2 c=3");
  CHECK(text(board.intersect("x", "none")) == "");
  CHECK(text(board.diff("none", "x")) == "");
  CHECK(text(board.diff("x", "none")) == "a=1 b=2 c=3");
  // A key named twice counts twice.
  CHECK(text(board.intersect("x", "x")) == "a=2 b=4 c=6");
  CHECK(text(board.union_(std::vector<std::string>{})) == "");
  // inf + -inf sums to 0, as Redis sums them.
  fill("p", {{"m", inf}});
  fill("q", {{"m", -inf}});
  CHECK(text(board.union_("p", "q")) == "m=0");
}

TEST_CASE("the algebra's stores replace the destination and answer its size") {
  fill("x", {{"a", 1}, {"b", 2}});
  fill("y", {{"b", 3}, {"c", 4}});
  REQUIRE(ok(board.add("dst", "old", 1)));
  CHECK(value(board.union_store("dst", "x", "y")) == 3);
  CHECK(text(board.range("dst", 0, -1)) == "a=1 c=4 b=5");
  CHECK(value(board.intersect_store("dst", "x", "y")) == 1);
  CHECK(text(board.range("dst", 0, -1)) == "b=5");
  CHECK(value(board.diff_store("dst", "x", "y")) == 1);
  CHECK(text(board.range("dst", 0, -1)) == "a=1");
  // An empty result leaves no destination key, even one that existed.
  CHECK(value(board.intersect_store("dst", "x", "none")) == 0);
  CHECK(value(board.exists("dst")) == false);
  // The destination may be among the sources.
  CHECK(value(board.union_store("x", "x", "x")) == 2);
  CHECK(text(board.range("x", 0, -1)) == "a=2 b=4");
}

TEST_CASE("a store with a source of another type answers wrong_type and leaves the destination alone") {
  fill("dst", {{"keep", 1}});
  write_string(board, "str");
  CHECK(test::code(board.union_store("dst", "str")) == Errc::wrong_type);
  CHECK(test::code(board.union_("dst", "str")) == Errc::wrong_type);
  CHECK(text(board.range("dst", 0, -1)) == "keep=1");
}

TEST_CASE("a plain set is a wrong type for the sorted-set algebra on every backend") {
  REQUIRE(ok(cluster.storage().sets()->sadd(board.stored_key("set"), std::vector<std::string>{"a"},
                                             cachet::engine::ExpiryAction::persist())));
  fill("z", {{"a", 1}});
  CHECK(test::code(board.union_("z", "set")) == Errc::wrong_type);
  CHECK(test::code(board.intersect_store("dst", "z", "set")) == Errc::wrong_type);
  CHECK(value(board.exists("dst")) == false);
}

TEST_CASE("a store applies the write's expiry to the destination") {
  REQUIRE(ok(window.add("src", "a", 1)));
  CHECK(value(window.union_store("dst", "src")) == 1);
  const auto left = pttl(window, "dst");
  CHECK(left > 0);
  CHECK(left <= 200);
}

// ---------------------------------------------------------------------------------------------
// Expiry with every write, and the large shape

TEST_CASE("every write gives the key the keyspace's expiry atomically, and reads leave it") {
  REQUIRE(ok(window.add("k", "a", 1)));
  CHECK(pttl(window, "k") > 0);
  REQUIRE(ok(window.with(cachet::never_expire).add("k", "b", 2)));
  CHECK(pttl(window, "k") == -1);
  REQUIRE(ok(window.increment("k", "a", 1)));
  CHECK(pttl(window, "k") > 0);
  REQUIRE(ok(window.with(cachet::keep_ttl).remove("k", "a")));
  CHECK(pttl(window, "k") > 0);
  CHECK(value(window.ttl("k")).has_value());
  test::elapse(250ms);
  CHECK(value(window.exists("k")) == false);
  CHECK(value(window.len("k")) == 0);
}

TEST_CASE("a sorted set past 128 members answers as a small one: ranks, ranges, removals") {
  // A reference model: members by (score, member), checked against every read.
  std::mt19937_64 random(42);
  std::map<std::string, double> model;
  auto ordered = [&] {
    std::vector<std::pair<double, std::string>> out;
    for (const auto& [m, s] : model) out.emplace_back(s, m);
    std::sort(out.begin(), out.end());
    return out;
  };
  Items batch;
  for (int i = 0; i < 600; ++i) {
    const std::string m = "m" + std::to_string(random() % 400);
    const double s = double(random() % 50);
    batch.push_back({m, s});
    model[m] = s;
  }
  REQUIRE(ok(board.add_many("big", batch)));
  for (int i = 0; i < 100; ++i) {
    const std::string m = "m" + std::to_string(random() % 400);
    const double delta = double(random() % 7) - 3;
    CHECK(value(board.increment("big", m, delta)) == (model[m] += delta));
  }
  const auto all = ordered();
  REQUIRE(value(board.len("big")) == std::int64_t(all.size()));
  const auto got = value(board.range("big", 0, -1));
  REQUIRE(got.size() == all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(got[i].member == all[i].second);
    CHECK(got[i].score == all[i].first);
  }
  for (std::size_t i = 0; i < all.size(); i += 37) {
    CHECK(value(board.rank("big", all[i].second)) == std::int64_t(i));
    CHECK(value(board.rank_desc("big", all[i].second)) == std::int64_t(all.size() - 1 - i));
    CHECK(text(board.range("big", std::int64_t(i), std::int64_t(i))) ==
          text(Items{{all[i].second, all[i].first}}));
  }
  const auto in_window = std::count_if(all.begin(), all.end(), [](const auto& p) { return p.first > 10 && p.first <= 20; });
  CHECK(value(board.count("big", {10, false}, {20})) == in_window);
  CHECK(value(board.range_by_score("big", {10, false}, {20})).size() == std::size_t(in_window));
  CHECK(value(board.remove_range("big", 10, 19)) == 10);
  CHECK(value(board.len("big")) == std::int64_t(all.size() - 10));
  CHECK(value(board.range("big", 10, 10)).front().member == all[20].second);
  CHECK(value(board.remove_range_by_score("big", {-inf}, {inf})) == std::int64_t(all.size() - 10));
  CHECK(value(board.exists("big")) == false);
}
