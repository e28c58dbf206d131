// The engine's locks: a std::mutex (the evictor's) and a std::shared_mutex (each shard's:
// lookups share it, writes hold it alone), each first spinning briefly when it is taken.
//
// A shard's critical section is a few hundred nanoseconds, while putting a thread to sleep
// and waking it costs tens of microseconds on a virtual machine: with a plain std::mutex
// (glibc's does not spin) two threads on different keys of one shard spend more time asleep
// than working. Spinning for about the length of a critical section first, then blocking,
// keeps the common collision short and a long one (a thread preempted inside) cheap.
#pragma once

#include <mutex>
#include <shared_mutex>

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

// A shard's lock: lookups that change nothing but an access stamp (an atomic word) share it,
// so threads reading one shard do not queue; writes, the sweep and eviction hold it alone.
class AdaptiveSharedMutex {
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
  void lock_shared() {
    for (int i = 0; i < spins; ++i) {
      if (mutex_.try_lock_shared()) return;
      relax();
    }
    mutex_.lock_shared();
  }
  bool try_lock_shared() { return mutex_.try_lock_shared(); }
  void unlock_shared() { mutex_.unlock_shared(); }

 private:
  static constexpr int spins = 200;

  static void relax() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
  }

  std::shared_mutex mutex_;
};

}  // namespace cachet::memory
