// ListKeyspace: every method's success, miss and error paths, Redis's index and count
// arithmetic, keys that disappear when emptied, and elements that do not decode. Runs on the
// memory engine and, with CACHET_TEST_URL, on Redis. Expiry on every list write, wrong types
// and a move's expiry are written once for every data type: expiry.cpp, wrong_type.cpp, move.cpp.
#include "../support.hpp"

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <iomanip>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

using namespace std::string_literals;
using cachet::Errc;
using test::ok;
using test::pttl;
using test::seq;
using test::value;
using test::write_string;
using cachet::ListPos;

namespace {

cachet::Cluster cluster("test-lists");
cachet::ListKeyspace<std::string, std::string> words(cluster, {.key_pattern = "words/:key"});
cachet::ListKeyspace<std::string, std::int64_t> numbers(cluster, {.key_pattern = "numbers/:key"});
cachet::ListKeyspace<std::int64_t, double> readings(cluster, {.key_pattern = "readings/:key"});

using Words = test::Seq<std::string>;
using Numbers = test::Seq<std::int64_t>;
using Readings = test::Seq<double>;

// Pushes raw bytes onto the head of `key` of `ks`, as another program could.
template <class KS>
void push_raw(const KS& ks, const typename KS::key_type& key, std::vector<std::string> elements) {
  REQUIRE(ok(cluster.storage().lists()->push(ks.stored_key(key), cachet::ListPos::Left, elements,
                                    cachet::engine::ExpiryAction::keep())));
}

const double not_a_number = std::numeric_limits<double>::quiet_NaN();
const double infinity = std::numeric_limits<double>::infinity();

}  // namespace

// ---------------------------------------------------------------------------------------------
// Pushing

TEST_CASE("push_left puts each value in turn at the head and answers the new length") {
  CHECK(value(words.push_left("k", "a")) == 1);
  CHECK(value(words.push_left("k", "b", "c")) == 3);
  const std::vector<std::string> more{"d", "e"};
  CHECK(value(words.push_left("k", more)) == 5);
  CHECK(seq(words.items("k")) == Words{"e", "d", "c", "b", "a"});
}

TEST_CASE("push_right appends each value in turn at the tail and answers the new length") {
  CHECK(value(numbers.push_right("k", 1)) == 1);
  CHECK(value(numbers.push_right("k", {2, 3})) == 3);
  const std::vector<std::int64_t> more{4, 5};
  CHECK(value(numbers.push_right("k", more)) == 5);
  CHECK(seq(numbers.items("k")) == Numbers{1, 2, 3, 4, 5});
}

TEST_CASE("pushing no values answers 0 and neither creates nor changes a list") {
  const std::vector<std::string> none;
  CHECK(value(words.push_left("new", none)) == 0);
  CHECK(value(words.push_right("new", none)) == 0);
  CHECK(value(words.len("new")) == 0);
  CHECK(pttl(words, "new") == -2);

  REQUIRE(ok(words.push_right("k", "a", "b")));
  CHECK(value(words.push_left("k", none)) == 0);
  CHECK(seq(words.items("k")) == Words{"a", "b"});
}

TEST_CASE("elements keep their exact value: any bytes, the int64 extremes, any finite double") {
  const std::string odd = "a\0b\xff\n"s;
  REQUIRE(ok(words.push_right("k", odd, "", " ")));
  CHECK(seq(words.items("k")) == Words{odd, "", " "});

  constexpr auto lo = std::numeric_limits<std::int64_t>::min();
  constexpr auto hi = std::numeric_limits<std::int64_t>::max();
  REQUIRE(ok(numbers.push_right("k", lo, hi, 0, -1)));
  CHECK(seq(numbers.items("k")) == Numbers{lo, hi, 0, -1});

  const double tiny = std::numeric_limits<double>::denorm_min();
  const double huge = std::numeric_limits<double>::max();
  REQUIRE(ok(readings.push_right(7, 0.1, -2.5e-300, huge, tiny, 1e21, -0.0)));
  const auto read = seq(readings.items(7));
  CHECK(read == Readings{0.1, -2.5e-300, huge, tiny, 1e21, 0.0});
  CHECK(std::signbit(read.items.back()));
}

