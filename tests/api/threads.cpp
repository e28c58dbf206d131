// One keyspace used from several threads at once.
#include "../support.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace {

cachet::Cluster cluster("test-threads");
cachet::IntKeyspace<std::string> counters(cluster, {.key_pattern = "ctr/:key"});
cachet::ListKeyspace<std::string, std::int64_t> queues(cluster, {.key_pattern = "queue/:key"});

constexpr int thread_count = 8;

template <class F>
void run_threads(F&& body) {
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) threads.emplace_back(body, t);
  for (auto& t : threads) t.join();
}

}  // namespace

TEST_CASE("concurrent increments of one key lose no update") {
  const int per_thread = test::on_server() ? 500 : 20000;
  std::atomic<int> failures{0};
  run_threads([&](int) {
    for (int i = 0; i < per_thread; ++i) failures += counters.increment("total").has_value() ? 0 : 1;
  });
  CHECK(failures == 0);
  CHECK(counters.get("total") == std::int64_t(thread_count) * per_thread);
}

TEST_CASE("concurrent writes to different keys all land") {
  const int per_thread = test::on_server() ? 200 : 5000;
  std::atomic<int> failures{0};
  run_threads([&](int t) {
    for (int i = 0; i < per_thread; ++i) {
      failures += counters.set("t" + std::to_string(t) + "-" + std::to_string(i), i).has_value() ? 0 : 1;
    }
  });
  CHECK(failures == 0);
  for (int t = 0; t < thread_count; ++t) {
    CHECK(counters.get("t" + std::to_string(t) + "-" + std::to_string(per_thread - 1)) == per_thread - 1);
  }
}

TEST_CASE("concurrent moves between lists neither lose nor duplicate an element") {
  const int elements = 200;
  for (int i = 0; i < elements; ++i) REQUIRE(queues.push_right(i % 2 ? "a" : "b", std::int64_t{i}));
  const int moves = test::on_server() ? 200 : 5000;
  std::atomic<int> failures{0};
  run_threads([&](int t) {
    for (int i = 0; i < moves; ++i) {
      const bool forward = (i + t) % 2 == 0;
      const auto moved = queues.move(forward ? "a" : "b", forward ? "b" : "a", cachet::ListPos::Left, cachet::ListPos::Right);
      failures += (moved || moved.error().code == cachet::Errc::miss) ? 0 : 1;
    }
  });
  CHECK(failures == 0);
  auto a = queues.items("a"), b = queues.items("b");
  REQUIRE((a && b));
  std::vector<std::int64_t> all(a->begin(), a->end());
  all.insert(all.end(), b->begin(), b->end());
  std::sort(all.begin(), all.end());
  REQUIRE(all.size() == elements);
  for (int i = 0; i < elements; ++i) CHECK(all[std::size_t(i)] == i);
}
