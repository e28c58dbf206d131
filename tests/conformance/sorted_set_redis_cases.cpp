// Redis's own sorted-set behaviours (the cases of its tests/unit/type/zset.tcl that apply to
// what SortedSetKeyspace offers), written again as our tests. Redis runs each case on both of
// its encodings; here each runs on a small sorted set and on one the memory engine holds in
// its large shape (grown past 128 members, then shrunk back), so both shapes answer alike.
// Runs on the memory engine and, with CACHET_TEST_URL, on Redis.
#include "../support.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

using cachet::AddMode;
using cachet::Errc;
using test::ok;
using test::value;

namespace {

cachet::Cluster cluster("test-sorted-set-cases");
cachet::SortedSetKeyspace<std::string, std::string> z(cluster, {.key_pattern = "z/:key"});

using Items = std::vector<cachet::Scored<std::string>>;
const double inf = std::numeric_limits<double>::infinity();
const double not_a_number = std::numeric_limits<double>::quiet_NaN();

// Fills `key` with `members`; `large`: first grown past 128 members and shrunk back, so the
// memory engine holds it in its skip list shape.
void create(const std::string& key, const Items& members, bool large) {
  REQUIRE(ok(z.erase(key)));
  Items padding;
  if (large) {
    for (int i = 0; i < 200; ++i) padding.push_back({"pad" + std::to_string(i), 1e9 + i});
    REQUIRE(ok(z.add_many(key, padding)));
  }
  REQUIRE(ok(z.add_many(key, members)));
  for (const auto& p : padding) REQUIRE(ok(z.remove(key, p.member)));
}

// The members in order, space-separated, as the Tcl tests compare them.
std::string names(const cachet::Result<Items>& r) {
  std::string out;
  for (const auto& m : value(r)) out += (out.empty() ? "" : " ") + m.member;
  return out;
}
std::string all(const std::string& key) { return names(z.range(key, 0, -1)); }

// create_default_zset: -inf a, 1 b, 2 c, 3 d, 4 e, 5 f, +inf g.
void default_zset(bool large) {
  create("zset", {{"a", -inf}, {"b", 1}, {"c", 2}, {"d", 3}, {"e", 4}, {"f", 5}, {"g", inf}}, large);
}

}  // namespace

TEST_CASE("basic add and score update") {
  for (bool large : {false, true}) {
    CAPTURE(large);
    create("ztmp", {{"x", 10}, {"y", 20}, {"z", 30}}, large);
    CHECK(all("ztmp") == "x y z");
    REQUIRE(ok(z.add("ztmp", "y", 1)));
    CHECK(all("ztmp") == "y x z");
  }
}

TEST_CASE("a member can't be set to NaN by add or increment, and increment refuses a NaN result") {
  CHECK(test::code(z.add("myzset", "abc", not_a_number)) == Errc::invalid_value);
  CHECK(test::code(z.increment("myzset", "abc", not_a_number)) == Errc::invalid_value);
  REQUIRE(ok(z.add("myzset", "abc", inf)));
  CHECK(test::code(z.increment("myzset", "abc", -inf)) == Errc::invalid_value);
  CHECK(value(z.score("myzset", "abc")) == inf);
}