TEST_CASE("NaN and infinite doubles are invalid_value and nothing of the write is stored") {
  CHECK(test::code(readings.push_left(1, not_a_number)) == Errc::invalid_value);
  CHECK(test::code(readings.push_right(1, 1.0, infinity)) == Errc::invalid_value);
  CHECK(test::code(readings.push_right(1, {-infinity})) == Errc::invalid_value);
  CHECK(value(readings.len(1)) == 0);
  CHECK(pttl(readings, 1) == -2);

  REQUIRE(ok(readings.push_right(1, 1.0, 2.0)));
  CHECK(test::code(readings.set(1, 0, not_a_number)) == Errc::invalid_value);
  CHECK(test::code(readings.insert_before(1, 1.0, infinity)) == Errc::invalid_value);
  CHECK(test::code(readings.insert_after(1, 2.0, -infinity)) == Errc::invalid_value);
  CHECK(seq(readings.items(1)) == Readings{1.0, 2.0});
}

// ---------------------------------------------------------------------------------------------
// Popping

TEST_CASE("pop_left and pop_right answer and remove the ends of the list") {
  REQUIRE(ok(words.push_right("k", "a", "b", "c", "d")));
  CHECK(value(words.pop_left("k")) == "a");
  CHECK(value(words.pop_right("k")) == "d");
  CHECK(seq(words.items("k")) == Words{"b", "c"});

  REQUIRE(ok(readings.push_right(3, 1.5, -2.25)));
  CHECK(value(readings.pop_right(3)) == -2.25);
  CHECK(value(readings.pop_left(3)) == 1.5);
}

TEST_CASE("popping a missing list is a miss naming the operation and the stored key") {
  const auto left = words.pop_left("nobody");
  CHECK(test::code(left) == Errc::miss);
  CHECK(left.error().op == "pop_left");
  CHECK(left.error().key == "words/nobody");
  const auto right = numbers.pop_right("nobody");
  CHECK(test::code(right) == Errc::miss);
  CHECK(right.error().op == "pop_right");
  CHECK(right.error().key == "numbers/nobody");
  CHECK(pttl(words, "nobody") == -2);
}

TEST_CASE("popping the last element removes the key, and the next pop is a miss") {
  REQUIRE(ok(numbers.push_left("k", 42)));
  CHECK(value(numbers.pop_left("k")) == 42);
  CHECK(value(numbers.len("k")) == 0);
  CHECK(seq(numbers.items("k")) == Numbers{});
  CHECK(pttl(numbers, "k") == -2);
  CHECK(test::code(numbers.pop_left("k")) == Errc::miss);
  CHECK(test::code(numbers.pop_right("k")) == Errc::miss);

  REQUIRE(ok(numbers.push_left("k", 7)));
  CHECK(value(numbers.pop_right("k")) == 7);
  CHECK(pttl(numbers, "k") == -2);
}

// ---------------------------------------------------------------------------------------------
// Length, indexes and ranges

TEST_CASE("len answers the number of elements, 0 for a missing list") {
  CHECK(value(words.len("k")) == 0);
  REQUIRE(ok(words.push_left("k", "a", "b", "a")));
  CHECK(value(words.len("k")) == 3);
}

TEST_CASE("get answers the element at an index, negative from the tail") {
  REQUIRE(ok(words.push_right("k", "a", "b", "c")));
  CHECK(value(words.get("k", 0)) == "a");
  CHECK(value(words.get("k", 2)) == "c");
  CHECK(value(words.get("k", -1)) == "c");
  CHECK(value(words.get("k", -3)) == "a");
  REQUIRE(ok(numbers.push_right("n", 10, 20)));
  CHECK(value(numbers.get("n", 1)) == 20);
}

