// get_or_set from many threads: single flight (one loader per key, the others wait for it), a
// failed load reaching every waiter and cached for no one, and loaders that call get_or_set.
#include "../support.hpp"

#include <atomic>
#include <chrono>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using cachet::Errc;

namespace {

cachet::Cluster cluster("test-cache-aside");
cachet::StringKeyspace<std::string> pages(cluster, {.key_pattern = "page/:key",
                                                    .default_expiry = cachet::expire_in(60s)});
cachet::IntKeyspace<std::string> numbers(cluster, {.key_pattern = "number/:key"});

constexpr int thread_count = 64;

// Holds a loader until `n` callers wait for the load of `key` (so that a test knows the
// waiters are there), for at most 30 s: a broken single flight fails the checks, not hangs.
template <class KS>
void until_waiting(const KS& ks, const std::string& key, std::size_t n) {
  const auto stored = ks.stored_key(key);
  for (int i = 0; i < 30000 && cachet::detail::load_waiters(ks.cluster().name(), stored) < n; ++i) {
    std::this_thread::sleep_for(1ms);
  }
}

// Runs `call` on thread_count threads at once; answers each one's result.
template <class F>
auto on_threads(F&& call) {
  std::vector<decltype(call())> results(thread_count);
  std::latch start(thread_count);
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      results[t] = call();
    });
  }
  for (auto& t : threads) t.join();
  return results;
}

}  // namespace

TEST_CASE("64 threads missing one key run the loader once, and all get its value") {
  std::atomic<int> runs{0};
  const auto results = on_threads([&] {
    return pages.get_or_set("home", [&] {
      ++runs;
      until_waiting(pages, "home", thread_count - 1);
      return std::string("<html>home</html>");
    });
  });
  CHECK(runs == 1);
  for (const auto& r : results) CHECK(r == "<html>home</html>");
  CHECK(pages.get("home") == "<html>home</html>");
  CHECK(cachet::detail::load_waiters(cluster.name(), pages.stored_key("home")) == 0);
}

TEST_CASE("a loader's error reaches its caller, the waiters get load_failed, and the next call loads again") {
  std::atomic<int> runs{0};
  const auto results = on_threads([&] {
    return numbers.get_or_set("n", [&]() -> cachet::Result<std::int64_t> {
      ++runs;
      until_waiting(numbers, "n", thread_count - 1);
      return cachet::fail(Errc::unavailable, "the database is down");
    });
  });
  CHECK(runs == 1);
  int leaders = 0, waiters = 0;
  for (const auto& r : results) {
    REQUIRE(!r);
    CHECK(r.error().op == "get_or_set");
    CHECK(r.error().key == "number/n");
    if (r.error().code == Errc::unavailable) {
      ++leaders;
      CHECK(r.error().message == "the database is down");
    } else {
      ++waiters;
      CHECK(r.error().code == Errc::load_failed);
      CHECK(r.error().message.find("the database is down") != std::string::npos);
    }
  }
  CHECK(leaders == 1);
  CHECK(waiters == thread_count - 1);
  CHECK(test::code(numbers.get("n")) == Errc::miss);
  CHECK(numbers.get_or_set("n", [&] { return std::int64_t(++runs); }) == 2);
}

TEST_CASE("a loader's exception reaches its caller, the waiters get load_failed, and the next call loads again") {
  std::atomic<int> runs{0}, thrown{0};
  std::vector<cachet::Result<std::int64_t>> results(thread_count);
  std::latch start(thread_count);
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      try {
        results[t] = numbers.get_or_set("e", [&]() -> std::int64_t {
          ++runs;
          until_waiting(numbers, "e", thread_count - 1);
          throw std::runtime_error("the source crashed");
        });
      } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()) == "the source crashed");
        ++thrown;
        results[t] = 0;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(runs == 1);
  CHECK(thrown == 1);
  int waiters = 0;
  for (const auto& r : results) {
    if (r) continue;
    ++waiters;
    CHECK(r.error().code == Errc::load_failed);
    CHECK(r.error().message.find("the source crashed") != std::string::npos);
  }
  CHECK(waiters == thread_count - 1);
  CHECK(test::code(numbers.get("e")) == Errc::miss);
  CHECK(numbers.get_or_set("e", [] { return std::int64_t(9); }) == 9);
}

TEST_CASE("a loader may call get_or_set on other keys, from many threads at once, without deadlock") {
  std::atomic<int> outer_runs{0}, inner_runs{0};
  const auto results = on_threads([&] {
    return pages.get_or_set("outer", [&]() -> cachet::Result<std::string> {
      ++outer_runs;
      auto inner = pages.get_or_set("inner", [&] {
        ++inner_runs;
        return std::string("inner");
      });
      if (!inner) return std::unexpected(inner.error());
      return "outer+" + *inner;
    });
  });
  CHECK(outer_runs == 1);
  CHECK(inner_runs == 1);
  for (const auto& r : results) CHECK(r == "outer+inner");
}

TEST_CASE("a loader calling get_or_set on its own key gets load_failed instead of waiting forever") {
  cachet::Result<std::string> inner = "not called";
  const auto outer = pages.get_or_set("self", [&] {
    inner = pages.get_or_set("self", [] { return std::string("never"); });
    return std::string("outer");
  });
  CHECK(outer == "outer");
  REQUIRE(!inner);
  CHECK(inner.error().code == Errc::load_failed);
  CHECK(inner.error().op == "get_or_set");
  CHECK(inner.error().key == "page/self");
  CHECK(inner.error().message.find("its own key") != std::string::npos);
}

TEST_CASE("two loads waiting for each other across threads: the one that would close the cycle fails") {
  // Thread a loads "a" and then asks for "b"; thread b loads "b" and then asks for "a" once a
  // waits for it. The second ask would wait forever: it fails, b stores its value, a gets it.
  std::latch both_leading(2);
  cachet::Result<std::string> b_asked_a = "not called";
  std::thread a([&] {
    const auto r = pages.get_or_set("a", [&]() -> cachet::Result<std::string> {
      both_leading.arrive_and_wait();
      auto b = pages.get_or_set("b", [] { return std::string("never: b is loading"); });
      if (!b) return std::unexpected(b.error());
      return "a+" + *b;
    });
    CHECK(r == "a+b");
  });
  const auto r = pages.get_or_set("b", [&] {
    both_leading.arrive_and_wait();
    until_waiting(pages, "b", 1);
    b_asked_a = pages.get_or_set("a", [] { return std::string("never: a is loading"); });
    return std::string("b");
  });
  a.join();
  CHECK(r == "b");
  REQUIRE(!b_asked_a);
  CHECK(b_asked_a.error().code == Errc::load_failed);
}

TEST_CASE("the waiters of a load get the value decoded for their keyspace, and a hit needs no flight") {
  REQUIRE(numbers.set("cached", 41));
  const auto results = on_threads([&] { return numbers.get_or_set("cached", [] { return std::int64_t(0); }); });
  for (const auto& r : results) CHECK(r == 41);
}
