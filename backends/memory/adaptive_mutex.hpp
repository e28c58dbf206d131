// The engine's locks: a std::mutex (the evictor's) and a reader-writer lock of one atomic word
// (each shard's: lookups share it, writes hold it alone), each first spinning briefly when it
// is taken.
//
// A shard's critical section is a few hundred nanoseconds, while putting a thread to sleep
// and waking it costs tens of microseconds on a virtual machine: with a plain std::mutex
// (glibc's does not spin) two threads on different keys of one shard spend more time asleep
// than working. Spinning for about the length of a critical section first, then blocking,
// keeps the common collision short and a long one (a thread preempted inside) cheap.
#pragma once

#include <atomic>
#include <cstdint>
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

// A shard's lock: lookups that change nothing but an access stamp (an atomic word) share it,
// so threads reading one shard do not queue; writes, the sweep and eviction hold it alone.
//
// One word: a writer bit, a writer-waiting bit and the count of readers. Taking or leaving it
// shared is one atomic instruction inline (std::shared_mutex is a pthread_rwlock: two calls
// and some fifty instructions per lookup). A waiting writer holds new readers back, so a
// stream of lookups does not starve writes. Spins first, then sleeps on the word
// (std::atomic::wait, a futex on Linux); leaving wakes sleepers only when there are some.
class AdaptiveSharedMutex {
 public:
  void lock() {
    std::uint32_t s = 0;
    if (state_.compare_exchange_weak(s, writer, std::memory_order_acquire, std::memory_order_relaxed)) return;
    lock_slow();
  }
  bool try_lock() {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    while ((s & ~writer_waiting) == 0) {
      if (state_.compare_exchange_weak(s, writer, std::memory_order_acquire, std::memory_order_relaxed)) return true;
    }
    return false;
  }
  void unlock() {
    // Clears a waiting writer's bit too: every sleeper wakes and looks again, and a writer
    // still waiting sets it again.
    state_.store(0, std::memory_order_release);
    state_.notify_all();
  }
  void lock_shared() {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    if ((s & (writer | writer_waiting)) == 0 &&
        state_.compare_exchange_weak(s, s + 1, std::memory_order_acquire, std::memory_order_relaxed)) {
      return;
    }
    lock_shared_slow();
  }
  bool try_lock_shared() {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    while ((s & (writer | writer_waiting)) == 0) {
      if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acquire, std::memory_order_relaxed)) return true;
    }
    return false;
  }
  void unlock_shared() {
    const std::uint32_t before = state_.fetch_sub(1, std::memory_order_release);
    // The last reader out wakes a writer waiting for it.
    if ((before & readers) == 1 && (before & writer_waiting) != 0) state_.notify_all();
  }

 private:
  static constexpr std::uint32_t writer = std::uint32_t(1) << 31;
  static constexpr std::uint32_t writer_waiting = std::uint32_t(1) << 30;
  static constexpr std::uint32_t readers = writer_waiting - 1;
  static constexpr int spins = 200;

  [[gnu::noinline]] void lock_slow() {
    for (int i = 0;; ++i) {
      std::uint32_t s = state_.load(std::memory_order_relaxed);
      if ((s & ~writer_waiting) == 0) {
        if (state_.compare_exchange_weak(s, writer, std::memory_order_acquire, std::memory_order_relaxed)) return;
        continue;
      }
      if ((s & writer_waiting) == 0) {
        if (!state_.compare_exchange_weak(s, s | writer_waiting, std::memory_order_relaxed)) continue;
        s |= writer_waiting;
      }
      if (i < spins) relax();
      else state_.wait(s, std::memory_order_relaxed);
    }
  }
  [[gnu::noinline]] void lock_shared_slow() {
    for (int i = 0;; ++i) {
      std::uint32_t s = state_.load(std::memory_order_relaxed);
      if ((s & (writer | writer_waiting)) == 0) {
        if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acquire, std::memory_order_relaxed)) return;
        continue;
      }
      if (i < spins) relax();
      else state_.wait(s, std::memory_order_relaxed);
    }
  }

  static void relax() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
  }

  std::atomic<std::uint32_t> state_{0};
};

}  // namespace cachet::memory