TEST_CASE("get past either end, or of a missing list, is a miss") {
  REQUIRE(ok(words.push_right("k", "a", "b", "c")));
  CHECK(test::code(words.get("k", 3)) == Errc::miss);
  CHECK(test::code(words.get("k", -4)) == Errc::miss);
  CHECK(test::code(words.get("k", std::numeric_limits<std::int64_t>::max())) == Errc::miss);
  CHECK(test::code(words.get("k", std::numeric_limits<std::int64_t>::min())) == Errc::miss);
  const auto missing = words.get("nobody", 0);
  CHECK(test::code(missing) == Errc::miss);
  CHECK(missing.error().op == "get");
  CHECK(pttl(words, "nobody") == -2);
}

TEST_CASE("set replaces the element at an index, negative from the tail") {
  REQUIRE(ok(words.push_right("k", "a", "b", "c")));
  REQUIRE(ok(words.set("k", 0, "A")));
  REQUIRE(ok(words.set("k", -1, "C")));
  REQUIRE(ok(words.set("k", 1, "")));
  CHECK(seq(words.items("k")) == Words{"A", "", "C"});
  REQUIRE(ok(readings.push_right(1, 1.0)));
  REQUIRE(ok(readings.set(1, 0, 2.5)));
  CHECK(value(readings.get(1, 0)) == 2.5);
}

TEST_CASE("set past either end is out_of_range and changes nothing") {
  REQUIRE(ok(numbers.push_right("k", 1, 2, 3)));
  CHECK(test::code(numbers.set("k", 3, 9)) == Errc::out_of_range);
  CHECK(test::code(numbers.set("k", -4, 9)) == Errc::out_of_range);
  CHECK(seq(numbers.items("k")) == Numbers{1, 2, 3});
}

TEST_CASE("set on a missing list is a miss and creates no list") {
  const auto r = words.set("nobody", 0, "x");
  CHECK(test::code(r) == Errc::miss);
  CHECK(r.error().op == "set");
  CHECK(pttl(words, "nobody") == -2);
  CHECK(value(words.len("nobody")) == 0);
}

TEST_CASE("get_range answers start..stop inclusive, negative from the tail, clamped to the list") {
  REQUIRE(ok(words.push_right("k", "a", "b", "c", "d", "e")));
  CHECK(seq(words.get_range("k", 0, 0)) == Words{"a"});
  CHECK(seq(words.get_range("k", 1, 3)) == Words{"b", "c", "d"});
  CHECK(seq(words.get_range("k", 0, -1)) == Words{"a", "b", "c", "d", "e"});
  CHECK(seq(words.get_range("k", -2, -1)) == Words{"d", "e"});
  CHECK(seq(words.get_range("k", -1, -1)) == Words{"e"});
  CHECK(seq(words.get_range("k", 2, -3)) == Words{"c"});
  CHECK(seq(words.get_range("k", 3, 100)) == Words{"d", "e"});
  CHECK(seq(words.get_range("k", -100, 1)) == Words{"a", "b"});
  CHECK(seq(words.get_range("k", -100, 100)) == Words{"a", "b", "c", "d", "e"});
  constexpr auto lo = std::numeric_limits<std::int64_t>::min();
  constexpr auto hi = std::numeric_limits<std::int64_t>::max();
  CHECK(seq(words.get_range("k", lo, hi)) == Words{"a", "b", "c", "d", "e"});
  CHECK(seq(words.get_range("k", hi, lo)) == Words{});
}

TEST_CASE("get_range is empty when start is past stop, past the end, or both ends are before the head") {
  REQUIRE(ok(numbers.push_right("k", 1, 2, 3, 4, 5)));
  CHECK(seq(numbers.get_range("k", 3, 2)) == Numbers{});
  CHECK(seq(numbers.get_range("k", -1, -2)) == Numbers{});
  CHECK(seq(numbers.get_range("k", 5, 10)) == Numbers{});
  CHECK(seq(numbers.get_range("k", -100, -50)) == Numbers{});
  CHECK(seq(numbers.get_range("nobody", 0, -1)) == Numbers{});
}

