// Expiry: every form of section 3, applied atomically with each write.
#include "../support.hpp"

#include "engine/clock.hpp"

#include <chrono>

using namespace std::chrono_literals;

namespace {

cachet::Cluster cluster("test-expiry");
cachet::StringKeyspace<std::string> plain(cluster, {.key_pattern = "plain/:key"});
cachet::StringKeyspace<std::string> short_lived(cluster, {.key_pattern = "short/:key",
                                                          .default_expiry = cachet::expire_in(100ms)});
cachet::IntKeyspace<std::string> counters(cluster, {.key_pattern = "count/:key",
                                                    .default_expiry = cachet::expire_in(100ms)});

// The key's remaining TTL (nullopt: none); fails the check for a missing key.
template <class Keyspace>
std::optional<std::chrono::milliseconds> ttl(const Keyspace& ks, const typename Keyspace::key_type& key) {
  auto r = cluster.storage().keys().pttl(ks.stored_key(key));
  REQUIRE_MESSAGE(r.has_value(), "the key does not exist");
  return *r;
}

}  // namespace

TEST_CASE("a keyspace without default_expiry writes keys that never expire") {
  REQUIRE(plain.set("k", "v"));
  CHECK(ttl(plain, "k") == std::nullopt);
  test::elapse(150ms);
  CHECK(plain.get("k") == "v");
}

TEST_CASE("expire_in sets a TTL with the write; the key is gone once it passes") {
  REQUIRE(short_lived.set("k", "v"));
  const auto left = ttl(short_lived, "k");
  REQUIRE(left.has_value());
  CHECK(*left > 0ms);
  CHECK(*left <= 100ms);
  test::elapse(150ms);
  CHECK(test::code(short_lived.get("k")) == cachet::Errc::miss);
  CHECK(test::code(cluster.storage().keys().pttl(short_lived.stored_key("k"))) == cachet::Errc::miss);
}

TEST_CASE("every write renews the keyspace's expiry") {
  CHECK(counters.increment("c") == 1);
  test::elapse(60ms);
  CHECK(counters.increment("c") == 2);
  test::elapse(60ms);  // 120ms after the first write, 60ms after the second
  CHECK(counters.get("c") == 2);
  test::elapse(60ms);
  CHECK(test::code(counters.get("c")) == cachet::Errc::miss);
}

TEST_CASE("keep_ttl leaves the TTL as it was, on SET and on other writes") {
  REQUIRE(short_lived.set("k", "v"));
  test::elapse(60ms);
  REQUIRE(short_lived.with(cachet::keep_ttl).set("k", "w"));
  CHECK(short_lived.with(cachet::keep_ttl).append("k", "!") == 2);
  const auto left = ttl(short_lived, "k");
  REQUIRE(left.has_value());
  CHECK(*left <= 40ms);
  test::elapse(60ms);
  CHECK(test::code(short_lived.get("k")) == cachet::Errc::miss);
}

TEST_CASE("keep_ttl on a new key leaves it without a TTL") {
  REQUIRE(short_lived.with(cachet::keep_ttl).set("new", "v"));
  CHECK(ttl(short_lived, "new") == std::nullopt);
}

TEST_CASE("a never_expire write clears a TTL: SET clears it, other writes persist the key") {
  REQUIRE(short_lived.set("a", "v"));
  REQUIRE(short_lived.with(cachet::never_expire).set("a", "w"));
  CHECK(ttl(short_lived, "a") == std::nullopt);
  CHECK(counters.increment("b") == 1);
  CHECK(counters.with(cachet::never_expire).increment("b") == 2);
  CHECK(ttl(counters, "b") == std::nullopt);
  test::elapse(150ms);
  CHECK(short_lived.get("a") == "w");
  CHECK(counters.get("b") == 2);
}

TEST_CASE("an expiry already in the past deletes the key with the write") {
  REQUIRE(plain.set("k", "v"));
  REQUIRE(plain.with(cachet::expire_in(-1s)).set("k", "w"));
  CHECK(test::code(plain.get("k")) == cachet::Errc::miss);
  CHECK(plain.with(cachet::expire_in(0ms)).append("k", "abc") == 3);
  CHECK(test::code(plain.get("k")) == cachet::Errc::miss);
  REQUIRE(plain.set("k", "kept"));
  CHECK(test::code(plain.with(cachet::expire_in(-1s)).set_if_not_exists("k", "other")) == cachet::Errc::key_exists);
  CHECK(plain.get("k") == "kept");
}

