#include "clock.hpp"

#include <atomic>
#include <ctime>

namespace cachet::engine::clock {
namespace {

std::atomic<std::int64_t> offset_ns{0};

}  // namespace

std::chrono::system_clock::time_point now() noexcept {
  return std::chrono::system_clock::now() +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(
             std::chrono::nanoseconds(offset_ns.load(std::memory_order_relaxed)));
}

std::int64_t now_ms() noexcept {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch()).count();
}

std::int64_t coarse_now_ms() noexcept {
  timespec ts{};
#ifdef CLOCK_REALTIME_COARSE
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
#else
  clock_gettime(CLOCK_REALTIME, &ts);
#endif
  return std::int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000 +
         offset_ns.load(std::memory_order_relaxed) / 1'000'000;
}

bool advance(std::chrono::nanoseconds by) noexcept {
  if (by.count() <= 0) return true;
  std::int64_t offset = offset_ns.load(std::memory_order_relaxed);
  do {
    if (by.count() > max_offset_ns - offset) return false;
  } while (!offset_ns.compare_exchange_weak(offset, offset + by.count(), std::memory_order_relaxed));
  return true;
}

}  // namespace cachet::engine::clock
