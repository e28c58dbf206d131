// The data types the shared conformance cases run for, one descriptor each (Strings, Lists,
// Sets). A case written once as a TEST_CASE_TEMPLATE over the descriptors (expiry.cpp,
// wrong_type.cpp, move.cpp) asks a descriptor:
//
//   Keyspace                       the keyspace type, keyed by std::string
//   plain(), expiring()            its keyspaces in the cluster below: no default expiry, and 200ms
//   create(ks, key)                one write that makes `key` hold `created`; it checks the answer
//                                  says the key was new (a write onto nothing starts anew)
//   create_op                      the name of the operation create() calls
//   extend(ks, key)                one more write onto what create() made, giving `extended`
//   contents(ks, key)              what the key holds, comparable and printable: ab, [a, b, c],
//                                  {a, b, c} (test::Seq, test::Members)
//   absent                         contents() of a key that does not exist
//   check_absent(ks, key)          checks that the type's reads answer as for no key
//   writes()                       every write of the type as an Op, each run on a key that holds
//                                  `created` and leaving the key there (a second key, if any, is
//                                  "dst"); each applies the keyspace's expiry
//   reads()                        every read, each checking its answer on a key holding `created`
//   typed_only()                   operations for the wrong-type case only (they remove the key,
//                                  or reach the storage directly)
//   plant(storage, key, expiry)    writes a value of the type under a stored key, as another
//                                  program could, and check_planted(storage, key) finds it intact
//
// Adding a data type (hashes, sorted sets): write its descriptor here and name it in
// CONFORMANCE_DATA_TYPES (and CONFORMANCE_TYPES_WITH_MOVE if it has a two-key move, with
// move(ks, source, destination)); every shared case then runs for it, and the wrong-type case
// for every pair of it and another type.
#pragma once

#include "../support.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace conformance {

using namespace std::chrono_literals;
using cachet::Errc;
using cachet::Result;
using Key = std::string;
using Storage = cachet::engine::Storage;
using cachet::engine::ExpiryAction;

// The cluster every descriptor's keyspaces belong to.
inline cachet::Cluster& cluster() {
  static cachet::Cluster instance("test-data-types");
  return instance;
}

// One operation of a data type on one key, run through a keyspace (a with() copy when a case
// gives another expiry). Its name is the method's, so a failure must name it as its op; a
// name in capitals is a storage primitive reached directly, whose failures name no op.
template <class KS>
struct Op {
  const char* name;
  std::function<Result<void>(const KS&, const Key&)> run;
  bool typed = true;      // answers wrong_type on a key of another type (false: it replaces the
                          // key, as SET does, or answers as for a missing key, as MGET does)
  bool keeps_ttl = true;  // with keep_ttl, leaves the key's TTL as it was (false: it makes the
                          // key anew, as the set stores do, so keep_ttl leaves it without one)
};

// How an operation ended, its answer dropped.
template <class T>
Result<void> outcome(const Result<T>& r) {
  if (!r) return std::unexpected(r.error());
  return {};
}
// How an operation ended; when it succeeded, `check` looks at its answer.
template <class T, class F>
Result<void> checked(const Result<T>& r, F&& check) {
  if (!r) return std::unexpected(r.error());
  check(*r);
  return {};
}
// How an operation ended; when it succeeded, its answer must be `expected`.
template <class T, class E>
Result<void> answers(const Result<T>& r, const E& expected) {
  return checked(r, [&](const T& v) { CHECK(v == expected); });
}

// ---------------------------------------------------------------------------------------------

struct Strings {
  using Keyspace = cachet::StringKeyspace<Key>;

  static const Keyspace& plain() {
    static const Keyspace ks(cluster(), {.key_pattern = "string/:key"});
    return ks;
  }
  static const Keyspace& expiring() {
    static const Keyspace ks(cluster(),
                             {.key_pattern = "string-200ms/:key", .default_expiry = cachet::expire_in(200ms)});
    return ks;
  }

  static constexpr const char* create_op = "append";
  using Contents = std::string;
  static inline const Contents created = "ab";
  static inline const Contents extended = "abc";
  static inline const Contents absent = "(no key)";
  // APPEND answers the new length: 2 shows it started from nothing.
  static Result<void> create(const Keyspace& ks, const Key& key) { return answers(ks.append(key, "ab"), 2); }
  static Result<void> extend(const Keyspace& ks, const Key& key) { return answers(ks.append(key, "c"), 3); }
  static Contents contents(const Keyspace& ks, const Key& key) {
    const auto r = ks.get(key);
    if (!r && r.error().code == Errc::miss) return absent;
    return test::value(r);
  }
  static void check_absent(const Keyspace& ks, const Key& key) {
    CHECK(test::code(ks.get(key)) == Errc::miss);
    CHECK(test::value(ks.len(key)) == 0);
    CHECK(test::value(ks.get_range(key, 0, -1)) == "");
  }

