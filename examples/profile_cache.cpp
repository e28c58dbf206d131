// A user profile cache: each user's profile is one hash, a field per attribute, so a page
// that shows only the name reads one field, an edit writes only the fields it changes, and a
// view counter is incremented in place, with no read-modify-write race between servers. The
// whole profile expires an hour after its last write (every write renews it), and loading it
// from the database fills every field in one atomic write.
//
// Runs with no configuration (the development cache), or for example with
//   CACHET_ENV=production CACHET_URL='memory://?max_keys=10000' ./profile_cache
//   CACHET_ENV=production CACHET_URL=redis://127.0.0.1:6379 ./profile_cache
#include <cachet/cachet.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

inline cachet::Cluster profiles_cluster("profiles");
// user id -> {attribute -> text}
inline cachet::HashKeyspace<std::int64_t, std::string, std::string> profiles(profiles_cluster, {
    .key_pattern = "profile/:key",
    .default_expiry = cachet::expire_in(1h),
});
// user id -> {counter -> value}: views and likes, incremented where they are kept.
inline cachet::HashKeyspace<std::int64_t, std::string, std::int64_t> stats(profiles_cluster, {
    .key_pattern = "profile-stats/:key",
    .default_expiry = cachet::expire_in(1h),
});

// The database the cache stands in front of (here, a map), and how often it was asked.
int database_reads = 0;
std::vector<std::pair<std::string, std::string>> load_profile(std::int64_t id) {
  ++database_reads;
  static const std::map<std::int64_t, std::vector<std::pair<std::string, std::string>>> rows{
      {1, {{"name", "Ana"}, {"city", "Lisbon"}, {"plan", "free"}}},
      {2, {{"name", "Bo"}, {"city", "Oslo"}, {"plan", "pro"}}},
  };
  return rows.at(id);
}

int fail(const cachet::Error& e) {
  std::fprintf(stderr, "%s\n", e.what().c_str());
  return 1;
}

// One field of a profile, from the cache, or the whole profile loaded into it on a miss.
cachet::Result<std::string> profile_field(std::int64_t id, const std::string& field) {
  auto cached = profiles.get(id, field);
  if (cached || cached.error().code != cachet::Errc::miss) return cached;
  // A miss: the profile is not cached (or has no such field): fill every field at once.
  if (!profiles.exists(id).value_or(false)) {
    if (auto filled = profiles.set_many(id, load_profile(id)); !filled) return std::unexpected(filled.error());
  }
  return profiles.get(id, field);
}

int main() {
  // The name is read twice: the database once.
  for (int i = 0; i < 2; ++i) {
    auto name = profile_field(1, "name");
    if (!name) return fail(name.error());
    std::printf("user 1: %s\n", name->c_str());
  }
  auto city = profile_field(1, "city");
  if (!city) return fail(city.error());
  std::printf("user 1 lives in %s; %d database read\n", city->c_str(), database_reads);

  // An edit changes one field and leaves the others cached.
  if (auto changed = profiles.set(1, "city", "Porto"); !changed) return fail(changed.error());
  const auto fields = profiles.multi_get(1, "name", "city", "email");
  if (!fields) return fail(fields.error());
  std::printf("user 1 after moving: %s in %s, email %s\n", (*fields)[0].value_or("?").c_str(),
              (*fields)[1].value_or("?").c_str(), (*fields)[2] ? (*fields)[2]->c_str() : "not given");

  // Counters are incremented in the cache itself.
  for (int i = 0; i < 5; ++i) {
    if (auto views = stats.increment(1, "views"); !views) return fail(views.error());
  }
  if (auto likes = stats.increment(1, "likes", 2); !likes) return fail(likes.error());
  const auto counted = stats.items_map(1);
  if (!counted) return fail(counted.error());
  std::printf("user 1: %lld views, %lld likes\n", (long long)counted->at("views"), (long long)counted->at("likes"));

  // Signing out everywhere forgets the cached profile; the next read loads it again.
  if (auto erased = profiles.erase(1); !erased) return fail(erased.error());
  auto again = profile_field(1, "city");
  if (!again) return fail(again.error());
  std::printf("user 1 reloaded: %s; %d database reads\n", again->c_str(), database_reads);
  const auto ttl = profiles.ttl(1);
  if (!ttl) return fail(ttl.error());
  std::printf("user 1's profile expires within the hour: %s\n", *ttl && **ttl <= 1h ? "yes" : "no");
  return 0;
}
