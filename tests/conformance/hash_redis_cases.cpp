// The behaviours Redis's own hash tests check (tests/unit/type/hash.tcl), written again through
// HashKeyspace: on a small hash and on a big one (300 fields, past both backends' compact
// form), creation and reads, HSET's insert and update answers, HSETNX, HMSET and HMGET, the
// whole-hash reads, HDEL's counts and the hash that disappears, HEXISTS, HINCRBY and
// HINCRBYFLOAT with their parsing, overflow and float printing, long fields, random fills
// checked against a model, HRANDFIELD's counts and coverage. The cases about encodings,
// DEBUG, DUMP/RESTORE, RESP3 and HSTRLEN/HSCAN have no counterpart here. Runs on every backend.
#include "../support.hpp"

#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace std::string_literals;
using cachet::Errc;
using test::code;
using test::ok;
using test::value;

namespace {

cachet::Cluster cluster("test-hash-redis-cases");
cachet::HashKeyspace<std::string, std::string, std::string> hashes(cluster, {.key_pattern = "h/:key"});
cachet::HashKeyspace<std::string, std::string, std::int64_t> counts(cluster, {.key_pattern = "n/:key"});
cachet::HashKeyspace<std::string, std::string, double> floats(cluster, {.key_pattern = "f/:key"});

using Model = std::map<std::string, std::string>;

// The text a field holds, as stored.
template <class KS>
std::string stored(const KS& ks, const std::string& key, const std::string& field) {
  return value(cluster.storage().hashes()->hget(ks.stored_key(key), field));
}
// Writes a field's text as another program could.
template <class KS>
void store(const KS& ks, const std::string& key, const std::string& field, const std::string& text) {
  const std::vector<cachet::engine::FieldValue> pairs{{field, text}};
  REQUIRE(ok(cluster.storage().hashes()->hset(ks.stored_key(key), pairs, cachet::engine::ExpiryAction::keep())));
}

std::string random_string(std::mt19937_64& random, std::size_t min, std::size_t max) {
  std::string s(std::uniform_int_distribution<std::size_t>(min, max)(random), ' ');
  for (char& c : s) c = char(std::uniform_int_distribution<int>('a', 'z')(random));
  return s;
}
// Redis's randomValue, roughly: integers of several widths, or strings short and long.
std::string random_value(std::mt19937_64& random) {
  switch (std::uniform_int_distribution<int>(0, 3)(random)) {
    case 0: return std::to_string(std::uniform_int_distribution<std::int64_t>(-2000000000, 2000000000)(random));
    case 1: return std::to_string(std::uniform_int_distribution<std::int64_t>(-100, 100)(random));
    case 2: return random_string(random, 0, 10);
    default: return random_string(random, 0, 100);
  }
}

// The two hashes most cases run on, made the way the Redis tests make them: one HSET a field.
struct SmallAndBig {
  Model small, big;
  SmallAndBig() {
    fill();
    for (const auto& [f, v] : small) REQUIRE(value(hashes.set("small", f, v)) == true);
    for (const auto& [f, v] : big) REQUIRE(value(hashes.set("big", f, v)) == true);
  }
  // The same hashes under the keys of `ks`, whose values need not decode them.
  template <class KS>
  explicit SmallAndBig(const KS& ks) {
    fill();
    for (const auto& [f, v] : small) store(ks, "small", f, v);
    for (const auto& [f, v] : big) store(ks, "big", f, v);
  }
  void fill() {
    std::mt19937_64 random(7);
    while (small.size() < 8) {
      small.emplace("__avoid_collisions__" + random_string(random, 0, 8), "__avoid_collisions__" + random_string(random, 0, 8));
    }
    while (big.size() < 300) big.emplace(random_value(random), random_value(random));
  }
  const Model& of(const std::string& key) const { return key == "small" ? small : big; }
};

Model as_model(const cachet::Result<std::vector<std::pair<std::string, std::string>>>& items) {
  Model out;
  for (const auto& [f, v] : value(items)) out.emplace(f, v);
  return out;
}

}  // namespace

TEST_CASE("HSET/HLEN: a small and a big hash are created field by field") {
  SmallAndBig h;
  CHECK(value(hashes.len("small")) == 8);
  CHECK(value(hashes.len("big")) == 300);
}

TEST_CASE("HGET reads every field of the small and the big hash, and misses on no key") {
  SmallAndBig h;
  for (const std::string key : {"small", "big"}) {
    for (const auto& [f, v] : h.of(key)) CHECK(value(hashes.get(key, f)) == v);
  }
  CHECK(code(hashes.get("nonexisting", "field")) == Errc::miss);
}