TEST_CASE("add modes: XX, GT, LT and NX, alone and with existing members") {
  for (bool large : {false, true}) {
    CAPTURE(large);
    REQUIRE(ok(z.erase("ztmp")));
    // XX without a key creates none.
    CHECK(value(z.add("ztmp", "x", 10, AddMode::if_present)) == false);
    CHECK(value(z.exists("ztmp")) == false);
    // XX on an existing key adds nothing and answers 0 added.
    create("ztmp", {{"x", 10}}, large);
    const Items xz{{"y", 20}, {"z", 30}};
    CHECK(value(z.add_many("ztmp", xz, AddMode::if_present)) == 0);
    CHECK(value(z.len("ztmp")) == 1);
    // XX updates the scores of existing members.
    create("ztmp", {{"x", 10}, {"y", 20}, {"z", 30}}, large);
    const Items update{{"x", 5}, {"y", 33}};
    CHECK(value(z.add_many("ztmp", update, AddMode::if_present)) == 0);
    CHECK(value(z.score("ztmp", "x")) == 5);
    CHECK(value(z.score("ztmp", "y")) == 33);
    // GT updates only to greater scores, and still adds new members.
    create("ztmp", {{"x", 10}, {"y", 20}, {"z", 30}}, large);
    const Items gt{{"foo", 5}, {"x", 11}, {"y", 21}, {"z", 29}};
    CHECK(value(z.add_many("ztmp", gt, AddMode::if_greater)) == 1);
    CHECK(value(z.score("ztmp", "foo")) == 5);
    CHECK(value(z.score("ztmp", "x")) == 11);
    CHECK(value(z.score("ztmp", "y")) == 21);
    CHECK(value(z.score("ztmp", "z")) == 30);
    // LT only to lesser ones.
    create("ztmp", {{"x", 10}, {"y", 20}, {"z", 30}}, large);
    const Items lt{{"foo", 5}, {"x", 11}, {"y", 21}, {"z", 29}};
    CHECK(value(z.add_many("ztmp", lt, AddMode::if_less)) == 1);
    CHECK(value(z.score("ztmp", "x")) == 10);
    CHECK(value(z.score("ztmp", "y")) == 20);
    CHECK(value(z.score("ztmp", "z")) == 29);
    // NX adds new members only, leaving old scores alone.
    create("ztmp", {{"x", 10}, {"y", 20}, {"z", 30}}, large);
    const Items nx{{"x", 11}, {"y", 21}, {"a", 100}, {"b", 200}};
    CHECK(value(z.add_many("ztmp", nx, AddMode::if_absent)) == 2);
    CHECK(value(z.score("ztmp", "x")) == 10);
    CHECK(value(z.score("ztmp", "y")) == 20);
    CHECK(value(z.score("ztmp", "a")) == 100);
    CHECK(value(z.score("ztmp", "b")) == 200);
  }
}

TEST_CASE("variadic add counts the members actually added; one bad score adds nothing") {
  for (bool large : {false, true}) {
    CAPTURE(large);
    create("myzset", {{"x", 5}}, large);
    const Items three{{"x", 10}, {"y", 20}, {"z", 30}};
    CHECK(value(z.add_many("myzset", three)) == 2);
    CHECK(names(z.range("myzset", 0, -1)) == "x y z");
    create("myzset", {{"x", 5}}, large);
    const Items bad{{"x", 10}, {"y", 20}, {"z", not_a_number}};
    CHECK(test::code(z.add_many("myzset", bad)) == Errc::invalid_value);
    CHECK(all("myzset") == "x");
    CHECK(value(z.score("myzset", "x")) == 5);
  }
}

TEST_CASE("len, and remove that deletes the key with its last member, variadic too") {
  for (bool large : {false, true}) {
    CAPTURE(large);
    create("ztmp", {{"a", 10}, {"b", 20}, {"c", 30}}, large);
    CHECK(value(z.len("ztmp")) == 3);
    CHECK(value(z.len("zdoesntexist")) == 0);
    CHECK(value(z.remove("ztmp", "z")) == 0);
    CHECK(value(z.remove("ztmp", "c")) == 1);
    CHECK(value(z.remove("ztmp", "b", "a", "foo")) == 2);
    CHECK(value(z.exists("ztmp")) == false);
  }
}

