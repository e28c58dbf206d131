// Test isolation: every test case, and every run of a test case for its subcases, starts
// with empty storage, on whichever thread touches the cache.
#include "../support.hpp"

#include <limits>
#include <stdexcept>
#include <thread>

namespace {

cachet::Cluster cluster("test-isolation");
cachet::IntKeyspace<std::string> counters(cluster, {.key_pattern = "iso/:key"});

}  // namespace

TEST_CASE("a test case writes a key") {
  CHECK(counters.increment("shared") == 1);
  CHECK(counters.increment("shared") == 2);
}

TEST_CASE("the next test case does not see it") {
  CHECK(test::code(counters.get("shared")) == cachet::Errc::miss);
  CHECK(counters.increment("shared") == 1);
}

TEST_CASE("each subcase run starts from empty storage, with the setup before it") {
  // Runs once per subcase; the storage is fresh each time.
  CHECK(counters.increment("setup") == 1);
  SUBCASE("first") { CHECK(counters.increment("sub") == 1); }
  SUBCASE("second") { CHECK(counters.increment("sub") == 1); }
}

TEST_CASE("another thread uses the test case's storage") {
  REQUIRE(counters.set("from-main", 7));
  std::int64_t seen = 0;
  std::thread([&] { seen = counters.get("from-main").value_or(-1); }).join();
  CHECK(seen == 7);
}

TEST_CASE("a nested Scope sees nothing of the outer one, and the outer one is back after it" * test::memory_only()) {
  REQUIRE(counters.set("outer", 1));
  {
    cachet::testing::Scope inner;
    CHECK(test::code(counters.get("outer")) == cachet::Errc::miss);
    REQUIRE(counters.set("inner", 2));
  }
  CHECK(counters.get("outer") == 1);
  CHECK(test::code(counters.get("inner")) == cachet::Errc::miss);
}

TEST_CASE("advance_time moves the memory engine's clock, and fails loudly while the scope runs on a server") {
  using namespace std::chrono_literals;
  REQUIRE(counters.with(cachet::expire_in(1s)).set("brief", 1));
  if (test::on_server()) {
    // Nothing can move a server's clock: a test counting on it would pass or fail by luck.
    CHECK_THROWS_WITH_AS(cachet::testing::advance_time(2s), doctest::Contains("real server"), std::logic_error);
    CHECK(counters.get("brief") == 1);
  } else {
    CHECK_NOTHROW(cachet::testing::advance_time(2s));
    CHECK(test::code(counters.get("brief")) == cachet::Errc::miss);
  }
}

TEST_CASE("advance_time refuses a duration past a hundred years, moving nothing, and never overflows") {
  using namespace std::chrono_literals;
  REQUIRE(counters.with(cachet::expire_in(1h)).set("hour", 1));
  CHECK_THROWS_WITH_AS(cachet::testing::advance_time(std::chrono::hours::max()),
                       doctest::Contains("beyond a hundred years"), std::out_of_range);
  CHECK_THROWS_AS(cachet::testing::advance_time(std::chrono::nanoseconds::max()), std::out_of_range);
  CHECK_THROWS_AS(cachet::testing::advance_time(std::chrono::duration<double>(std::numeric_limits<double>::infinity())), std::out_of_range);
  CHECK_THROWS_AS(cachet::testing::advance_time(std::chrono::duration<double>(std::numeric_limits<double>::quiet_NaN())), std::out_of_range);
  CHECK_THROWS_AS(cachet::testing::advance_time(std::chrono::years(101)), std::out_of_range);
  // The clock never goes back: a negative duration, however large, moves nothing.
  CHECK_NOTHROW(cachet::testing::advance_time(std::chrono::hours::min()));
  CHECK_NOTHROW(cachet::testing::advance_time(-1s));
  CHECK(counters.get("hour") == 1);
  auto left = counters.ttl("hour");
  REQUIRE(left);
  REQUIRE(left->has_value());
  CHECK(**left > 59min);
}
