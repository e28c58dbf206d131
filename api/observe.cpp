// The end of every keyspace call (KeyspaceBase::call): its counts, the observer, the test
// listener; and metrics_text(), which sums the counts and asks each cluster's backend for its
// figures.
//
// Counting never writes memory another thread writes. Each thread counts into a block of its
// own: per keyspace site and operation, one counter per result; per keyspace site, a latency
// histogram. Only the owning thread writes a block's counters (relaxed atomic load and store,
// no read-modify-write), so a scrape on another thread reads them without a data race. The
// registry of blocks is locked only when a thread starts counting, when it meets a new
// (keyspace, operation) pair, when it exits (its counts move to the retired totals) and by a
// scrape.
#include "cachet/keyspace.hpp"
#include "cachet/observe.hpp"

#include "cluster_stats.hpp"
#include "engine/notice.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cachet::detail {

struct KeyspaceSite {
  std::string cluster;
  std::string pattern;
  std::size_t index;  // its place in each thread's histograms
};

namespace {

constexpr std::size_t result_count = std::size_t(Errc::load_failed) + 1;  // 0: ok, else the Errc

// The histogram's upper bounds, in seconds: from a memory hit (a few hundred nanoseconds) to a
// Redis call that waited for its timeout.
constexpr std::array<double, 23> bucket_bounds = {1e-7,   2.5e-7, 5e-7,   1e-6,   2.5e-6, 5e-6, 1e-5,   2.5e-5,
                                                  5e-5,   1e-4,   2.5e-4, 5e-4,   1e-3,   2.5e-3, 5e-3, 1e-2,
                                                  2.5e-2, 5e-2,   0.1,    0.25,   0.5,    1.0,    2.5};
constexpr std::size_t bucket_count = bucket_bounds.size() + 1;  // the last is +Inf

// call_ticks() in time: its ticks per nanosecond, and the bucket bounds in ticks.
struct TickScale {
  double ns_per_tick = 1.0;
  std::array<std::uint64_t, bucket_bounds.size()> bounds{};
};

TickScale measure_ticks() {
  TickScale scale;
#if defined(__x86_64__) || defined(__i386__)
  // Both clocks over 2 ms, once per process: a preemption inside the window moves both alike.
  const auto wall_start = std::chrono::steady_clock::now();
  const std::uint64_t ticks_start = call_ticks();
  std::chrono::steady_clock::time_point wall_end;
  do wall_end = std::chrono::steady_clock::now();
  while (wall_end - wall_start < std::chrono::milliseconds(2));
  const std::uint64_t ticks = call_ticks() - ticks_start;
  const double ns = double(std::chrono::duration_cast<std::chrono::nanoseconds>(wall_end - wall_start).count());
  if (ticks > 0) scale.ns_per_tick = ns / double(ticks);
#endif
  for (std::size_t i = 0; i < bucket_bounds.size(); ++i) {
    scale.bounds[i] = std::uint64_t(bucket_bounds[i] * 1e9 / scale.ns_per_tick);
  }
  return scale;
}

const TickScale& tick_scale() {
  static const TickScale scale = measure_ticks();
  return scale;
}

// A counter only its thread writes: a plain load and store, no locked instruction.
struct Counter {
  std::atomic<std::uint64_t> value{0};
  void add(std::uint64_t n) noexcept { value.store(value.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  std::uint64_t get() const noexcept { return value.load(std::memory_order_relaxed); }
};

struct Histogram {
  std::array<Counter, bucket_count> buckets;  // not cumulative; the text sums them
  Counter sum_ticks;
};

struct OpCounts {
  const KeyspaceSite* site;
  const char* op;
  Histogram* histogram;  // the thread's histogram of the site
  std::array<Counter, result_count> results;
};

// Sums, as a scrape and a retiring thread keep them. Keyed by text: one op name may be more
// than one literal (one per translation unit).
struct Totals {
  std::map<std::tuple<const KeyspaceSite*, std::string>, std::array<std::uint64_t, result_count>> calls;
  struct Latency {
    std::array<std::uint64_t, bucket_count> buckets{};
    std::uint64_t sum_ticks = 0;
  };
  std::map<const KeyspaceSite*, Latency> latency;

  void add(const OpCounts& c) {
    auto& row = calls.try_emplace({c.site, c.op}).first->second;
    for (std::size_t r = 0; r < result_count; ++r) row[r] += c.results[r].get();
  }
  void add(const KeyspaceSite* site, const Histogram& h) {
    auto& l = latency[site];
    for (std::size_t b = 0; b < bucket_count; ++b) l.buckets[b] += h.buckets[b].get();
    l.sum_ticks += h.sum_ticks.get();
  }
};

struct ThreadBlock;

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<KeyspaceSite>> sites;  // by cluster + '\0' + pattern
  std::vector<ThreadBlock*> live;
  Totals retired;  // what exited threads counted
};

// Never destroyed: threads may exit (and retire their counts) after static destructors ran.
Registry& registry() {
  static Registry* instance = new Registry();
  return *instance;
}

// A short search from the smallest bound: most calls end within the first few.
std::size_t bucket_of(std::uint64_t ticks) {
  const auto& bounds = tick_scale().bounds;
  std::size_t b = 0;
  while (b < bounds.size() && ticks > bounds[b]) ++b;
  return b;
}

struct ThreadBlock {
  // Taken by the owner to add counters, and by a scrape to read them; never on a call that
  // finds its counters in the cache.
  std::mutex mutex;
  std::vector<std::unique_ptr<OpCounts>> ops;
  std::vector<std::unique_ptr<Histogram>> histograms;  // by site index; null until used