TEST_CASE("HSET in update and insert mode answers false and true") {
  SmallAndBig h;
  for (const std::string key : {"small", "big"}) {
    CAPTURE(key);
    const std::string f = h.of(key).begin()->first;
    CHECK(value(hashes.set(key, f, "newval")) == false);
    CHECK(value(hashes.get(key, f)) == "newval");
    CHECK(value(hashes.set(key, "__foobar123__", "newval")) == true);
    CHECK(value(hashes.remove(key, "__foobar123__")) == 1);
  }
}

TEST_CASE("HSETNX sets a missing field and leaves an existing one, small and big") {
  SmallAndBig h;
  for (const std::string key : {"small", "big"}) {
    CHECK(value(hashes.set_if_not_exists(key, "__123123123__", "foo")) == true);
    CHECK(value(hashes.get(key, "__123123123__")) == "foo");
    CHECK(value(hashes.set_if_not_exists(key, "__123123123__", "bar")) == false);
    CHECK(value(hashes.get(key, "__123123123__")) == "foo");
  }
}

TEST_CASE("HMSET replaces every field of the small and the big hash at once") {
  SmallAndBig h;
  for (const std::string key : {"small", "big"}) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& [f, v] : h.of(key)) pairs.emplace_back(f, "new" + v);
    CHECK(value(hashes.set_many(key, pairs)) == 0);
    for (const auto& [f, v] : h.of(key)) CHECK(value(hashes.get(key, f)) == "new" + v);
  }
}

TEST_CASE("HMGET answers misses on no key, and each field's value on the small and big hash") {
  SmallAndBig h;
  const auto none = value(hashes.multi_get("doesntexist", "__123123123__", "__456456456__"));
  REQUIRE(none.size() == 2);
  CHECK(code(none[0]) == Errc::miss);
  CHECK(code(none[1]) == Errc::miss);
  for (const std::string key : {"small", "big"}) {
    std::vector<std::string> fields;
    for (const auto& [f, v] : h.of(key)) fields.push_back(f);
    fields.push_back("__not_a_field__");
    const auto all = value(hashes.multi_get(key, fields));
    REQUIRE(all.size() == fields.size());
    for (std::size_t i = 0; i + 1 < fields.size(); ++i) CHECK(value(all[i]) == h.of(key).at(fields[i]));
    CHECK(code(all.back()) == Errc::miss);
  }
}

TEST_CASE("HKEYS, HVALS and HGETALL answer the whole small and big hash, nothing for no key") {
  SmallAndBig h;
  for (const std::string key : {"small", "big"}) {
    std::multiset<std::string> fields, values;
    for (const auto& [f, v] : h.of(key)) {
      fields.insert(f);
      values.insert(v);
    }
    const auto got_fields = value(hashes.fields(key));
    const auto got_values = value(hashes.values(key));
    CHECK(std::multiset<std::string>(got_fields.begin(), got_fields.end()) == fields);
    CHECK(std::multiset<std::string>(got_values.begin(), got_values.end()) == values);
    CHECK(as_model(hashes.items(key)) == h.of(key));
  }
  CHECK(value(hashes.items("htest")).empty());
}

TEST_CASE("HDEL answers 1 for a field it removes and 0 after, on the small and big hash") {
  SmallAndBig h;
  for (const std::string key : {"small", "big"}) {
    CHECK(value(hashes.remove(key, "nokey")) == 0);
    const std::string f = h.of(key).begin()->first;
    CHECK(value(hashes.remove(key, f)) == 1);
    CHECK(value(hashes.remove(key, f)) == 0);
    CHECK(code(hashes.get(key, f)) == Errc::miss);
  }
}

TEST_CASE("HDEL of several fields counts those held; emptying the hash removes the key") {
  REQUIRE(ok(hashes.set_many("myhash", {{"a", "1"}, {"b", "2"}, {"c", "3"}})));
  CHECK(value(hashes.remove("myhash", "x", "y")) == 0);
  CHECK(value(hashes.remove("myhash", "a", "c", "f")) == 2);
  CHECK(as_model(hashes.items("myhash")) == Model{{"b", "2"}});
  REQUIRE(ok(hashes.set_many("myhash", {{"a", "1"}, {"b", "2"}, {"c", "3"}})));
  CHECK(value(hashes.remove("myhash", "a", "b", "c", "d", "e")) == 3);
  CHECK(value(hashes.exists("myhash")) == false);
}