TEST_CASE("items answers every element in order, and nothing for a missing list") {
  CHECK(seq(readings.items(5)) == Readings{});
  REQUIRE(ok(readings.push_right(5, 3.0, 1.0, 2.0, 1.0)));
  CHECK(seq(readings.items(5)) == Readings{3.0, 1.0, 2.0, 1.0});
}

// ---------------------------------------------------------------------------------------------
// Trimming

TEST_CASE("trim keeps start..stop inclusive, negative from the tail, clamped to the list") {
  struct Case {
    std::int64_t start, stop;
    Numbers kept;
  };
  const Case cases[] = {
      {0, 4, {1, 2, 3, 4, 5}},   {0, 2, {1, 2, 3}},     {-3, -1, {8, 9, 10}}, {2, -3, {3, 4, 5, 6, 7, 8}},
      {5, 100, {6, 7, 8, 9, 10}}, {-100, 0, {1}},        {0, 49, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
      {-1, -1, {10}},             {-100, 100, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.start);
    CAPTURE(c.stop);
    REQUIRE(ok(numbers.erase("k")));
    REQUIRE(ok(numbers.push_right("k", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})));
    REQUIRE(ok(numbers.trim("k", c.start, c.stop)));
    CHECK(seq(numbers.items("k")) == c.kept);
    CHECK(value(numbers.len("k")) == std::int64_t(c.kept.items.size()));
  }
}

TEST_CASE("trim that keeps nothing removes the key") {
  const std::pair<std::int64_t, std::int64_t> ranges[] = {{2, 1}, {3, 10}, {-1, -2}, {-100, -50}, {100, 200}};
  for (const auto& [start, stop] : ranges) {
    CAPTURE(start);
    CAPTURE(stop);
    REQUIRE(ok(words.push_right("k", "a", "b", "c")));
    REQUIRE(ok(words.trim("k", start, stop)));
    CHECK(value(words.len("k")) == 0);
    CHECK(seq(words.items("k")) == Words{});
    CHECK(pttl(words, "k") == -2);
  }
}

TEST_CASE("trim of a missing list succeeds and creates no list") {
  REQUIRE(ok(words.trim("nobody", 0, 9)));
  CHECK(pttl(words, "nobody") == -2);
}

// ---------------------------------------------------------------------------------------------
// Inserting

TEST_CASE("insert_before and insert_after place the value next to the first match, answering the new length") {
  REQUIRE(ok(words.push_right("k", "a", "b", "a")));
  CHECK(value(words.insert_before("k", "a", "x")) == 4);
  CHECK(seq(words.items("k")) == Words{"x", "a", "b", "a"});
  CHECK(value(words.insert_after("k", "a", "y")) == 5);
  CHECK(seq(words.items("k")) == Words{"x", "a", "y", "b", "a"});
  CHECK(value(words.insert_after("k", "a", "a")) == 6);
  CHECK(seq(words.items("k")) == Words{"x", "a", "a", "y", "b", "a"});

  REQUIRE(ok(numbers.push_right("n", 1, 3)));
  CHECK(value(numbers.insert_after("n", 1, 2)) == 3);
  CHECK(value(numbers.insert_after("n", 3, 4)) == 4);
  CHECK(value(numbers.insert_before("n", 1, 0)) == 5);
  CHECK(seq(numbers.items("n")) == Numbers{0, 1, 2, 3, 4});
}

TEST_CASE("inserting next to an absent needle is a miss and changes nothing") {
  REQUIRE(ok(numbers.push_right("k", 1, 2)));
  const auto before = numbers.insert_before("k", 3, 9);
  CHECK(test::code(before) == Errc::miss);
  CHECK(before.error().op == "insert_before");
  CHECK(test::code(numbers.insert_after("k", 3, 9)) == Errc::miss);
  CHECK(seq(numbers.items("k")) == Numbers{1, 2});
}

TEST_CASE("inserting into a missing list answers 0, as LINSERT does, and creates no list") {
  CHECK(value(words.insert_before("nobody", "a", "x")) == 0);
  CHECK(value(words.insert_after("nobody", "a", "x")) == 0);
  CHECK(value(words.with(cachet::expire_in(std::chrono::seconds(5))).insert_after("nobody", "a", "x")) == 0);
  CHECK(pttl(words, "nobody") == -2);
}