  static std::vector<Op<Keyspace>> writes() {
    return {
        {"set", [](const Keyspace& ks, const Key& k) { return outcome(ks.set(k, "xy")); }, false},
        {"replace", [](const Keyspace& ks, const Key& k) { return outcome(ks.replace(k, "xy")); }, false},
        {"multi_set", [](const Keyspace& ks, const Key& k) { return outcome(ks.multi_set({{k, "xy"}})); }, false},
        {"get_and_set", [](const Keyspace& ks, const Key& k) { return answers(ks.get_and_set(k, "xy"), "ab"); }},
        {"append", [](const Keyspace& ks, const Key& k) { return answers(ks.append(k, "!"), 3); }},
        {"set_range", [](const Keyspace& ks, const Key& k) { return answers(ks.set_range(k, 1, "B"), 2); }},
    };
  }
  static std::vector<Op<Keyspace>> reads() {
    return {
        {"len", [](const Keyspace& ks, const Key& k) { return answers(ks.len(k), 2); }},
        {"get", [](const Keyspace& ks, const Key& k) { return answers(ks.get(k), "ab"); }},
        {"get_range", [](const Keyspace& ks, const Key& k) { return answers(ks.get_range(k, 0, 0), "a"); }},
        {"multi_get", [](const Keyspace& ks, const Key& k) {
           return checked(ks.multi_get(k), [](const auto& all) {
             REQUIRE(all.size() == 1);
             CHECK(all[0] == "ab");
           });
         }, false},
    };
  }
  static std::vector<Op<Keyspace>> typed_only() {
    const auto keep = ExpiryAction::keep();
    return {
        {"get_and_delete", [](const Keyspace& ks, const Key& k) { return outcome(ks.get_and_delete(k)); }},
        // An IntKeyspace or FloatKeyspace cannot share this keyspace's keys: the storage is asked.
        {"INCRBY", [keep](const Keyspace& ks, const Key& k) {
           return outcome(ks.cluster().storage().strings()->incrby(ks.stored_key(k), 1, keep));
         }},
        {"INCRBYFLOAT", [keep](const Keyspace& ks, const Key& k) {
           return outcome(ks.cluster().storage().strings()->incrbyfloat(ks.stored_key(k), 1.5, keep));
         }},
    };
  }

  static void plant(Storage& storage, const std::string& stored, ExpiryAction expiry) {
    REQUIRE(test::ok(storage.strings()->set(stored, "text", cachet::engine::SetCondition::always, expiry)));
  }
  static void check_planted(Storage& storage, const std::string& stored) {
    CHECK(test::value(storage.strings()->get(stored)) == "text");
  }
};

struct Lists {
  using Keyspace = cachet::ListKeyspace<Key, std::string>;
  using Pos = cachet::ListPos;

  static const Keyspace& plain() {
    static const Keyspace ks(cluster(), {.key_pattern = "list/:key"});
    return ks;
  }
  static const Keyspace& expiring() {
    static const Keyspace ks(cluster(),
                             {.key_pattern = "list-200ms/:key", .default_expiry = cachet::expire_in(200ms)});
    return ks;
  }

  static constexpr const char* create_op = "push_right";
  using Contents = test::Seq<std::string>;
  static inline const Contents created{"a", "b", "c"};
  static inline const Contents extended{"a", "b", "c", "d"};
  static inline const Contents absent{};
  // RPUSH answers the new length: 3 shows it started from nothing.
  static Result<void> create(const Keyspace& ks, const Key& key) {
    return answers(ks.push_right(key, "a", "b", "c"), 3);
  }
  static Result<void> extend(const Keyspace& ks, const Key& key) { return answers(ks.push_right(key, "d"), 4); }
  static Contents contents(const Keyspace& ks, const Key& key) { return test::seq(ks.items(key)); }
  static void check_absent(const Keyspace& ks, const Key& key) {
    CHECK(test::value(ks.len(key)) == 0);
    CHECK(contents(ks, key) == absent);
    CHECK(test::code(ks.get(key, 0)) == Errc::miss);
    CHECK(test::code(ks.pop_left(key)) == Errc::miss);
  }