TEST_CASE("HEXISTS on the small and big hash") {
  SmallAndBig h;
  for (const std::string key : {"small", "big"}) {
    CHECK(value(hashes.contains(key, h.of(key).begin()->first)) == true);
    CHECK(value(hashes.contains(key, "nokey")) == false);
  }
}

TEST_CASE("a big payload in a small hash is kept, and so is the rest") {
  SmallAndBig h;
  const std::string big(1024, 'a');
  REQUIRE(ok(hashes.set("small", "foo", big)));
  CHECK(value(hashes.get("small", "foo")) == big);
  for (const auto& [f, v] : h.small) CHECK(value(hashes.get("small", f)) == v);
}

TEST_CASE("HINCRBY on no key, on a field it made, on a field HSET made, past 32 bits") {
  CHECK(value(counts.increment("htest", "foo", 2)) == 2);
  SmallAndBig h(counts);
  for (const std::string key : {"small", "big"}) {
    CAPTURE(key);
    CHECK(value(counts.increment(key, "tmp", 2)) == 2);
    CHECK(stored(counts, key, "tmp") == "2");
    CHECK(value(counts.increment(key, "tmp", 3)) == 5);
    CHECK(stored(counts, key, "tmp") == "5");
    REQUIRE(ok(counts.set(key, "tmp", 100)));
    CHECK(value(counts.increment(key, "tmp", 2)) == 102);
    REQUIRE(ok(counts.set(key, "tmp", 17179869184)));
    CHECK(value(counts.increment(key, "tmp", 1)) == 17179869185);
    REQUIRE(ok(counts.set(key, "tmp", 17179869184)));
    CHECK(value(counts.increment(key, "tmp", 17179869184)) == 34359738368);
  }
}

TEST_CASE("HINCRBY refuses values with spaces or that are not integers, and detects overflow") {
  SmallAndBig h(counts);
  for (const std::string key : {"small", "big"}) {
    for (const std::string text : {" 11", "11 ", "v"}) {
      CAPTURE(text);
      store(counts, key, "str", text);
      CHECK(code(counts.increment(key, "str", 1)) == Errc::invalid_value);
      CHECK(stored(counts, key, "str") == text);
    }
  }
  REQUIRE(ok(counts.set("hash", "n", -9223372036854775484)));
  CHECK(value(counts.increment("hash", "n", -1)) == -9223372036854775485);
  CHECK(code(counts.increment("hash", "n", -10000)) == Errc::out_of_range);
}

TEST_CASE("HINCRBYFLOAT on no key, on a field it made, on a field HSET made, past 32 bits") {
  CHECK(value(floats.increment("htest", "foo", 2.5)) == 2.5);
  SmallAndBig h(floats);
  for (const std::string key : {"small", "big"}) {
    CAPTURE(key);
    CHECK(value(floats.increment(key, "tmp", 2.5)) == 2.5);
    CHECK(stored(floats, key, "tmp") == "2.5");
    CHECK(value(floats.increment(key, "tmp", 3.5)) == 6);
    CHECK(stored(floats, key, "tmp") == "6");
    store(floats, key, "tmp", "100");
    CHECK(value(floats.increment(key, "tmp", 2.5)) == 102.5);
    store(floats, key, "tmp", "17179869184");
    CHECK(value(floats.increment(key, "tmp", 1)) == 17179869185.0);
    store(floats, key, "tmp", "17179869184");
    CHECK(value(floats.increment(key, "tmp", 17179869184.0)) == 34359738368.0);
  }
}

TEST_CASE("HINCRBYFLOAT refuses values with spaces or an inner NUL, and NaN or infinity") {
  for (const std::string& text : {" 11"s, "11 "s, "1\0002"s}) {
    store(floats, "h", "f", text);
    CHECK(code(floats.increment("h", "f", 1)) == Errc::invalid_value);
  }
  CHECK(code(floats.increment("hfoo", "field", std::numeric_limits<double>::infinity())) == Errc::invalid_value);
  CHECK(value(floats.exists("hfoo")) == false);
}

TEST_CASE("HINCRBYFLOAT prints the sum as Redis does") {
  CHECK(value(floats.increment("myhash", "float", 1.23)) == 1.23);
  CHECK(stored(floats, "myhash", "float") == "1.23");
  CHECK(value(floats.increment("myhash", "float", 0.77)) == 2);
  CHECK(stored(floats, "myhash", "float") == "2");
  CHECK(value(floats.increment("myhash", "float", -0.1)) == 1.9);
  CHECK(stored(floats, "myhash", "float") == "1.9");
}