// ---------------------------------------------------------------------------------------------
// Removing matches (LREM)

TEST_CASE("remove_first removes the first count matches from the head, answering how many") {
  REQUIRE(ok(words.push_right("k", "a", "b", "a", "c", "a")));
  CHECK(value(words.remove_first("k", 2, "a")) == 2);
  CHECK(seq(words.items("k")) == Words{"b", "c", "a"});
  CHECK(value(words.remove_first("k", 1, "a")) == 1);
  CHECK(seq(words.items("k")) == Words{"b", "c"});
}

TEST_CASE("remove_last removes the last count matches from the tail, answering how many") {
  REQUIRE(ok(words.push_right("k", "a", "b", "a", "c", "a")));
  CHECK(value(words.remove_last("k", 2, "a")) == 2);
  CHECK(seq(words.items("k")) == Words{"a", "b", "c"});
  REQUIRE(ok(numbers.push_right("n", 5, 1, 5, 2, 5)));
  CHECK(value(numbers.remove_last("n", 1, 5)) == 1);
  CHECK(seq(numbers.items("n")) == Numbers{5, 1, 5, 2});
}

TEST_CASE("remove_all removes every match, answering how many") {
  REQUIRE(ok(readings.push_right(1, 1.5, 2.0, 1.5, 3.0, 1.5)));
  CHECK(value(readings.remove_all(1, 1.5)) == 3);
  CHECK(seq(readings.items(1)) == Readings{2.0, 3.0});
  CHECK(value(readings.remove_all(1, 9.0)) == 0);
  CHECK(seq(readings.items(1)) == Readings{2.0, 3.0});
}

TEST_CASE("a count beyond the matches removes them all and answers how many there were") {
  REQUIRE(ok(words.push_right("k", "a", "b", "a", "c", "a")));
  CHECK(value(words.remove_first("k", 10, "a")) == 3);
  CHECK(seq(words.items("k")) == Words{"b", "c"});
  CHECK(value(words.remove_last("k", 10, "c")) == 1);
  CHECK(seq(words.items("k")) == Words{"b"});
}

TEST_CASE("the largest count removes every match from either end") {
  REQUIRE(ok(numbers.push_right("k", 1, 2, 1, 1)));
  CHECK(value(numbers.remove_last("k", std::numeric_limits<std::int64_t>::max(), 1)) == 3);
  CHECK(seq(numbers.items("k")) == Numbers{2});
  REQUIRE(ok(numbers.push_right("k", 2, 3)));
  CHECK(value(numbers.remove_first("k", std::numeric_limits<std::int64_t>::max(), 2)) == 2);
  CHECK(seq(numbers.items("k")) == Numbers{3});
}

TEST_CASE("remove_first and remove_last with count 0 remove nothing and answer 0") {
  REQUIRE(ok(words.push_right("k", "a", "b", "a")));
  CHECK(value(words.remove_first("k", 0, "a")) == 0);
  CHECK(value(words.remove_last("k", 0, "a")) == 0);
  CHECK(seq(words.items("k")) == Words{"a", "b", "a"});
}

TEST_CASE("a negative count to remove_first or remove_last is out_of_range and removes nothing") {
  REQUIRE(ok(numbers.push_right("k", 1, 2, 1)));
  const auto first = numbers.remove_first("k", -1, 1);
  CHECK(test::code(first) == Errc::out_of_range);
  CHECK(first.error().op == "remove_first");
  CHECK(test::code(numbers.remove_last("k", -2, 1)) == Errc::out_of_range);
  CHECK(seq(numbers.items("k")) == Numbers{1, 2, 1});
}

TEST_CASE("removing from a missing list answers 0 and creates no list") {
  CHECK(value(words.remove_all("nobody", "a")) == 0);
  CHECK(value(words.remove_first("nobody", 1, "a")) == 0);
  CHECK(value(words.remove_last("nobody", 1, "a")) == 0);
  CHECK(pttl(words, "nobody") == -2);
}

