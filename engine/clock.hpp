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

// How far tests may move the clock ahead in all: a hundred years, which keeps every reading
// (now plus the offset, in nanoseconds since the epoch) far from the end of int64.
inline constexpr std::int64_t max_offset_ns = 100LL * 366 * 24 * 3600 * 1'000'000'000;

// Moves every reading forward by `by` (never backward). False, and nothing moved, when the
// offset would pass max_offset_ns.
bool advance(std::chrono::nanoseconds by) noexcept;

}  // namespace cachet::engine::clock
