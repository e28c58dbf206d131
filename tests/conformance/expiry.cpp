// Expiry on every data type (api.md section 3), written once and run for each descriptor of
// data_types.hpp: every write applies the keyspace's expiry atomically with the write
// (never_expire clears a TTL, keep_ttl leaves it, an expiry in the past deletes the key, an
// invalid one fails the write), and reads never change a TTL. What only one type does (a store,
// a move onto itself, increments) is in that type's file; a two-key move in move.cpp.
#include "data_types.hpp"

#include "engine/clock.hpp"

#include <chrono>

using namespace std::chrono_literals;
using cachet::Errc;
using test::pttl;
using namespace conformance;

TEST_CASE_TEMPLATE("a write without an expiry leaves the key without a TTL, for good", T, CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::plain();
  REQUIRE(T::create(ks, "k"));
  CHECK(pttl(ks, "k") == -1);
  const auto writes = T::writes();
  for (std::size_t i = 0; i < writes.size(); ++i) {
    INFO("write: " << std::string_view(writes[i].name));
    REQUIRE(T::create(ks, key_for(i)));
    REQUIRE(writes[i].run(ks, key_for(i)));
    CHECK(pttl(ks, key_for(i)) == -1);
  }
  test::elapse(250ms);
  CHECK(T::contents(ks, "k") == T::created);
}

TEST_CASE_TEMPLATE("a write with an expiry gives the key that TTL, and a later write renews it",
                   T, CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::expiring();
  REQUIRE(T::create(ks, "k"));
  const auto ttl = pttl(ks, "k");
  CHECK(ttl > 0);
  CHECK(ttl <= 200);

  test::elapse(150ms);
  REQUIRE(T::extend(ks, "k"));
  const auto renewed = pttl(ks, "k");
  CHECK(renewed > 50);
  CHECK(renewed <= 200);
  CHECK(T::contents(ks, "k") == T::extended);
}

TEST_CASE_TEMPLATE("a key written with an expiry is gone once it has passed", T, CONFORMANCE_DATA_TYPES) {
  REQUIRE(T::create(T::plain().with(cachet::expire_in(100ms)), "k"));
  test::elapse(150ms);
  T::check_absent(T::plain(), "k");
  CHECK(pttl(T::plain(), "k") == -2);
}

TEST_CASE_TEMPLATE("a write onto a key whose TTL has passed starts anew", T, CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::expiring();
  REQUIRE(T::create(ks.with(cachet::expire_in(100ms)), "k"));
  test::elapse(150ms);
  REQUIRE(T::create(ks.with(cachet::never_expire), "k"));  // create() checks that it started from nothing
  CHECK(T::contents(ks, "k") == T::created);
  CHECK(pttl(ks, "k") == -1);
}

TEST_CASE_TEMPLATE("every write applies the keyspace's expiry", T, CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::expiring();
  const auto writes = T::writes();
  for (std::size_t i = 0; i < writes.size(); ++i) {
    INFO("write: " << std::string_view(writes[i].name));
    REQUIRE(T::create(ks.with(cachet::never_expire), key_for(i)));
    REQUIRE(pttl(ks, key_for(i)) == -1);
    REQUIRE(writes[i].run(ks, key_for(i)));
    const auto ttl = pttl(ks, key_for(i));
    CHECK(ttl > 0);
    CHECK(ttl <= 200);
  }
}

TEST_CASE_TEMPLATE("a write with never_expire clears the key's TTL", T, CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::expiring();
  const auto never = ks.with(cachet::never_expire);
  REQUIRE(T::create(ks, "k"));
  REQUIRE(pttl(ks, "k") > 0);
  REQUIRE(T::extend(never, "k"));
  CHECK(pttl(ks, "k") == -1);
  CHECK(T::contents(ks, "k") == T::extended);

  const auto writes = T::writes();
  for (std::size_t i = 0; i < writes.size(); ++i) {
    INFO("write: " << std::string_view(writes[i].name));
    REQUIRE(T::create(ks, key_for(i)));
    REQUIRE(pttl(ks, key_for(i)) > 0);
    REQUIRE(writes[i].run(never, key_for(i)));
    CHECK(pttl(ks, key_for(i)) == -1);
  }
  test::elapse(250ms);
  CHECK(T::contents(ks, "k") == T::extended);
  for (std::size_t i = 0; i < writes.size(); ++i) CHECK(pttl(ks, key_for(i)) == -1);
}

TEST_CASE_TEMPLATE("a write with keep_ttl leaves the key's TTL as it was, and a new key without one",
                   T, CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::expiring();
  const auto keep = ks.with(cachet::keep_ttl);
  const auto writes = T::writes();
  REQUIRE(T::create(ks, "k"));
  for (std::size_t i = 0; i < writes.size(); ++i) REQUIRE(T::create(ks, key_for(i)));
  test::elapse(100ms);

  REQUIRE(T::extend(keep, "k"));
  const auto ttl = pttl(ks, "k");
  CHECK(ttl > 0);
  CHECK(ttl <= 100);
  for (std::size_t i = 0; i < writes.size(); ++i) {
    if (!writes[i].keeps_ttl) continue;
    INFO("write: " << std::string_view(writes[i].name));
    REQUIRE(writes[i].run(keep, key_for(i)));
    const auto left = pttl(ks, key_for(i));
    CHECK(left > 0);
    CHECK(left <= 100);
  }

  REQUIRE(T::create(keep, "new"));
  CHECK(pttl(ks, "new") == -1);

  test::elapse(150ms);
  T::check_absent(ks, "k");
  for (std::size_t i = 0; i < writes.size(); ++i) {
    if (writes[i].keeps_ttl) CHECK(pttl(ks, key_for(i)) == -2);
  }
}