TEST_CASE("removing every element removes the key") {
  REQUIRE(ok(words.push_right("all", "a", "a", "a")));
  CHECK(value(words.remove_all("all", "a")) == 3);
  CHECK(value(words.len("all")) == 0);
  CHECK(pttl(words, "all") == -2);

  REQUIRE(ok(numbers.push_right("first", 4, 4)));
  CHECK(value(numbers.remove_first("first", 2, 4)) == 2);
  CHECK(pttl(numbers, "first") == -2);

  REQUIRE(ok(numbers.push_right("last", 4)));
  CHECK(value(numbers.remove_last("last", 5, 4)) == 1);
  CHECK(seq(numbers.items("last")) == Numbers{});
  CHECK(pttl(numbers, "last") == -2);
}

// ---------------------------------------------------------------------------------------------
// Moving between lists (LMOVE)

TEST_CASE("move pops either end of the source and pushes it onto either end of the destination") {
  struct Case {
    ListPos from, to;
    const char* moved;
    Words source, destination;
  };
  const Case cases[] = {
      {ListPos::Left, ListPos::Left, "a", {"b", "c"}, {"a", "x", "y"}},
      {ListPos::Left, ListPos::Right, "a", {"b", "c"}, {"x", "y", "a"}},
      {ListPos::Right, ListPos::Left, "c", {"a", "b"}, {"c", "x", "y"}},
      {ListPos::Right, ListPos::Right, "c", {"a", "b"}, {"x", "y", "c"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.from == ListPos::Left ? "from Left" : "from Right");
    CAPTURE(c.to == ListPos::Left ? "to Left" : "to Right");
    REQUIRE(ok(words.erase("src", "dst")));
    REQUIRE(ok(words.push_right("src", "a", "b", "c")));
    REQUIRE(ok(words.push_right("dst", "x", "y")));
    CHECK(value(words.move("src", "dst", c.from, c.to)) == c.moved);
    CHECK(seq(words.items("src")) == c.source);
    CHECK(seq(words.items("dst")) == c.destination);
  }
}

TEST_CASE("move of a list onto itself rotates it") {
  REQUIRE(ok(numbers.push_right("k", 1, 2, 3)));
  CHECK(value(numbers.move("k", "k", ListPos::Left, ListPos::Right)) == 1);
  CHECK(seq(numbers.items("k")) == Numbers{2, 3, 1});
  CHECK(value(numbers.move("k", "k", ListPos::Right, ListPos::Left)) == 1);
  CHECK(seq(numbers.items("k")) == Numbers{1, 2, 3});
  CHECK(value(numbers.move("k", "k", ListPos::Left, ListPos::Left)) == 1);
  CHECK(value(numbers.move("k", "k", ListPos::Right, ListPos::Right)) == 3);
  CHECK(seq(numbers.items("k")) == Numbers{1, 2, 3});

  REQUIRE(ok(numbers.push_right("one", 9)));
  CHECK(value(numbers.move("one", "one", ListPos::Left, ListPos::Right)) == 9);
  CHECK(seq(numbers.items("one")) == Numbers{9});
}

TEST_CASE("move from a missing source is a miss even when the destination holds a string") {
  write_string(words, "s");
  CHECK(test::code(words.move("nobody", "s", ListPos::Left, ListPos::Left)) == Errc::miss);
  CHECK(value(cluster.storage().strings()->get(words.stored_key("s"))) == "text");
}

TEST_CASE("move to a missing destination creates it") {
  REQUIRE(ok(readings.push_right(1, 2.5, 3.5)));
  CHECK(value(readings.move(1, 2, ListPos::Right, ListPos::Left)) == 3.5);
  CHECK(seq(readings.items(2)) == Readings{3.5});
  CHECK(seq(readings.items(1)) == Readings{2.5});
}

TEST_CASE("move of the source's last element removes the source") {
  REQUIRE(ok(readings.push_right(1, 2.5)));
  REQUIRE(ok(readings.push_right(2, 1.0)));
  CHECK(value(readings.move(1, 2, ListPos::Left, ListPos::Left)) == 2.5);
  CHECK(seq(readings.items(2)) == Readings{2.5, 1.0});
  CHECK(value(readings.len(1)) == 0);
  CHECK(seq(readings.items(1)) == Readings{});
  CHECK(pttl(readings, 1) == -2);
}

TEST_CASE("move from a missing source is a miss and creates no destination") {
  const auto r = words.move("nobody", "dst", ListPos::Left, ListPos::Right);
  CHECK(test::code(r) == Errc::miss);
  CHECK(r.error().op == "move");
  CHECK(pttl(words, "dst") == -2);

  REQUIRE(ok(words.push_right("dst", "x")));
  CHECK(test::code(words.move("nobody", "dst", ListPos::Right, ListPos::Left)) == Errc::miss);
  CHECK(seq(words.items("dst")) == Words{"x"});
}

// ---------------------------------------------------------------------------------------------
// Erasing

TEST_CASE("erase removes lists and answers how many existed") {
  REQUIRE(ok(words.push_right("a", "1")));
  REQUIRE(ok(words.push_right("b", "2")));
  CHECK(value(words.erase("a", "b", "nobody")) == 2);
  CHECK(value(words.len("a")) == 0);
  CHECK(pttl(words, "b") == -2);
  CHECK(value(words.erase("a")) == 0);
  const std::vector<std::string> none;
  CHECK(value(words.erase(none)) == 0);
}

// ---------------------------------------------------------------------------------------------
// Elements that do not decode

TEST_CASE("reading a list with an element that is not an integer is invalid_value naming the element") {
  REQUIRE(ok(numbers.push_right("k", 1)));
  push_raw(numbers, "k", {"abc"});
  const auto all = numbers.items("k");
  CHECK(test::code(all) == Errc::invalid_value);
  CHECK(all.error().op == "items");
  CHECK(all.error().key == "numbers/k");
  CHECK(all.error().message.find("abc") != std::string::npos);
  const auto range = numbers.get_range("k", 0, 0);
  CHECK(test::code(range) == Errc::invalid_value);
  CHECK(range.error().message.find("abc") != std::string::npos);
  CHECK(seq(numbers.get_range("k", 1, 1)) == Numbers{1});  // the good element still reads
  CHECK(value(numbers.get("k", 1)) == 1);
  CHECK(value(numbers.len("k")) == 2);
}

TEST_CASE("an element that is not a finite number fails a double list's reads with invalid_value") {
  push_raw(readings, 1, {"1.5", "inf", "nan", "1.5.2", ""});
  const auto all = readings.items(1);
  CHECK(test::code(all) == Errc::invalid_value);
  for (std::int64_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(test::code(readings.get(1, i)) == Errc::invalid_value);
  }
  CHECK(value(readings.get(1, 4)) == 1.5);

  push_raw(numbers, "big", {"99999999999999999999", "1.0", " 1"});
  for (std::int64_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(test::code(numbers.get("big", i)) == Errc::invalid_value);
  }
}

TEST_CASE("an element that does not decode, answered alone, is invalid_value naming the element") {
  push_raw(numbers, "k", {"right-end", "2", "left-end"});
  const auto got = numbers.get("k", 0);
  CHECK(test::code(got) == Errc::invalid_value);
  CHECK(got.error().op == "get");
  CHECK(got.error().message.find("left-end") != std::string::npos);
  const auto left = numbers.pop_left("k");
  CHECK(test::code(left) == Errc::invalid_value);
  CHECK(left.error().message.find("left-end") != std::string::npos);
  const auto moved = numbers.move("k", "k", ListPos::Right, ListPos::Left);
  CHECK(test::code(moved) == Errc::invalid_value);
  CHECK(moved.error().message.find("right-end") != std::string::npos);
  const auto again = numbers.pop_left("k");
  CHECK(test::code(again) == Errc::invalid_value);
  CHECK(again.error().message.find("right-end") != std::string::npos);
  CHECK(value(numbers.pop_left("k")) == 2);
}
