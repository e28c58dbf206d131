// The sorted-set primitives on the server: ZADD and ZREM (chunked inside the write script),
// ZINCRBY, the reads (ZSCORE, ZRANK, ZRANGE ... WITHSCORES), ZPOPMIN/MAX, ZRANDMEMBER and the
// algebra (ZDIFF, ZINTER, ZUNION and their STORE forms, through scripts that refuse a key of
// another type, a plain set included, as the memory backend does).
//
// Scores travel as text: sent in the shortest form that reads back as the same double
// ("inf" and "-inf" for the infinities), read back with from_chars, so both ways are exact.
#include "sorted_sets.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <unordered_map>

namespace cachet::redis {

using engine::ExpiryAction;
using engine::ScoredMember;
using engine::SetAlgebra;
using engine::ZAddMode;
using engine::ZScoreBound;

namespace {

// ZDIFF/ZINTER/ZUNION ... WITHSCORES on one slot, after every key's type is checked.
//   KEYS the sources; ARGV[1] the command.
constexpr std::string_view algebra_read_script = R"lua(
local args = {ARGV[1], #KEYS}
for i = 1, #KEYS do
  local kind = redis.call('TYPE', KEYS[i]).ok
  if kind ~= 'zset' and kind ~= 'none' then
    return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value')
  end
  args[#args + 1] = KEYS[i]
end
args[#args + 1] = 'WITHSCORES'
return redis.call(unpack(args))
)lua";

// ZDIFFSTORE/ZINTERSTORE/ZUNIONSTORE with an expiry, as the store script of sets:
//   KEYS[1] the destination, KEYS[2..] the sources, those equal to the destination first
//           (after the first source for ZDIFFSTORE), in chunks whose later ones read the
//           destination as the result so far (sums are associative, differences chain).
//   ARGV[1] the command, ARGV[2] 'keep', 'persist', or the TTL in milliseconds.
constexpr std::string_view algebra_store_script = R"lua(
for i = 2, #KEYS do
  local kind = redis.call('TYPE', KEYS[i]).ok
  if kind ~= 'zset' and kind ~= 'none' then
    return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value')
  end
end
local command, expiry, destination, chunk = ARGV[1], ARGV[2], KEYS[1], 1000
local first = math.min(#KEYS, 1 + chunk)
local size = redis.call(command, destination, first - 1, unpack(KEYS, 2, first))
local i = first + 1
while i <= #KEYS do
  local last = math.min(#KEYS, i + chunk - 1)
  size = redis.call(command, destination, last - i + 2, destination, unpack(KEYS, i, last))
  i = last + 1
end
if expiry == 'persist' then redis.call('PERSIST', destination)
elseif expiry ~= 'keep' then redis.call('PEXPIRE', destination, expiry) end
return size
)lua";

std::string_view algebra_command(SetAlgebra op, bool store) {
  switch (op) {
    case SetAlgebra::diff: return store ? "ZDIFFSTORE" : "ZDIFF";
    case SetAlgebra::intersect: return store ? "ZINTERSTORE" : "ZINTER";
    case SetAlgebra::union_: return store ? "ZUNIONSTORE" : "ZUNION";
  }
  return "ZUNION";
}

std::string format_score(double score) {
  if (std::isinf(score)) return score > 0 ? "inf" : "-inf";
  char buffer[32];
  // -0 goes as 0: Redis keeps it as 0 in a small sorted set, so it is 0 everywhere.
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, score + 0.0);
  return std::string(buffer, end);
}

std::string format_bound(ZScoreBound bound) { return (bound.inclusive ? "" : "(") + format_score(bound.value); }

Result<double> parse_score(std::string_view text) {
  double value = 0;
  const char* begin = text.data();
  if (!text.empty() && text.front() == '+') ++begin;
  auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || std::isnan(value)) {
    return fail(Errc::protocol, "redis answered a score that is not a number: " + std::string(text.substr(0, 64)));
  }
  return value;
}

Result<double> score_reply(const redisReply& reply) {
  auto text = string_reply(reply);
  if (!text) return std::unexpected(std::move(text.error()));
  return parse_score(*text);
}

Result<std::optional<double>> optional_score(const redisReply& reply) {
  auto text = bulk(reply);
  if (!text) return std::unexpected(std::move(text.error()));
  if (!*text) return std::nullopt;
  auto score = parse_score(**text);
  if (!score) return std::unexpected(std::move(score.error()));
  return *score;
}

Result<std::optional<std::int64_t>> optional_integer(const redisReply& reply) {
  if (reply.type == REDIS_REPLY_NIL) return std::nullopt;
  auto n = integer(reply);
  if (!n) return std::unexpected(std::move(n.error()));
  return *n;
}

// A WITHSCORES answer: member, score, member, score, ...
Result<std::vector<ScoredMember>> scored(const redisReply& reply) {
  auto items = redis::strings(reply);
  if (!items) return std::unexpected(std::move(items.error()));
  if (items->size() % 2 != 0) return fail(Errc::protocol, "redis answered an odd WITHSCORES list");
  std::vector<ScoredMember> out;
  out.reserve(items->size() / 2);
  for (std::size_t i = 0; i < items->size(); i += 2) {
    auto score = parse_score((*items)[i + 1]);
    if (!score) return std::unexpected(std::move(score.error()));
    out.push_back({std::move((*items)[i]), *score});
  }
  return out;
}

double add_scores(double a, double b) {
  const double sum = a + b;
  return std::isnan(sum) ? 0.0 : sum;  // as Redis: inf + -inf is 0
}

// ZDIFF, ZINTER or ZUNION of sorted sets read one by one (a cluster's keys in several slots),
// as the server computes them: union and intersection sum in order of size.
std::vector<ScoredMember> combine(SetAlgebra op, std::vector<std::vector<ScoredMember>> sets) {
  std::vector<ScoredMember> out;
  if (op == SetAlgebra::diff) {
    std::unordered_map<std::string_view, bool> others;
    for (std::size_t i = 1; i < sets.size(); ++i) {
      for (const auto& m : sets[i]) others.emplace(m.member, true);
    }
    for (auto& m : sets.front()) {
      if (!others.contains(m.member)) out.push_back(m);
    }
    return out;  // already in order
  }
  std::vector<std::size_t> order(sets.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (std::size_t i = 1; i < order.size(); ++i) {  // stable insertion sort by size
    for (std::size_t j = i; j > 0 && sets[order[j]].size() < sets[order[j - 1]].size(); --j) {
      std::swap(order[j], order[j - 1]);
    }
  }
  if (op == SetAlgebra::union_) {
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t i : order) {
      for (auto& m : sets[i]) {
        auto [it, fresh] = seen.try_emplace(m.member, out.size());
        if (fresh) out.push_back(m);
        else out[it->second].score = add_scores(out[it->second].score, m.score);
      }
    }
  } else {
    std::vector<std::unordered_map<std::string_view, double>> scores(sets.size());
    for (std::size_t i = 0; i < sets.size(); ++i) {
      for (const auto& m : sets[i]) scores[i].emplace(m.member, m.score);
    }
    for (const auto& m : sets[order.front()]) {
      double sum = m.score;
      bool everywhere = true;
      for (std::size_t k = 1; k < order.size() && everywhere; ++k) {
        auto it = scores[order[k]].find(m.member);
        if (it == scores[order[k]].end()) everywhere = false;
        else sum = add_scores(sum, it->second);
      }
      if (everywhere) out.push_back({m.member, sum});
    }
  }
  std::sort(out.begin(), out.end(), [](const ScoredMember& a, const ScoredMember& b) {
    return a.score < b.score || (a.score == b.score && a.member < b.member);
  });
  return out;
}

Result<void> check_bounds(ZScoreBound min, ZScoreBound max) {
  if (std::isnan(min.value) || std::isnan(max.value)) return fail(Errc::invalid_value, "min or max is not a float");
  return {};
}

}  // namespace

Result<std::int64_t> RedisSortedSets::zadd(std::string_view key, std::span<const ScoredMember> members, ZAddMode mode,
                                           ExpiryAction expiry) {
  for (const auto& m : members) {
    if (std::isnan(m.score)) return fail(Errc::invalid_value, "score is not a valid float (NaN)");
  }
  if (members.empty()) {  // adds nothing and sets no TTL; still WRONGTYPE for a key of another type
    auto card = client_.read(client_.on("ZCARD", key), integer);
    if (!card) return card;
    return 0;
  }
  // The commands hold views of the scores' text: a deque keeps each string where it is.
  std::deque<std::string> scores;
  std::vector<Command> commands;
  constexpr std::size_t pairs_per_command = script_chunk / 2;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i % pairs_per_command == 0) {
      Command& c = commands.emplace_back(client_.on("ZADD", key));
      switch (mode) {
        case ZAddMode::always: break;
        case ZAddMode::if_absent: c.arg("NX"); break;
        case ZAddMode::if_present: c.arg("XX"); break;
        case ZAddMode::if_greater: c.arg("GT"); break;
        case ZAddMode::if_less: c.arg("LT"); break;
      }
    }
    commands.back().arg(scores.emplace_back(format_score(members[i].score))).arg(members[i].member);
  }
  return total(client_.write(commands, {&key, 1}, Written::always, expiry));
}

