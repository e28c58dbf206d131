// metrics_text(): what it counts (calls by result, the latency histogram, the backend's
// figures), that it is valid exposition text, and that counting stays exact under threads.
// Counts are the process's totals, so each check compares a figure before and after.
#include "../support.hpp"

#include <cachet/observe.hpp>

#include <atomic>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

cachet::Cluster cluster("test-metrics");
cachet::StringKeyspace<std::string> users(cluster, {.key_pattern = "user/:key"});
cachet::IntKeyspace<std::string> hits(cluster, {.key_pattern = "hits/:key"});

std::string calls(std::string_view keyspace, std::string_view op, std::string_view result) {
  return "cachet_calls_total{cluster=\"test-metrics\",keyspace=\"" + std::string(keyspace) + "\",op=\"" +
         std::string(op) + "\",result=\"" + std::string(result) + "\"}";
}
std::string latency(std::string_view part, std::string_view keyspace, std::string_view le = {}) {
  std::string s = "cachet_call_duration_seconds_" + std::string(part) + "{cluster=\"test-metrics\",keyspace=\"" +
                  std::string(keyspace) + "\"";
  if (!le.empty()) s += ",le=\"" + std::string(le) + "\"";
  return s + "}";
}

// Each sample's value by its series (name and labels).
std::map<std::string, double> samples(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

}  // namespace

TEST_CASE("calls are counted by cluster, keyspace, op and result") {
  const std::string before = cachet::metrics_text();
  CHECK(test::code(users.get("a")) == cachet::Errc::miss);
  CHECK(users.set("a", "Ada"));
  CHECK(users.get("a") == "Ada");
  CHECK(users.get("a") == "Ada");
  CHECK(test::code(users.set_if_not_exists("a", "Bob")) == cachet::Errc::key_exists);
  CHECK(users.with(cachet::expire_in(1h)).set("b", "Bea"));  // a with() copy counts as its keyspace
  CHECK(hits.increment("a", 2) == 2);
  CHECK(hits.increment("a", 2) == 4);
  const std::string after = cachet::metrics_text();

  auto delta = [&](const std::string& series) { return test::sample(after, series) - test::sample(before, series); };
  CHECK(delta(calls("user/:key", "get", "miss")) == 1);
  CHECK(delta(calls("user/:key", "get", "ok")) == 2);
  CHECK(delta(calls("user/:key", "set", "ok")) == 2);
  CHECK(delta(calls("user/:key", "set_if_not_exists", "key_exists")) == 1);
  CHECK(delta(calls("hits/:key", "increment", "ok")) == 2);
}

// How many of n calls of one op on one thread the histogram times: the first of every
// timing_stride.
static int timed(int n) { return (n + int(cachet::detail::timing_stride) - 1) / int(cachet::detail::timing_stride); }

TEST_CASE("the histogram times the first of every 16 calls of an op on a thread, whatever the result") {
  const std::string before = cachet::metrics_text();
  // A fresh thread: its counters, and so its countdowns, start now.
  std::thread([] {
    for (int i = 0; i < 17; ++i) (void)users.set("a", "Ada");
    for (int i = 0; i < 40; ++i) (void)users.get(i % 2 ? "a" : "absent");
    (void)hits.increment("x");
  }).join();
  const std::string after = cachet::metrics_text();
  auto delta = [&](const std::string& series) { return test::sample(after, series) - test::sample(before, series); };
  CHECK(timed(40) == 3);
  CHECK(timed(17) == 2);
  CHECK(delta(latency("count", "user/:key")) == timed(40) + timed(17));
  CHECK(delta(latency("bucket", "user/:key", "+Inf")) == timed(40) + timed(17));
  CHECK(delta(latency("count", "hits/:key")) == 1);
  CHECK(delta(latency("sum", "hits/:key")) > 0);
  // The calls themselves are all counted.
  CHECK(delta(calls("user/:key", "get", "ok")) == 20);
  CHECK(delta(calls("user/:key", "get", "miss")) == 20);
}

TEST_CASE("metrics_text is Prometheus text: HELP and TYPE once per family, cumulative buckets") {
  CHECK(users.set("h", "x"));
  const std::string text = cachet::metrics_text();
  std::istringstream lines(text);
  std::string line;
  std::set<std::string> helped, typed;
  while (std::getline(lines, line)) {
    REQUIRE(!line.empty());
    if (line.starts_with("# HELP ")) {
      const std::string name = line.substr(7, line.find(' ', 7) - 7);
      CHECK_MESSAGE(helped.insert(name).second, "HELP twice: " << name);
    } else if (line.starts_with("# TYPE ")) {
      const std::string name = line.substr(7, line.find(' ', 7) - 7);
      CHECK_MESSAGE(typed.insert(name).second, "TYPE twice: " << name);
    } else {
      // A sample: a name of its family, whose TYPE came before it, and a number.
      CHECK(line.starts_with("cachet_"));
      const std::string name = line.substr(0, line.find_first_of("{ "));
      bool known = typed.count(name) == 1;
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        if (name.ends_with(suffix)) known = known || typed.count(name.substr(0, name.size() - std::strlen(suffix))) == 1;
      }
      CHECK_MESSAGE(known, "a sample before its TYPE: " << line);
      CHECK_NOTHROW((void)std::stod(line.substr(line.rfind(' ') + 1)));
    }
  }
  for (const char* family : {"cachet_calls_total", "cachet_call_duration_seconds", "cachet_keys", "cachet_memory_bytes",
                             "cachet_evictions_total", "cachet_expirations_total", "cachet_dev_purges_total",
                             "cachet_redis_connections", "cachet_redis_reconnects_total"}) {
    INFO(family);
    CHECK(typed.count(family) == 1);
  }
  // Buckets are cumulative, in the order of their bounds, and end at the count.
  const auto values = samples(text);
  double previous = 0;
  for (const char* le : {"1e-07", "2.5e-07", "5e-07", "1e-06", "2.5e-06", "5e-06", "1e-05", "0.001", "0.1", "1", "2.5", "+Inf"}) {
    const double v = values.at(latency("bucket", "user/:key", le));
    CHECK(v >= previous);
    previous = v;
  }
  CHECK(previous == values.at(latency("count", "user/:key")));
}

