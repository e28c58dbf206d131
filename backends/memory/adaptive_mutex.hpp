// The engine's locks (each shard's, and the evictor's): a std::mutex that first spins
// briefly when it is taken.
//
// A shard's critical section is a few hundred nanoseconds, while putting a thread to sleep
// and waking it costs tens of microseconds on a virtual machine: with a plain std::mutex
// (glibc's does not spin) two threads on different keys of one shard spend more time asleep
// than working. Spinning for about the length of a critical section first, then blocking,
// keeps the common collision short and a long one (a thread preempted inside) cheap.
#pragma once

#include <mutex>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace cachet::memory {

class AdaptiveMutex {
 public:
  void lock() {
    for (int i = 0; i < spins; ++i) {
      if (mutex_.try_lock()) return;
      relax();
    }
    mutex_.lock();
  }
  bool try_lock() { return mutex_.try_lock(); }
  void unlock() { mutex_.unlock(); }

 private:
  static constexpr int spins = 200;  // a few microseconds of pause instructions

  static void relax() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
  }

  std::mutex mutex_;
};

}  // namespace cachet::memory