Result<double> RedisSortedSets::zincrby(std::string_view key, std::string_view member, double delta,
                                        ExpiryAction expiry) {
  if (std::isnan(delta)) return fail(Errc::invalid_value, "score is not a valid float (NaN)");
  const std::string text = format_score(delta);
  return answer(client_.write(client_.on("ZINCRBY", key).arg(text).arg(member), key, Written::always, expiry),
                score_reply);
}

Result<std::optional<double>> RedisSortedSets::zscore(std::string_view key, std::string_view member) {
  return client_.read(client_.on("ZSCORE", key).arg(member), optional_score);
}

Result<std::vector<std::optional<double>>> RedisSortedSets::zmscore(std::string_view key,
                                                                    std::span<const std::string> members) {
  if (members.empty()) {  // ZMSCORE needs a member; still WRONGTYPE for a key of another type
    auto card = client_.read(client_.on("ZCARD", key), integer);
    if (!card) return std::unexpected(std::move(card.error()));
    return std::vector<std::optional<double>>();
  }
  Command command = client_.on("ZMSCORE", key);
  for (const auto& m : members) command.arg(m);
  auto reply = client_.call(command);
  if (!reply) return std::unexpected(std::move(reply.error()));
  auto texts = optional_strings(**reply);
  if (!texts) return std::unexpected(std::move(texts.error()));
  std::vector<std::optional<double>> out;
  out.reserve(texts->size());
  for (const auto& t : *texts) {
    if (!t) {
      out.push_back(std::nullopt);
      continue;
    }
    auto score = parse_score(*t);
    if (!score) return std::unexpected(std::move(score.error()));
    out.push_back(*score);
  }
  return out;
}

