// cachet's benchmark: every figure beside a baseline measured in the same run, as a table.
//
//   bench/run.sh            builds (release), starts a redis-server, runs the full benchmark
//   bench/run.sh --quick    the same in well under a minute (3 repetitions, shorter runs)
//
// Every figure is the median of repeated runs; every ratio is the median of the per-run
// ratios of cachet's figure to the baseline's, the two measured back to back. Targets are
// reported, never asserted: the exit status is non-zero only when an operation that must
// succeed failed (so the benchmark cannot quietly time error paths).
#include "baselines.hpp"
#include "caffeine.hpp"
#include "harness.hpp"
#if CACHET_BENCH_HAVE_ABSL
#include "sharded_map.hpp"
#endif
#include "workloads.hpp"
#include "zipf.hpp"

#include "backends/memory/memory_storage.hpp"
#include "backends/redis/redis_storage.hpp"
#include "backends/redis/redis_url.hpp"
#include "engine/url.hpp"

#include <cachet/cachet.hpp>

#include <malloc.h>
#include <sched.h>
#include <unistd.h>

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

using namespace bench;
using cachet::Errc;

#ifndef CACHET_BENCH_BUILDTYPE
#define CACHET_BENCH_BUILDTYPE "unknown"
#endif

// ---------------------------------------------------------------------------------------------
// Settings

struct Settings {
  bool quick = false;
  int reps = 7;                          // repetitions behind every median
  std::size_t ops = 500'000;             // per thread per repetition: get, set, increment, push, add
  std::size_t zipf_ops = 600'000;        // per thread per repetition, timed
  std::size_t zipf_warmup = 300'000;     // per thread, untimed, from an empty cache
  std::size_t bytes_keys = 1'000'000;    // keys loaded for the bytes-per-key figure
  int bytes_reps = 5;
  std::size_t redis_ops = 20'000;        // round trips per run for get/set latency
  std::size_t redis_batches = 2'000;     // multi_get batches of 100 keys per run
  std::string redis_url;                 // empty: no Redis rows
  std::string redis_origin;              // where the URL came from, for the header
  std::string redis_missing;             // why there are no Redis rows, short, for the table
  std::string redis_detail;              // the same at length, for the header
  std::string tls_url;                   // rediss:// to the same server: the TLS rows (empty: n/a)
  std::string cluster_url;               // redis-cluster:// with three masters: the cluster rows (empty: n/a)
  std::size_t handshakes = 200;          // connections opened per run for the set-up figure
  std::string command;                   // shown in the header
  std::string only;                      // --only: one section (memory, metrics, zipf, bytes, hashes, sorted_sets, redis, tls, cluster, multiplex)
  std::string data_file;                 // --data: where the chart's figures go (empty: nowhere)
};

Settings quick_settings(Settings s) {
  s.quick = true;
  s.reps = 3;
  s.ops = 100'000;
  s.zipf_ops = 200'000;
  s.zipf_warmup = 150'000;
  s.bytes_keys = 250'000;  // same load factors as 1,000,000 in both stores, so the same B/key
  s.bytes_reps = 3;
  s.redis_ops = 2'000;
  s.redis_batches = 200;
  s.handshakes = 40;
  return s;
}

// ---------------------------------------------------------------------------------------------
// The table

__attribute__((format(printf, 1, 2))) std::string str(const char* format, ...) {
  va_list args, again;
  va_start(args, format);
  va_copy(again, args);
  const int n = std::vsnprintf(nullptr, 0, format, args);
  va_end(args);
  std::string out(std::size_t(n > 0 ? n : 0) + 1, '\0');
  std::vsnprintf(out.data(), out.size(), format, again);
  va_end(again);
  out.pop_back();
  return out;
}

// The 1-minute load average, from /proc/loadavg.
std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one.empty() ? "unknown" : one;
}

std::string ns(double v) { return v >= 10'000 ? str("%.1f µs/op", v / 1000) : str("%.0f ns/op", v); }
std::string mops(double v) { return str("%.2f Mops/s", v); }
std::string times(double v) { return str("%.2f×", v); }

struct Target {
  enum Kind { none, at_most, at_least } kind = none;
  double bound = 0;
  std::string text() const {
    if (kind == at_most) return str("≤ %.2f×", bound);
    if (kind == at_least) return str("≥ %.2f×", bound);
    return "—";
  }
  bool met(double ratio) const { return kind == at_most ? ratio <= bound : ratio >= bound; }
};

struct Row {
  std::string id, workload, threads, cachet, baseline, ratio, target, result;
};
std::vector<Row> rows;
std::vector<std::string> notes;
int targets_met = 0, targets_missed = 0;
std::vector<std::string> missed;

std::string verdict(bool met, const std::string& id, const std::string& workload) {
  if (met) {
    ++targets_met;
    return "met";
  }
  ++targets_missed;
  missed.push_back(id + " " + workload);
  return "NOT met";
}

// What the chart shows (--data): each comparison of cachet with a baseline, as numbers.
struct ChartPoint {
  std::string workload, threads, cachet, baseline;
  double ratio;
};
std::vector<ChartPoint> chart_points;

void add(std::string id, std::string workload, int threads, std::string cachet, std::string baseline, double ratio,
         Target target = {}) {
  // A ratio of zero or past any bound is no comparison to draw (the chart's bars are ratios).
  if (std::isfinite(ratio) && ratio > 0) chart_points.push_back({workload, std::to_string(threads), cachet, baseline, ratio});
  std::string result = target.kind == Target::none ? "info" : verdict(target.met(ratio), id, workload);
  rows.push_back({std::move(id), std::move(workload), std::to_string(threads), std::move(cachet), std::move(baseline),
                  times(ratio), target.text(), std::move(result)});
}
void add_unavailable(std::string id, std::string workload, int threads, std::string cachet, const std::string& why,
                     Target target = {}) {
  rows.push_back({std::move(id), std::move(workload), std::to_string(threads), std::move(cachet), "n/a (" + why + ")",
                  "n/a", target.text(), "n/a"});
}

// Display width of UTF-8 text (each code point counts one column).
std::size_t width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Rows with a target first, by target number; then the informational rows in run order.
void print_table() {
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    const bool a_info = a.id == "–", b_info = b.id == "–";
    if (a_info != b_info) return b_info;
    return !a_info && a.id < b.id;
  });
  const std::vector<std::string> header = {"#", "workload", "threads", "cachet", "baseline", "ratio (median)", "target",
                                           "result"};
  std::vector<std::size_t> w(header.size());
  auto cells = [](const Row& r) {
    return std::vector<std::string>{r.id, r.workload, r.threads, r.cachet, r.baseline, r.ratio, r.target, r.result};
  };
  for (std::size_t i = 0; i < header.size(); ++i) w[i] = width(header[i]);
  for (const auto& r : rows) {
    const auto c = cells(r);
    for (std::size_t i = 0; i < c.size(); ++i) w[i] = std::max(w[i], width(c[i]));
  }
  auto line = [&](const std::vector<std::string>& c) {
    std::string out = "|";
    for (std::size_t i = 0; i < c.size(); ++i) out += " " + c[i] + std::string(w[i] - width(c[i]), ' ') + " |";
    std::cout << out << "\n";
  };
  line(header);
  std::string rule = "|";
  for (auto n : w) rule += std::string(n + 2, '-') + "|";
  std::cout << rule << "\n";
  for (const auto& r : rows) line(cells(r));
}

// The figures behind the chart, one comparison a line, tab-separated, for bench/chart.sh:
// workload, threads, cachet, baseline (as the table shows them), the ratio cachet ÷ baseline,
// whether lower or higher figures are better, and the advantage: how many times better cachet
// did than its baseline (above 1: cachet ahead), so every row reads the same way.
bool write_chart_data(const std::string& path) {
  std::ofstream out(path);
  out << "# workload\tthreads\tcachet\tbaseline\tratio\tbetter\tadvantage\n";
  for (const ChartPoint& p : chart_points) {
    // Times and bytes are better lower; throughput (Mops/s, kkeys/s) higher.
    const bool lower = p.cachet.find("/op") != std::string::npos || p.cachet.find("B/key") != std::string::npos;
    const double advantage = lower ? 1 / p.ratio : p.ratio;
    out << p.workload << '\t' << p.threads << '\t' << p.cachet << '\t' << p.baseline << '\t' << str("%.4f", p.ratio)
        << '\t' << (lower ? "lower" : "higher") << '\t' << str("%.4f", advantage) << '\n';
  }
  return bool(out.flush());
}

// ---------------------------------------------------------------------------------------------
// Shared data

struct Data {
  std::vector<std::string> keys;                    // the user's keys, "u0000012345"
  std::vector<std::string> values;                  // 64-byte values
  std::vector<std::string> members;                 // set members, 16 bytes
  std::vector<std::vector<std::uint32_t>> uniform;  // per thread: shuffled passes over the keys
  std::vector<std::vector<std::uint32_t>> zipf_warmup, zipf_timed;  // per thread: the Zipf mix
};

Data make_data(const Settings& s) {
  Data d;
  d.keys.reserve(key_universe);
  for (std::size_t i = 0; i < key_universe; ++i) d.keys.push_back(user_key(i));
  d.values = make_values(256);
  for (int i = 0; i < 32; ++i) d.members.push_back(str("member-%09d", i));
  for (std::uint64_t t = 0; t < 2; ++t) d.uniform.push_back(shuffled_sequence(s.ops, t));
  const Zipf zipf(key_universe, zipf_s);
  for (std::uint64_t t = 0; t < 2; ++t) {
    d.zipf_warmup.push_back(zipf_sequence(zipf, s.zipf_warmup, 100 + t));
    d.zipf_timed.push_back(zipf_sequence(zipf, s.zipf_ops, t));
  }
  return d;
}

const std::string& value_for(const Data& d, std::size_t key_index) { return d.values[key_index % d.values.size()]; }

// Runs op(key index, position) over the slice of each thread's own sequence; op answers
// something to fold into the checksum.
template <class Op>
Timing over(int threads, const std::vector<std::vector<std::uint32_t>>& sequences, Slice slice, Op op) {
  return run_threads(threads, [&](int t) -> std::uint64_t {
    const auto& sequence = sequences[std::size_t(t)];
    const std::size_t begin = slice.begin(sequence.size()), end = slice.end(sequence.size());
    std::uint64_t sum = 0;
    for (std::size_t n = begin; n < end; ++n) sum += op(sequence[n], n);
    consume(sum);
    return end - begin;
  });
}

std::uint64_t digest(const std::string& s) { return s.size() + (s.empty() ? 0 : static_cast<unsigned char>(s[0])); }

template <class R>
void must(const R& result, const char* what) {
  if (!result) fail_op(std::string(what) + ": " + result.error().what());
}

constexpr int memory_slices = 8;  // alternating slices per repetition (see paired())

// One memory workload on `threads` threads, cachet against a baseline: time per op on one
// thread, aggregate throughput on two. `reset` (optional) empties each side before a
// repetition's first slice, for workloads whose data grows.
template <class CachetOp, class BaselineOp>
Paired compare(const Settings& s, const Data& d, int threads, CachetOp cachet_op, BaselineOp baseline_op,
               const std::function<void()>& reset_cachet = {}, const std::function<void()>& reset_baseline = {}) {
  auto side = [&](auto& op, const std::function<void()>& reset) {
    return [&, threads](Slice slice) {
      if (slice.index == 0 && reset) reset();
      return over(threads, d.uniform, slice, op);
    };
  };
  side(cachet_op, reset_cachet)({0, 4}), side(baseline_op, reset_baseline)({0, 4});  // warm-up: a quarter, untimed
  return threads == 1 ? paired(s.reps, memory_slices, side(cachet_op, reset_cachet), side(baseline_op, reset_baseline),
                               ns_per_op, time_ratio)
                      : paired(s.reps, memory_slices, side(cachet_op, reset_cachet), side(baseline_op, reset_baseline),
                               bench::mops, speed_ratio);
}
void add_compared(const std::string& id, const std::string& workload, int threads, const Paired& p,
                  Target target = {}) {
  if (threads == 1) add(id, workload, 1, ns(p.subject_median()), ns(p.baseline_median()), p.ratio_median(), target);
  else add(id, workload, threads, mops(p.subject_median()), mops(p.baseline_median()), p.ratio_median(), target);
}

// ---------------------------------------------------------------------------------------------
// 6: what counting every call costs (metrics_text()'s counts and the latency histogram, with
// the call's two timestamps): the get and set workloads of 1 with counting on and switched off
// (what CACHET_METRICS=off does at start-up), in alternating slices of one run.

