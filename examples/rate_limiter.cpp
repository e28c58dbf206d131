// The classic cache job: a rate limiter. Every request increments a per-(user, resource)
// counter that expires 10 seconds after the last request; a request is allowed while the
// counter is at most 10. If the cache fails, the limiter fails open: the request goes
// through, because a cache outage must not become an outage of the service.
//
// Runs with no configuration (the development cache), or for example with
//   CACHET_ENV=production CACHET_URL='memory://?max_keys=10000' ./rate_limiter
//   CACHET_ENV=production CACHET_URL=redis://127.0.0.1:6379 ./rate_limiter
#include <cachet/cachet.hpp>

#include <boost/describe.hpp>

#include <chrono>
#include <cstdint>
#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace std::chrono_literals;

struct ResourceKey {
  std::string user_id;
  std::string resource_path;
};
BOOST_DESCRIBE_STRUCT(ResourceKey, (), (user_id, resource_path))

inline cachet::Cluster rate_limits("rate-limits", {.eviction_policy = cachet::EvictionPolicy::AllKeysLRU});
inline cachet::IntKeyspace<ResourceKey> requests(rate_limits, {
    .key_pattern = "requests/:user_id/:resource_path",
    .default_expiry = cachet::expire_in(10s),
});

constexpr std::int64_t limit = 10;

enum class Verdict { allowed, limited, allowed_cache_down };

Verdict check(const ResourceKey& key) {
  const auto count = requests.increment(key, 1);
  if (!count) return Verdict::allowed_cache_down;  // fail open
  return *count <= limit ? Verdict::allowed : Verdict::limited;
}

int main() {
  for (const cachet::Error& problem : cachet::verify()) {
    std::fprintf(stderr, "warning: %s (requests will not be limited)\n", problem.what().c_str());
  }

  // A burst of requests: each user has a habit (how many requests they send in the
  // burst) and spreads them over two resources.
  const std::vector<std::pair<std::string, int>> users = {
      {"ana", 4}, {"bo", 10}, {"chen", 16}, {"dara", 25}, {"eli", 40},
  };
  const std::vector<std::string> resources = {"/search", "/checkout"};
  struct Tally {
    int allowed = 0, limited = 0, failed_open = 0;
  };
  std::map<std::string, Tally> tallies;
  std::mt19937 random(7);

  std::vector<ResourceKey> stream;
  for (const auto& [user, count] : users) {
    for (int i = 0; i < count; ++i) stream.push_back({user, resources[random() % resources.size()]});
  }
  std::shuffle(stream.begin(), stream.end(), random);

  for (const ResourceKey& request : stream) {
    Tally& t = tallies[request.user_id];
    switch (check(request)) {
      case Verdict::allowed: ++t.allowed; break;
      case Verdict::limited: ++t.limited; break;
      case Verdict::allowed_cache_down: ++t.allowed, ++t.failed_open; break;
    }
  }

  std::printf("%-6s %8s %8s %12s\n", "user", "allowed", "limited", "failed open");
  for (const auto& [user, t] : tallies) {
    std::printf("%-6s %8d %8d %12d\n", user.c_str(), t.allowed, t.limited, t.failed_open);
  }
  std::printf("(at most %lld requests per user and resource per 10 seconds)\n", static_cast<long long>(limit));
  return 0;
}