TEST_CASE("range and range_desc: every combination of in-range and out-of-range indexes") {
  for (bool large : {false, true}) {
    CAPTURE(large);
    create("ztmp", {{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}}, large);
    CHECK(names(z.range("ztmp", 0, -1)) == "a b c d");
    CHECK(names(z.range("ztmp", 0, -2)) == "a b c");
    CHECK(names(z.range("ztmp", 1, -1)) == "b c d");
    CHECK(names(z.range("ztmp", 1, -2)) == "b c");
    CHECK(names(z.range("ztmp", -2, -1)) == "c d");
    CHECK(names(z.range("ztmp", -2, -2)) == "c");
    CHECK(names(z.range("ztmp", -5, 2)) == "a b c");
    CHECK(names(z.range("ztmp", -5, 1)) == "a b");
    CHECK(names(z.range("ztmp", 5, -1)) == "");
    CHECK(names(z.range("ztmp", 5, -2)) == "");
    CHECK(names(z.range("ztmp", 0, 5)) == "a b c d");
    CHECK(names(z.range("ztmp", 1, 5)) == "b c d");
    CHECK(names(z.range("ztmp", 0, -5)) == "");
    CHECK(names(z.range("ztmp", 1, -5)) == "");
    CHECK(value(z.range("ztmp", 0, -1)) == Items{{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}});

    CHECK(names(z.range_desc("ztmp", 0, -1)) == "d c b a");
    CHECK(names(z.range_desc("ztmp", 0, -2)) == "d c b");
    CHECK(names(z.range_desc("ztmp", 1, -1)) == "c b a");
    CHECK(names(z.range_desc("ztmp", 1, -2)) == "c b");
    CHECK(names(z.range_desc("ztmp", -2, -1)) == "b a");
    CHECK(names(z.range_desc("ztmp", -2, -2)) == "b");
    CHECK(names(z.range_desc("ztmp", -5, 2)) == "d c b");
    CHECK(names(z.range_desc("ztmp", -5, 1)) == "d c");
    CHECK(names(z.range_desc("ztmp", 5, -1)) == "");
    CHECK(names(z.range_desc("ztmp", 0, 5)) == "d c b a");
    CHECK(names(z.range_desc("ztmp", 1, 5)) == "c b a");
    CHECK(names(z.range_desc("ztmp", 0, -5)) == "");
    CHECK(value(z.range_desc("ztmp", 0, -1)) == Items{{"d", 4}, {"c", 3}, {"b", 2}, {"a", 1}});
  }
}

TEST_CASE("rank and rank_desc, also after a removal") {
  for (bool large : {false, true}) {
    CAPTURE(large);
    create("zranktmp", {{"x", 10}, {"y", 20}, {"z", 30}}, large);
    CHECK(value(z.rank("zranktmp", "x")) == 0);
    CHECK(value(z.rank("zranktmp", "y")) == 1);
    CHECK(value(z.rank("zranktmp", "z")) == 2);
    CHECK(value(z.rank_desc("zranktmp", "x")) == 2);
    CHECK(value(z.rank_desc("zranktmp", "y")) == 1);
    CHECK(value(z.rank_desc("zranktmp", "z")) == 0);
    CHECK(test::code(z.rank("zranktmp", "foo")) == Errc::miss);
    CHECK(test::code(z.rank_desc("zranktmp", "foo")) == Errc::miss);
    REQUIRE(ok(z.remove("zranktmp", "y")));
    CHECK(value(z.rank("zranktmp", "x")) == 0);
    CHECK(value(z.rank("zranktmp", "z")) == 1);
  }
}

TEST_CASE("increment creates a sorted set, increments, decrements and answers the score") {
  for (bool large : {false, true}) {
    CAPTURE(large);
    REQUIRE(ok(z.erase("zset")));
    CHECK(value(z.increment("zset", "foo", 1)) == 1);
    CHECK(names(z.range("zset", 0, -1)) == "foo");
    create("zset", {{"foo", 1}}, large);
    CHECK(value(z.increment("zset", "foo", 2)) == 3);
    CHECK(value(z.increment("zset", "bar", 1)) == 1);
    CHECK(names(z.range("zset", 0, -1)) == "bar foo");
    CHECK(value(z.increment("zset", "foo", -5)) == -2);
    CHECK(value(z.increment("zset", "bar", -5)) == -4);
    CHECK(names(z.range("zset", 0, -1)) == "bar foo");
    CHECK(value(z.score("zset", "foo")) == -2);
    CHECK(value(z.score("zset", "bar")) == -4);
  }
}

