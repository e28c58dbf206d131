// ttl, expire and exists on every data type, and get_and_expire and get_or_set on the keyspaces
// of one value (api2.md section 8), on whichever backend the suite runs.
#include "data_types.hpp"

#include <atomic>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <thread>

using namespace std::chrono_literals;
using cachet::Errc;
using namespace conformance;

TEST_CASE_TEMPLATE("ttl answers the time left, nullopt without a TTL, and a miss for no key", T,
                   CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::expiring();
  const auto none = ks.ttl("k");
  CHECK(test::code(none) == Errc::miss);
  CHECK(none.error().op == "ttl");
  REQUIRE(T::create(ks, "k"));
  const auto left = test::value(ks.ttl("k"));
  REQUIRE(left.has_value());
  CHECK(*left > 0ms);
  CHECK(*left <= 200ms);
  REQUIRE(T::create(T::plain(), "p"));
  CHECK(test::value(T::plain().ttl("p")) == std::nullopt);
}

TEST_CASE_TEMPLATE("exists tells whether a key is there, and an expired key is not", T, CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::plain();
  CHECK(test::value(ks.exists("k")) == false);
  REQUIRE(T::create(ks.with(cachet::expire_in(100ms)), "k"));
  CHECK(test::value(ks.exists("k")) == true);
  test::elapse(150ms);
  CHECK(test::value(ks.exists("k")) == false);
}

TEST_CASE_TEMPLATE("expire sets, removes and keeps a TTL, and a past expiry deletes the key", T,
                   CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::plain();
  REQUIRE(T::create(ks, "k"));
  REQUIRE(ks.expire("k", cachet::expire_in(10s)));
  auto left = test::value(ks.ttl("k"));
  REQUIRE(left.has_value());
  CHECK(*left > 9s);
  CHECK(*left <= 10s);

  REQUIRE(ks.expire("k", cachet::keep_ttl));
  left = test::value(ks.ttl("k"));
  REQUIRE(left.has_value());
  CHECK(*left > 9s);

  REQUIRE(ks.expire("k", cachet::never_expire));
  CHECK(test::value(ks.ttl("k")) == std::nullopt);
  REQUIRE(ks.expire("k", cachet::never_expire));  // a key without a TTL is still a key
  CHECK(T::contents(ks, "k") == T::created);

  REQUIRE(ks.expire("k", cachet::expire_in(-1s)));
  CHECK(test::value(ks.exists("k")) == false);
  T::check_absent(ks, "k");
}

TEST_CASE_TEMPLATE("expire on no key is a miss, whatever the expiry, and writes nothing", T,
                   CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::plain();
  for (const cachet::Expiry expiry :
       {cachet::expire_in(10s), cachet::never_expire, cachet::keep_ttl, cachet::expire_in(0s)}) {
    const auto r = ks.expire("none", expiry);
    CHECK(test::code(r) == Errc::miss);
    CHECK(r.error().op == "expire");
    CHECK(test::value(ks.exists("none")) == false);
  }
}

TEST_CASE_TEMPLATE("expire with an invalid expiry fails and leaves the TTL", T, CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::plain();
  REQUIRE(T::create(ks, "k"));
  CHECK(test::code(ks.expire("k", cachet::expire_in(std::chrono::seconds(-9999999999999999)))) == Errc::out_of_range);
  CHECK(test::code(ks.expire("k", cachet::expire_in(std::chrono::hours::max()))) == Errc::out_of_range);
  CHECK(test::code(ks.expire("k", cachet::expire_daily_at(25, 0, 0))) == Errc::out_of_range);
  CHECK(test::value(ks.ttl("k")) == std::nullopt);
}

TEST_CASE_TEMPLATE("an expire renews what a later read finds", T, CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::plain();
  REQUIRE(T::create(ks.with(cachet::expire_in(100ms)), "k"));
  REQUIRE(ks.expire("k", cachet::expire_in(10s)));
  test::elapse(150ms);
  CHECK(T::contents(ks, "k") == T::created);
}

namespace {

cachet::Cluster& value_cluster() {
  static cachet::Cluster instance("test-key-ttl");
  return instance;
}
cachet::StringKeyspace<std::string> sliding(value_cluster(), {.key_pattern = "slide/:key",
                                                              .default_expiry = cachet::expire_in(200ms)});
cachet::IntKeyspace<std::string> counts(value_cluster(), {.key_pattern = "count/:key"});
cachet::StringKeyspace<std::string> loaded(value_cluster(), {.key_pattern = "loaded/:key",
                                                             .default_expiry = cachet::expire_in(10s)});

}  // namespace

TEST_CASE("get_and_expire reads the value and gives it the keyspace's expiry: sliding expiration") {
  CHECK(test::code(sliding.get_and_expire("k")) == Errc::miss);
  REQUIRE(sliding.with(cachet::never_expire).set("k", "v"));
  CHECK(test::value(sliding.ttl("k")) == std::nullopt);
  CHECK(sliding.get_and_expire("k") == "v");
  auto left = test::value(sliding.ttl("k"));
  REQUIRE(left.has_value());
  CHECK(*left <= 200ms);
  // Read every 100ms for longer than the expiry: each read pushes the deadline back.
  for (int i = 0; i < 4; ++i) {
    test::elapse(100ms);
    CHECK(sliding.get_and_expire("k") == "v");
  }
  test::elapse(250ms);
  CHECK(test::code(sliding.get_and_expire("k")) == Errc::miss);
}