  static std::vector<Op<Keyspace>> writes() {
    const std::vector<std::string> one{"x"};
    return {
        {"push_left", [](const Keyspace& ks, const Key& k) { return answers(ks.push_left(k, "x"), 4); }},
        {"push_left", [one](const Keyspace& ks, const Key& k) { return answers(ks.push_left(k, one), 4); }},
        {"push_right", [](const Keyspace& ks, const Key& k) { return answers(ks.push_right(k, "x"), 4); }},
        {"push_right", [](const Keyspace& ks, const Key& k) { return answers(ks.push_right(k, {"x", "y"}), 5); }},
        {"pop_left", [](const Keyspace& ks, const Key& k) { return answers(ks.pop_left(k), "a"); }},
        {"pop_right", [](const Keyspace& ks, const Key& k) { return answers(ks.pop_right(k), "c"); }},
        {"trim", [](const Keyspace& ks, const Key& k) { return outcome(ks.trim(k, 0, 49)); }},
        {"trim", [](const Keyspace& ks, const Key& k) { return outcome(ks.trim(k, 0, 1)); }},
        {"set", [](const Keyspace& ks, const Key& k) { return outcome(ks.set(k, 0, "A")); }},
        {"insert_before", [](const Keyspace& ks, const Key& k) { return answers(ks.insert_before(k, "b", "x"), 4); }},
        {"insert_after", [](const Keyspace& ks, const Key& k) { return answers(ks.insert_after(k, "b", "x"), 4); }},
        {"remove_all", [](const Keyspace& ks, const Key& k) { return answers(ks.remove_all(k, "a"), 1); }},
        {"remove_first", [](const Keyspace& ks, const Key& k) { return answers(ks.remove_first(k, 1, "b"), 1); }},
        {"remove_last", [](const Keyspace& ks, const Key& k) { return answers(ks.remove_last(k, 1, "c"), 1); }},
        {"move", [](const Keyspace& ks, const Key& k) {
           return answers(ks.move(k, "dst", Pos::Left, Pos::Right), "a");
         }},
        {"move", [](const Keyspace& ks, const Key& k) { return answers(ks.move(k, k, Pos::Right, Pos::Left), "c"); }},
    };
  }
  static std::vector<Op<Keyspace>> reads() {
    return {
        {"len", [](const Keyspace& ks, const Key& k) { return answers(ks.len(k), 3); }},
        {"items", [](const Keyspace& ks, const Key& k) {
           return checked(ks.items(k), [](const auto& v) { CHECK(Contents(v) == created); });
         }},
        {"get_range", [](const Keyspace& ks, const Key& k) {
           return checked(ks.get_range(k, 0, 1), [](const auto& v) { CHECK(Contents(v) == Contents{"a", "b"}); });
         }},
        {"get", [](const Keyspace& ks, const Key& k) { return answers(ks.get(k, -1), "c"); }},
    };
  }
  static std::vector<Op<Keyspace>> typed_only() {
    return {
        // Onto the key: the source, a list, must come out whole.
        {"move", [](const Keyspace& ks, const Key& k) {
           REQUIRE(test::ok(ks.push_right("src", "1", "2")));
           const auto r = ks.move("src", k, Pos::Left, Pos::Right);
           CHECK(contents(ks, "src") == Contents{"1", "2"});
           return outcome(r);
         }},
    };
  }

  static void plant(Storage& storage, const std::string& stored, ExpiryAction expiry) {
    REQUIRE(test::ok(storage.lists()->push(stored, Pos::Right, std::vector<std::string>{"x", "y"}, expiry)));
  }
  static void check_planted(Storage& storage, const std::string& stored) {
    CHECK(test::seq(storage.lists()->lrange(stored, 0, -1)) == Contents{"x", "y"});
  }

  // A two-key move of the first element of `source` (made by create) onto `destination`.
  static Result<void> move(const Keyspace& ks, const Key& source, const Key& destination) {
    return answers(ks.move(source, destination, Pos::Left, Pos::Right), "a");
  }
};

struct Sets {
  using Keyspace = cachet::SetKeyspace<Key, std::string>;

  static const Keyspace& plain() {
    static const Keyspace ks(cluster(), {.key_pattern = "set/:key"});
    return ks;
  }
  static const Keyspace& expiring() {
    static const Keyspace ks(cluster(),
                             {.key_pattern = "set-200ms/:key", .default_expiry = cachet::expire_in(200ms)});
    return ks;
  }