TEST_CASE("range_by_score, range_by_score_desc and count: inclusive, exclusive and empty ranges") {
  for (bool large : {false, true}) {
    CAPTURE(large);
    default_zset(large);
    CHECK(names(z.range_by_score("zset", {-inf}, {2})) == "a b c");
    CHECK(names(z.range_by_score("zset", {0}, {3})) == "b c d");
    CHECK(names(z.range_by_score("zset", {3}, {6})) == "d e f");
    CHECK(names(z.range_by_score("zset", {4}, {inf})) == "e f g");
    CHECK(names(z.range_by_score_desc("zset", {2}, {-inf})) == "c b a");
    CHECK(names(z.range_by_score_desc("zset", {3}, {0})) == "d c b");
    CHECK(names(z.range_by_score_desc("zset", {6}, {3})) == "f e d");
    CHECK(names(z.range_by_score_desc("zset", {inf}, {4})) == "g f e");
    CHECK(value(z.count("zset", {0}, {3})) == 3);

    CHECK(names(z.range_by_score("zset", {-inf, false}, {2, false})) == "b");
    CHECK(names(z.range_by_score("zset", {0, false}, {3, false})) == "b c");
    CHECK(names(z.range_by_score("zset", {3, false}, {6, false})) == "e f");
    CHECK(names(z.range_by_score("zset", {4, false}, {inf, false})) == "f");
    CHECK(names(z.range_by_score_desc("zset", {2, false}, {-inf, false})) == "b");
    CHECK(names(z.range_by_score_desc("zset", {3, false}, {0, false})) == "c b");
    CHECK(names(z.range_by_score_desc("zset", {6, false}, {3, false})) == "f e");
    CHECK(names(z.range_by_score_desc("zset", {inf, false}, {4, false})) == "f");
    CHECK(value(z.count("zset", {0, false}, {3, false})) == 2);

    REQUIRE(ok(z.remove("zset", "a", "g")));
    CHECK(names(z.range_by_score("zset", {4}, {2})) == "");
    CHECK(names(z.range_by_score("zset", {6}, {inf})) == "");
    CHECK(names(z.range_by_score("zset", {-inf}, {-6})) == "");
    CHECK(names(z.range_by_score_desc("zset", {inf}, {6})) == "");
    CHECK(names(z.range_by_score_desc("zset", {-6}, {-inf})) == "");
    CHECK(names(z.range_by_score("zset", {4, false}, {2, false})) == "");
    CHECK(names(z.range_by_score("zset", {2}, {2, false})) == "");
    CHECK(names(z.range_by_score("zset", {2, false}, {2})) == "");
    CHECK(names(z.range_by_score("zset", {6, false}, {inf, false})) == "");
    CHECK(names(z.range_by_score("zset", {-inf, false}, {-6, false})) == "");
    CHECK(names(z.range_by_score_desc("zset", {inf, false}, {6, false})) == "");
    CHECK(names(z.range_by_score_desc("zset", {-6, false}, {-inf, false})) == "");
    CHECK(names(z.range_by_score("zset", {2.4}, {2.6})) == "");
    CHECK(names(z.range_by_score("zset", {2.4, false}, {2.6})) == "");
    CHECK(names(z.range_by_score("zset", {2.4}, {2.6, false})) == "");
    CHECK(names(z.range_by_score("zset", {2.4, false}, {2.6, false})) == "");
  }
}