TEST_CASE("get_and_expire follows with(): never_expire removes the TTL, keep_ttl keeps it, a past expiry deletes") {
  REQUIRE(sliding.set("k", "v"));
  CHECK(sliding.with(cachet::keep_ttl).get_and_expire("k") == "v");
  CHECK(test::value(sliding.ttl("k")).has_value());
  CHECK(sliding.with(cachet::never_expire).get_and_expire("k") == "v");
  CHECK(test::value(sliding.ttl("k")) == std::nullopt);
  CHECK(sliding.with(cachet::expire_in(-1ms)).get_and_expire("k") == "v");
  CHECK(test::value(sliding.exists("k")) == false);
}

TEST_CASE("get_and_expire on a key of another type is wrong_type, and its TTL stays") {
  cachet::ListKeyspace<std::string, std::string> lists(value_cluster(), {.key_pattern = "slide-list/:key"});
  REQUIRE(lists.push_left("k", "a"));
  const auto stored = lists.stored_key("k");
  auto r = value_cluster().storage().strings()->getex(stored, ExpiryAction::after(1s));
  REQUIRE(!r);
  CHECK(r.error().code == Errc::wrong_type);
  CHECK(test::value(lists.ttl("k")) == std::nullopt);
}

TEST_CASE("get_or_set loads a missing value once, writes it with the keyspace's expiry, and then hits") {
  int runs = 0;
  auto loader = [&] {
    ++runs;
    return std::string("from the source");
  };
  CHECK(loaded.get_or_set("k", loader) == "from the source");
  CHECK(loaded.get_or_set("k", loader) == "from the source");
  CHECK(runs == 1);
  CHECK(loaded.get("k") == "from the source");
  const auto left = test::value(loaded.ttl("k"));
  REQUIRE(left.has_value());
  CHECK(*left > 9s);
}

TEST_CASE("get_or_set answers a cached value without calling the loader") {
  REQUIRE(counts.set("k", 7));
  CHECK(counts.get_or_set("k", []() -> std::int64_t { throw std::logic_error("must not run"); }) == 7);
}

TEST_CASE("a loader's error is returned and not cached; the next call loads again") {
  int runs = 0;
  const auto failed = counts.get_or_set("k", [&]() -> cachet::Result<std::int64_t> {
    ++runs;
    return cachet::fail(Errc::unavailable, "the database is down");
  });
  CHECK(test::code(failed) == Errc::unavailable);
  CHECK(failed.error().op == "get_or_set");
  CHECK(failed.error().key == "count/k");
  CHECK(test::value(counts.exists("k")) == false);
  CHECK(counts.get_or_set("k", [&]() -> cachet::Result<std::int64_t> { return ++runs; }) == 2);
  CHECK(counts.get("k") == 2);
}

TEST_CASE("a loader's exception reaches the caller and nothing is cached") {
  CHECK_THROWS_AS((void)counts.get_or_set("k", []() -> std::int64_t { throw std::runtime_error("boom"); }),
                  std::runtime_error);
  CHECK(test::value(counts.exists("k")) == false);
  CHECK(counts.get_or_set("k", [] { return std::int64_t(5); }) == 5);
}

TEST_CASE("get_or_set refuses a value its codec cannot store, a bad lock, and a reserved key") {
  cachet::FloatKeyspace<std::string> floats(value_cluster(), {.key_pattern = "float/:key"});
  CHECK(test::code(floats.get_or_set("k", [] { return std::nan(""); })) == Errc::invalid_value);
  CHECK(test::value(floats.exists("k")) == false);
  CHECK(test::code(counts.get_or_set("k", [] { return std::int64_t(1); }, {.lock = -1ms})) == Errc::invalid_value);
  static cachet::Cluster open_cluster("test-key-ttl-open");
  cachet::StringKeyspace<std::string> open(open_cluster, {.key_pattern = ":key"});
  CHECK(test::code(open.get_or_set("__cachet/lock/x", [] { return std::string("v"); })) == Errc::invalid_value);
}

TEST_CASE("get_or_set on a key of another type answers wrong_type and does not load") {
  Lists::plant(value_cluster().storage(), counts.stored_key("wt"), ExpiryAction::persist());
  const auto r = counts.get_or_set("wt", []() -> std::int64_t { throw std::logic_error("must not run"); });
  CHECK(test::code(r) == Errc::wrong_type);
  CHECK(r.error().op == "get_or_set");
  Lists::check_planted(value_cluster().storage(), counts.stored_key("wt"));
}

TEST_CASE("get_or_set with a lock loads once, and leaves no lock key behind") {
  int runs = 0;
  CHECK(loaded.get_or_set("locked", [&] { return std::to_string(++runs); }, {.lock = 5s}) == "1");
  CHECK(loaded.get_or_set("locked", [&] { return std::to_string(++runs); }, {.lock = 5s}) == "1");
  CHECK(runs == 1);
  const std::string lock_key = cachet::detail::load_lock_key(loaded.stored_key("locked"));
  CHECK(test::code(value_cluster().storage().strings()->get(lock_key)) == Errc::miss);
}

TEST_CASE("get_or_set with a lock another caller holds waits for its value") {
  const std::string lock_key = cachet::detail::load_lock_key(loaded.stored_key("held"));
  auto& strings = *value_cluster().storage().strings();
  REQUIRE(strings.set(lock_key, "another process", cachet::engine::SetCondition::always, ExpiryAction::after(10s)));
  std::atomic<bool> stored{false};
  std::thread other([&] {
    std::this_thread::sleep_for(50ms);
    REQUIRE(loaded.set("held", "theirs"));
    stored = true;
  });
  const auto r = loaded.get_or_set("held", [] { return std::string("ours"); }, {.lock = 5s});
  other.join();
  CHECK(r == "theirs");
  REQUIRE(stored);
  const std::string keys[] = {lock_key};
  CHECK(test::value(value_cluster().storage().keys().del(keys)) == 1);  // still theirs, untouched
}