  // The owner's way to its counters: a small direct-mapped cache before a hash map.
  struct Cached {
    const KeyspaceSite* site = nullptr;
    const char* op = nullptr;
    OpCounts* counts = nullptr;
  };
  std::array<Cached, 64> cache{};
  struct PairHash {
    std::size_t operator()(const std::pair<const KeyspaceSite*, const char*>& p) const noexcept {
      return std::hash<const void*>()(p.first) * 31 ^ std::hash<const void*>()(p.second);
    }
  };
  std::unordered_map<std::pair<const KeyspaceSite*, const char*>, OpCounts*, PairHash> index;

  static std::size_t slot(const KeyspaceSite& site, const char* op) noexcept {
    return ((site.index * 0x9E3779B1u) ^ (std::uintptr_t(op) >> 3)) & 63;
  }

  OpCounts& find(const KeyspaceSite& site, const char* op) {
    Cached& c = cache[slot(site, op)];
    if (c.site == &site && c.op == op) return *c.counts;
    OpCounts* counts;
    if (auto it = index.find({&site, op}); it != index.end()) {
      counts = it->second;
    } else {
      std::lock_guard lock(mutex);
      if (histograms.size() <= site.index) histograms.resize(site.index + 1);
      if (!histograms[site.index]) histograms[site.index] = std::make_unique<Histogram>();
      ops.push_back(std::make_unique<OpCounts>());
      counts = ops.back().get();
      counts->site = &site;
      counts->op = op;
      counts->histogram = histograms[site.index].get();
      index.emplace(std::pair{&site, op}, counts);
    }
    c = {&site, op, counts};
    return *counts;
  }

