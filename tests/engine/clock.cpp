// The clock every expiry is measured against (engine/clock.hpp): the system clock plus an
// offset that only moves forward. It is the process's: this program has no expiry to disturb.
#include "../support.hpp"

#include "engine/clock.hpp"

#include <chrono>
#include <cstdlib>
#include <thread>

using namespace std::chrono_literals;
namespace clock_ = cachet::engine::clock;

TEST_CASE("now follows the system clock, and now_ms and coarse_now_ms read the same time") {
  const auto offset = clock_::now() - std::chrono::system_clock::now();  // what advance() added
  CHECK(offset > -50ms);
  const auto start = clock_::now();
  std::this_thread::sleep_for(20ms);
  CHECK(clock_::now() - start >= 20ms);
  CHECK(clock_::now() - std::chrono::system_clock::now() - offset < 50ms);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_::now().time_since_epoch()).count();
  CHECK(std::abs(clock_::now_ms() - ms) < 50);
  CHECK(std::abs(clock_::coarse_now_ms() - ms) < 100);  // a few ms of resolution
}

TEST_CASE("advance moves every reading forward, and never backward") {
  const auto before = clock_::now_ms();
  const auto coarse_before = clock_::coarse_now_ms();
  clock_::advance(1h);
  CHECK(clock_::now_ms() - before >= 3'600'000);
  CHECK(clock_::now_ms() - before < 3'600'000 + 1000);
  CHECK(clock_::coarse_now_ms() - coarse_before >= 3'600'000 - 100);
  const auto moved = clock_::now_ms();
  clock_::advance(-1h);
  clock_::advance(0ns);
  CHECK(clock_::now_ms() >= moved);
  CHECK(clock_::now_ms() - moved < 1000);
  cachet::testing::advance_time(1min);  // the public way in moves the same clock
  CHECK(clock_::now_ms() - moved >= 60'000);
}