void metrics_cost(const Settings& s, const Data& d) {
  cachet::Cluster strings("bench-metrics");
  cachet::configure("bench-metrics", "memory://");
  cachet::StringKeyspace<std::string> users(strings, {.key_pattern = "user/:key"});
  for (std::size_t i = 0; i < key_universe; ++i) must(users.set(d.keys[i], value_for(d, i)), "set (prefill)");
  auto get = [&](std::uint32_t i, std::size_t) -> std::uint64_t {
    auto v = users.get(d.keys[i]);
    if (!v) return fail_op("get: " + v.error().what()), 0;
    return digest(*v);
  };
  auto set = [&](std::uint32_t i, std::size_t n) -> std::uint64_t {
    must(users.set(d.keys[i], d.values[(i + n) % d.values.size()]), "set");
    return 1;
  };
  auto counting = [&](bool on, auto& op) {
    return [&, on](Slice slice) {
      cachet::detail::set_metrics_enabled(on);
      return over(1, d.uniform, slice, op);
    };
  };
  counting(true, get)({0, 4}), counting(false, get)({0, 4});  // warm-up, untimed
  auto p = paired(s.reps, memory_slices, counting(true, get), counting(false, get), ns_per_op, time_ratio);
  add("6", "get (all hits): metrics on vs CACHET_METRICS=off", 1, ns(p.subject_median()),
      ns(p.baseline_median()) + " (off)", p.ratio_median(), {Target::at_most, 1.03});
  p = paired(s.reps, memory_slices, counting(true, set), counting(false, set), ns_per_op, time_ratio);
  add("6", "set (overwrite): metrics on vs CACHET_METRICS=off", 1, ns(p.subject_median()),
      ns(p.baseline_median()) + " (off)", p.ratio_median(), {Target::at_most, 1.03});
  cachet::detail::set_metrics_enabled(true);  // the other sections run as a service does
}

// ---------------------------------------------------------------------------------------------
// 1, 3 and the other memory workloads: uniform access over 100,000 keys, no bound

void memory_workloads(const Settings& s, const Data& d, CaffeineProcess& caffeine) {
  cachet::Cluster strings("bench-strings");
  cachet::configure("bench-strings", "memory://");
  cachet::StringKeyspace<std::string> users(strings, {.key_pattern = "user/:key"});
  MapCache map(key_universe);

  // Every key present before timing: the get workload is all hits.
  for (std::size_t i = 0; i < key_universe; ++i) {
    must(users.set(d.keys[i], value_for(d, i)), "set (prefill)");
    map.set(StackKey("user/", d.keys[i]).view(), value_for(d, i));
  }

  auto cachet_get = [&](std::uint32_t i, std::size_t) -> std::uint64_t {
    auto v = users.get(d.keys[i]);
    if (!v) return fail_op("get: " + v.error().what()), 0;
    return digest(*v);
  };
  auto map_get = [&](std::uint32_t i, std::size_t) -> std::uint64_t {
    auto v = map.get(StackKey("user/", d.keys[i]).view());
    if (!v) return fail_op("map get: miss"), 0;
    return digest(*v);
  };
  // Overwrites with another value of the same size, as a refreshed cache entry is.
  auto cachet_set = [&](std::uint32_t i, std::size_t n) -> std::uint64_t {
    must(users.set(d.keys[i], d.values[(i + n) % d.values.size()]), "set");
    return 1;
  };
  auto map_set = [&](std::uint32_t i, std::size_t n) -> std::uint64_t {
    map.set(StackKey("user/", d.keys[i]).view(), d.values[(i + n) % d.values.size()]);
    return 1;
  };

  add_compared("1", "get (all hits) vs unordered_map+mutex", 1, compare(s, d, 1, cachet_get, map_get),
               {Target::at_most, 1.5});
  add_compared("1", "set (overwrite) vs unordered_map+mutex", 1, compare(s, d, 1, cachet_set, map_set),
               {Target::at_most, 1.5});

  // 7: uniform reads against the strongest plain map (64 absl::flat_hash_maps, a mutex each)
  // and against Caffeine (a child JVM, its slices alternating with cachet's), 1 and 2 threads.
  {
#if CACHET_BENCH_HAVE_ABSL
    ShardedAbslMap absl_map(key_universe);
    for (std::size_t i = 0; i < key_universe; ++i) absl_map.set(StackKey("user/", d.keys[i]).view(), value_for(d, i));
    auto absl_get = [&](std::uint32_t i, std::size_t) -> std::uint64_t {
      auto v = absl_map.get(StackKey("user/", d.keys[i]).view());
      if (!v) return fail_op("absl get: miss"), 0;
      return digest(*v);
    };
    for (int threads : {1, 2}) {
      add_compared("7", "get (all hits) vs sharded absl::flat_hash_map+mutex", threads,
                   compare(s, d, threads, cachet_get, absl_get),
                   threads == 1 ? Target{Target::at_most, 1.0} : Target{Target::at_least, 1.0});
    }
    // A hot get: 1,000 keys, all in the CPU's caches; time per get on one thread. The target
    // is for the fastest public read, get_into with a buffer kept by the thread (no
    // allocation); get(), which answers a new string, is measured beside it. The baseline is
    // the absl map's get in both rows (it answers a new string).
    {
      std::vector<std::vector<std::uint32_t>> hot(1);
      for (std::uint32_t i : d.uniform[0]) hot[0].push_back(i % 1000);
      auto on_hot = [&](auto& op) { return [&](Slice slice) { return over(1, hot, slice, op); }; };
      auto cachet_get_into = [&](std::uint32_t i, std::size_t) -> std::uint64_t {
        thread_local std::string buffer;
        if (auto ok = users.get_into(d.keys[i], buffer); !ok) return fail_op("get_into: " + ok.error().what()), 0;
        return digest(buffer);
      };
      on_hot(cachet_get_into)({0, 4}), on_hot(cachet_get)({0, 4}), on_hot(absl_get)({0, 4});  // warm-up, untimed
      Paired p = paired(s.reps, memory_slices, on_hot(cachet_get_into), on_hot(absl_get), ns_per_op, time_ratio);
      const double hot_ns = p.subject_median();
      rows.push_back({"8", "hot get_into, buffer reused (1,000 keys in CPU caches), time per get", "1", ns(hot_ns),
                      ns(p.baseline_median()) + " (sharded absl map)", times(p.ratio_median()), "≤ 60 ns",
                      verdict(hot_ns <= 60, "8", "hot get_into ≤ 60 ns")});
      p = paired(s.reps, memory_slices, on_hot(cachet_get), on_hot(absl_get), ns_per_op, time_ratio);
      add("8", "hot get() (1,000 keys in CPU caches), time per get", 1, ns(p.subject_median()),
          ns(p.baseline_median()) + " (sharded absl map)", p.ratio_median());
    }
#else
    for (int threads : {1, 2}) {
      add_unavailable("7", "get (all hits) vs sharded absl::flat_hash_map+mutex", threads, "",
                      "built without libabsl-dev", threads == 1 ? Target{Target::at_most, 1.0} : Target{Target::at_least, 1.0});
    }
#endif
    if (caffeine.available() && caffeine.uniform_start()) {
      auto cachet_side = [&](int threads) {
        return [&, threads](Slice slice) { return over(threads, d.uniform, slice, cachet_get); };
      };
      for (int threads : {1, 2}) {
        auto caffeine_side = [&, threads](Slice slice) { return caffeine.uniform(threads, slice); };
        const Paired p = threads == 1 ? paired(s.reps, memory_slices, cachet_side(1), caffeine_side, ns_per_op, time_ratio)
                                      : paired(s.reps, memory_slices, cachet_side(2), caffeine_side, bench::mops, speed_ratio);
        add_compared("–", "get (all hits) vs Caffeine (JVM, fresh key String per get)", threads, p);
      }
    } else {
      for (int threads : {1, 2}) {
        add_unavailable("–", "get (all hits) vs Caffeine (JVM, fresh key String per get)", threads, "", caffeine.why());
      }
    }
  }

  // 3: the same gets on 2 threads against 1 thread, both cachet: how far sharding scales.
  // Beside it, interleaved in the same slices, a control: the same random reads of one shared
  // std::unordered_map with no lock at all (safe: nothing writes it meanwhile), which tells
  // what this machine gives memory-bound lookups from 2 threads whatever the engine does. The
  // threads' CPU time and context switches tell a busy machine (involuntary switches, less
  // CPU) apart from threads waiting for each other (voluntary switches).
  {
    StringMap<std::string> plain;
    plain.reserve(key_universe);
    for (std::size_t i = 0; i < key_universe; ++i) plain.emplace("user/" + d.keys[i], value_for(d, i));
    auto plain_get = [&](std::uint32_t i, std::size_t) -> std::uint64_t {
      const auto it = plain.find(StackKey("user/", d.keys[i]).view());
      if (it == plain.end()) return fail_op("plain get: miss"), 0;
      const std::string copy = it->second;
      return digest(copy);
    };
    auto on = [&](int threads, auto& op) {
      return [&, threads](Slice slice) { return over(threads, d.uniform, slice, op); };
    };
    on(1, plain_get)({0, 4});  // warm-up, untimed
    const std::string load_before = load_average();
    const auto t = interleaved(s.reps, memory_slices,
                               {on(2, cachet_get), on(1, cachet_get), on(2, plain_get), on(1, plain_get)});
    auto each = [&](std::size_t c, auto f) {
      std::vector<double> v;
      for (const Timing& x : t[c]) v.push_back(f(x));
      return median(v);
    };
    auto scaling = [&](std::size_t two, std::size_t one) {
      std::vector<double> v;
      for (std::size_t r = 0; r < t[two].size(); ++r) v.push_back(mops(t[two][r]) / mops(t[one][r]));
      return median(v);
    };
    const double cachet_scaling = scaling(0, 1), plain_scaling = scaling(2, 3);
    rows.push_back({"3", "get: 2 threads vs 1 thread (memory backend)", "2 vs 1", mops(each(0, bench::mops)),
                    mops(each(1, bench::mops)) + " (1 thread)", times(cachet_scaling),
                    Target{Target::at_least, 1.8}.text(),
                    verdict(cachet_scaling >= 1.8, "3", "get: 2 threads vs 1 thread")});
    rows.push_back({"–", "control for 3: lock-free reads of one shared unordered_map, 2 threads vs 1", "2 vs 1",
                    mops(each(2, bench::mops)), mops(each(3, bench::mops)) + " (1 thread)", times(plain_scaling),
                    "—", "info"});
    auto share = [](const Timing& x) { return x.cores(); };
    auto per_cpu = [](const Timing& x) { return x.cpu_seconds > 0 ? double(x.ops) / x.cpu_seconds : 0; };
    auto per_kop = [](std::uint64_t n, const Timing& x) { return x.ops ? 1000.0 * double(n) / double(x.ops) : 0; };
    auto voluntary = [&](const Timing& x) { return per_kop(x.switches.voluntary, x); };
    auto involuntary = [&](const Timing& x) { return per_kop(x.switches.involuntary, x); };
    notes.push_back(str(
        "get, 2 threads vs 1 (target 3): cachet's 2 threads were on a CPU %.0f%% of the wall time each (1 thread: "
        "%.0f%%), the control's %.0f%% (1 thread: %.0f%%); per CPU-second, cachet's 2 threads did %.2f× the gets "
        "of 1, the control's %.2f×; context switches per 1000 gets at 2 threads: cachet %.2f voluntary (waits) "
        "and %.2f involuntary (preemptions), control %.2f and %.2f; load average before: %s.",
        100 * each(0, share) / 2, 100 * each(1, share), 100 * each(2, share) / 2, 100 * each(3, share),
        each(0, per_cpu) / each(1, per_cpu), each(2, per_cpu) / each(3, per_cpu), each(0, voluntary),
        each(0, involuntary), each(2, voluntary), each(2, involuntary), load_before.c_str()));
  }

  // The same at 2 threads against the map (info).
  add_compared("–", "get (all hits) vs unordered_map+mutex", 2, compare(s, d, 2, cachet_get, map_get));
  add_compared("–", "set (overwrite) vs unordered_map+mutex", 2, compare(s, d, 2, cachet_set, map_set));

  // increment (INCRBY on IntKeyspace) against the map doing the same on decimal text.
  {
    cachet::Cluster cluster("bench-counters");
    cachet::configure("bench-counters", "memory://");
    cachet::IntKeyspace<std::string> counters(cluster, {.key_pattern = "count/:key"});
    MapCache counts(key_universe);
    auto cachet_incr = [&](std::uint32_t i, std::size_t) -> std::uint64_t {
      auto n = counters.increment(d.keys[i], 1);
      if (!n) return fail_op("increment: " + n.error().what()), 0;
      return std::uint64_t(*n);
    };
    auto map_incr = [&](std::uint32_t i, std::size_t) -> std::uint64_t {
      auto n = counts.increment(StackKey("count/", d.keys[i]).view(), 1);
      if (!n) return fail_op("map increment"), 0;
      return std::uint64_t(*n);
    };
    for (int threads : {1, 2}) {
      add_compared("–", "increment vs unordered_map+mutex", threads, compare(s, d, threads, cachet_incr, map_incr));
    }
  }

  // push_left of one 64-byte value: lists start empty in every repetition (emptied untimed)
  // and grow to ~ops/100,000 elements per thread.
  {
    cachet::Cluster cluster("bench-lists");
    cachet::configure("bench-lists", "memory://");
    cachet::ListKeyspace<std::string, std::string> lists(cluster, {.key_pattern = "list/:key"});
    ListMap floor;
    auto cachet_push = [&](std::uint32_t i, std::size_t n) -> std::uint64_t {
      // A span of the pre-built value: what the keyspace stores is its own copy either way.
      auto len = lists.push_left(d.keys[i], std::span<const std::string>(&d.values[(i + n) % d.values.size()], 1));
      if (!len) return fail_op("push_left: " + len.error().what()), 0;
      return std::uint64_t(*len);
    };
    auto map_push = [&](std::uint32_t i, std::size_t n) -> std::uint64_t {
      return floor.push_left(StackKey("list/", d.keys[i]).view(), d.values[(i + n) % d.values.size()]);
    };
    auto reset_lists = [&] { must(lists.erase(cachet::Many<std::string>(d.keys)), "erase (reset)"); };
    auto reset_floor = [&] { floor.clear(); };
    for (int threads : {1, 2}) {
      add_compared("–", "list push_left vs unordered_map<deque>+mutex", threads,
                   compare(s, d, threads, cachet_push, map_push, reset_lists, reset_floor));
    }
    reset_lists();
    reset_floor();
  }

  // set add of one 16-byte member out of 32: most adds after the first few find it present.
  {
    cachet::Cluster cluster("bench-sets");
    cachet::configure("bench-sets", "memory://");
    cachet::SetKeyspace<std::string, std::string> sets(cluster, {.key_pattern = "set/:key"});
    SetMap floor;
    auto cachet_add = [&](std::uint32_t i, std::size_t n) -> std::uint64_t {
      auto added = sets.add(d.keys[i], std::span<const std::string>(&d.members[n % d.members.size()], 1));
      if (!added) return fail_op("add: " + added.error().what()), 0;
      return std::uint64_t(*added);
    };
    auto map_add = [&](std::uint32_t i, std::size_t n) -> std::uint64_t {
      return floor.add(StackKey("set/", d.keys[i]).view(), d.members[n % d.members.size()]);
    };
    auto reset_sets = [&] { must(sets.erase(cachet::Many<std::string>(d.keys)), "erase (reset)"); };
    auto reset_floor = [&] { floor.clear(); };
    for (int threads : {1, 2}) {
      add_compared("–", "set add vs unordered_map<unordered_set>+mutex", threads,
                   compare(s, d, threads, cachet_add, map_add, reset_sets, reset_floor));
    }
    reset_sets();
    reset_floor();
  }
}

