// The time every expiry is measured against: the system clock plus an offset that tests
// move forward (cachet::testing::advance_time), so expiry is tested without sleeping.
#pragma once

#include <chrono>
#include <cstdint>

namespace cachet::engine::clock {

std::chrono::system_clock::time_point now() noexcept;

// Milliseconds since the Unix epoch, offset included.
std::int64_t now_ms() noexcept;

// A cheap reading with a resolution of a few milliseconds, for access stamps (LRU/LFU)
// where a precise reading on every lookup would cost more than it tells.
std::int64_t coarse_now_ms() noexcept;

// Moves every reading forward by `by` (never backward).
void advance(std::chrono::nanoseconds by) noexcept;

}  // namespace cachet::engine::clock