  static constexpr const char* create_op = "add";
  using Contents = test::Members<std::string>;
  static inline const Contents created{"a", "b", "c"};
  static inline const Contents extended{"a", "b", "c", "d"};
  static inline const Contents absent{};
  // SADD answers how many were new: 3 shows it started from nothing.
  static Result<void> create(const Keyspace& ks, const Key& key) { return answers(ks.add(key, "a", "b", "c"), 3); }
  static Result<void> extend(const Keyspace& ks, const Key& key) { return answers(ks.add(key, "d"), 1); }
  static Contents contents(const Keyspace& ks, const Key& key) { return test::sorted(ks.items(key)); }
  static void check_absent(const Keyspace& ks, const Key& key) {
    CHECK(test::value(ks.len(key)) == 0);
    CHECK(contents(ks, key) == absent);
    CHECK(test::value(ks.contains(key, "a")) == false);
    CHECK(test::code(ks.sample_one(key)) == Errc::miss);
  }

  static std::vector<Op<Keyspace>> writes() {
    const std::vector<std::string> two{"d", "a"};
    auto one_of_abc = [](const std::string& m) { CHECK((m == "a" || m == "b" || m == "c")); };
    return {
        {"add", [](const Keyspace& ks, const Key& k) { return answers(ks.add(k, "d"), 1); }},
        {"add", [two](const Keyspace& ks, const Key& k) { return answers(ks.add(k, two), 1); }},
        // Adding only members it holds changes nothing, and still applies the expiry.
        {"add", [](const Keyspace& ks, const Key& k) { return answers(ks.add(k, "a"), 0); }},
        {"remove", [](const Keyspace& ks, const Key& k) { return answers(ks.remove(k, "a", "z"), 1); }},
        {"remove", [two](const Keyspace& ks, const Key& k) { return answers(ks.remove(k, two), 1); }},
        {"pop_one", [one_of_abc](const Keyspace& ks, const Key& k) { return checked(ks.pop_one(k), one_of_abc); }},
        {"pop", [](const Keyspace& ks, const Key& k) {
           return checked(ks.pop(k, 2), [](const auto& v) { CHECK(v.size() == 2); });
         }},
        {"move", [](const Keyspace& ks, const Key& k) { return answers(ks.move(k, "dst", "a"), true); }},
        // A store replaces its destination: here the key itself, from itself.
        {"diff_store",
         [](const Keyspace& ks, const Key& k) { return answers(ks.diff_store(k, k, Key("nobody")), 3); },
         true, false},
        {"intersect_store",
         [](const Keyspace& ks, const Key& k) { return answers(ks.intersect_store(k, {k, k}), 3); },
         true, false},
        {"union_store",
         [](const Keyspace& ks, const Key& k) { return answers(ks.union_store(k, k, Key("nobody")), 3); },
         true, false},
    };
  }
  static std::vector<Op<Keyspace>> reads() {
    auto abc = [](const auto& v) { CHECK(Contents(v) == created); };
    return {
        {"len", [](const Keyspace& ks, const Key& k) { return answers(ks.len(k), 3); }},
        {"contains", [](const Keyspace& ks, const Key& k) { return answers(ks.contains(k, "a"), true); }},
        {"items", [abc](const Keyspace& ks, const Key& k) { return checked(ks.items(k), abc); }},
        {"items_set", [abc](const Keyspace& ks, const Key& k) { return checked(ks.items_set(k), abc); }},
        {"sample_one", [](const Keyspace& ks, const Key& k) {
           return checked(ks.sample_one(k), [](const std::string& m) { CHECK((m == "a" || m == "b" || m == "c")); });
         }},
        {"sample", [](const Keyspace& ks, const Key& k) {
           return checked(ks.sample(k, 2), [](const auto& v) { CHECK(v.size() == 2); });
         }},
        {"sample_with_replacement", [](const Keyspace& ks, const Key& k) {
           return checked(ks.sample_with_replacement(k, 5), [](const auto& v) { CHECK(v.size() == 5); });
         }},
        {"diff", [abc](const Keyspace& ks, const Key& k) { return checked(ks.diff(k, Key("nobody")), abc); }},
        {"diff_set", [abc](const Keyspace& ks, const Key& k) { return checked(ks.diff_set({k}), abc); }},
        {"intersect", [abc](const Keyspace& ks, const Key& k) { return checked(ks.intersect(k, k), abc); }},
        {"intersect_set", [abc](const Keyspace& ks, const Key& k) { return checked(ks.intersect_set({k, k}), abc); }},
        {"union_", [abc](const Keyspace& ks, const Key& k) { return checked(ks.union_(Key("nobody"), k), abc); }},
        {"union_set", [abc](const Keyspace& ks, const Key& k) { return checked(ks.union_set({k}), abc); }},
    };
  }
  static std::vector<Op<Keyspace>> typed_only() {
    // The key read after another set, or after a missing key (which makes an intersection or
    // difference empty, but a key of another type still fails it).
    auto with_set = [](const Keyspace& ks) { REQUIRE(test::ok(ks.add("set", "a"))); };
    return {
        {"diff", [with_set](const Keyspace& ks, const Key& k) {
           with_set(ks);
           return outcome(ks.diff(Key("set"), k));
         }},
        {"diff", [](const Keyspace& ks, const Key& k) { return outcome(ks.diff(Key("nobody"), k)); }},
        {"diff_set", [with_set](const Keyspace& ks, const Key& k) {
           with_set(ks);
           return outcome(ks.diff_set({"set", k}));
         }},
        {"intersect", [with_set](const Keyspace& ks, const Key& k) {
           with_set(ks);
           return outcome(ks.intersect(Key("set"), Key("nobody"), k));
         }},
        {"intersect_set", [with_set](const Keyspace& ks, const Key& k) {
           with_set(ks);
           return outcome(ks.intersect_set({k, "set"}));
         }},
        {"union_", [with_set](const Keyspace& ks, const Key& k) {
           with_set(ks);
           return outcome(ks.union_(Key("set"), k));
         }},
        // Onto the key: the source, a set, must come out whole.
        {"move", [](const Keyspace& ks, const Key& k) {
           REQUIRE(test::ok(ks.add("src", "1", "2")));
           const auto r = ks.move("src", k, "1");
           CHECK(contents(ks, "src") == Contents{"1", "2"});
           return outcome(r);
         }},
    };
  }