// ---------------------------------------------------------------------------------------------
// 2: the Zipf 90/10 cache-aside mix at half capacity, with evictions running

struct ZipfRun {
  Timing timing;
  std::uint64_t hits = 0, gets = 0, evictions = 0;
  double hit_ratio() const { return gets ? 100.0 * double(hits) / double(gets) : 0; }
};

// The cache-aside loop of one thread: a get, and on a miss a set; 10% of operations are sets.
// Counts in locals, added to `hits` and `gets` at the end: counters of two threads side by
// side would otherwise share a cache line and slow both down.
template <class Get, class Set>
std::uint64_t cache_aside(std::span<const std::uint32_t> sequence, const Data& d, std::uint64_t& hits,
                          std::uint64_t& gets, Get&& get, Set&& set) {
  std::uint64_t sum = 0, hit = 0, got = 0;
  for (std::uint32_t op : sequence) {
    const std::uint32_t i = op & index_mask;
    if (op & set_flag) {
      set(d.keys[i], value_for(d, i));
      continue;
    }
    ++got;
    if (auto v = get(d.keys[i])) {
      ++hit;
      sum += digest(*v);
    } else {
      set(d.keys[i], value_for(d, i));
    }
  }
  hits += hit;
  gets += got;
  consume(sum);
  return sequence.size();
}