TEST_CASE("a field far past 64 bytes is kept and found") {
  const std::string k1(400, 'k'), k2 = std::string(399, 'k') + "j";
  REQUIRE(ok(hashes.set("hash", k1, "a")));
  REQUIRE(ok(hashes.set("hash", k2, "b")));
  CHECK(value(hashes.get("hash", k2)) == "b");
  CHECK(value(hashes.get("hash", k1)) == "a");
}

TEST_CASE("random fills of 10 and 512 fields, with and without removals, read back as a model") {
  std::mt19937_64 random(11);
  for (const int size : {10, 512}) {
    for (int times = 0; times < 2; ++times) {
      CAPTURE(size);
      REQUIRE(ok(hashes.erase({"hash"})));
      Model model;
      for (int j = 0; j < size; ++j) {
        const int path = std::uniform_int_distribution<int>(0, times == 0 ? 0 : 2)(random);
        if (path == 0) {
          const std::string f = random_value(random), v = random_value(random);
          REQUIRE(ok(hashes.set("hash", f, v)));
          model[f] = v;
        } else if (path == 1) {
          const std::string f = std::to_string(std::uniform_int_distribution<int>(-512, 512)(random));
          const std::string v = std::to_string(std::uniform_int_distribution<int>(-512, 512)(random));
          REQUIRE(ok(hashes.set("hash", f, v)));
          model[f] = v;
        } else {
          const std::string f = std::to_string(std::uniform_int_distribution<int>(-512, 512)(random));
          CHECK(value(hashes.remove("hash", f)) == std::int64_t(model.erase(f)));
        }
      }
      for (const auto& [f, v] : model) CHECK(value(hashes.get("hash", f)) == v);
      CHECK(value(hashes.len("hash")) == std::int64_t(model.size()));
      CHECK(as_model(hashes.items("hash")) == model);
    }
  }
}

TEST_CASE("HRANDFIELD: single picks reach every field, counts are honoured, no key answers nothing") {
  const Model contents{{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}, {"e", "5"},
                       {"6", "f"}, {"7", "g"}, {"8", "h"}, {"9", "i"}, {std::string(80, 'z'), "10"}};
  REQUIRE(ok(hashes.set_many("myhash", std::vector<std::pair<std::string, std::string>>(contents.begin(), contents.end()))));
  std::set<std::string> seen;
  for (int i = 0; i < 400 && seen.size() < contents.size(); ++i) {
    for (const auto& f : value(hashes.sample("myhash", 1))) seen.insert(f);
  }
  CHECK(seen.size() == contents.size());

  CHECK(value(hashes.sample("myhash", 0)).empty());
  CHECK(value(hashes.sample("nonexisting_key", 100)).empty());
  CHECK(code(hashes.sample("myhash", std::numeric_limits<std::int64_t>::min())) == Errc::out_of_range);
  CHECK(code(hashes.sample("myhash", -9223372036854770000)) == Errc::out_of_range);

  CHECK(value(hashes.sample("myhash", -20)).size() == 20);
  const auto many = value(hashes.sample("myhash", -1001));
  CHECK(many.size() == 1001);
  for (const auto& f : many) CHECK(contents.count(f) == 1);

  for (const std::int64_t size : {10, 20}) {
    const auto all = value(hashes.sample("myhash", size));
    CHECK(std::set<std::string>(all.begin(), all.end()).size() == 10);
    CHECK(all.size() == 10);
  }
  for (const std::int64_t size : {8, 2}) {
    std::set<std::string> reached;
    for (int i = 0; i < 1000 / size && reached.size() < contents.size(); ++i) {
      const auto some = value(hashes.sample("myhash", size));
      CHECK(some.size() == std::size_t(size));
      CHECK(std::set<std::string>(some.begin(), some.end()).size() == std::size_t(size));
      reached.insert(some.begin(), some.end());
    }
    CHECK(reached.size() == contents.size());
  }
}

TEST_CASE("values of every width and length read back as written") {
  const Model values{{"INT_8B", "127"},       {"INT_16B", "32767"}, {"INT_32B", "2147483647"},
                     {"INT_64B", "9223372036854775808"}, {"IMM_MIN", "0"}, {"IMM_MAX", "12"},
                     {"STR_06B", std::string(31, 'x')},  {"STR_14B", std::string(8191, 'x')},
                     {"STR_32B", std::string(65535, 'x')}};
  for (const auto& [f, v] : values) REQUIRE(ok(hashes.set("k", f, v)));
  CHECK(as_model(hashes.items("k")) == values);
}