TEST_CASE("range_by_score with an offset and a count, and with scores") {
  for (bool large : {false, true}) {
    CAPTURE(large);
    default_zset(large);
    CHECK(value(z.range_by_score("zset", {0}, {3})) == Items{{"b", 1}, {"c", 2}, {"d", 3}});
    CHECK(value(z.range_by_score_desc("zset", {3}, {0})) == Items{{"d", 3}, {"c", 2}, {"b", 1}});
    CHECK(names(z.range_by_score("zset", {0}, {10}, 0, 2)) == "b c");
    CHECK(names(z.range_by_score("zset", {0}, {10}, 2, 3)) == "d e f");
    CHECK(names(z.range_by_score("zset", {0}, {10}, 2, 10)) == "d e f");
    CHECK(names(z.range_by_score("zset", {0}, {10}, 20, 10)) == "");
    CHECK(names(z.range_by_score_desc("zset", {10}, {0}, 0, 2)) == "f e");
    CHECK(names(z.range_by_score_desc("zset", {10}, {0}, 2, 3)) == "d c b");
    CHECK(names(z.range_by_score_desc("zset", {10}, {0}, 2, 10)) == "d c b");
    CHECK(names(z.range_by_score_desc("zset", {10}, {0}, 20, 10)) == "");
    CHECK(value(z.range_by_score("zset", {2}, {5}, 2, 3)) == Items{{"e", 4}, {"f", 5}});
    CHECK(value(z.range_by_score_desc("zset", {5}, {2}, 2, 3)) == Items{{"d", 3}, {"c", 2}});
    CHECK(names(z.range_by_score("zset", {2}, {5}, 12, 13)) == "");

    // A longer one: i0..i29 scored 0..29, offsets past the first few members.
    Items longer;
    for (int i = 0; i < 30; ++i) longer.push_back({"i" + std::to_string(i), double(i)});
    create("zset", longer, large);
    CHECK(names(z.range_by_score("zset", {0}, {20}, 12, 3)) == "i12 i13 i14");
    CHECK(names(z.range_by_score("zset", {0}, {20}, 14, 2)) == "i14 i15");
    CHECK(names(z.range_by_score("zset", {0}, {30}, 19, 3)) == "i19 i20 i21");
    CHECK(names(z.range_by_score("zset", {10}, {30}, 19, 2)) == "i29");
    CHECK(names(z.range_by_score_desc("zset", {30}, {10}, 12, 3)) == "i17 i16 i15");
    CHECK(names(z.range_by_score_desc("zset", {20}, {0}, 14, 2)) == "i6 i5");
    CHECK(names(z.range_by_score_desc("zset", {20}, {0}, 18, 5)) == "i2 i1 i0");
    CHECK(names(z.range_by_score_desc("zset", {20}, {0}, 20, 5)) == "i0");
  }
}

TEST_CASE("remove_range_by_score and remove_range: inner ranges, overflows, swapped ends, exclusive bounds") {
  for (bool large : {false, true}) {
    CAPTURE(large);
    const Items five{{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}, {"e", 5}};
    auto by_score = [&](cachet::ScoreBound min, cachet::ScoreBound max) {
      create("zset", five, large);
      return value(z.remove_range_by_score("zset", min, max));
    };
    CHECK(by_score({2}, {4}) == 3);
    CHECK(all("zset") == "a e");
    CHECK(by_score({-10}, {1}) == 1);
    CHECK(all("zset") == "b c d e");
    CHECK(by_score({5}, {10}) == 1);
    CHECK(all("zset") == "a b c d");
    CHECK(by_score({4}, {2}) == 0);
    CHECK(all("zset") == "a b c d e");
    CHECK(by_score({-inf}, {3}) == 3);
    CHECK(all("zset") == "d e");
    CHECK(by_score({3}, {inf}) == 3);
    CHECK(all("zset") == "a b");
    CHECK(by_score({-inf}, {inf}) == 5);
    CHECK(all("zset") == "");
    CHECK(by_score({1, false}, {5}) == 4);
    CHECK(all("zset") == "a");
    CHECK(by_score({2, false}, {5}) == 3);
    CHECK(all("zset") == "a b");
    CHECK(by_score({1}, {5, false}) == 4);
    CHECK(all("zset") == "e");
    CHECK(by_score({1}, {4, false}) == 3);
    CHECK(all("zset") == "d e");
    CHECK(by_score({1, false}, {5, false}) == 3);
    CHECK(all("zset") == "a e");
    CHECK(by_score({1}, {5}) == 5);
    CHECK(value(z.exists("zset")) == false);
    CHECK(test::code(z.remove_range_by_score("zset", {1}, {not_a_number})) == Errc::invalid_value);

    auto by_rank = [&](std::int64_t start, std::int64_t stop) {
      create("zset", five, large);
      return value(z.remove_range("zset", start, stop));
    };
    CHECK(by_rank(1, 3) == 3);
    CHECK(all("zset") == "a e");
    CHECK(by_rank(-10, 0) == 1);
    CHECK(all("zset") == "b c d e");
    CHECK(by_rank(10, -1) == 0);
    CHECK(all("zset") == "a b c d e");
    CHECK(by_rank(0, -10) == 0);
    CHECK(all("zset") == "a b c d e");
    CHECK(by_rank(0, 10) == 5);
    CHECK(all("zset") == "");
    CHECK(by_rank(0, 4) == 5);
    CHECK(value(z.exists("zset")) == false);
  }
}

