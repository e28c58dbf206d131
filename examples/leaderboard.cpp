// A game's leaderboard on a sorted set: every finished match adds to the player's score for
// the day, the board shows the top 3 with their ranks, and a player can ask where they stand.
// Each day's board expires two days after its last write, so old boards clean themselves up.
//
// Runs with no configuration (the development cache), or for example with
//   CACHET_ENV=production CACHET_URL='memory://?max_keys=10000' ./leaderboard
//   CACHET_ENV=production CACHET_URL=redis://127.0.0.1:6379 ./leaderboard
#include <cachet/cachet.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;

inline cachet::Cluster games("games");
// One board per day, keyed by the date ("2026-12-03"); members are players, scores their points.
inline cachet::SortedSetKeyspace<std::string, std::string> daily_board(games, {
    .key_pattern = "board/:key",
    .default_expiry = cachet::expire_in(48h),
});

struct Match {
  std::string player;
  double points;
};

int main() {
  for (const cachet::Error& problem : cachet::verify()) {
    std::fprintf(stderr, "warning: %s\n", problem.what().c_str());
  }
  const std::string today = "2026-12-03";

  // The day's matches, as they finish: each adds the points won (ZINCRBY).
  const std::vector<Match> matches = {
      {"ana", 120}, {"bo", 80}, {"chen", 200}, {"dara", 40}, {"bo", 95},
      {"eli", 150}, {"ana", 30}, {"dara", 10}, {"eli", 60}, {"fay", 5},
  };
  for (const Match& m : matches) {
    if (auto total = daily_board.increment(today, m.player, m.points); !total) {
      std::fprintf(stderr, "could not record %s's match: %s\n", m.player.c_str(), total.error().what().c_str());
      return 1;
    }
  }

  // The top 3, highest first (ZRANGE 0 2 REV WITHSCORES).
  const auto top = daily_board.range_desc(today, 0, 2);
  if (!top) {
    std::fprintf(stderr, "no board: %s\n", top.error().what().c_str());
    return 1;
  }
  std::printf("top 3 on %s:\n", today.c_str());
  for (std::size_t i = 0; i < top->size(); ++i) {
    std::printf("  #%zu %s %.0f\n", i + 1, (*top)[i].member.c_str(), (*top)[i].score);
  }

  // Where one player stands (ZREVRANK, ZSCORE), and how many play at all (ZCARD).
  const auto players = daily_board.len(today);
  for (const std::string player : {"dara", "zoe"}) {
    const auto rank = daily_board.rank_desc(today, player);
    if (rank) {
      std::printf("%s is #%lld of %lld with %.0f points\n", player.c_str(), static_cast<long long>(*rank + 1),
                  static_cast<long long>(players.value_or(0)), daily_board.score(today, player).value_or(0));
    } else if (rank.error().code == cachet::Errc::miss) {
      std::printf("%s has not played today\n", player.c_str());
    } else {
      std::fprintf(stderr, "%s: %s\n", player.c_str(), rank.error().what().c_str());
      return 1;
    }
  }

  // Players within 100 points of a prize at 250 (ZRANGE BYSCORE with an exclusive bound).
  const auto close = daily_board.range_by_score_desc(today, {250, false}, {150});
  std::printf("close to the 250-point prize:");
  for (const auto& p : close.value_or(std::vector<cachet::Scored<std::string>>{})) {
    std::printf(" %s (%.0f)", p.member.c_str(), p.score);
  }
  std::printf("\n");
  return 0;
}