Result<std::optional<std::int64_t>> RedisSortedSets::zrank(std::string_view key, std::string_view member,
                                                           bool reverse) {
  return client_.read(client_.on(reverse ? "ZREVRANK" : "ZRANK", key).arg(member), optional_integer);
}

Result<std::vector<ScoredMember>> RedisSortedSets::zrange(std::string_view key, std::int64_t start, std::int64_t stop,
                                                          bool reverse) {
  Command command = client_.on("ZRANGE", key);
  command.arg(start).arg(stop);
  if (reverse) command.arg("REV");
  command.arg("WITHSCORES");
  return client_.read(command, scored);
}

Result<std::vector<ScoredMember>> RedisSortedSets::zrange_by_score(std::string_view key, ZScoreBound min,
                                                                   ZScoreBound max, std::int64_t offset,
                                                                   std::int64_t count, bool reverse) {
  if (auto ok = check_bounds(min, max); !ok) return std::unexpected(ok.error());
  const std::string low = format_bound(min), high = format_bound(max);
  Command command = client_.on("ZRANGE", key);
  // With REV the range is written from its high end.
  command.arg(reverse ? high : low).arg(reverse ? low : high).arg("BYSCORE");
  if (reverse) command.arg("REV");
  if (offset != 0 || count >= 0) command.arg("LIMIT").arg(offset).arg(count < 0 ? std::int64_t(-1) : count);
  command.arg("WITHSCORES");
  return client_.read(command, scored);
}

Result<std::int64_t> RedisSortedSets::zcount(std::string_view key, ZScoreBound min, ZScoreBound max) {
  if (auto ok = check_bounds(min, max); !ok) return std::unexpected(ok.error());
  const std::string low = format_bound(min), high = format_bound(max);
  return client_.read(client_.on("ZCOUNT", key).arg(low).arg(high), integer);
}