TEST_CASE("union, intersection and difference: missing keys, empty sets, sums, infinities") {
  for (bool large : {false, true}) {
    CAPTURE(large);
    REQUIRE(ok(z.erase({"dst_key", "zseta", "zsetb", "zsetc"})));
    CHECK(value(z.union_store("dst_key", "zseta", "zsetb")) == 0);
    CHECK(value(z.exists("dst_key")) == false);
    CHECK(names(z.union_("zseta", "zsetb")) == "");
    CHECK(names(z.intersect("zseta", "zsetb")) == "");
    CHECK(names(z.diff("zseta", "zsetb")) == "");

    create("zseta", {{"a", 1}, {"b", 2}, {"c", 3}}, large);
    create("zsetb", {{"b", 1}, {"c", 2}, {"d", 3}}, large);
    CHECK(value(z.union_store("zsetc", "zseta", "zsetb")) == 4);
    CHECK(value(z.range("zsetc", 0, -1)) == Items{{"a", 1}, {"b", 3}, {"d", 3}, {"c", 5}});
    CHECK(value(z.intersect_store("zsetc", "zseta", "zsetb")) == 2);
    CHECK(value(z.range("zsetc", 0, -1)) == Items{{"b", 3}, {"c", 5}});
    CHECK(value(z.intersect("zseta", "zsetb")) == Items{{"b", 3}, {"c", 5}});
    CHECK(value(z.diff_store("zsetc", "zseta", "zsetb")) == 1);
    CHECK(value(z.range("zsetc", 0, -1)) == Items{{"a", 1}});
    CHECK(value(z.diff("zseta", "zsetb")) == Items{{"a", 1}});
    CHECK(names(z.diff("zseta", "zseta")) == "");

    // With an empty (missing) one.
    CHECK(value(z.union_store("zsetc", "zseta", "zsete")) == 3);
    CHECK(value(z.intersect("zseta", "zsete")).empty());
    CHECK(names(z.diff("zseta", "zsete")) == "a b c");

    // Infinities: inf + inf is inf, inf + -inf is 0, -inf + -inf is -inf.
    const std::pair<double, double> pairs[] = {{inf, inf}, {-inf, inf}, {inf, -inf}, {-inf, -inf}};
    const double sums[] = {inf, 0, 0, -inf};
    for (std::size_t i = 0; i < 4; ++i) {
      create("zsetinf1", {{"key", pairs[i].first}}, large);
      create("zsetinf2", {{"key", pairs[i].second}}, large);
      REQUIRE(ok(z.union_store("zsetinf3", "zsetinf1", "zsetinf2")));
      CHECK(value(z.score("zsetinf3", "key")) == sums[i]);
      REQUIRE(ok(z.intersect_store("zsetinf3", "zsetinf1", "zsetinf2")));
      CHECK(value(z.score("zsetinf3", "key")) == sums[i]);
    }
  }
}

TEST_CASE("pop_min and pop_max: one, several, a count of 0, a negative count") {
  for (bool large : {false, true}) {
    CAPTURE(large);
    create("zset", {{"a", -1}, {"b", 1}, {"c", 2}, {"d", 3}, {"e", 4}}, large);
    CHECK(value(z.pop_min("zset", 0)).empty());
    CHECK(value(z.len("zset")) == 5);
    CHECK(test::code(z.pop_min("zset", -1)) == Errc::out_of_range);
    CHECK(value(z.pop_min("zset", 1)) == Items{{"a", -1}});
    CHECK(value(z.pop_min("zset", 1)) == Items{{"b", 1}});
    CHECK(value(z.pop_max("zset", 1)) == Items{{"e", 4}});
    CHECK(value(z.pop_max("zset", 1)) == Items{{"d", 3}});
    CHECK(value(z.pop_min("zset", 1)) == Items{{"c", 2}});
    CHECK(value(z.exists("zset")) == false);

    create("z1", {{"a", 0}, {"b", 1}, {"c", 2}, {"d", 3}}, large);
    CHECK(value(z.pop_min("z1", 2)) == Items{{"a", 0}, {"b", 1}});
    CHECK(value(z.pop_max("z1", 2)) == Items{{"d", 3}, {"c", 2}});
    CHECK(value(z.pop_max("z1", 2)).empty());
  }
}