  static void plant(Storage& storage, const std::string& stored, ExpiryAction expiry) {
    REQUIRE(test::ok(storage.sets()->sadd(stored, std::vector<std::string>{"x", "y"}, expiry)));
  }
  static void check_planted(Storage& storage, const std::string& stored) {
    CHECK(test::sorted(storage.sets()->smembers(stored)) == Contents{"x", "y"});
  }

  static Result<void> move(const Keyspace& ks, const Key& source, const Key& destination) {
    return answers(ks.move(source, destination, "a"), true);
  }
};

struct Hashes {
  using Keyspace = cachet::HashKeyspace<Key, std::string, std::string>;

  static const Keyspace& plain() {
    static const Keyspace ks(cluster(), {.key_pattern = "hash/:key"});
    return ks;
  }
  static const Keyspace& expiring() {
    static const Keyspace ks(cluster(),
                             {.key_pattern = "hash-200ms/:key", .default_expiry = cachet::expire_in(200ms)});
    return ks;
  }

  static constexpr const char* create_op = "set_many";
  using Contents = test::Members<std::string>;  // "field=value" each
  static inline const Contents created{"a=1", "b=2", "c=3"};
  static inline const Contents extended{"a=1", "b=2", "c=3", "d=4"};
  static inline const Contents absent{};
  // HSET answers how many fields were new: 3 shows it started from nothing.
  static Result<void> create(const Keyspace& ks, const Key& key) {
    return answers(ks.set_many(key, {{"a", "1"}, {"b", "2"}, {"c", "3"}}), 3);
  }
  static Result<void> extend(const Keyspace& ks, const Key& key) { return answers(ks.set(key, "d", "4"), true); }
  static Contents contents(const Keyspace& ks, const Key& key) {
    std::vector<std::string> out;
    for (const auto& [f, v] : test::value(ks.items(key))) out.push_back(f + "=" + v);
    return Contents(out);
  }
  static void check_absent(const Keyspace& ks, const Key& key) {
    CHECK(test::value(ks.len(key)) == 0);
    CHECK(contents(ks, key) == absent);
    CHECK(test::value(ks.contains(key, "a")) == false);
    CHECK(test::code(ks.get(key, "a")) == Errc::miss);
  }