TEST_CASE("reads, erase and get_and_delete never change a TTL") {
  REQUIRE(short_lived.set("k", "v"));
  REQUIRE(short_lived.get("k"));
  CHECK(short_lived.len("k") == 1);
  CHECK(short_lived.get_range("k", 0, -1) == "v");
  REQUIRE(short_lived.multi_get("k"));
  const auto left = ttl(short_lived, "k");
  REQUIRE(left.has_value());
  CHECK(*left <= 100ms);
  test::elapse(150ms);
  CHECK(test::code(short_lived.get("k")) == cachet::Errc::miss);
}

TEST_CASE("a refused write (set_if_not_exists on an existing key) leaves the TTL alone") {
  REQUIRE(plain.set("k", "v"));
  CHECK(test::code(plain.with(cachet::expire_in(50ms)).set_if_not_exists("k", "w")) == cachet::Errc::key_exists);
  CHECK(ttl(plain, "k") == std::nullopt);
}

TEST_CASE("multi_set applies the expiry to every key") {
  REQUIRE(short_lived.multi_set({{"a", "1"}, {"b", "2"}}));
  CHECK(ttl(short_lived, "a").has_value());
  CHECK(ttl(short_lived, "b").has_value());
  test::elapse(150ms);
  const auto gone = short_lived.multi_get("a", "b");
  REQUIRE(gone);
  CHECK(test::code((*gone)[0]) == cachet::Errc::miss);
  CHECK(test::code((*gone)[1]) == cachet::Errc::miss);
}

TEST_CASE("expire_daily_at expires at the next occurrence of that time of day") {
  using namespace std::chrono;
  // Now, as the clock the backend uses sees it.
  const auto now = cachet::engine::clock::now();
  const auto since_midnight = now - floor<days>(now);
  const auto in_an_hour = floor<seconds>(since_midnight + 1h) % days(1);
  const auto hms = hh_mm_ss(in_an_hour);
  REQUIRE(plain.with(cachet::expire_daily_at(int(hms.hours().count()), int(hms.minutes().count()),
                                             int(hms.seconds().count())))
              .set("daily", "v"));
  const auto left = ttl(plain, "daily");
  REQUIRE(left.has_value());
  CHECK(*left > 59min);
  CHECK(*left <= 1h);

  // The same wall-clock time at UTC+02:00 is two hours earlier in UTC: a day minus an hour away, less 2h.
  REQUIRE(plain.with(cachet::expire_daily_at(int(hms.hours().count()), int(hms.minutes().count()),
                                             int(hms.seconds().count()), minutes(120)))
              .set("offset", "v"));
  const auto offset_left = ttl(plain, "offset");
  REQUIRE(offset_left.has_value());
  CHECK(*offset_left > 22h + 59min);
  CHECK(*offset_left <= 23h);
}

TEST_CASE("an out-of-range expire_daily_at fails the write with out_of_range, writing nothing") {
  const auto r = plain.with(cachet::expire_daily_at(24, 0, 0)).set("k", "v");
  CHECK(test::code(r) == cachet::Errc::out_of_range);
  CHECK(r.error().message.find("hour") != std::string::npos);
  CHECK(test::code(plain.get("k")) == cachet::Errc::miss);
  CHECK(test::code(plain.with(cachet::expire_daily_at(1, 60, 0)).set("k", "v")) == cachet::Errc::out_of_range);
  CHECK(test::code(plain.with(cachet::expire_in(std::chrono::hours(24 * 365 * 1000))).set("k", "v")) ==
        cachet::Errc::out_of_range);
}

TEST_CASE("expire_in rounds a sub-millisecond duration up, never into the past") {
  const auto action = cachet::resolve(cachet::expire_in(std::chrono::microseconds(10)));
  REQUIRE(action);
  CHECK(action->ttl == 1ms);
  CHECK(!action->deletes());
  CHECK(cachet::resolve(cachet::expire_in(std::chrono::microseconds(1500)))->ttl == 2ms);
  CHECK(cachet::resolve(cachet::expire_in(0ms))->deletes());
}
