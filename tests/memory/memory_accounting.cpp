// The memory bound is only as honest as the account behind it. This test stores a million
// 16-byte keys with 64-byte values (the benchmark's workload) and compares what the engine
// accounts for with how much the process's resident memory really grew: within 25%.
#include "../support.hpp"

#include "backends/memory/memory_storage.hpp"

#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool sanitized = true;  // a sanitizer's shadow memory is growth the engine does not own
#else
constexpr bool sanitized = false;
#endif

// Resident set size of this process, in bytes (/proc/self/statm, second field).
std::int64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::int64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

}  // namespace

TEST_CASE("the accounted memory tracks the real growth of the process within 25% over a million keys" *
          doctest::skip(test::on_server() || sanitized)) {
  malloc_trim(0);  // hand memory freed by earlier tests back, so it cannot hide the growth
  const std::int64_t before = resident_bytes();
  {
    cachet::memory::MemoryStorage m;
    const std::string value(64, 'v');
    char key[32];
    for (int i = 0; i < 1'000'000; ++i) {
      std::snprintf(key, sizeof key, "user/%011d", i);
      REQUIRE(m.strings()->set(key, value, cachet::engine::SetCondition::always, cachet::engine::ExpiryAction::persist()));
    }
    const std::int64_t grown = resident_bytes() - before;
    const auto accounted = std::int64_t(m.used_memory());
    MESSAGE("accounted ", accounted / 1'000'000.0, " MB (", accounted / 1'000'000, " bytes/key), resident growth ",
            grown / 1'000'000.0, " MB");
    CHECK(m.key_count() == 1'000'000);
    CHECK(double(accounted) >= 0.75 * double(grown));
    CHECK(double(accounted) <= 1.25 * double(grown));
  }
}
