// Wrong types, written once for every ordered pair of data types: an operation of one type on
// a key holding another answers wrong_type (Redis WRONGTYPE) and leaves that value alone,
// unless it replaces the key, as SET and the stores do (those are in their types' files); and
// a value of another type whose TTL has passed is no value at all.
#include "data_types.hpp"

#include <chrono>
#include <cctype>

using namespace std::chrono_literals;
using cachet::Errc;
using test::pttl;
using namespace conformance;

TEST_CASE_TEMPLATE_DEFINE("operations on a key holding another type answer wrong_type and leave it alone", P,
                          wrong_type_ops) {
  using T = typename P::Type;
  using Held = typename P::HeldType;
  const auto& ks = T::plain();
  auto& storage = cluster().storage();
  const std::string stored = ks.stored_key("k");
  Held::plant(storage, stored, ExpiryAction::persist());

  for (const auto& op : all_operations<T>()) {
    if (!op.typed) continue;
    INFO("operation: " << std::string_view(op.name));
    const auto r = op.run(ks, "k");
    CHECK(test::code(r) == Errc::wrong_type);
    if (!r && std::islower(static_cast<unsigned char>(op.name[0]))) CHECK(r.error().op == op.name);
  }
  Held::check_planted(storage, stored);
  CHECK(pttl(ks, "dst") == -2);

  // The error names the operation and the stored key.
  const auto reads = T::reads();
  const auto& read = reads.front();
  const auto r = read.run(ks, "k");
  REQUIRE(!r);
  CHECK(r.error().op == read.name);
  CHECK(r.error().key == stored);
}
TEST_CASE_TEMPLATE_APPLY(wrong_type_ops, TypePairs);

TEST_CASE_TEMPLATE_DEFINE("a key of another type whose TTL has passed does not stand in the way", P,
                          wrong_type_expired) {
  using T = typename P::Type;
  using Held = typename P::HeldType;
  const auto& ks = T::plain();
  Held::plant(cluster().storage(), ks.stored_key("k"), ExpiryAction::after(100ms));
  test::elapse(150ms);
  REQUIRE(T::create(ks, "k"));  // create() checks that it started from nothing
  CHECK(T::contents(ks, "k") == T::created);
}
TEST_CASE_TEMPLATE_APPLY(wrong_type_expired, TypePairs);
