// The measuring part of the benchmark: threads started together, wall-clock timing, medians
// of repeated runs, and a checksum that keeps the compiler from dropping the work measured.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <time.h>

namespace bench {

using Clock = std::chrono::steady_clock;

// Everything a timed loop reads is folded in here and printed at the end, so no result is
// dead code the optimiser could remove.
inline std::atomic<std::uint64_t> checksum{0};
inline void consume(std::uint64_t x) { checksum.fetch_add(x, std::memory_order_relaxed); }

// Failures of operations that must succeed (a get of a key known to be present, a set):
// the benchmark counts them and exits non-zero, so it cannot silently measure error paths.
inline std::atomic<std::uint64_t> unexpected_failures{0};
inline std::string first_failure;  // written once, under the flag below
inline std::atomic<bool> failure_recorded{false};
inline void fail_op(const std::string& what) {
  unexpected_failures.fetch_add(1, std::memory_order_relaxed);
  if (!failure_recorded.exchange(true)) first_failure = what;
}

// CPU time of the calling thread: with the wall time, it tells how much of a core the
// thread really had on this shared machine.
inline double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Context switches of the calling thread so far: voluntary ones are waits (a lock another
// thread holds, a socket), involuntary ones are preemptions (another process wanted the CPU).
struct Switches {
  std::uint64_t voluntary = 0, involuntary = 0;
};
inline Switches thread_switches() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return {std::uint64_t(u.ru_nvcsw), std::uint64_t(u.ru_nivcsw)};
}

struct Timing {
  double seconds = 0;
  double cpu_seconds = 0;  // all threads together
  std::uint64_t ops = 0;   // all threads together
  Switches switches;       // all threads together
  double cores() const { return seconds > 0 ? cpu_seconds / seconds : 0; }
  double ns_per_op() const { return ops ? seconds * 1e9 / double(ops) : 0; }
  double ops_per_second() const { return seconds > 0 ? double(ops) / seconds : 0; }
};

// Runs body(thread_index) on `threads` new threads released together; each answers how many
// operations it made. The wall time runs from the release to the last thread's end, so the
// figure is aggregate throughput. Threads are created before the clock starts; 1 thread runs
// the same way, so 1- and 2-thread figures differ only in the thread count.
inline Timing run_threads(int threads, const std::function<std::uint64_t(int)>& body) {
  std::atomic<bool> go{false};
  std::atomic<int> ready{0};
  std::vector<Clock::time_point> ends(static_cast<std::size_t>(threads));
  std::vector<std::uint64_t> ops(static_cast<std::size_t>(threads), 0);
  std::vector<double> cpu(static_cast<std::size_t>(threads), 0);
  std::vector<Switches> switches(static_cast<std::size_t>(threads));
  std::vector<std::thread> pool;
  pool.reserve(std::size_t(threads));
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      const double cpu_start = thread_cpu_seconds();
      const Switches switches_start = thread_switches();
      ops[std::size_t(t)] = body(t);
      ends[std::size_t(t)] = Clock::now();
      cpu[std::size_t(t)] = thread_cpu_seconds() - cpu_start;
      const Switches switches_end = thread_switches();
      switches[std::size_t(t)] = {switches_end.voluntary - switches_start.voluntary,
                                  switches_end.involuntary - switches_start.involuntary};
    });
  }
  while (ready.load() < threads) std::this_thread::yield();
  const auto start = Clock::now();
  go.store(true, std::memory_order_release);
  for (auto& th : pool) th.join();
  Timing out;
  out.seconds = std::chrono::duration<double>(*std::max_element(ends.begin(), ends.end()) - start).count();
  for (auto n : ops) out.ops += n;
  for (auto c : cpu) out.cpu_seconds += c;
  for (auto w : switches) out.switches.voluntary += w.voluntary, out.switches.involuntary += w.involuntary;
  return out;
}

inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Figures of one comparison over repeated paired runs: the subject's and the baseline's
// medians, and the median of the per-run ratios.
struct Paired {
  std::vector<double> subject, baseline, ratio;
  double subject_median() const { return median(subject); }
  double baseline_median() const { return median(baseline); }
  double ratio_median() const { return median(ratio); }
};

// Which part of its work one call runs: slice `index` of `count` equal slices.
struct Slice {
  int index = 0, count = 1;
  std::size_t begin(std::size_t n) const { return n * std::size_t(index) / std::size_t(count); }
  std::size_t end(std::size_t n) const { return n * std::size_t(index + 1) / std::size_t(count); }
};

inline Timing& operator+=(Timing& a, const Timing& b) {
  a.seconds += b.seconds;
  a.cpu_seconds += b.cpu_seconds;
  a.ops += b.ops;
  a.switches.voluntary += b.switches.voluntary;
  a.switches.involuntary += b.switches.involuntary;
  return a;
}

// Runs `reps` repetitions of several contenders, each repetition cut into `slices` that the
// contenders take in turn (the order rotating every slice); answers each contender's Timing
// per repetition, its slices summed: timings[contender][repetition].
inline std::vector<std::vector<Timing>> interleaved(int reps, int slices,
                                                    const std::vector<std::function<Timing(Slice)>>& contenders) {
  const std::size_t n = contenders.size();
  std::vector<std::vector<Timing>> out(n, std::vector<Timing>(std::size_t(reps)));
  for (int r = 0; r < reps; ++r) {
    for (int k = 0; k < slices; ++k) {
      for (std::size_t j = 0; j < n; ++j) {
        const std::size_t c = (std::size_t(r + k) + j) % n;
        out[c][std::size_t(r)] += contenders[c]({k, slices});
      }
    }
  }
  return out;
}

// Runs `reps` repetitions of subject and baseline, interleaved in `slices` per repetition
// (see interleaved()): on a shared machine a neighbour's burst then lands on both sides of
// one ratio instead of on one side of it. `value` turns a Timing into the figure compared
// (ns/op or ops/s); `ratio` turns the two figures of one repetition into its ratio.
inline Paired paired(int reps, int slices, const std::function<Timing(Slice)>& subject,
                     const std::function<Timing(Slice)>& baseline, const std::function<double(const Timing&)>& value,
                     const std::function<double(double, double)>& ratio) {
  const auto t = interleaved(reps, slices, {subject, baseline});
  Paired p;
  for (int r = 0; r < reps; ++r) {
    const double vs = value(t[0][std::size_t(r)]), vb = value(t[1][std::size_t(r)]);
    p.subject.push_back(vs);
    p.baseline.push_back(vb);
    p.ratio.push_back(ratio(vs, vb));
  }
  return p;
}

inline double ns_per_op(const Timing& t) { return t.ns_per_op(); }
inline double mops(const Timing& t) { return t.ops_per_second() / 1e6; }
// The ratio of two figures of one repetition: time per op (lower is better) or throughput
// (higher is better); the same quotient, named for what it compares.
inline double time_ratio(double subject, double baseline) { return baseline > 0 ? subject / baseline : 0; }
inline double speed_ratio(double subject, double baseline) { return baseline > 0 ? subject / baseline : 0; }

}  // namespace bench