  void add_to(Totals& totals) {
    std::lock_guard lock(mutex);
    for (const auto& c : ops) totals.add(*c);
    // Each site's histogram once, though several of its ops point at it.
    std::vector<bool> seen(histograms.size(), false);
    for (const auto& c : ops) {
      if (seen[c->site->index]) continue;
      seen[c->site->index] = true;
      totals.add(c->site, *c->histogram);
    }
  }
};

// initial-exec: the library is linked, not dlopen'ed, so its thread-locals can sit in the
// static TLS block and a call reaches them without __tls_get_addr.
[[gnu::tls_model("initial-exec")]] thread_local ThreadBlock* current_block = nullptr;
[[gnu::tls_model("initial-exec")]] thread_local bool thread_exiting = false;

// Owns the thread's block: registers it on the thread's first counted call and retires it
// (its counts into the registry's totals) when the thread exits.
struct BlockOwner {
  ThreadBlock block;
  BlockOwner() {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    r.live.push_back(&block);
  }
  ~BlockOwner() {
    thread_exiting = true;
    current_block = nullptr;
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    block.add_to(r.retired);
    std::erase(r.live, &block);
  }
};

ThreadBlock* start_block() {
  if (thread_exiting) return nullptr;
  thread_local BlockOwner owner;
  current_block = &owner.block;
  return current_block;
}

void count(const KeyspaceSite& site, const char* op, std::uint64_t ticks, unsigned result) {
  const std::size_t bucket = bucket_of(ticks);
  ThreadBlock* block = current_block;
  if (block == nullptr) block = start_block();
  if (block == nullptr) {  // a call made by a thread_local's destructor after ours ran
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    r.retired.calls[{&site, op}][result] += 1;
    auto& l = r.retired.latency[&site];
    l.buckets[bucket] += 1;
    l.sum_ticks += ticks;
    return;
  }
  OpCounts& c = block->find(site, op);
  c.results[result].add(1);
  c.histogram->buckets[bucket].add(1);
  c.histogram->sum_ticks.add(ticks);
}

// The observer, and a flag that keeps calls made from inside on_call from being observed.
std::atomic<std::shared_ptr<Observer>>& observer_slot() {
  static auto* slot = new std::atomic<std::shared_ptr<Observer>>();
  return *slot;
}
std::atomic<CallListener> call_listener{nullptr};
[[gnu::tls_model("initial-exec")]] thread_local bool inside_observer = false;

void tell(const KeyspaceSite& site, const char* op, std::uint64_t ticks, unsigned result, unsigned hooks) {
  const auto duration = std::chrono::nanoseconds(std::int64_t(double(ticks) * tick_scale().ns_per_tick));
  const std::optional<Errc> error = result == 0 ? std::nullopt : std::optional<Errc>(Errc(result));
  if (hooks & hook_listener) {
    if (CallListener listener = call_listener.load(std::memory_order_acquire)) {
      listener(CallRecord{site.cluster, site.pattern, op, duration, error});
    }
  }
  if ((hooks & hook_observer) && !inside_observer) {
    if (std::shared_ptr<Observer> observer = observer_slot().load(std::memory_order_acquire)) {
      inside_observer = true;
      observer->on_call(CallEvent{site.cluster, site.pattern, op, duration, error});
      inside_observer = false;
    }
  }
}

void set_hook(unsigned bit, bool on) {
  if (on) call_hooks.fetch_or(bit, std::memory_order_relaxed);
  else call_hooks.fetch_and(~bit, std::memory_order_relaxed);
}

void notice_to_observer(std::string_view text) {
  if (std::shared_ptr<Observer> observer = observer_slot().load(std::memory_order_acquire)) {
    observer->on_notice(text);
  } else {
    std::fprintf(stderr, "cachet: %.*s\n", int(text.size()), text.data());
  }
}

// CACHET_METRICS, read once when the library is loaded.
bool read_metrics_switch() {
  const char* value = std::getenv("CACHET_METRICS");
  const std::string_view v = value ? value : "";
  if (v == "off") {
    set_hook(hook_metrics, false);
    return false;
  }
  if (!v.empty() && v != "on") {
    engine::notice("CACHET_METRICS=\"" + std::string(v) +
                   "\" is not understood (use \"on\" or \"off\"); calls are counted");
  }
  return true;
}

}  // namespace

std::atomic<unsigned> call_hooks{hook_metrics};

namespace {
const bool metrics_switch_read = read_metrics_switch();
}  // namespace

const KeyspaceSite& keyspace_site(std::string_view cluster, std::string_view pattern) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  std::string key(cluster);
  key += '\0';
  key += pattern;
  auto& site = r.sites[key];
  if (!site) site = std::make_unique<KeyspaceSite>(KeyspaceSite{std::string(cluster), std::string(pattern), r.sites.size() - 1});
  return *site;
}

void end_call(const KeyspaceSite& site, const char* op, std::uint64_t ticks, unsigned result,
              unsigned hooks) noexcept {
  if (hooks & hook_metrics) count(site, op, ticks, result);
  if (hooks & (hook_observer | hook_listener)) tell(site, op, ticks, result, hooks);
}

void set_call_listener(CallListener listener) noexcept {
  call_listener.store(listener, std::memory_order_release);
  set_hook(hook_listener, listener != nullptr);
}

void set_metrics_enabled(bool on) noexcept { set_hook(hook_metrics, on); }

}  // namespace cachet::detail

namespace cachet {
namespace {

// A label value as the exposition format writes it: backslash, quote and newline escaped.
void append_label_value(std::string& out, std::string_view value) {
  out += '"';
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  out += '"';
}

void append_labels(std::string& out, std::initializer_list<std::pair<std::string_view, std::string_view>> labels) {
  out += '{';
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) out += ',';
    first = false;
    out += name;
    out += '=';
    append_label_value(out, value);
  }
  out += '}';
}

void append_family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

std::string number(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9g", v);
  return buffer;
}

std::string_view result_name(std::size_t r) { return r == 0 ? std::string_view("ok") : errc_name(Errc(r)); }

}  // namespace

bool metrics_enabled() noexcept {
  return (detail::call_hooks.load(std::memory_order_relaxed) & detail::hook_metrics) != 0;
}

void set_observer(std::shared_ptr<Observer> observer) {
  const bool set = observer != nullptr;
  detail::observer_slot().store(std::move(observer), std::memory_order_release);
  detail::set_hook(detail::hook_observer, set);
  engine::set_notice_sink(set ? detail::notice_to_observer : nullptr);
}