TEST_CASE("score and scores, with missing members and missing keys") {
  for (bool large : {false, true}) {
    CAPTURE(large);
    create("zmscoretest", {{"x", 10}, {"y", 20}}, large);
    CHECK(value(z.scores("zmscoretest", {"x", "y"})) == std::vector<std::optional<double>>{10.0, 20.0});
    CHECK(value(z.scores("zmscoretest", {"x", "z"})) == std::vector<std::optional<double>>{10.0, std::nullopt});
    CHECK(value(z.scores("zmscoretest", {"x"})) == std::vector<std::optional<double>>{10.0});
    CHECK(value(z.scores("none", {"x", "y"})) == std::vector<std::optional<double>>{std::nullopt, std::nullopt});
    CHECK(value(z.score("zmscoretest", "x")) == 10);
  }
}

TEST_CASE("sorting stress: random scores come back in the order a sort gives, ranks to match") {
  for (int elements : {100, 500}) {
    CAPTURE(elements);
    std::mt19937_64 random{std::uint64_t(elements)};
    Items items;
    std::map<std::string, double> latest;
    for (int i = 0; i < elements; ++i) {
      const std::string m = std::to_string(random() % 1000);
      const double s = double(random() % 1000) / 10;
      items.push_back({m, s});
      latest[m] = s;
    }
    REQUIRE(ok(z.erase("zscoretest")));
    REQUIRE(ok(z.add_many("zscoretest", items)));
    std::vector<std::pair<double, std::string>> expected;
    for (const auto& [m, s] : latest) expected.emplace_back(s, m);
    std::sort(expected.begin(), expected.end());
    const auto got = value(z.range("zscoretest", 0, -1));
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].member == expected[i].second);
      CHECK(value(z.rank("zscoretest", got[i].member)) == std::int64_t(i));
    }
  }
}

TEST_CASE("rank stays right under random adds and removals (Redis's augmented skip list stress)") {
  std::mt19937_64 random(7);
  std::map<std::string, double> model;
  REQUIRE(ok(z.erase("myzset")));
  for (int round = 0; round < 400; ++round) {
    const std::string m = std::to_string(random() % 300);
    if (random() % 3 == 0) {
      REQUIRE(ok(z.remove("myzset", m)));
      model.erase(m);
    } else {
      const double s = double(random() % 100);
      REQUIRE(ok(z.add("myzset", m, s)));
      model[m] = s;
    }
    if (round % 40 != 0) continue;
    std::vector<std::pair<double, std::string>> order;
    for (const auto& [member, score] : model) order.emplace_back(score, member);
    std::sort(order.begin(), order.end());
    for (std::size_t i = 0; i < order.size(); ++i) {
      CHECK(value(z.rank("myzset", order[i].second)) == std::int64_t(i));
    }
  }
}

TEST_CASE("sample: a count of 0, a missing key, distinct members, repeats for a negative count") {
  for (bool large : {false, true}) {
    CAPTURE(large);
    Items members;
    for (int i = 0; i < 20; ++i) members.push_back({"m" + std::to_string(i), double(i)});
    create("myzset", members, large);
    CHECK(value(z.sample("myzset", 0)).empty());
    CHECK(value(z.sample("nonexisting_key", 100)).empty());
    CHECK(value(z.sample("nonexisting_key", -100)).empty());
    const auto five = value(z.sample("myzset", 5));
    CHECK(std::set<std::string>(five.begin(), five.end()).size() == 5);
    const auto whole = value(z.sample("myzset", 30));
    CHECK(whole.size() == 20);
    CHECK(std::set<std::string>(whole.begin(), whole.end()).size() == 20);
    const auto drawn = value(z.sample("myzset", -100));
    CHECK(drawn.size() == 100);
    for (const auto& m : drawn) CHECK(std::find_if(members.begin(), members.end(), [&](const auto& s) {
                                        return s.member == m;
                                      }) != members.end());
  }
}