TEST_CASE_TEMPLATE("a write with an expiry in the past deletes the key, answering as if it had stayed",
                   T, CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::plain();
  REQUIRE(T::create(ks, "k"));
  REQUIRE(T::extend(ks.with(cachet::expire_in(-1s)), "k"));  // extend() checks its answer
  T::check_absent(ks, "k");
  CHECK(pttl(ks, "k") == -2);

  REQUIRE(T::create(ks.with(cachet::expire_in(0ms)), "new"));
  CHECK(pttl(ks, "new") == -2);

  const auto writes = T::writes();
  for (std::size_t i = 0; i < writes.size(); ++i) {
    INFO("write: " << std::string_view(writes[i].name));
    REQUIRE(T::create(ks, key_for(i)));
    REQUIRE(writes[i].run(ks.with(cachet::expire_in(-1s)), key_for(i)));
    CHECK(pttl(ks, key_for(i)) == -2);
  }
}

TEST_CASE_TEMPLATE("a write with an invalid expiry fails with out_of_range and writes nothing",
                   T, CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::plain();
  const cachet::Expiry invalid[] = {
      cachet::expire_in(std::chrono::years(300)),
      cachet::expire_in(std::chrono::hours(24 * 365 * 1000)),
      // Past what int64 milliseconds hold: refused, never wrapped into a TTL (or a deletion).
      cachet::expire_in(std::chrono::seconds(-9999999999999999)),
      cachet::expire_in(std::chrono::hours::max()),
      cachet::expire_in(std::chrono::hours::min()),
      cachet::expire_daily_at(24, 0, 0),
      cachet::expire_daily_at(1, 60, 0),
  };
  for (const auto& expiry : invalid) {
    const auto r = T::create(ks.with(expiry), "new");
    CHECK(test::code(r) == Errc::out_of_range);
    CHECK(r.error().op == T::create_op);
    CHECK(pttl(ks, "new") == -2);
  }
  const auto hour = T::create(ks.with(cachet::expire_daily_at(24, 0, 0)), "new");
  CHECK(test::code(hour) == Errc::out_of_range);
  CHECK(hour.error().message.find("hour") != std::string::npos);

  REQUIRE(T::create(ks, "k"));
  for (const auto& write : T::writes()) {
    INFO("write: " << std::string_view(write.name));
    for (const auto& expiry : invalid) {
      const auto r = write.run(ks.with(expiry), "k");
      CHECK(test::code(r) == Errc::out_of_range);
      CHECK(r.error().op == write.name);
    }
  }
  CHECK(T::contents(ks, "k") == T::created);
  CHECK(pttl(ks, "k") == -1);
  CHECK(pttl(ks, "dst") == -2);
}

TEST_CASE_TEMPLATE("the longest expiry, 9e12 ms, is a TTL both backends keep", T, CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::plain();
  REQUIRE(T::create(ks.with(cachet::expire_in(std::chrono::milliseconds(9'000'000'000'000))), "k"));
  CHECK(pttl(ks, "k") > 8'999'999'000'000);
  CHECK(pttl(ks, "k") <= 9'000'000'000'000);
}

TEST_CASE_TEMPLATE("reads leave the key's TTL as it was", T, CONFORMANCE_DATA_TYPES) {
  const auto& ks = T::expiring();
  REQUIRE(T::create(ks, "k"));
  test::elapse(100ms);
  for (const auto& read : T::reads()) {
    INFO("read: " << std::string_view(read.name));
    CHECK(read.run(ks, "k"));
  }
  const auto ttl = pttl(ks, "k");
  CHECK(ttl > 0);
  CHECK(ttl <= 100);
  test::elapse(150ms);
  T::check_absent(ks, "k");
}

TEST_CASE_TEMPLATE("expire_daily_at expires at the next occurrence of that time of day", T, CONFORMANCE_DATA_TYPES) {
  using namespace std::chrono;
  const auto& ks = T::plain();
  // Now, as the clock the backend uses sees it.
  const auto now = cachet::engine::clock::now();
  const auto since_midnight = now - floor<days>(now);
  const auto in_an_hour = floor<seconds>(since_midnight + 1h) % days(1);
  const hh_mm_ss hms(in_an_hour);
  const int hour = int(hms.hours().count()), minute = int(hms.minutes().count()), second = int(hms.seconds().count());
  REQUIRE(T::create(ks.with(cachet::expire_daily_at(hour, minute, second)), "daily"));
  const auto left = pttl(ks, "daily");
  CHECK(left > duration_cast<milliseconds>(59min).count());
  CHECK(left <= duration_cast<milliseconds>(1h).count());

  // The same wall-clock time at UTC+02:00 is two hours earlier in UTC: a day minus an hour away, less 2h.
  REQUIRE(T::create(ks.with(cachet::expire_daily_at(hour, minute, second, minutes(120))), "offset"));
  const auto offset_left = pttl(ks, "offset");
  CHECK(offset_left > duration_cast<milliseconds>(22h + 59min).count());
  CHECK(offset_left <= duration_cast<milliseconds>(23h).count());
}