std::string metrics_text() {
  using detail::bucket_count;
  using detail::result_count;
  detail::Totals totals;
  {
    auto& r = detail::registry();
    std::lock_guard lock(r.mutex);
    totals = r.retired;
    for (detail::ThreadBlock* block : r.live) block->add_to(totals);
  }
  // By label text, so that the lines come out sorted and one op name spelt by two literals
  // is one line.
  std::map<std::tuple<std::string_view, std::string_view, std::string>, std::array<std::uint64_t, result_count>> calls;
  for (const auto& [key, row] : totals.calls) {
    const auto& [site, op] = key;
    auto& sum = calls[{site->cluster, site->pattern, op}];
    for (std::size_t i = 0; i < result_count; ++i) sum[i] += row[i];
  }
  std::map<std::pair<std::string_view, std::string_view>, const detail::Totals::Latency*> latency;
  for (const auto& [site, l] : totals.latency) latency[{site->cluster, site->pattern}] = &l;

  std::string out;
  out.reserve(4096);
  append_family(out, "cachet_calls_total", "counter",
                "Keyspace calls by cluster, keyspace (key pattern), op (method) and result (ok, miss, or the error).");
  for (const auto& [key, row] : calls) {
    const auto& [cluster, keyspace, op] = key;
    for (std::size_t r = 0; r < result_count; ++r) {
      if (row[r] == 0) continue;
      out += "cachet_calls_total";
      append_labels(out, {{"cluster", cluster}, {"keyspace", keyspace}, {"op", op}, {"result", result_name(r)}});
      out += ' ' + std::to_string(row[r]) + '\n';
    }
  }
  append_family(out, "cachet_call_duration_seconds", "histogram",
                "Time keyspace calls took, from the call to its answer, by cluster and keyspace.");
  const double seconds_per_tick = detail::tick_scale().ns_per_tick * 1e-9;
  for (const auto& [key, l] : latency) {
    const auto& [cluster, keyspace] = key;
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < bucket_count; ++b) {
      cumulative += l->buckets[b];
      const std::string le = b < detail::bucket_bounds.size() ? number(detail::bucket_bounds[b]) : "+Inf";
      out += "cachet_call_duration_seconds_bucket";
      append_labels(out, {{"cluster", cluster}, {"keyspace", keyspace}, {"le", le}});
      out += ' ' + std::to_string(cumulative) + '\n';
    }
    out += "cachet_call_duration_seconds_sum";
    append_labels(out, {{"cluster", cluster}, {"keyspace", keyspace}});
    out += ' ' + number(double(l->sum_ticks) * seconds_per_tick) + '\n';
    out += "cachet_call_duration_seconds_count";
    append_labels(out, {{"cluster", cluster}, {"keyspace", keyspace}});
    out += ' ' + std::to_string(cumulative) + '\n';
  }

  // The backends' figures, one family at a time.
  const std::vector<detail::ClusterStats> clusters = detail::cluster_stats();
  struct Family {
    std::string_view name, type, help;
    std::optional<std::uint64_t> engine::StorageStats::*figure;
  };
  static constexpr Family families[] = {
      {"cachet_keys", "gauge", "Keys the cluster's memory backend holds.", &engine::StorageStats::keys},
      {"cachet_memory_bytes", "gauge", "Bytes the cluster's memory backend uses for its data.",
       &engine::StorageStats::memory_bytes},
      {"cachet_evictions_total", "counter", "Keys the eviction policy removed to keep within the bounds.",
       &engine::StorageStats::evictions},
      {"cachet_expirations_total", "counter", "Keys removed because their TTL passed.",
       &engine::StorageStats::expirations},
      {"cachet_dev_purges_total", "counter",
       "Keys purged at random because a development cache passed CACHET_DEV_MAX_KEYS.",
       &engine::StorageStats::dev_purges},
      {"cachet_redis_connections", "gauge", "Connections open to the cluster's Redis server.",
       &engine::StorageStats::connections},
      {"cachet_redis_reconnects_total", "counter", "Connections made again after one was lost.",
       &engine::StorageStats::reconnects},
  };
  for (const Family& f : families) {
    append_family(out, f.name, f.type, f.help);
    for (const auto& c : clusters) {
      const std::optional<std::uint64_t>& figure = c.stats.*f.figure;
      if (!figure) continue;
      out += f.name;
      append_labels(out, {{"cluster", c.cluster}});
      out += ' ' + std::to_string(*figure) + '\n';
    }
  }
  return out;
}

}  // namespace cachet
