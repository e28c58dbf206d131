// Cache-aside in front of a slow source: get_or_set answers from the cache, and on a miss runs
// the loader once however many requests miss at the same moment (single flight), writes what
// it answered with the keyspace's expiry, and never caches a failure.
//
// Runs with no configuration (the development cache), or for example with
//   CACHET_ENV=production CACHET_URL=redis://127.0.0.1:6379 ./cache_aside
// where LoadOptions{.lock = ...} also keeps other processes from loading the same product.
#include <cachet/cachet.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

inline cachet::Cluster catalog_cluster("catalog");
inline cachet::StringKeyspace<std::int64_t> product_names(catalog_cluster, {
    .key_pattern = "product/:key",
    .default_expiry = cachet::expire_in(10min),
});

// The slow source: a database query that takes a while, and can fail.
std::atomic<int> queries{0};
std::atomic<bool> database_up{true};

cachet::Result<std::string> query_product_name(std::int64_t id) {
  ++queries;
  std::this_thread::sleep_for(200ms);
  if (!database_up) return cachet::fail(cachet::Errc::unavailable, "the database is down");
  return id == 42 ? "Blue teapot" : "Red mug";
}

// What a request handler writes: one call, the loader only runs on a miss.
cachet::Result<std::string> product_name(std::int64_t id) {
  return product_names.get_or_set(id, [id] { return query_product_name(id); }, {.lock = 5s});
}

int main() {
  // Eight requests for one product at once: one query, eight answers.
  std::vector<std::thread> requests;
  std::atomic<int> answered{0};
  for (int i = 0; i < 8; ++i) {
    requests.emplace_back([&] {
      if (auto name = product_name(42); name && *name == "Blue teapot") ++answered;
    });
  }
  for (auto& r : requests) r.join();
  std::printf("product 42: %d requests answered, %d database query\n", answered.load(), queries.load());
  auto again = product_name(42);
  std::printf("product 42 again: %s, %d database query in all\n", again ? again->c_str() : "error", queries.load());

  // A failed load is returned, not cached: the next request asks the database again.
  database_up = false;
  auto failed = product_name(7);
  std::printf("product 7, database down: %s\n", failed ? failed->c_str() : failed.error().what().c_str());
  database_up = true;
  auto recovered = product_name(7);
  std::printf("product 7, database back: %s\n", recovered ? recovered->c_str() : recovered.error().what().c_str());
  return answered == 8 && queries == 3 ? 0 : 1;
}