void zipf_workloads(const Settings& s, const Data& d, CaffeineProcess& caffeine) {
  const auto& warmup = d.zipf_warmup;
  const auto& timed = d.zipf_timed;
  const std::string bounded = "memory://?max_keys=" + std::to_string(cache_capacity);
  cachet::Cluster lru_cluster("bench-zipf-lru", {.eviction_policy = cachet::EvictionPolicy::AllKeysLRU});
  cachet::Cluster lfu_cluster("bench-zipf-lfu", {.eviction_policy = cachet::EvictionPolicy::AllKeysLFU});
  cachet::StringKeyspace<std::string> lru_users(lru_cluster, {.key_pattern = "user/:key"});
  cachet::StringKeyspace<std::string> lfu_users(lfu_cluster, {.key_pattern = "user/:key"});

  // A contender of one repetition: a fresh empty cache, filled by the warm-up sequences
  // (untimed), then timed over the timed sequences in slices. The three contenders' slices
  // alternate, so a burst of a neighbour's load lands on all three alike.
  struct Contender {
    std::function<void(int threads)> start;                 // fresh cache + warm-up
    std::function<Timing(int threads, Slice)> timed_slice;  // adds to run.hits and run.gets
    std::function<std::uint64_t()> evictions;
    ZipfRun run;
    std::uint64_t evicted_at_start = 0;
  };
  auto contender = [&](Contender& c, auto get, auto set) {
    c.start = [&, get, set](int threads) {
      run_threads(threads, [&](int t) {
        std::uint64_t h = 0, g = 0;
        return cache_aside(warmup[std::size_t(t)], d, h, g, get, set);
      });
      c.run = {};
      c.evicted_at_start = c.evictions();
    };
    c.timed_slice = [&, get, set](int threads, Slice slice) {
      std::vector<std::uint64_t> hits(2), gets(2);
      const Timing t = run_threads(threads, [&](int k) {
        const auto& all = timed[std::size_t(k)];
        const std::span<const std::uint32_t> part(all.data() + slice.begin(all.size()),
                                                  slice.end(all.size()) - slice.begin(all.size()));
        return cache_aside(part, d, hits[std::size_t(k)], gets[std::size_t(k)], get, set);
      });
      for (int k = 0; k < threads; ++k) c.run.hits += hits[std::size_t(k)], c.run.gets += gets[std::size_t(k)];
      c.run.timing += t;
      c.run.evictions = c.evictions() - c.evicted_at_start;
      return t;
    };
  };

  // cachet: configure() again before each repetition, so the cluster opens a fresh store.
  auto cachet_contender = [&](Contender& c, cachet::Cluster& cluster, cachet::StringKeyspace<std::string>& users) {
    auto memory = std::make_shared<cachet::memory::MemoryStorage*>(nullptr);
    c.evictions = [memory] { return *memory ? (*memory)->evicted_keys() : 0; };
    contender(
        c,
        [&users](const std::string& k) -> std::optional<std::string> {
          auto v = users.get(k);
          if (v) return std::move(*v);
          if (v.error().code != Errc::miss) fail_op("get: " + v.error().what());
          return std::nullopt;
        },
        [&users](const std::string& k, const std::string& v) { must(users.set(k, v), "set"); });
    auto warm = c.start;
    c.start = [&cluster, memory, warm, bounded](int threads) {
      cachet::configure(cluster.name(), bounded);
      *memory = dynamic_cast<cachet::memory::MemoryStorage*>(&cluster.storage());
      if (*memory == nullptr) fail_op("the Zipf cluster is not on the memory engine");
      warm(threads);
    };
  };
  auto hand = std::make_shared<std::unique_ptr<HandLru>>();
  Contender lru, lfu, hand_lru;
  cachet_contender(lru, lru_cluster, lru_users);
  cachet_contender(lfu, lfu_cluster, lfu_users);
  hand_lru.evictions = [hand] { return *hand ? (*hand)->evictions() : 0; };
  contender(
      hand_lru, [hand](const std::string& k) { return (*hand)->get(StackKey("user/", k).view()); },
      [hand](const std::string& k, const std::string& v) { (*hand)->set(StackKey("user/", k).view(), v); });
  {
    auto warm = hand_lru.start;
    hand_lru.start = [hand, warm](int threads) {
      *hand = std::make_unique<HandLru>(cache_capacity);
      warm(threads);
    };
  }

  // Caffeine (maximumSize = the same capacity), in the child JVM, its slices alternating too.
  Contender caffeine_c;
  caffeine_c.evictions = [] { return std::uint64_t(0); };
  caffeine_c.start = [&](int threads) {
    caffeine.zipf_start(threads, cache_capacity);
    caffeine_c.run = {};
  };
  caffeine_c.timed_slice = [&](int threads, Slice slice) {
    const Timing t = caffeine.zipf(threads, slice, caffeine_c.run.hits, caffeine_c.run.gets);
    caffeine_c.run.timing += t;
    return t;
  };

  constexpr int zipf_slices = 4;
  std::vector<ZipfRun> lru_one, lfu_one;  // the 1-thread runs, for the 2-vs-1 rows
  for (int threads : {1, 2}) {
    std::vector<ZipfRun> lru_runs, lfu_runs, hand_runs, caffeine_runs;
    for (int r = 0; r < s.reps; ++r) {
      std::vector<Contender*> all = {&lru, &lfu, &hand_lru};
      if (caffeine.available()) all.push_back(&caffeine_c);
      const std::size_t n = all.size();
      for (auto* c : all) c->start(threads);
      for (int k = 0; k < zipf_slices; ++k) {
        for (std::size_t j = 0; j < n; ++j) all[(std::size_t(r + k) + j) % n]->timed_slice(threads, {k, zipf_slices});
      }
      lru_runs.push_back(lru.run);
      lfu_runs.push_back(lfu.run);
      hand_runs.push_back(hand_lru.run);
      if (caffeine.available()) caffeine_runs.push_back(caffeine_c.run);
    }
    if (threads == 1) lru_one = lru_runs, lfu_one = lfu_runs;
    *hand = nullptr;
    auto figure = [](const std::vector<ZipfRun>& runs, auto f) {
      std::vector<double> v;
      for (const auto& x : runs) v.push_back(f(x));
      return median(v);
    };
    auto per_rep = [&](const std::vector<ZipfRun>& a, auto f) {
      std::vector<double> v;
      for (std::size_t r = 0; r < a.size(); ++r) v.push_back(f(a[r], hand_runs[r]));
      return median(v);
    };
    auto throughput = [](const ZipfRun& x) { return x.timing.ops_per_second() / 1e6; };
    auto hit = [](const ZipfRun& x) { return x.hit_ratio(); };
    auto speedup = [&](const ZipfRun& a, const ZipfRun& b) { return throughput(a) / throughput(b); };
    auto points = [&](const ZipfRun& a, const ZipfRun& b) { return hit(a) - hit(b); };
    const double hand_hit = figure(hand_runs, hit);
    std::vector<Row>& out = rows;
    const std::string id = threads == 2 ? "2" : "–";
    const Target speed_target = threads == 2 ? Target{Target::at_least, 1.5} : Target{};
    for (auto [policy, runs] : {std::pair{"allkeys-lru", &lru_runs}, std::pair{"allkeys-lfu", &lfu_runs}}) {
      const double ratio = per_rep(*runs, speedup);
      const std::string workload = std::string("Zipf 90/10 cache-aside, ") + policy + " vs hand LRU: throughput";
      out.push_back({id, workload, std::to_string(threads), mops(figure(*runs, throughput)),
                     mops(figure(hand_runs, throughput)), times(ratio), speed_target.text(),
                     speed_target.kind == Target::none ? "info" : verdict(speed_target.met(ratio), id, workload)});
    }
    {
      const double diff = per_rep(lru_runs, points);
      const std::string workload = "Zipf 90/10, allkeys-lru vs hand LRU: hit ratio";
      out.push_back({id, workload, std::to_string(threads), str("%.2f%%", figure(lru_runs, hit)),
                     str("%.2f%%", hand_hit), str("%+.2f pt", diff), threads == 2 ? "within ±2 pt" : "—",
                     threads == 2 ? verdict(std::fabs(diff) <= 2.0, id, workload) : "info"});
    }
    {
      const double diff = per_rep(lfu_runs, points);
      const std::string workload = "Zipf 90/10, allkeys-lfu vs hand LRU: hit ratio";
      out.push_back({id, workload, std::to_string(threads), str("%.2f%%", figure(lfu_runs, hit)),
                     str("%.2f%%", hand_hit), str("%+.2f pt", diff), threads == 2 ? "> 0 pt" : "—",
                     threads == 2 ? verdict(diff > 0, id, workload) : "info"});
    }
    // 2c: against Caffeine, the same mix in the same repetitions (targets at 2 threads).
    {
      const std::string cid = threads == 2 ? "2c" : "–";
      for (auto [policy, runs] : {std::pair{"allkeys-lru", &lru_runs}, std::pair{"allkeys-lfu", &lfu_runs}}) {
        const std::string workload = std::string("Zipf 90/10 cache-aside, ") + policy + " vs Caffeine: throughput";
        const std::string hit_workload = std::string("Zipf 90/10, ") + policy + " vs Caffeine: hit ratio";
        if (caffeine_runs.empty()) {
          add_unavailable(cid, workload, threads, mops(figure(*runs, throughput)), caffeine.why(),
                          threads == 2 ? Target{Target::at_least, 1.0} : Target{});
          continue;
        }
        std::vector<double> ratio, diff;
        for (std::size_t r = 0; r < runs->size(); ++r) {
          ratio.push_back(throughput((*runs)[r]) / throughput(caffeine_runs[r]));
          diff.push_back(hit((*runs)[r]) - hit(caffeine_runs[r]));
        }
        const double speed = median(ratio), points_diff = median(diff);
        out.push_back({cid, workload, std::to_string(threads), mops(figure(*runs, throughput)),
                       mops(figure(caffeine_runs, throughput)) + " (Caffeine)", times(speed),
                       threads == 2 ? "≥ 1.00×" : "—", threads == 2 ? verdict(speed >= 1.0, cid, workload) : "info"});
        if (std::isfinite(speed) && speed > 0) {
          chart_points.push_back({workload, std::to_string(threads), mops(figure(*runs, throughput)),
                                  mops(figure(caffeine_runs, throughput)), speed});
        }
        out.push_back({cid, hit_workload, std::to_string(threads), str("%.2f%%", figure(*runs, hit)),
                       str("%.2f%% (Caffeine)", figure(caffeine_runs, hit)), str("%+.2f pt", points_diff),
                       threads == 2 ? "≥ −1 pt" : "—",
                       threads == 2 ? verdict(points_diff >= -1.0, cid, hit_workload) : "info"});
      }
    }
    // 2s: cachet's own 2 threads against its 1 thread (medians of the two sets of runs).
    if (threads == 2) {
      for (auto [policy, two, one] : {std::tuple{"allkeys-lru", &lru_runs, &lru_one},
                                      std::tuple{"allkeys-lfu", &lfu_runs, &lfu_one}}) {
        const double a = figure(*two, throughput), b = figure(*one, throughput);
        const double scaling = b > 0 ? a / b : 0;
        const std::string workload = std::string("Zipf 90/10 cache-aside, ") + policy + ": 2 threads vs 1 thread";
        out.push_back({"2s", workload, "2 vs 1", mops(a), mops(b) + " (1 thread)", times(scaling), "≥ 1.60×",
                       verdict(scaling >= 1.6, "2s", workload)});
      }
    }
    if (threads == 2) {
      auto evictions = [](const ZipfRun& x) { return double(x.evictions); };
      auto waits = [](const ZipfRun& x) {
        return x.timing.ops ? 1000.0 * double(x.timing.switches.voluntary) / double(x.timing.ops) : 0;
      };
      auto share = [](const ZipfRun& x) { return x.timing.cores() / 2; };
      notes.push_back(str("Zipf mix (2 threads): keys evicted per timed run (median): allkeys-lru %.0f, "
                          "allkeys-lfu %.0f, hand LRU %.0f; %zu timed operations per thread after %zu warm-up "
                          "operations per thread into an empty cache of %zu keys. Threads on a CPU: allkeys-lru "
                          "%.0f%%, allkeys-lfu %.0f%%, hand LRU %.0f%% of the wall time; voluntary context switches "
                          "(waits for a lock) per 1000 operations: %.2f, %.2f, %.2f.",
                          figure(lru_runs, evictions), figure(lfu_runs, evictions), figure(hand_runs, evictions),
                          s.zipf_ops, s.zipf_warmup, cache_capacity, 100 * figure(lru_runs, share),
                          100 * figure(lfu_runs, share), 100 * figure(hand_runs, share), figure(lru_runs, waits),
                          figure(lfu_runs, waits), figure(hand_runs, waits)));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 4: bytes per key, 1,000,000 keys of 16 bytes with 64-byte values

struct Loaded {
  std::string storage;                  // the 16-byte keys, back to back
  std::vector<std::string_view> keys;
};
Loaded sixteen_byte_keys(std::size_t n) {
  Loaded out;
  out.storage.reserve(n * 16);
  for (std::size_t i = 0; i < n; ++i) out.storage += "user/" + user_key(i);  // 5 + 11 = 16 bytes
  for (std::size_t i = 0; i < n; ++i) out.keys.emplace_back(out.storage.data() + 16 * i, 16);
  return out;
}

// used_memory once Redis has settled (its dictionary finishes rehashing in the background).
std::optional<double> settled_used_memory(RawRedis& raw) {
  double last = -1;
  for (int i = 0; i < 40; ++i) {
    const std::string field = raw.info_field("memory", "used_memory");
    if (field.empty()) return std::nullopt;
    const double now = std::strtod(field.c_str(), nullptr);
    if (now == last) return now;
    last = now;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return last;
}

// What malloc has handed out and not had back: chunks in its arenas (uordblks) plus chunks
// it mmapped on their own (hblkhd; a large slot array can be one).
double malloc_in_use() {
  const struct mallinfo2 m = mallinfo2();
  return double(m.uordblks) + double(m.hblkhd);
}

void bytes_per_key(const Settings& s, const Data& d, RawRedis* raw, const std::string& redis_missing) {
  const Loaded loaded = sixteen_byte_keys(s.bytes_keys);
  const double n = double(s.bytes_keys);
  std::vector<double> malloc_growth, accounted, redis_growth, ratio, accounted_ratio;
  for (int r = 0; r < s.bytes_reps; ++r) {
    {
      malloc_trim(0);
      const double before = malloc_in_use();
      auto storage = std::make_unique<cachet::memory::MemoryStorage>();
      for (std::size_t i = 0; i < loaded.keys.size(); ++i) {
        must(storage->strings()->set(loaded.keys[i], value_for(d, i), cachet::engine::SetCondition::always,
                          cachet::engine::ExpiryAction::persist()),
             "set (bytes per key)");
      }
      const double after = malloc_in_use();
      if (storage->key_count() != s.bytes_keys) fail_op("bytes per key: the engine does not hold every key");
      malloc_growth.push_back((after - before) / n);
      accounted.push_back(double(storage->used_memory()) / n);
    }
    if (raw) {
      raw->flushdb();
      const auto before = settled_used_memory(*raw);
      raw->load(loaded.keys, d.values);
      const auto after = settled_used_memory(*raw);
      raw->flushdb();
      if (before && after) {
        redis_growth.push_back((*after - *before) / n);
        ratio.push_back(malloc_growth.back() / redis_growth.back());
        accounted_ratio.push_back(accounted.back() / redis_growth.back());
      }
    }
  }
  const std::string label = str("bytes/key, %zuk keys of 16 B + 64 B values: ", s.bytes_keys / 1000);
  const Target target{Target::at_most, 0.75};
  // In a sanitizer's build malloc is the sanitizer's own, which mallinfo2() does not see: the
  // growth reads 0 B/key, and must not pass for a measurement (nor meet the target).
  const bool malloc_seen = median(malloc_growth) > 0;
  const std::string malloc_missing = "mallinfo2() does not see this build's allocator (a sanitizer's)";
  if (!redis_growth.empty() && malloc_seen) {
    add("4", label + "engine malloc growth vs redis-server used_memory", 1, str("%.1f B/key", median(malloc_growth)),
        str("%.1f B/key", median(redis_growth)), median(ratio), target);
  } else {
    add_unavailable("4", label + "engine malloc growth vs redis-server used_memory", 1,
                    str("%.1f B/key", median(malloc_growth)), malloc_seen ? redis_missing : malloc_missing, target);
  }
  if (!redis_growth.empty()) {
    add("–", label + "engine used_memory() vs redis-server used_memory", 1, str("%.1f B/key", median(accounted)),
        str("%.1f B/key", median(redis_growth)), median(accounted_ratio));
  } else {
    add_unavailable("–", label + "engine used_memory() vs redis-server used_memory", 1,
                    str("%.1f B/key", median(accounted)), redis_missing);
  }
}

// ---------------------------------------------------------------------------------------------
// 6: sorted sets, the memory engine against redis-server's own throughput on the same work

// Members as redis-benchmark writes them: "m:" and __rand_int__'s 12 zero-padded digits.
std::string bench_member(std::uint64_t i) { return str("m:%012llu", static_cast<unsigned long long>(i)); }

// Runs redis-benchmark -P 64 for one command and answers its requests per second (nullopt:
// it could not run). Pipelined 64 deep, the figure is what the server itself sustains.
std::optional<double> redis_benchmark(const cachet::redis::RedisOptions& o, std::size_t requests, std::size_t range,
                                      const std::string& command) {
  std::string line = str("redis-benchmark -h %s -p %d --dbnum %d -P 64 -n %zu -r %zu --csv %s 2>/dev/null",
                         o.host.c_str(), int(o.port), int(o.db), requests, range, command.c_str());
  FILE* pipe = popen(line.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  char buffer[512];
  std::optional<double> rps;
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    // "<command>","<rps>",...: the second quoted field of the data line.
    std::string_view l(buffer);
    if (l.starts_with("\"test\"")) continue;
    const auto first_end = l.find("\",\"");
    if (first_end == std::string_view::npos) continue;
    rps = std::strtod(std::string(l.substr(first_end + 3)).c_str(), nullptr);
  }
  if (pclose(pipe) != 0 || !rps || *rps <= 0) return std::nullopt;
  return rps;
}

void sorted_set_workloads(const Settings& s, const std::string& redis_url, const std::string& redis_missing) {
  const std::size_t n = s.quick ? 100'000 : 1'000'000;
  const std::string size = s.quick ? "100k" : "1M";
  std::optional<cachet::redis::RedisOptions> options;
  if (!redis_url.empty()) {
    if (auto parsed = cachet::redis::parse_url(redis_url)) options = *parsed;
  }
  std::string why = options ? "" : redis_missing;
  if (options && std::system("command -v redis-benchmark >/dev/null 2>&1") != 0) why = "no redis-benchmark";

  cachet::Cluster cluster("bench-sorted-sets");
  cachet::configure("bench-sorted-sets", "memory://");
  cachet::SortedSetKeyspace<std::string, std::string> board(cluster, {.key_pattern = "board/:key"});
  std::unique_ptr<RawRedis> raw = options && why.empty() ? std::make_unique<RawRedis>(*options) : nullptr;

  // The work, as redis-benchmark draws it: members and scores uniform over n values.
  struct Work {
    const char* name;
    std::string redis_command;
    std::function<std::uint64_t(std::mt19937_64&)> cachet_op;
  };
  const std::string rank_start = std::to_string(n / 2), rank_stop = std::to_string(n / 2 + 9);
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<Work> works = {
      {"ZADD (random member and score of n)", "ZADD bench:z __rand_int__ m:__rand_int__",
       [&](std::mt19937_64& r) -> std::uint64_t {
         const double score = double(r() % n);
         auto added = board.add("z", bench_member(r() % n), score);
         if (!added) return fail_op("zadd: " + added.error().what()), 0;
         return *added;
       }},
      {"ZRANGE by rank, 10 members from the middle", "ZRANGE bench:z " + rank_start + " " + rank_stop + " WITHSCORES",
       [&](std::mt19937_64&) -> std::uint64_t {
         auto got = board.range("z", std::int64_t(n / 2), std::int64_t(n / 2 + 9));
         if (!got) return fail_op("zrange: " + got.error().what()), 0;
         return got->size();
       }},
      {"ZRANGE BYSCORE LIMIT 0 10 from a random score", "ZRANGE bench:z __rand_int__ +inf BYSCORE LIMIT 0 10 WITHSCORES",
       [&](std::mt19937_64& r) -> std::uint64_t {
         auto got = board.range_by_score("z", {double(r() % n)}, {inf}, 0, 10);
         if (!got) return fail_op("zrange byscore: " + got.error().what()), 0;
         return got->size();
       }},
      {"ZRANK of a random member", "ZRANK bench:z m:__rand_int__",
       [&](std::mt19937_64& r) -> std::uint64_t {
         auto rank = board.rank("z", bench_member(r() % n));
         if (!rank && rank.error().code != Errc::miss) return fail_op("zrank: " + rank.error().what()), 0;
         return rank ? 1 : 0;
       }},
  };
  std::vector<std::vector<double>> cachet_rate(works.size()), redis_rate(works.size()), ratio(works.size());
  for (int rep = 0; rep < s.reps; ++rep) {
    must(board.erase("z"), "erase (sorted sets)");
    if (raw) raw->command({"DEL", "bench:z"});
    for (std::size_t w = 0; w < works.size(); ++w) {
      std::mt19937_64 random(rep * 31 + w);
      const auto started = Clock::now();
      std::uint64_t sum = 0;
      for (std::size_t i = 0; i < n; ++i) sum += works[w].cachet_op(random);
      const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
      checksum.fetch_add(sum, std::memory_order_relaxed);
      cachet_rate[w].push_back(double(n) / seconds);
      if (raw) {
        if (auto rps = redis_benchmark(*options, n, n, works[w].redis_command)) {
          redis_rate[w].push_back(*rps);
          ratio[w].push_back(cachet_rate[w].back() / *rps);
        }
      }
    }
  }
  const Target target{Target::at_least, 1.0};
  for (std::size_t w = 0; w < works.size(); ++w) {
    const std::string label = str("sorted set of %s: %s, ", size.c_str(), works[w].name) +
                              "engine on 1 thread vs redis-server (redis-benchmark -P 64)";
    const std::string cachet = str("%.0f kops/s", median(cachet_rate[w]) / 1000);
    if (!redis_rate[w].empty()) {
      add("6", label, 1, cachet, str("%.0f kops/s", median(redis_rate[w]) / 1000), median(ratio[w]), target);
    } else {
      add_unavailable("6", label, 1, cachet, why.empty() ? "redis-benchmark failed" : why, target);
    }
  }

  // Bytes per member: n distinct members with distinct scores in one sorted set.
  std::vector<double> malloc_growth, redis_growth, bytes_ratio;
  std::vector<cachet::engine::ScoredMember> batch;
  for (int rep = 0; rep < s.bytes_reps; ++rep) {
    malloc_trim(0);
    const double before = malloc_in_use();
    {
      auto storage = std::make_unique<cachet::memory::MemoryStorage>();
      for (std::size_t i = 0; i < n; i += 500) {
        batch.clear();
        for (std::size_t j = i; j < std::min(n, i + 500); ++j) batch.push_back({bench_member(j), double(j)});
        must(storage->sorted_sets()->zadd("bench:z", batch, cachet::engine::ZAddMode::always,
                                          cachet::engine::ExpiryAction::persist()),
             "zadd (bytes per member)");
      }
      malloc_growth.push_back((malloc_in_use() - before) / double(n));
    }
    if (raw && options) {
      raw->flushdb();
      const auto redis_before = settled_used_memory(*raw);
      cachet::redis::RedisStorage redis(*options);
      for (std::size_t i = 0; i < n; i += 500) {
        batch.clear();
        for (std::size_t j = i; j < std::min(n, i + 500); ++j) batch.push_back({bench_member(j), double(j)});
        must(redis.sorted_sets()->zadd("bench:z", batch, cachet::engine::ZAddMode::always,
                                       cachet::engine::ExpiryAction::keep()),
             "zadd on redis (bytes per member)");
      }
      const auto redis_after = settled_used_memory(*raw);
      raw->flushdb();
      if (redis_before && redis_after) {
        redis_growth.push_back((*redis_after - *redis_before) / double(n));
        bytes_ratio.push_back(malloc_growth.back() / redis_growth.back());
      }
    }
  }
  const std::string label = str("bytes/member, one sorted set of %s members of 14 B: engine malloc growth vs "
                                "redis-server used_memory", size.c_str());
  const bool malloc_seen = median(malloc_growth) > 0;
  if (!redis_growth.empty() && malloc_seen) {
    add("6", label, 1, str("%.1f B/member", median(malloc_growth)), str("%.1f B/member", median(redis_growth)),
        median(bytes_ratio), {Target::at_most, 1.0});
  } else {
    add_unavailable("6", label, 1, str("%.1f B/member", median(malloc_growth)),
                    malloc_seen ? (why.empty() ? "Redis failed" : why) : "mallinfo2() does not see this allocator",
                    {Target::at_most, 1.0});
  }
}

// ---------------------------------------------------------------------------------------------
// 5: cachet's Redis backend against raw hiredis on the same server

const char* redis_rows[] = {"Redis get, time per round trip: cachet vs raw hiredis redisCommand",
                            "Redis set, time per round trip: cachet vs raw hiredis redisCommand",
                            "Redis multi_get of 100 keys (MGET) vs raw hiredis MGET: keys/s",
                            "Redis multi_get of 100 keys (MGET) vs raw pipelined 100 GETs: keys/s"};

void redis_unavailable(const std::string& why) {
  add_unavailable("5", redis_rows[0], 1, "n/a", why, {Target::at_most, 1.10});
  add_unavailable("5", redis_rows[1], 1, "n/a", why, {Target::at_most, 1.10});
  add_unavailable("5", redis_rows[2], 1, "n/a", why, {Target::at_least, 0.90});
  add_unavailable("–", redis_rows[3], 1, "n/a", why);
}

std::string kilo_keys(double mkeys) { return str("%.0f kkeys/s", mkeys * 1000); }

// Answers why the cachet side cannot run (empty when it can).
std::string redis_workloads(const Settings& s, const Data& d, RawRedis& raw) {
  cachet::Cluster cluster("bench-redis");
  cachet::configure("bench-redis", s.redis_url);
  cachet::StringKeyspace<std::string> users(cluster, {.key_pattern = "user/:key"});

  // Is there a Redis backend in this build, and does it reach the server?
  if (auto probe = users.set("probe", "1"); !probe) {
    if (probe.error().code == Errc::not_configured) return "Redis backend unavailable";
    notes.push_back("cachet's Redis backend failed its first operation: " + probe.error().what());
    return "cachet's Redis backend failed";
  }
  must(users.erase("probe"), "erase (probe)");

  raw.flushdb();
  {
    std::vector<std::string_view> stored_keys;
    std::vector<std::string> stored;
    stored.reserve(key_universe);
    for (const auto& k : d.keys) stored.push_back("user/" + k);
    for (const auto& k : stored) stored_keys.push_back(k);
    raw.load(stored_keys, d.values);
  }

  // One sequence of round trips per repetition: the first redis_ops of thread 0's shuffled keys.
  const std::vector<std::vector<std::uint32_t>> sequence{
      std::vector<std::uint32_t>(d.uniform[0].begin(), d.uniform[0].begin() + std::ptrdiff_t(s.redis_ops))};
  auto round_trips = [&](auto op) { return [&, op](Slice slice) { return over(1, sequence, slice, op); }; };
  auto cachet_get = round_trips([&](std::uint32_t i, std::size_t) -> std::uint64_t {
    auto v = users.get(d.keys[i]);
    if (!v) return fail_op("redis get: " + v.error().what()), 0;
    return digest(*v);
  });
  auto raw_get = round_trips([&](std::uint32_t i, std::size_t) -> std::uint64_t {
    auto v = raw.get(StackKey("user/", d.keys[i]).view());
    if (!v) return fail_op("raw get: miss"), 0;
    return digest(*v);
  });
  // Writes back the value the key already holds, so gets stay hits whatever runs first.
  auto cachet_set = round_trips([&](std::uint32_t i, std::size_t) -> std::uint64_t {
    must(users.set(d.keys[i], value_for(d, i)), "redis set");
    return 1;
  });
  auto raw_set = round_trips([&](std::uint32_t i, std::size_t) -> std::uint64_t {
    return raw.set(StackKey("user/", d.keys[i]).view(), value_for(d, i));
  });

  // Batches of 100 random keys; both sides build the 100 stored keys inside the timed loop.
  std::vector<std::vector<std::string>> batches(s.redis_batches);
  {
    std::mt19937_64 rng(seed ^ 0xba7c4);
    for (auto& b : batches) {
      for (int j = 0; j < 100; ++j) b.push_back(d.keys[rng() % key_universe]);
    }
  }
  auto batches_of = [&](auto one_batch) {
    return [&, one_batch](Slice slice) {
      return run_threads(1, [&](int) -> std::uint64_t {
        const std::size_t begin = slice.begin(batches.size()), end = slice.end(batches.size());
        std::uint64_t present = 0;
        for (std::size_t i = begin; i < end; ++i) present += one_batch(batches[i]);
        if (present != (end - begin) * 100) fail_op("multi_get: keys missing");
        consume(present);
        return (end - begin) * 100;  // keys
      });
    };
  };
  auto cachet_mget = batches_of([&](const std::vector<std::string>& b) -> std::uint64_t {
    auto values = users.multi_get(b);
    if (!values) return fail_op("multi_get: " + values.error().what()), 0;
    std::uint64_t present = 0;
    for (const auto& v : *values) present += v.has_value();
    return present;
  });
  auto stored_batch = [](const std::vector<std::string>& b) {
    std::vector<std::string> stored;
    stored.reserve(b.size());
    for (const auto& k : b) stored.emplace_back(StackKey("user/", k).view());
    return stored;
  };
  auto raw_mget = batches_of([&](const std::vector<std::string>& b) { return raw.mget(stored_batch(b)); });
  auto raw_pipelined =
      batches_of([&](const std::vector<std::string>& b) { return raw.pipelined_gets(stored_batch(b)); });

  // Warm-up, untimed: a quarter of each.
  cachet_get({0, 4}), raw_get({0, 4}), cachet_set({0, 4}), raw_set({0, 4});
  cachet_mget({0, 4}), raw_mget({0, 4}), raw_pipelined({0, 4});

  constexpr int slices = 10;
  auto p = paired(s.reps, slices, cachet_get, raw_get, ns_per_op, time_ratio);
  add("5", redis_rows[0], 1, ns(p.subject_median()), ns(p.baseline_median()), p.ratio_median(),
      {Target::at_most, 1.10});
  p = paired(s.reps, slices, cachet_set, raw_set, ns_per_op, time_ratio);
  add("5", redis_rows[1], 1, ns(p.subject_median()), ns(p.baseline_median()), p.ratio_median(),
      {Target::at_most, 1.10});
  p = paired(s.reps, slices, cachet_mget, raw_mget, bench::mops, speed_ratio);
  add("5", redis_rows[2], 1, kilo_keys(p.subject_median()), kilo_keys(p.baseline_median()), p.ratio_median(),
      {Target::at_least, 0.90});
  p = paired(s.reps, slices, cachet_mget, raw_pipelined, bench::mops, speed_ratio);
  add("–", redis_rows[3], 1, kilo_keys(p.subject_median()), kilo_keys(p.baseline_median()), p.ratio_median());
  raw.flushdb();
  return {};
}

// ---------------------------------------------------------------------------------------------
// H: hashes (bench/hashes.hpp)

#include "hashes.hpp"

// ---------------------------------------------------------------------------------------------
// 6: the Redis backend over TLS, against itself over plain TCP and raw hiredis, on one server
// that listens on both ports (the same data behind both)

const char* tls_rows[] = {"Redis get over TLS vs cachet over plain TCP, time per round trip",
                          "Redis set over TLS vs cachet over plain TCP, time per round trip",
                          "Redis get over TLS vs raw hiredis over plain TCP, time per round trip",
                          "Redis connection set-up (connect, handshake, AUTH/SELECT/SCRIPT LOAD, PING): TLS vs TCP"};

void tls_unavailable(const std::string& why) {
  for (const char* row : tls_rows) add_unavailable("–", row, 1, "n/a", why);
}

void tls_workloads(const Settings& s, const Data& d, RawRedis& raw) {
  cachet::Cluster over_tls("bench-tls"), over_tcp("bench-tcp");
  cachet::configure("bench-tls", s.tls_url);
  cachet::configure("bench-tcp", s.redis_url);
  cachet::StringKeyspace<std::string> secure(over_tls, {.key_pattern = "user/:key"});
  cachet::StringKeyspace<std::string> plain(over_tcp, {.key_pattern = "user/:key"});
  if (auto probe = secure.set("probe", "1"); !probe) {
    notes.push_back("cachet over TLS failed its first operation: " + probe.error().what());
    return tls_unavailable("TLS failed");
  }
  must(secure.erase("probe"), "erase (probe)");

  raw.flushdb();
  {
    std::vector<std::string> stored;
    stored.reserve(key_universe);
    for (const auto& k : d.keys) stored.push_back("user/" + k);
    raw.load(std::vector<std::string_view>(stored.begin(), stored.end()), d.values);
  }
  const std::vector<std::vector<std::uint32_t>> sequence{
      std::vector<std::uint32_t>(d.uniform[0].begin(), d.uniform[0].begin() + std::ptrdiff_t(s.redis_ops))};
  auto round_trips = [&](auto op) { return [&, op](Slice slice) { return over(1, sequence, slice, op); }; };
  auto get_on = [&](const cachet::StringKeyspace<std::string>& ks) {
    return round_trips([&](std::uint32_t i, std::size_t) -> std::uint64_t {
      auto v = ks.get(d.keys[i]);
      if (!v) return fail_op("get: " + v.error().what()), 0;
      return digest(*v);
    });
  };
  auto set_on = [&](const cachet::StringKeyspace<std::string>& ks) {
    return round_trips([&](std::uint32_t i, std::size_t) -> std::uint64_t {
      must(ks.set(d.keys[i], value_for(d, i)), "set");
      return 1;
    });
  };
  auto raw_get = round_trips([&](std::uint32_t i, std::size_t) -> std::uint64_t {
    auto v = raw.get(StackKey("user/", d.keys[i]).view());
    if (!v) return fail_op("raw get: miss"), 0;
    return digest(*v);
  });
  // A fresh storage of one connection per set-up: the first call opens it, the second is
  // a round trip on it, so the difference of the two sides is the handshake's own cost.
  auto set_ups = [&](const std::string& url) {
    const auto options = cachet::redis::parse_url(url).value();
    return [&s, options](Slice slice) {
      return run_threads(1, [&](int) -> std::uint64_t {
        const std::size_t begin = slice.begin(s.handshakes), end = slice.end(s.handshakes);
        for (std::size_t n = begin; n < end; ++n) {
          cachet::redis::RedisStorage storage(options);
          if (auto pong = storage.ping(); !pong) fail_op("ping: " + pong.error().what());
        }
        return end - begin;
      });
    };
  };
  auto secure_get = get_on(secure);
  auto plain_get = get_on(plain);
  auto secure_set = set_on(secure);
  auto plain_set = set_on(plain);
  secure_get({0, 4}), plain_get({0, 4}), raw_get({0, 4}), secure_set({0, 4}), plain_set({0, 4});

  constexpr int slices = 10;
  auto p = paired(s.reps, slices, secure_get, plain_get, ns_per_op, time_ratio);
  add("–", tls_rows[0], 1, ns(p.subject_median()), ns(p.baseline_median()), p.ratio_median());
  p = paired(s.reps, slices, secure_set, plain_set, ns_per_op, time_ratio);
  add("–", tls_rows[1], 1, ns(p.subject_median()), ns(p.baseline_median()), p.ratio_median());
  p = paired(s.reps, slices, secure_get, raw_get, ns_per_op, time_ratio);
  add("–", tls_rows[2], 1, ns(p.subject_median()), ns(p.baseline_median()), p.ratio_median());
  p = paired(s.reps, 4, set_ups(s.tls_url), set_ups(s.redis_url), ns_per_op, time_ratio);
  add("–", tls_rows[3], 1, ns(p.subject_median()), ns(p.baseline_median()), p.ratio_median());
  raw.flushdb();
}

// ---------------------------------------------------------------------------------------------
// 7: the Redis backend on a Redis Cluster of three masters, against itself on one node (the
// plain rows' server): routing must cost next to nothing per call, and a multi_get spread over
// the masters costs one round trip per node

const char* cluster_rows[] = {"Redis get on a cluster vs on one node, time per call",
                              "Redis set on a cluster vs on one node, time per call",
                              "multi_get of 100 keys over three masters vs one node's MGET, keys per second",
                              "Redis get+set throughput, 8 threads: cluster vs one node"};

void cluster_unavailable(const std::string& why) {
  for (const char* row : cluster_rows) add_unavailable("–", row, row == cluster_rows[3] ? 8 : 1, "n/a", why);
}

void cluster_workloads(const Settings& s, const Data& d) {
  cachet::Cluster on_cluster("bench-cluster"), on_node("bench-node");
  cachet::configure("bench-cluster", s.cluster_url);
  cachet::configure("bench-node", s.redis_url);
  cachet::StringKeyspace<std::string> spread(on_cluster, {.key_pattern = "user/:key"});
  cachet::StringKeyspace<std::string> single(on_node, {.key_pattern = "user/:key"});
  if (auto probe = spread.set("probe", "1"); !probe) {
    notes.push_back("cachet on the cluster failed its first operation: " + probe.error().what());
    return cluster_unavailable("cluster failed");
  }
  must(spread.erase("probe"), "erase (probe)");

  // The same keys and values on both sides, loaded by cachet's own MSET (per slot on the cluster).
  for (const std::string& url : {s.cluster_url, s.redis_url}) {
    cachet::redis::RedisStorage storage(cachet::redis::parse_url(url).value());
    must(storage.clear(), "clear");
    std::vector<cachet::engine::KeyValue> pairs;
    for (std::size_t i = 0; i < key_universe; ++i) {
      pairs.push_back({"user/" + d.keys[i], value_for(d, std::uint32_t(i))});
      if (pairs.size() == 5000 || i + 1 == key_universe) {
        must(storage.strings()->mset(pairs, cachet::engine::ExpiryAction::persist()), "mset (load)");
        pairs.clear();
      }
    }
  }

  const std::vector<std::vector<std::uint32_t>> sequence{
      std::vector<std::uint32_t>(d.uniform[0].begin(), d.uniform[0].begin() + std::ptrdiff_t(s.redis_ops))};
  std::vector<std::vector<std::uint32_t>> per_thread(8);
  for (std::size_t t = 0; t < per_thread.size(); ++t) {
    for (std::size_t n = 0; n < s.redis_ops; ++n) {
      per_thread[t].push_back(d.uniform[t % 2][(t * s.redis_ops + n) % d.uniform[t % 2].size()]);
    }
  }
  auto get_on = [&](const cachet::StringKeyspace<std::string>& ks) {
    return [&](Slice slice) {
      return over(1, sequence, slice, [&](std::uint32_t i, std::size_t) -> std::uint64_t {
        auto v = ks.get(d.keys[i]);
        if (!v) return fail_op("get: " + v.error().what()), 0;
        return digest(*v);
      });
    };
  };
  auto set_on = [&](const cachet::StringKeyspace<std::string>& ks) {
    return [&](Slice slice) {
      return over(1, sequence, slice, [&](std::uint32_t i, std::size_t) -> std::uint64_t {
        must(ks.set(d.keys[i], value_for(d, i)), "set");
        return 1;
      });
    };
  };
  // Half gets, half sets (writing back the value the key holds), on 8 threads.
  auto mixed_on = [&](const cachet::StringKeyspace<std::string>& ks) {
    return [&](Slice slice) {
      return over(8, per_thread, slice, [&](std::uint32_t i, std::size_t n) -> std::uint64_t {
        if (n % 2 == 0) {
          auto v = ks.get(d.keys[i]);
          if (!v) return fail_op("get: " + v.error().what()), 0;
          return digest(*v);
        }
        must(ks.set(d.keys[i], value_for(d, i)), "set");
        return 1;
      });
    };
  };
  std::vector<std::vector<std::string>> batches(s.redis_batches);
  {
    std::mt19937_64 rng(0xc105e5);
    for (auto& b : batches) {
      for (int j = 0; j < 100; ++j) b.push_back(d.keys[rng() % key_universe]);
    }
  }
  auto mget_on = [&](const cachet::StringKeyspace<std::string>& ks) {
    return [&](Slice slice) {
      return run_threads(1, [&](int) -> std::uint64_t {
        const std::size_t begin = slice.begin(batches.size()), end = slice.end(batches.size());
        std::uint64_t present = 0;
        for (std::size_t i = begin; i < end; ++i) {
          auto values = ks.multi_get(batches[i]);
          if (!values) return fail_op("multi_get: " + values.error().what()), 0;
          for (const auto& v : *values) present += v.has_value();
        }
        if (present != (end - begin) * 100) fail_op("multi_get: keys missing");
        consume(present);
        return (end - begin) * 100;
      });
    };
  };
  auto cluster_get = get_on(spread), node_get = get_on(single);
  auto cluster_set = set_on(spread), node_set = set_on(single);
  auto cluster_mixed = mixed_on(spread), node_mixed = mixed_on(single);
  auto cluster_mget = mget_on(spread), node_mget = mget_on(single);
  cluster_get({0, 4}), node_get({0, 4}), cluster_set({0, 4}), node_set({0, 4});
  cluster_mget({0, 4}), node_mget({0, 4}), cluster_mixed({0, 4}), node_mixed({0, 4});

  constexpr int slices = 10;
  auto p = paired(s.reps, slices, cluster_get, node_get, ns_per_op, time_ratio);
  add("–", cluster_rows[0], 1, ns(p.subject_median()), ns(p.baseline_median()), p.ratio_median(),
      {Target::at_most, 1.10});
  p = paired(s.reps, slices, cluster_set, node_set, ns_per_op, time_ratio);
  add("–", cluster_rows[1], 1, ns(p.subject_median()), ns(p.baseline_median()), p.ratio_median(),
      {Target::at_most, 1.10});
  p = paired(s.reps, slices, cluster_mget, node_mget, bench::mops, speed_ratio);
  add("–", cluster_rows[2], 1, kilo_keys(p.subject_median()), kilo_keys(p.baseline_median()), p.ratio_median());
  p = paired(s.reps, slices, cluster_mixed, node_mixed, bench::mops, speed_ratio);
  add("–", cluster_rows[3], 8, kilo_keys(p.subject_median()) + " (ops)",
      kilo_keys(p.baseline_median()) + " (ops)", p.ratio_median());
  for (const std::string& url : {s.cluster_url, s.redis_url}) {
    cachet::redis::RedisStorage storage(cachet::redis::parse_url(url).value());
    (void)storage.clear();
  }
}

// ---------------------------------------------------------------------------------------------
// 8: many threads on one storage: cachet's calls share pipelined connections, against raw
// hiredis with one blocking connection per thread (each call a round trip of its own), and
// redis-benchmark with 32 clients pipelining 16 commands as the ceiling of the server

const int multiplex_threads[] = {1, 8, 32};

std::string multiplex_row(const char* op, int threads) {
  return str("Redis %s, %d thread%s on one storage (pipelined) vs raw hiredis, a connection per thread: ops/s", op,
             threads, threads == 1 ? "" : "s");
}

Target multiplex_target(int threads) {
  if (threads >= 32) return {Target::at_least, 5.0};
  if (threads >= 8) return {Target::at_least, 2.5};
  return {Target::at_least, 0.95};
}

void multiplex_unavailable(const std::string& why) {
  for (const char* op : {"get", "set"}) {
    for (int threads : multiplex_threads) {
      add_unavailable("–", multiplex_row(op, threads), threads, "n/a", why, multiplex_target(threads));
    }
  }
}

// `redis-benchmark -c 32 -P 16 -t get,set` against the server: requests per second of GET and
// SET, or nothing when the program is missing or the server is a unix socket.
std::optional<std::pair<double, double>> redis_benchmark_ceiling(const Settings& s) {
  const auto o = cachet::redis::parse_url(s.redis_url);
  if (!o || !o->socket_path.empty() || o->tls.enabled) return std::nullopt;
  std::string command = "redis-benchmark -h " + o->host + " -p " + std::to_string(o->port) + " --dbnum " +
                        std::to_string(o->db) + " -c 32 -P 16 -t get,set -r 100000 -n " +
                        std::to_string(s.quick ? 50'000 : 1'000'000) + " --csv";
  if (!o->password.empty()) command += (o->user.empty() ? "" : " --user " + o->user) + " -a " + o->password;
  command += " 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::optional<double> get, set;
  char line[512];
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    // "SET","123456.78",...
    const std::string text(line);
    const auto value_at = text.find("\",\"");
    if (value_at == std::string::npos) continue;
    const double rps = std::atof(text.c_str() + value_at + 3);
    if (text.starts_with("\"SET\"")) set = rps;
    if (text.starts_with("\"GET\"")) get = rps;
  }
  ::pclose(pipe);
  if (!get || !set) return std::nullopt;
  return std::pair{*get, *set};
}

void multiplex_workloads(const Settings& s, const Data& d, RawRedis& raw) {
  cachet::Cluster shared("bench-multiplex");
  cachet::configure("bench-multiplex", s.redis_url);
  cachet::StringKeyspace<std::string> users(shared, {.key_pattern = "user/:key"});
  if (auto probe = users.set("probe", "1"); !probe) {
    notes.push_back("cachet's Redis backend failed its first operation: " + probe.error().what());
    return multiplex_unavailable("cachet's Redis backend failed");
  }
  must(users.erase("probe"), "erase (probe)");
  raw.flushdb();
  {
    std::vector<std::string> stored;
    stored.reserve(key_universe);
    for (const auto& k : d.keys) stored.push_back("user/" + k);
    raw.load(std::vector<std::string_view>(stored.begin(), stored.end()), d.values);
  }
  // One blocking connection per thread for the baseline, opened before any timing.
  const auto options = cachet::redis::parse_url(s.redis_url).value();
  std::vector<std::unique_ptr<RawRedis>> connections;
  for (int t = 0; t < 32; ++t) connections.push_back(std::make_unique<RawRedis>(options));

  // Each figure makes about the same number of calls whatever the thread count.
  const std::size_t calls = s.quick ? 3'000 : 64'000;
  // Each thread's keys, about `calls` in all.
  auto sequences = [&](int threads) {
    std::vector<std::vector<std::uint32_t>> per_thread(static_cast<std::size_t>(threads));
    const std::size_t each = std::max<std::size_t>(calls / std::size_t(threads), 200);
    for (std::size_t t = 0; t < per_thread.size(); ++t) {
      const auto& from = d.uniform[t % 2];
      for (std::size_t n = 0; n < each; ++n) per_thread[t].push_back(from[(t * each + n) % from.size()]);
    }
    return per_thread;
  };
  // The baseline: each thread's calls on its own blocking connection.
  auto raw_on = [&](int threads, const std::vector<std::vector<std::uint32_t>>& per_thread, bool get) {
    return [&, threads, get](Slice slice) {
      return run_threads(threads, [&, get](int t) -> std::uint64_t {
        RawRedis& mine = *connections[std::size_t(t)];
        const auto& sequence = per_thread[std::size_t(t)];
        const std::size_t begin = slice.begin(sequence.size()), end = slice.end(sequence.size());
        std::uint64_t sum = 0;
        for (std::size_t n = begin; n < end; ++n) {
          const std::uint32_t i = sequence[n];
          if (get) {
            auto v = mine.get(StackKey("user/", d.keys[i]).view());
            if (!v) return fail_op("raw get: miss"), 0;
            sum += digest(*v);
          } else {
            sum += mine.set(StackKey("user/", d.keys[i]).view(), value_for(d, i));
          }
        }
        consume(sum);
        return end - begin;
      });
    };
  };
  for (int threads : multiplex_threads) {
    const auto per_thread = sequences(threads);
    auto cachet_get = [&](Slice slice) {
      return over(threads, per_thread, slice, [&](std::uint32_t i, std::size_t) -> std::uint64_t {
        auto v = users.get(d.keys[i]);
        if (!v) return fail_op("get: " + v.error().what()), 0;
        return digest(*v);
      });
    };
    auto cachet_set = [&](Slice slice) {
      return over(threads, per_thread, slice, [&](std::uint32_t i, std::size_t) -> std::uint64_t {
        must(users.set(d.keys[i], value_for(d, i)), "set");
        return 1;
      });
    };
    auto raw_get = raw_on(threads, per_thread, true), raw_set = raw_on(threads, per_thread, false);
    cachet_get({0, 4}), raw_get({0, 4}), cachet_set({0, 4}), raw_set({0, 4});  // warm-up: connections made
    constexpr int slices = 4;
    auto p = paired(s.reps, slices, cachet_get, raw_get, bench::mops, speed_ratio);
    add("–", multiplex_row("get", threads), threads, kilo_keys(p.subject_median()) + " (ops)",
        kilo_keys(p.baseline_median()) + " (ops)", p.ratio_median(), multiplex_target(threads));
    p = paired(s.reps, slices, cachet_set, raw_set, bench::mops, speed_ratio);
    add("–", multiplex_row("set", threads), threads, kilo_keys(p.subject_median()) + " (ops)",
        kilo_keys(p.baseline_median()) + " (ops)", p.ratio_median(), multiplex_target(threads));
  }
  // The hand-over without the network: calls that each wait until one thread answers them, no
  // server, against the same raw hiredis threads (what the waking of callers alone allows).
  {
    bench::HandOver hand_over;
    for (int threads : multiplex_threads) {
      if (threads == 1) continue;
      const auto per_thread = sequences(threads);
      auto handed_over = [&](Slice slice) {
        return over(threads, per_thread, slice, [&](std::uint32_t, std::size_t) -> std::uint64_t {
          hand_over.call();
          return 1;
        });
      };
      auto raw_get = raw_on(threads, per_thread, true);
      const auto p = paired(s.reps, 4, handed_over, raw_get, bench::mops, speed_ratio);
      add("–", str("hand-over alone: %d threads each waiting until one thread answers (no network) vs raw hiredis get", threads),
          threads, kilo_keys(p.subject_median()) + " (calls)", kilo_keys(p.baseline_median()) + " (ops)",
          p.ratio_median(), Target{});
    }
  }
  if (auto ceiling = redis_benchmark_ceiling(s)) {
    notes.push_back(str("Ceiling of the server: redis-benchmark -c 32 -P 16 -t get,set: GET %.0f kops/s, SET %.0f "
                        "kops/s (32 clients each pipelining 16 commands; the Redis get/set rows at 32 threads "
                        "compare with it).",
                        ceiling->first / 1000, ceiling->second / 1000));
  } else {
    notes.push_back("Ceiling of the server: redis-benchmark not run (not installed, or the server is not plain TCP).");
  }
  raw.flushdb();
}

// ---------------------------------------------------------------------------------------------
// --profile NAME: one workload's loop, once, on the main thread, for
//   valgrind --tool=callgrind --toggle-collect='*profiled_loop*' cachet_bench --quick --profile get
// so the profile holds the operations and none of the setup.

__attribute__((noinline)) std::uint64_t profiled_loop(const std::function<std::uint64_t()>& loop) { return loop(); }

int profile(const Settings& s, const std::string& name) {
  const Data d = make_data(s);
  const auto& sequence = d.uniform[0];
  const bool on_redis = name.starts_with("redis-") || name.starts_with("raw-");
  if (on_redis && s.redis_url.empty()) {
    std::cerr << "--profile " << name << " needs a Redis server: --redis URL or CACHET_BENCH_REDIS_URL\n";
    return 2;
  }
  cachet::Cluster cluster("bench-profile");
  cachet::configure("bench-profile", on_redis                  ? s.redis_url
                                     : name.starts_with("zipf") ? "memory://?max_keys=50000"
                                                                : "memory://");
  cachet::Cluster lfu_cluster("bench-profile-lfu", {.eviction_policy = cachet::EvictionPolicy::AllKeysLFU});
  cachet::configure("bench-profile-lfu", "memory://?max_keys=50000");
  cachet::StringKeyspace<std::string> users(name == "zipf-lfu" ? lfu_cluster : cluster, {.key_pattern = "user/:key"});
  cachet::IntKeyspace<std::string> counters(cluster, {.key_pattern = "count/:key"});
  MapCache map(key_universe);
  HandLru lru(cache_capacity);
  const Zipf zipf(key_universe, zipf_s);
  const auto warm = zipf_sequence(zipf, s.zipf_warmup, 100), timed = zipf_sequence(zipf, s.zipf_ops, 0);
  std::uint64_t hits = 0, gets = 0;
  auto cachet_get = [&](const std::string& k) -> std::optional<std::string> {
    auto v = users.get(k);
    return v ? std::optional(std::move(*v)) : std::nullopt;
  };
  auto cachet_set = [&](const std::string& k, const std::string& v) { must(users.set(k, v), "set"); };
  auto lru_get = [&](const std::string& k) { return lru.get(StackKey("user/", k).view()); };
  auto lru_set = [&](const std::string& k, const std::string& v) { lru.set(StackKey("user/", k).view(), v); };

  std::function<std::uint64_t()> loop;
  std::unique_ptr<RawRedis> raw;
  std::vector<std::vector<std::string>> batches(s.redis_batches);
  if (on_redis) {
    raw = std::make_unique<RawRedis>(cachet::redis::parse_url(s.redis_url).value());
    raw->flushdb();
    std::vector<std::string> stored;
    for (const auto& k : d.keys) stored.push_back("user/" + k);
    raw->load(std::vector<std::string_view>(stored.begin(), stored.end()), d.values);
    std::mt19937_64 rng(seed ^ 0xba7c4);
    for (auto& b : batches) {
      for (int j = 0; j < 100; ++j) b.push_back(d.keys[rng() % key_universe]);
    }
    must(users.get(d.keys[0]), "get (connect)");  // the pool's first connect, outside the profile
  }
  auto stored_batch = [](const std::vector<std::string>& b) {
    std::vector<std::string> stored;
    stored.reserve(b.size());
    for (const auto& k : b) stored.emplace_back(StackKey("user/", k).view());
    return stored;
  };
  if (name == "get" || name == "set" || name == "map-get" || name == "map-set") {
    for (std::size_t i = 0; i < key_universe; ++i) {
      must(users.set(d.keys[i], value_for(d, i)), "set (prefill)");
      map.set(StackKey("user/", d.keys[i]).view(), value_for(d, i));
    }
  }
  if (name == "get") {
    loop = [&] {
      std::uint64_t sum = 0;
      for (auto i : sequence) sum += users.get(d.keys[i]).value_or(std::string()).size();
      return sum;
    };
  } else if (name == "set") {
    loop = [&] {
      for (std::size_t n = 0; n < sequence.size(); ++n) {
        must(users.set(d.keys[sequence[n]], d.values[(sequence[n] + n) % d.values.size()]), "set");
      }
      return std::uint64_t(sequence.size());
    };
  } else if (name == "map-get") {
    loop = [&] {
      std::uint64_t sum = 0;
      for (auto i : sequence) sum += map.get(StackKey("user/", d.keys[i]).view()).value_or(std::string()).size();
      return sum;
    };
  } else if (name == "map-set") {
    loop = [&] {
      for (std::size_t n = 0; n < sequence.size(); ++n) {
        map.set(StackKey("user/", d.keys[sequence[n]]).view(), d.values[(sequence[n] + n) % d.values.size()]);
      }
      return std::uint64_t(sequence.size());
    };
  } else if (name == "increment") {
    loop = [&] {
      std::uint64_t sum = 0;
      for (auto i : sequence) sum += std::uint64_t(counters.increment(d.keys[i], 1).value_or(0));
      return sum;
    };
  } else if (name == "zipf-lru" || name == "zipf-lfu") {
    cache_aside(warm, d, hits, gets, cachet_get, cachet_set);
    loop = [&] { return cache_aside(timed, d, hits, gets, cachet_get, cachet_set); };
  } else if (name == "zipf-hand") {
    cache_aside(warm, d, hits, gets, lru_get, lru_set);
    loop = [&] { return cache_aside(timed, d, hits, gets, lru_get, lru_set); };
  } else if (name == "redis-get") {
    loop = [&] {
      std::uint64_t sum = 0;
      for (std::size_t n = 0; n < s.redis_ops; ++n) {
        sum += users.get(d.keys[sequence[n]]).value_or(std::string()).size();
      }
      return sum;
    };
  } else if (name == "raw-get") {
    loop = [&] {
      std::uint64_t sum = 0;
      for (std::size_t n = 0; n < s.redis_ops; ++n) {
        sum += raw->get(StackKey("user/", d.keys[sequence[n]]).view()).value_or(std::string()).size();
      }
      return sum;
    };
  } else if (name == "redis-mget") {
    loop = [&] {
      std::uint64_t sum = 0;
      for (const auto& b : batches) sum += users.multi_get(b).value().size();
      return sum;
    };
  } else if (name == "raw-mget") {
    loop = [&] {
      std::uint64_t sum = 0;
      for (const auto& b : batches) sum += raw->mget(stored_batch(b));
      return sum;
    };
  } else {
    std::cerr << "--profile: one of get, set, map-get, map-set, increment, zipf-lru, zipf-lfu, zipf-hand, "
                 "redis-get, raw-get, redis-mget, raw-mget\n";
    return 2;
  }
  hits = gets = 0;
  consume(profiled_loop(loop));
  if (raw) raw->flushdb();
  std::cout << "profiled " << name << ": checksum " << checksum.load();
  if (gets) std::cout << str(", hit ratio %.2f%%", 100.0 * double(hits) / double(gets));
  std::cout << "\n";
  return unexpected_failures.load() ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// The machine, the command, the environment

int nproc() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
  return int(std::thread::hardware_concurrency());
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("model name")) {
      const auto colon = line.find(':');
      return colon == std::string::npos ? line : line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  }
  return "unknown";
}

// The benchmark configures its clusters in code; a CACHET_URL or CACHET_CLUSTER_*_URL in the
// environment would override that, so they are cleared for this process.
void prepare_environment() {
  setenv("CACHET_ENV", "production", 1);
  unsetenv("CACHET_URL");
  std::vector<std::string> names;
  for (char** e = environ; *e; ++e) {
    const std::string_view entry(*e);
    if (entry.starts_with("CACHET_CLUSTER_BENCH_")) names.emplace_back(entry.substr(0, entry.find('=')));
  }
  for (const auto& name : names) unsetenv(name.c_str());
}

// The Redis server to use: --redis URL, else CACHET_BENCH_REDIS_URL (bench/run.sh's own
// server), else CACHET_TEST_REDIS_URL (the test suite's shared server, where the benchmark
// keeps to database 14 so that flushing its data touches none of the tests').
void choose_redis(Settings& s) {
  if (!s.redis_url.empty()) {
    s.redis_origin = "--redis";
    return;
  }
  if (const char* url = std::getenv("CACHET_BENCH_REDIS_URL"); url && *url) {
    s.redis_url = url;
    s.redis_origin = "CACHET_BENCH_REDIS_URL";
    return;
  }
  if (const char* url = std::getenv("CACHET_TEST_REDIS_URL"); url && *url) {
    s.redis_url = url;
    s.redis_origin = "CACHET_TEST_REDIS_URL";
    const std::string_view rest = std::string_view(s.redis_url).substr(s.redis_url.find("://") + 3);
    if (s.redis_url.starts_with("redis://") && rest.find_first_of("/?") == std::string_view::npos) {
      s.redis_url += "/14";
    }
    return;
  }
  s.redis_missing = "no Redis server";
  s.redis_detail = "no Redis server: set CACHET_BENCH_REDIS_URL or run bench/run.sh";
}

// The TLS port of the same server as the plain rows: CACHET_BENCH_REDIS_TLS_URL (bench/run.sh
// and tests/run.sh set it).
void choose_tls(Settings& s) {
  if (const char* url = std::getenv("CACHET_BENCH_REDIS_CLUSTER_URL"); url && *url) s.cluster_url = url;
  if (const char* url = std::getenv("CACHET_BENCH_REDIS_TLS_URL"); url && *url) s.tls_url = url;
}

int usage(const char* self, int status) {
  (status ? std::cerr : std::cout)
      << "usage: " << self
      << " [--quick] [--redis redis://host:port[/db]] [--only SECTION] [--data FILE] [--command TEXT]"
         " [--profile NAME]\n"
      << "  --quick    3 repetitions and shorter runs (well under a minute)\n"
      << "  --redis    the Redis server for the Redis rows (default: $CACHET_BENCH_REDIS_URL, then\n"
      << "             $CACHET_TEST_REDIS_URL on db 14); its database is FLUSHed before and after\n"
      << "  --only     one section of the table: memory, metrics, zipf, bytes, hashes, sorted_sets, redis, tls,\n"
      << "             cluster or multiplex\n"
      << "  --data     also writes the figures, tab-separated, to FILE (bench/chart.sh draws them)\n"
      << "  --command  the command shown in the header (bench/run.sh passes its own)\n"
      << "  --profile NAME  runs one workload's loop once for callgrind (get, set, map-get, map-set,\n"
      << "             increment, zipf-lru, zipf-lfu, zipf-hand, redis-get, raw-get, redis-mget,\n"
      << "             raw-mget); see --toggle-collect='*profiled_loop*'\n";
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  prepare_environment();
  Settings s;
  std::string profile_name;
  std::string joined = argv[0];
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const int first = i;
    if (arg == "--quick") {
      s = quick_settings(s);
    } else if (arg == "--redis" && i + 1 < argc) {
      s.redis_url = argv[++i];
    } else if (arg == "--only" && i + 1 < argc) {
      s.only = argv[++i];
      if (s.only != "memory" && s.only != "metrics" && s.only != "zipf" && s.only != "bytes" && s.only != "redis" &&
          s.only != "tls" && s.only != "cluster" && s.only != "hashes" && s.only != "sorted_sets" && s.only != "multiplex") {
        return usage(argv[0], 2);
      }
    } else if (arg == "--profile" && i + 1 < argc) {
      profile_name = argv[++i];
    } else if (arg == "--command" && i + 1 < argc) {
      s.command = argv[++i];
      continue;
    } else if (arg == "--data" && i + 1 < argc) {
      s.data_file = argv[++i];
      continue;  // where the figures go is no part of the command that made them
    } else if (arg == "--help" || arg == "-h") {
      return usage(argv[0], 0);
    } else {
      std::cerr << "unknown argument: " << arg << "\n";
      return usage(argv[0], 2);
    }
    for (int j = first; j <= i; ++j) joined += " " + cachet::engine::redact_url(argv[j]);
  }
  if (s.command.empty()) s.command = joined;
  choose_redis(s);
  choose_tls(s);
  if (!profile_name.empty()) return profile(s, profile_name);
  const auto started = Clock::now();

  // The raw connection doubles as the check that the server is there at all.
  std::unique_ptr<RawRedis> raw;
  std::string redis_version;
  if (!s.redis_url.empty()) {
    try {
      auto parsed = cachet::redis::parse_url(s.redis_url);
      if (!parsed) {
        s.redis_missing = "not a Redis URL";
        s.redis_detail = "not a Redis URL: " + cachet::engine::redact_url(s.redis_url);
      } else {
        raw = std::make_unique<RawRedis>(*parsed);
        redis_version = raw->info_field("server", "redis_version");
      }
    } catch (const std::exception& e) {
      s.redis_missing = "Redis unreachable";
      s.redis_detail =
          std::string("cannot reach Redis at ") + cachet::engine::redact_url(s.redis_url) + ": " + e.what();
      raw.reset();
    }
  }

  std::cout << "# cachet benchmark\n\n"
            << "machine: nproc " << nproc() << ", CPU " << cpu_model() << "; build: " << CACHET_BENCH_BUILDTYPE
            << " (g++ " << __VERSION__ << "); command: `" << s.command << "`\n"
            << "mode: " << (s.quick ? "quick" : "full") << ", " << s.reps
            << " repetitions per figure; each figure is the median of its repetitions, each ratio the median "
               "of per-repetition ratios (cachet ÷ baseline, measured in the same repetition, in alternating "
               "slices)\n"
            << "redis: "
            << (raw ? "redis-server " + redis_version + " at " + cachet::engine::redact_url(s.redis_url) + " (from " +
                          s.redis_origin + "; its database is flushed)"
                    : "n/a (" + s.redis_detail + ")")
            << "\n\n"
            << std::flush;

  std::vector<std::pair<const char*, double>> sections;
  auto section_done = [&, last = Clock::now()](const char* name) mutable {
    const auto now = Clock::now();
    sections.emplace_back(name, std::chrono::duration<double>(now - last).count());
    last = now;
  };
  const Data d = make_data(s);
  section_done("data");
  auto wanted = [&](std::string_view section) { return s.only.empty() || s.only == section; };
  CaffeineProcess caffeine(CaffeineData{.keys = &d.keys,
                                         .values = &d.values,
                                         .uniform = {&d.uniform[0], &d.uniform[1]},
                                         .zipf_warmup = {&d.zipf_warmup[0], &d.zipf_warmup[1]},
                                         .zipf_timed = {&d.zipf_timed[0], &d.zipf_timed[1]}});
  if (!caffeine.available()) std::cerr << "bench: no Caffeine rows: " << caffeine.why() << "\n";
  if (wanted("memory")) memory_workloads(s, d, caffeine);
  section_done("memory");
  if (wanted("metrics")) metrics_cost(s, d);
  section_done("metrics");
  if (wanted("zipf")) zipf_workloads(s, d, caffeine);
  section_done("zipf");

  std::string redis_why = s.redis_missing;
  if (wanted("bytes")) {
    try {
      bytes_per_key(s, d, raw.get(), redis_why);
    } catch (const std::exception& e) {
      std::cerr << "bench: Redis failed during the bytes-per-key run: " << e.what() << "\n";
      raw.reset();
      redis_why = "Redis failed";
      notes.push_back(std::string("Redis failed during the bytes-per-key run: ") + e.what());
      bytes_per_key(s, d, nullptr, redis_why);
    }
  }
  section_done("bytes/key");
  if (wanted("sorted_sets")) {
    try {
      sorted_set_workloads(s, raw ? s.redis_url : std::string(), redis_why);
    } catch (const std::exception& e) {
      notes.push_back(std::string("Redis failed during the sorted-set rows: ") + e.what());
    }
  }
  section_done("sorted sets");
  if (wanted("redis") && raw) {
    try {
      if (auto why = redis_workloads(s, d, *raw); !why.empty()) {
        redis_why = why;
        redis_unavailable(why);
      }
    } catch (const std::exception& e) {
      std::cerr << "bench: Redis failed: " << e.what() << "\n";
      notes.push_back(std::string("Redis failed during the Redis rows: ") + e.what());
      redis_unavailable("Redis failed");
    }
  } else if (wanted("redis")) {
    redis_unavailable(redis_why);
  }
  section_done("redis");
  if (wanted("hashes")) {
    try {
      hash_workloads(s, raw.get(), redis_why);
    } catch (const std::exception& e) {
      notes.push_back(std::string("Redis failed during the hash rows: ") + e.what());
    }
  }
  section_done("hashes");
  if (wanted("tls") && raw && !s.tls_url.empty()) {
    try {
      tls_workloads(s, d, *raw);
    } catch (const std::exception& e) {
      notes.push_back(std::string("Redis failed during the TLS rows: ") + e.what());
      tls_unavailable("Redis failed");
    }
  } else if (wanted("tls")) {
    tls_unavailable(raw ? "no TLS port (CACHET_BENCH_REDIS_TLS_URL)" : redis_why);
  }
  section_done("tls");
  if (wanted("cluster") && raw && !s.cluster_url.empty()) {
    try {
      cluster_workloads(s, d);
    } catch (const std::exception& e) {
      notes.push_back(std::string("Redis failed during the cluster rows: ") + e.what());
      cluster_unavailable("Redis failed");
    }
  } else if (wanted("cluster")) {
    cluster_unavailable(raw ? "no Redis Cluster (CACHET_BENCH_REDIS_CLUSTER_URL)" : redis_why);
  }
  section_done("cluster");
  if (wanted("multiplex") && raw) {
    try {
      multiplex_workloads(s, d, *raw);
    } catch (const std::exception& e) {
      notes.push_back(std::string("Redis failed during the multiplexing rows: ") + e.what());
      multiplex_unavailable("Redis failed");
    }
  } else if (wanted("multiplex")) {
    multiplex_unavailable(redis_why);
  }
  section_done("multiplex");
  print_table();
  std::cout << "\nFigures: ns/op or µs/op is wall time per operation on one thread (ratio: lower is better); "
               "Mops/s and kkeys/s are aggregate throughput (ratio: higher is better); B/key is memory per key "
               "(lower is better).\n"
            << "Baselines: unordered_map+mutex = std::unordered_map<std::string, ...> behind one std::mutex, "
               "the caller building \"user/<key>\" in a stack buffer (heterogeneous lookup); hand LRU = one "
               "mutex, std::list + std::unordered_map, capacity "
            << cache_capacity << " keys; sharded absl map = 64 absl::flat_hash_map<std::string, std::string>, "
               "a std::mutex each, the shard from the key's hash; Caffeine = Caffeine (W-TinyLFU) in a child JVM "
               "(bench/CaffeineBench.java), maximumSize bounded, a fresh key String built for every call as a C++ "
               "caller passes a new key, the JIT warmed up untimed, its slices alternating with cachet's; raw "
               "hiredis = one redisContext, redisCommand/redisCommandArgv.\n";
  for (const auto& n : notes) std::cout << n << "\n";
  std::cout << "Targets: " << targets_met << " met, " << targets_missed << " not met";
  for (const auto& m : missed) std::cout << "\n  not met: " << m;
  std::cout << "\nRun time " << str("%.0f s", std::chrono::duration<double>(Clock::now() - started).count()) << " (";
  for (std::size_t i = 0; i < sections.size(); ++i) {
    std::cout << (i ? ", " : "") << sections[i].first << str(" %.1f s", sections[i].second);
  }
  std::cout << "); load average at the end: " << load_average() << "; checksum " << checksum.load() << "\n";

  if (!s.data_file.empty() && !write_chart_data(s.data_file)) {
    std::cerr << "bench: cannot write " << s.data_file << "\n";
    return 1;
  }
  if (unexpected_failures.load() != 0) {
    std::cerr << "bench: " << unexpected_failures.load() << " operations failed that must succeed; first: "
              << first_failure << "\n";
    return 1;
  }
  return 0;
}