TEST_CASE("the memory backend's keys, memory, evictions and expirations" * test::memory_only()) {
  cachet::Cluster bounded("test-metrics-bounded");
  cachet::configure("test-metrics-bounded", "memory://?max_keys=10");
  cachet::StringKeyspace<int> items(bounded, {.key_pattern = "item/:key"});
  const auto figure = [](const char* name) {
    return test::sample(cachet::metrics_text(), std::string(name) + "{cluster=\"test-metrics-bounded\"}");
  };
  for (int i = 0; i < 25; ++i) REQUIRE(items.set(i, "v"));
  CHECK(figure("cachet_keys") == 10);
  CHECK(figure("cachet_memory_bytes") > 0);
  CHECK(figure("cachet_evictions_total") == 15);
  CHECK(figure("cachet_dev_purges_total") == 0);
  CHECK(figure("cachet_expirations_total") == 0);

  REQUIRE(items.with(cachet::expire_in(1s)).set(100, "soon"));
  test::elapse(2s);
  CHECK(test::code(items.get(100)) == cachet::Errc::miss);
  CHECK(figure("cachet_expirations_total") == 1);
  // A memory backend has no Redis connections to report.
  CHECK(cachet::metrics_text().find("cachet_redis_connections{cluster=\"test-metrics-bounded\"}") == std::string::npos);
}

TEST_CASE("label values are escaped: backslash, quote and newline") {
  cachet::Cluster quoting("test-metrics-quoting");
  cachet::StringKeyspace<std::string> odd(quoting, {.key_pattern = "say\"hi\"/:key"});
  CHECK(test::code(odd.get("a")) == cachet::Errc::miss);
  const std::string text = cachet::metrics_text();
  CHECK(text.find("keyspace=\"say\\\"hi\\\"/:key\",op=\"get\",result=\"miss\"} 1\n") != std::string::npos);
}

TEST_CASE("with counting switched off, calls are not counted") {
  CHECK(cachet::metrics_enabled());
  const std::string series = calls("user/:key", "len", "ok");
  const double before = test::sample(cachet::metrics_text(), series);
  cachet::detail::set_metrics_enabled(false);
  CHECK(!cachet::metrics_enabled());
  CHECK(users.len("a") == 0);
  cachet::detail::set_metrics_enabled(true);
  CHECK(test::sample(cachet::metrics_text(), series) == before);
  CHECK(users.len("a") == 0);
  CHECK(test::sample(cachet::metrics_text(), series) == before + 1);
}

TEST_CASE("under threads the totals are exact: per result, and the histogram's timed calls") {
  constexpr int threads = 4, rounds = 2000;
  const std::string before = cachet::metrics_text();
  std::atomic<bool> done{false};
  // A scrape runs all along, as a server's would, while threads count (and exit).
  int scrapes = 0, good_scrapes = 0;
  std::thread scraper([&] {
    while (!done.load()) {
      ++scrapes;
      good_scrapes += cachet::metrics_text().find("cachet_calls_total{") != std::string::npos;
    }
  });
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([t] {
      const std::string key = "t" + std::to_string(t);
      for (int i = 0; i < rounds; ++i) {
        (void)users.get(key + "-absent");       // miss
        (void)users.set(key, "v");              // ok
        (void)hits.increment(key);              // ok
        if (i % 4 == 0) (void)hits.get(key + "-absent");  // miss
      }
    });
  }
  for (auto& th : pool) th.join();  // their counts now sit in the retired totals
  done = true;
  scraper.join();
  CHECK(scrapes > 0);
  CHECK(good_scrapes == scrapes);
  const std::string after = cachet::metrics_text();
  auto delta = [&](const std::string& series) { return test::sample(after, series) - test::sample(before, series); };
  CHECK(delta(calls("user/:key", "get", "miss")) == threads * rounds);
  CHECK(delta(calls("user/:key", "set", "ok")) == threads * rounds);
  CHECK(delta(calls("hits/:key", "increment", "ok")) == threads * rounds);
  CHECK(delta(calls("hits/:key", "get", "miss")) == threads * rounds / 4);
  // Each thread's first call of each op, then one in timing_stride.
  CHECK(delta(latency("count", "user/:key")) == threads * 2 * timed(rounds));
  CHECK(delta(latency("count", "hits/:key")) == threads * (timed(rounds) + timed(rounds / 4)));
  CHECK(delta(latency("bucket", "hits/:key", "+Inf")) == threads * (timed(rounds) + timed(rounds / 4)));
}