  static std::vector<Op<Keyspace>> writes() {
    const std::vector<std::string> two{"d", "a"};
    return {
        {"set", [](const Keyspace& ks, const Key& k) { return answers(ks.set(k, "d", "4"), true); }},
        // Replacing a value adds no field, and still applies the expiry.
        {"set", [](const Keyspace& ks, const Key& k) { return answers(ks.set(k, "a", "9"), false); }},
        {"set_many", [](const Keyspace& ks, const Key& k) { return answers(ks.set_many(k, {{"a", "0"}, {"e", "5"}}), 1); }},
        {"set_if_not_exists", [](const Keyspace& ks, const Key& k) { return answers(ks.set_if_not_exists(k, "d", "4"), true); }},
        {"remove", [](const Keyspace& ks, const Key& k) { return answers(ks.remove(k, "a", "z"), 1); }},
        {"remove", [two](const Keyspace& ks, const Key& k) { return answers(ks.remove(k, two), 1); }},
        {"remove", [](const Keyspace& ks, const Key& k) { return answers(ks.remove(k, "z"), 0); }},
    };
  }
  static std::vector<Op<Keyspace>> reads() {
    auto abc = [](const auto& v) { CHECK(Contents(v) == Contents{"a", "b", "c"}); };
    return {
        {"len", [](const Keyspace& ks, const Key& k) { return answers(ks.len(k), 3); }},
        {"get", [](const Keyspace& ks, const Key& k) { return answers(ks.get(k, "b"), "2"); }},
        {"multi_get", [](const Keyspace& ks, const Key& k) {
           return checked(ks.multi_get(k, "a", "z"), [](const auto& all) {
             REQUIRE(all.size() == 2);
             CHECK(test::value(all[0]) == "1");
             CHECK(test::code(all[1]) == Errc::miss);
           });
         }},
        {"contains", [](const Keyspace& ks, const Key& k) { return answers(ks.contains(k, "a"), true); }},
        {"items", [](const Keyspace& ks, const Key& k) {
           return checked(ks.items(k), [](const auto& v) { CHECK(v.size() == 3); });
         }},
        {"items_map", [](const Keyspace& ks, const Key& k) {
           return checked(ks.items_map(k), [](const auto& m) {
             CHECK(m.size() == 3);
             CHECK(m.at("c") == "3");
           });
         }},
        {"fields", [abc](const Keyspace& ks, const Key& k) { return checked(ks.fields(k), abc); }},
        {"values", [](const Keyspace& ks, const Key& k) {
           return checked(ks.values(k), [](const auto& v) { CHECK(Contents(v) == Contents{"1", "2", "3"}); });
         }},
        {"sample", [](const Keyspace& ks, const Key& k) {
           return checked(ks.sample(k, 2), [](const auto& v) { CHECK(v.size() == 2); });
         }},
        {"sample", [](const Keyspace& ks, const Key& k) {
           return checked(ks.sample(k, -5), [](const auto& v) { CHECK(v.size() == 5); });
         }},
    };
  }
  static std::vector<Op<Keyspace>> typed_only() {
    // A keyspace of string values cannot increment: the storage is asked.
    const auto keep = ExpiryAction::keep();
    return {
        {"set_if_not_exists", [](const Keyspace& ks, const Key& k) { return outcome(ks.set_if_not_exists(k, "a", "x")); }},
        {"HINCRBY", [keep](const Keyspace& ks, const Key& k) {
           return outcome(ks.cluster().storage().hashes()->hincrby(ks.stored_key(k), "n", 1, keep));
         }},
        {"HINCRBYFLOAT", [keep](const Keyspace& ks, const Key& k) {
           return outcome(ks.cluster().storage().hashes()->hincrbyfloat(ks.stored_key(k), "n", 1.5, keep));
         }},
    };
  }

  static void plant(Storage& storage, const std::string& stored, ExpiryAction expiry) {
    const std::vector<cachet::engine::FieldValue> pairs{{"x", "1"}, {"y", "2"}};
    REQUIRE(test::ok(storage.hashes()->hset(stored, pairs, expiry)));
  }
  static void check_planted(Storage& storage, const std::string& stored) {
    std::vector<std::string> pairs;
    for (const auto& p : test::value(storage.hashes()->hgetall(stored))) pairs.push_back(p.field + "=" + p.value);
    CHECK(Contents(pairs) == Contents{"x=1", "y=2"});
  }
};

struct SortedSets {
  using Keyspace = cachet::SortedSetKeyspace<Key, std::string>;
  using Scored = cachet::Scored<std::string>;

  static const Keyspace& plain() {
    static const Keyspace ks(cluster(), {.key_pattern = "zset/:key"});
    return ks;
  }
  static const Keyspace& expiring() {
    static const Keyspace ks(cluster(),
                             {.key_pattern = "zset-200ms/:key", .default_expiry = cachet::expire_in(200ms)});
    return ks;
  }

