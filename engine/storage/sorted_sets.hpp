// The primitives on sorted sets (ZADD, ZRANGE, ZUNION, ...), on raw bytes.
#pragma once

#include "../error.hpp"
#include "../expiry_action.hpp"
#include "sets.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::engine {

// A member and its score, as ZRANGE ... WITHSCORES answers them.
struct ScoredMember {
  std::string member;
  double score = 0;
  friend bool operator==(const ScoredMember&, const ScoredMember&) = default;
};

// ZADD's conditions: none, NX, XX, GT, LT.
enum class ZAddMode : std::uint8_t { always, if_absent, if_present, if_greater, if_less };

// One end of a score range: "1.5" (inclusive) or "(1.5" (exclusive); ±infinity allowed.
struct ZScoreBound {
  double value = 0;
  bool inclusive = true;
};

class SortedSetStorage {
 public:
  virtual ~SortedSetStorage() = default;

  // ZADD key [mode] score member ...: how many members were new. A NaN score is refused
  // (Errc::invalid_value); a member given twice counts once and takes its last score.
  virtual Result<std::int64_t> zadd(std::string_view key, std::span<const ScoredMember> members, ZAddMode mode,
                                    ExpiryAction expiry) = 0;
  // ZINCRBY: the new score; a result that is NaN (inf + -inf) is refused, nothing written.
  virtual Result<double> zincrby(std::string_view key, std::string_view member, double delta, ExpiryAction expiry) = 0;
  virtual Result<std::optional<double>> zscore(std::string_view key, std::string_view member) = 0;
  virtual Result<std::vector<std::optional<double>>> zmscore(std::string_view key,
                                                             std::span<const std::string> members) = 0;
  // ZRANK / ZREVRANK: nullopt for no such member.
  virtual Result<std::optional<std::int64_t>> zrank(std::string_view key, std::string_view member, bool reverse) = 0;
  // ZRANGE key start stop [REV] WITHSCORES (negative ranks count from the end).
  virtual Result<std::vector<ScoredMember>> zrange(std::string_view key, std::int64_t start, std::int64_t stop,
                                                   bool reverse) = 0;
  // ZRANGE key min max BYSCORE [REV] LIMIT offset count WITHSCORES; count < 0: all. With
  // `reverse` the members come from max down to min.
  virtual Result<std::vector<ScoredMember>> zrange_by_score(std::string_view key, ZScoreBound min, ZScoreBound max,
                                                            std::int64_t offset, std::int64_t count, bool reverse) = 0;
  virtual Result<std::int64_t> zcount(std::string_view key, ZScoreBound min, ZScoreBound max) = 0;
  virtual Result<std::int64_t> zcard(std::string_view key) = 0;
  virtual Result<std::int64_t> zrem(std::string_view key, std::span<const std::string> members,
                                    ExpiryAction expiry) = 0;
  virtual Result<std::int64_t> zremrange_by_rank(std::string_view key, std::int64_t start, std::int64_t stop,
                                                 ExpiryAction expiry) = 0;
  virtual Result<std::int64_t> zremrange_by_score(std::string_view key, ZScoreBound min, ZScoreBound max,
                                                  ExpiryAction expiry) = 0;
  // ZPOPMIN / ZPOPMAX key count (count >= 0).
  virtual Result<std::vector<ScoredMember>> zpop(std::string_view key, std::int64_t count, bool max,
                                                 ExpiryAction expiry) = 0;
  // ZRANDMEMBER key count: count > 0 distinct members, count < 0 |count| that may repeat.
  virtual Result<std::vector<std::string>> zrandmember(std::string_view key, std::int64_t count) = 0;
  // ZDIFF / ZINTER / ZUNION ... WITHSCORES, scores summed, ordered by score then member.
  // Every key must hold a sorted set or nothing (a plain set is a wrong type here).
  virtual Result<std::vector<ScoredMember>> zset_algebra(SetAlgebra op, std::span<const std::string> keys) = 0;
  // Their STORE forms: replaces destination, answers its size.
  virtual Result<std::int64_t> zset_algebra_store(SetAlgebra op, std::string_view destination,
                                                  std::span<const std::string> keys, ExpiryAction expiry) = 0;
};

}  // namespace cachet::engine
