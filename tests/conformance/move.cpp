// A two-key move (LMOVE, SMOVE), written once for every type that has one: the write's expiry
// applies to both keys. What only one type's move does (onto itself, from a missing source)
// is in that type's file.
#include "data_types.hpp"

#include <chrono>

using namespace std::chrono_literals;
using test::pttl;
using namespace conformance;

TEST_CASE_TEMPLATE("move applies the write's expiry to both keys", T, CONFORMANCE_TYPES_WITH_MOVE) {
  const auto& ks = T::expiring();
  const auto never = ks.with(cachet::never_expire);
  REQUIRE(T::create(never, "src"));
  REQUIRE(T::create(never, "dst"));
  REQUIRE(T::move(ks, "src", "dst"));
  for (const char* key : {"src", "dst"}) {
    CAPTURE(key);
    CHECK(pttl(ks, key) > 0);
    CHECK(pttl(ks, key) <= 200);
  }

  REQUIRE(test::value(ks.erase("src")) == 1);
  REQUIRE(T::create(never, "src"));  // "a" first again, and without a TTL
  REQUIRE(T::move(never, "src", "dst"));
  CHECK(pttl(ks, "src") == -1);
  CHECK(pttl(ks, "dst") == -1);

  REQUIRE(T::move(ks, "dst", "new"));
  CHECK(pttl(ks, "new") > 0);
  CHECK(pttl(ks, "new") <= 200);
}

TEST_CASE_TEMPLATE("move with keep_ttl leaves both keys' TTLs as they were", T, CONFORMANCE_TYPES_WITH_MOVE) {
  const auto& ks = T::expiring();
  REQUIRE(T::create(ks, "src"));
  REQUIRE(T::create(ks.with(cachet::never_expire), "dst"));
  test::elapse(100ms);
  REQUIRE(T::move(ks.with(cachet::keep_ttl), "src", "dst"));
  CHECK(pttl(ks, "src") > 0);
  CHECK(pttl(ks, "src") <= 100);
  CHECK(pttl(ks, "dst") == -1);
}

TEST_CASE_TEMPLATE("move with an expiry in the past deletes both keys and answers the moved element", T,
                   CONFORMANCE_TYPES_WITH_MOVE) {
  const auto& ks = T::plain();
  REQUIRE(T::create(ks, "src"));
  REQUIRE(T::create(ks, "dst"));
  REQUIRE(T::move(ks.with(cachet::expire_in(-1s)), "src", "dst"));  // move() checks the answer
  CHECK(pttl(ks, "src") == -2);
  CHECK(pttl(ks, "dst") == -2);
}