  static constexpr const char* create_op = "add_many";
  // Members and scores in order, as one string: "a=1 b=2 c=3".
  using Contents = std::string;
  static inline const Contents created = "a=1 b=2 c=3";
  static inline const Contents extended = "a=1 b=2 c=3 d=4";
  static inline const Contents absent = "";
  static Contents text(const std::vector<Scored>& items) {
    std::string out;
    for (const auto& m : items) {
      if (!out.empty()) out += ' ';
      out += m.member + "=" + std::to_string(std::int64_t(m.score));
    }
    return out;
  }
  // ZADD answers how many were new: 3 shows it started from nothing.
  static Result<void> create(const Keyspace& ks, const Key& key) {
    const std::vector<Scored> abc{{"a", 1}, {"b", 2}, {"c", 3}};
    return answers(ks.add_many(key, abc), 3);
  }
  static Result<void> extend(const Keyspace& ks, const Key& key) { return answers(ks.add(key, "d", 4), true); }
  static Contents contents(const Keyspace& ks, const Key& key) { return text(test::value(ks.range(key, 0, -1))); }
  static void check_absent(const Keyspace& ks, const Key& key) {
    CHECK(test::value(ks.len(key)) == 0);
    CHECK(contents(ks, key) == absent);
    CHECK(test::code(ks.score(key, "a")) == Errc::miss);
    CHECK(test::code(ks.rank(key, "a")) == Errc::miss);
  }

  static std::vector<Op<Keyspace>> writes() {
    const std::vector<Scored> two{{"d", 4}, {"a", 5}};
    const std::vector<std::string> members{"d", "a"};
    auto sized = [](std::size_t n) { return [n](const auto& v) { CHECK(v.size() == n); }; };
    return {
        {"add", [](const Keyspace& ks, const Key& k) { return answers(ks.add(k, "d", 4), true); }},
        {"add_many", [two](const Keyspace& ks, const Key& k) { return answers(ks.add_many(k, two), 1); }},
        // Changing nothing (NX on a member it holds) still applies the expiry.
        {"add", [](const Keyspace& ks, const Key& k) {
           return answers(ks.add(k, "a", 9, cachet::AddMode::if_absent), false);
         }},
        {"increment", [](const Keyspace& ks, const Key& k) { return answers(ks.increment(k, "a", 1.5), 2.5); }},
        {"remove", [](const Keyspace& ks, const Key& k) { return answers(ks.remove(k, "a", "z"), 1); }},
        {"remove", [members](const Keyspace& ks, const Key& k) { return answers(ks.remove(k, members), 1); }},
        {"remove_range", [](const Keyspace& ks, const Key& k) { return answers(ks.remove_range(k, 0, 0), 1); }},
        {"remove_range_by_score", [](const Keyspace& ks, const Key& k) {
           return answers(ks.remove_range_by_score(k, {1}, {2, false}), 1);
         }},
        {"pop_min", [sized](const Keyspace& ks, const Key& k) { return checked(ks.pop_min(k, 2), sized(2)); }},
        {"pop_max", [sized](const Keyspace& ks, const Key& k) { return checked(ks.pop_max(k, 1), sized(1)); }},
        // A store replaces its destination: here the key itself, from itself.
        {"diff_store",
         [](const Keyspace& ks, const Key& k) { return answers(ks.diff_store(k, k, Key("nobody")), 3); },
         true, false},
        {"intersect_store",
         [](const Keyspace& ks, const Key& k) { return answers(ks.intersect_store(k, {k, k}), 3); },
         true, false},
        {"union_store",
         [](const Keyspace& ks, const Key& k) { return answers(ks.union_store(k, k, Key("nobody")), 3); },
         true, false},
    };
  }
  static std::vector<Op<Keyspace>> reads() {
    auto abc = [](const auto& v) { CHECK(text(v) == created); };
    return {
        {"len", [](const Keyspace& ks, const Key& k) { return answers(ks.len(k), 3); }},
        {"score", [](const Keyspace& ks, const Key& k) { return answers(ks.score(k, "b"), 2.0); }},
        {"scores", [](const Keyspace& ks, const Key& k) {
           return answers(ks.scores(k, {"c", "z"}), std::vector<std::optional<double>>{3.0, std::nullopt});
         }},
        {"rank", [](const Keyspace& ks, const Key& k) { return answers(ks.rank(k, "c"), 2); }},
        {"rank_desc", [](const Keyspace& ks, const Key& k) { return answers(ks.rank_desc(k, "c"), 0); }},
        {"range", [abc](const Keyspace& ks, const Key& k) { return checked(ks.range(k, 0, -1), abc); }},
        {"range_desc", [](const Keyspace& ks, const Key& k) {
           return checked(ks.range_desc(k, 0, 0), [](const auto& v) { CHECK(text(v) == "c=3"); });
         }},
        {"range_by_score", [abc](const Keyspace& ks, const Key& k) {
           return checked(ks.range_by_score(k, {1}, {3}), abc);
         }},
        {"range_by_score_desc", [](const Keyspace& ks, const Key& k) {
           return checked(ks.range_by_score_desc(k, {3, false}, {1}), [](const auto& v) { CHECK(text(v) == "b=2 a=1"); });
         }},
        {"count", [](const Keyspace& ks, const Key& k) { return answers(ks.count(k, {2}, {3}), 2); }},
        {"sample", [](const Keyspace& ks, const Key& k) {
           return checked(ks.sample(k, 2), [](const auto& v) { CHECK(v.size() == 2); });
         }},
        {"diff", [abc](const Keyspace& ks, const Key& k) { return checked(ks.diff(k, Key("nobody")), abc); }},
        {"intersect", [abc](const Keyspace& ks, const Key& k) {
           return checked(ks.intersect({k}), abc);
         }},
        {"union_", [abc](const Keyspace& ks, const Key& k) { return checked(ks.union_(Key("nobody"), k), abc); }},
    };
  }
  static std::vector<Op<Keyspace>> typed_only() {
    auto with_zset = [](const Keyspace& ks) { REQUIRE(test::ok(ks.add("zset", "a", 1))); };
    return {
        {"diff", [with_zset](const Keyspace& ks, const Key& k) {
           with_zset(ks);
           return outcome(ks.diff(Key("zset"), k));
         }},
        {"diff", [](const Keyspace& ks, const Key& k) { return outcome(ks.diff(Key("nobody"), k)); }},
        {"intersect", [with_zset](const Keyspace& ks, const Key& k) {
           with_zset(ks);
           return outcome(ks.intersect(Key("zset"), Key("nobody"), k));
         }},
        {"union_", [with_zset](const Keyspace& ks, const Key& k) {
           with_zset(ks);
           return outcome(ks.union_(Key("zset"), k));
         }},
    };
  }

