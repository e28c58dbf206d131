// A recent-activity feed and a who's-online list. Every event a user makes is pushed onto
// the head of their feed (a list), which is trimmed to the newest 50 so it never grows
// without bound; a profile page shows the newest 10. Logging in adds the user to the set
// of online users and logging out removes them, so counting and listing who is online is
// one call each. A simulated stream of events drives both, and a summary is printed.
//
// It checks its configuration with cachet::verify() before it starts, so it runs only where
// the environment is chosen: on the development cache with
//   CACHET_ENV=development ./activity_feed
// or for example with
//   CACHET_ENV=production CACHET_URL='memory://?max_keys=10000' ./activity_feed
//   CACHET_ENV=production CACHET_URL=redis://127.0.0.1:6379 ./activity_feed
#include <cachet/cachet.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace std::chrono_literals;

inline cachet::Cluster activity("activity");

// Each user's events, newest first. A feed nobody has written to for a week goes away.
inline cachet::ListKeyspace<std::string, std::string> feeds(activity, {
    .key_pattern = "feed/:key",
    .default_expiry = cachet::expire_in(24h * 7),
});

// The users online, per site ("www", "admin", ...).
inline cachet::SetKeyspace<std::string, std::string> online(activity, {.key_pattern = "online/:key"});

constexpr std::int64_t kept_events = 50;   // the newest events each feed keeps
constexpr std::int64_t shown_events = 10;  // the newest events a profile page shows

// Adds an event to the head of a user's feed and drops all but the newest kept_events.
cachet::Result<void> record(const std::string& user, int tick, const std::string& what) {
  const std::string event = "t" + std::to_string(tick) + " " + what;
  if (auto pushed = feeds.push_left(user, event); !pushed) return std::unexpected(pushed.error());
  return feeds.trim(user, 0, kept_events - 1);
}

cachet::Result<void> log_in(const std::string& site, const std::string& user, int tick) {
  if (auto added = online.add(site, user); !added) return std::unexpected(added.error());
  return record(user, tick, "logged in to " + site);
}

cachet::Result<void> log_out(const std::string& site, const std::string& user, int tick) {
  if (auto removed = online.remove(site, user); !removed) return std::unexpected(removed.error());
  return record(user, tick, "logged out of " + site);
}

int main() {
  const std::vector<cachet::Error> problems = cachet::verify();
  for (const cachet::Error& problem : problems) std::fprintf(stderr, "%s\n", problem.what().c_str());
  if (!problems.empty()) return 1;

  const std::string site = "www";
  const std::vector<std::string> users = {"ana", "bo", "chen", "dara", "eli"};
  const std::vector<std::string> actions = {"viewed post", "liked post", "commented on post", "shared post"};

  // The stream: 400 ticks. At each, a random user acts: someone offline may log in; someone
  // online now and then logs out, and otherwise does something worth a line in their feed.
  std::mt19937 random(42);
  std::vector<bool> is_online(users.size(), false);
  int events = 0, logins = 0, logouts = 0;
  for (int tick = 1; tick <= 400; ++tick) {
    const std::size_t u = random() % users.size();
    const std::string& user = users[u];
    cachet::Result<void> done;
    if (!is_online[u]) {
      if (random() % 2 != 0) continue;
      done = log_in(site, user, tick);
      is_online[u] = true;
      ++logins;
    } else if (random() % 8 == 0) {
      done = log_out(site, user, tick);
      is_online[u] = false;
      ++logouts;
    } else {
      done = record(user, tick, actions[random() % actions.size()] + " " + std::to_string(random() % 100));
    }
    if (!done) {
      std::fprintf(stderr, "%s\n", done.error().what().c_str());
      return 1;
    }
    ++events;
  }
  std::printf("%d events (%d logins, %d logouts)\n", events, logins, logouts);

  // Each feed's size, and its newest events as a profile page would show them.
  for (const std::string& user : users) {
    const auto length = feeds.len(user);
    const auto newest = feeds.get_range(user, 0, shown_events - 1);
    if (!length || !newest) {
      std::fprintf(stderr, "%s\n", (!length ? length.error() : newest.error()).what().c_str());
      return 1;
    }
    std::printf("%-5s %2lld kept; newest %zu:", user.c_str(), static_cast<long long>(*length), newest->size());
    for (const std::string& event : *newest) std::printf(" %s", event.substr(0, event.find(' ')).c_str());
    std::printf("; latest: \"%s\"\n", newest->empty() ? "" : newest->front().c_str());
  }

  // A user with no activity has an empty feed, and no latest event: a miss, not a failure.
  const auto latest = feeds.get("nobody", 0);
  if (!latest && latest.error().code != cachet::Errc::miss) {
    std::fprintf(stderr, "%s\n", latest.error().what().c_str());
    return 1;
  }
  std::printf("nobody's latest event: %s\n", latest ? latest->c_str() : "(none)");

  const auto count = online.len(site);
  auto who = online.items(site);
  if (!count || !who) {
    std::fprintf(stderr, "%s\n", (!count ? count.error() : who.error()).what().c_str());
    return 1;
  }
  std::sort(who->begin(), who->end());  // a set has no order of its own
  std::printf("online on %s (%lld):", site.c_str(), static_cast<long long>(*count));
  for (const std::string& user : *who) std::printf(" %s", user.c_str());
  std::printf("\n");
  return 0;
}