Result<std::int64_t> RedisSortedSets::zcard(std::string_view key) {
  return client_.read(client_.on("ZCARD", key), integer);
}

Result<std::int64_t> RedisSortedSets::zrem(std::string_view key, std::span<const std::string> members,
                                           ExpiryAction expiry) {
  if (members.empty()) {  // removes nothing and changes no TTL; still WRONGTYPE for another type
    auto card = client_.read(client_.on("ZCARD", key), integer);
    if (!card) return card;
    return 0;
  }
  return total(client_.write(client_.variadic("ZREM", key, members), {&key, 1}, Written::always, expiry));
}

Result<std::int64_t> RedisSortedSets::zremrange_by_rank(std::string_view key, std::int64_t start, std::int64_t stop,
                                                        ExpiryAction expiry) {
  return answer(client_.write(client_.on("ZREMRANGEBYRANK", key).arg(start).arg(stop), key, Written::always, expiry),
                integer);
}

Result<std::int64_t> RedisSortedSets::zremrange_by_score(std::string_view key, ZScoreBound min, ZScoreBound max,
                                                         ExpiryAction expiry) {
  if (auto ok = check_bounds(min, max); !ok) return std::unexpected(ok.error());
  const std::string low = format_bound(min), high = format_bound(max);
  return answer(client_.write(client_.on("ZREMRANGEBYSCORE", key).arg(low).arg(high), key, Written::always, expiry),
                integer);
}

Result<std::vector<ScoredMember>> RedisSortedSets::zpop(std::string_view key, std::int64_t count, bool max,
                                                        ExpiryAction expiry) {
  if (count < 0) return fail(Errc::out_of_range, "count must not be negative");
  if (count == 0) {  // pops none and leaves the TTL alone; still WRONGTYPE for another type
    auto card = client_.read(client_.on("ZCARD", key), integer);
    if (!card) return std::unexpected(std::move(card.error()));
    return std::vector<ScoredMember>();
  }
  return answer(client_.write(client_.on(max ? "ZPOPMAX" : "ZPOPMIN", key).arg(count), key, Written::always, expiry),
                scored);
}

Result<std::vector<std::string>> RedisSortedSets::zrandmember(std::string_view key, std::int64_t count) {
  if (count < -engine::max_random_members) {
    // More draws than any answer may hold: refused for a sorted set, empty for no key, as in memory.
    auto card = client_.read(client_.on("ZCARD", key), integer);
    if (!card) return std::unexpected(std::move(card.error()));
    if (*card > 0) return fail(Errc::out_of_range, "count is too large");
    return std::vector<std::string>();
  }
  return client_.read(client_.on("ZRANDMEMBER", key).arg(count), redis::strings);
}

Result<std::vector<ScoredMember>> RedisSortedSets::zset_algebra(SetAlgebra op, std::span<const std::string> keys) {
  if (keys.empty()) return std::vector<ScoredMember>();
  const auto groups = client_.by_slot(keys);
  if (groups.size() == 1 && keys.size() <= script_chunk) {
    Command eval("EVAL");
    eval.arg(algebra_read_script).arg(std::int64_t(keys.size()));
    for (const auto& k : keys) eval.key(client_.prefix(), k);
    eval.arg(algebra_command(op, false));
    return client_.read(eval, scored);
  }
  // Keys in several slots of a cluster (or more than a script takes): each sorted set whole
  // (the slots of a node in one round trip), then the algebra here.
  auto sets = client_.read_each<std::vector<ScoredMember>>(
      keys, groups,
      [&](std::string_view key) {
        return std::move(client_.on("ZRANGE", key).arg(std::int64_t(0)).arg(std::int64_t(-1)).arg("WITHSCORES"));
      },
      scored);
  if (!sets) return std::unexpected(std::move(sets.error()));
  return combine(op, std::move(*sets));
}

Result<std::int64_t> RedisSortedSets::zset_algebra_store(SetAlgebra op, std::string_view destination,
                                                         std::span<const std::string> keys, ExpiryAction expiry) {
  return client_.store(algebra_store_script, algebra_command(op, true), destination, keys, op == SetAlgebra::diff, expiry);
}

}  // namespace cachet::redis