  static void plant(Storage& storage, const std::string& stored, ExpiryAction expiry) {
    const std::vector<cachet::engine::ScoredMember> xy{{"x", 1}, {"y", 2}};
    REQUIRE(test::ok(storage.sorted_sets()->zadd(stored, xy, cachet::engine::ZAddMode::always, expiry)));
  }
  static void check_planted(Storage& storage, const std::string& stored) {
    const auto items = test::value(storage.sorted_sets()->zrange(stored, 0, -1, false));
    CHECK(items == std::vector<cachet::engine::ScoredMember>{{"x", 1}, {"y", 2}});
  }
};

// Every descriptor: the types each shared case runs for (TEST_CASE_TEMPLATE(name, T,
// CONFORMANCE_DATA_TYPES)), and those with a two-key move (LMOVE, SMOVE).
#define CONFORMANCE_DATA_TYPES \
  conformance::Strings, conformance::Lists, conformance::Sets, conformance::Hashes, conformance::SortedSets
#define CONFORMANCE_TYPES_WITH_MOVE conformance::Lists, conformance::Sets
using DataTypes = std::tuple<CONFORMANCE_DATA_TYPES>;

// Type T's operations on a key that holds a value of type Held.
template <class T, class Held>
struct On {
  using Type = T;
  using HeldType = Held;
};

// Every ordered pair of two different data types, as On<T, Held>.
template <class Tuple>
struct DistinctPairs;
template <class... Ts>
struct DistinctPairs<std::tuple<Ts...>> {
  template <class T>
  using with = decltype(std::tuple_cat(
      std::conditional_t<std::is_same_v<T, Ts>, std::tuple<>, std::tuple<On<T, Ts>>>()...));
  using type = decltype(std::tuple_cat(with<Ts>()...));
};
using TypePairs = DistinctPairs<DataTypes>::type;

// Every operation of a type: its writes, its reads and those only the wrong-type case runs.
template <class T>
std::vector<Op<typename T::Keyspace>> all_operations() {
  auto all = T::writes();
  for (auto&& op : T::reads()) all.push_back(std::move(op));
  for (auto&& op : T::typed_only()) all.push_back(std::move(op));
  return all;
}

// The key an operation of a loop over operations runs on: one each.
inline Key key_for(std::size_t i) { return "k" + std::to_string(i); }

}  // namespace conformance

TYPE_TO_STRING_AS("strings", conformance::Strings);
TYPE_TO_STRING_AS("lists", conformance::Lists);
TYPE_TO_STRING_AS("sets", conformance::Sets);
TYPE_TO_STRING_AS("hashes", conformance::Hashes);
TYPE_TO_STRING_AS("sorted sets", conformance::SortedSets);
