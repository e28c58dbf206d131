// ZADD, ZRANGE, ZUNION and the other sorted-set operations on the memory engine, in terms of Op.
#include "memory_sorted_sets.hpp"

#include "op.hpp"
#include "sorted_set_value.hpp"

#include <boost/container/small_vector.hpp>
#include <boost/unordered/unordered_flat_map.hpp>

#include <algorithm>
#include <cmath>

namespace cachet::memory {

using engine::ExpiryAction;
using engine::ScoredMember;
using engine::SetAlgebra;
using engine::ZAddMode;
using engine::ZScoreBound;

namespace {

std::unexpected<Error> nan_score() { return fail(Errc::invalid_value, "score is not a valid float (NaN)"); }

Result<void> check_bounds(ZScoreBound min, ZScoreBound max) {
  if (std::isnan(min.value) || std::isnan(max.value)) return fail(Errc::invalid_value, "min or max is not a float");
  return {};
}

// Redis's window of ranks for start..stop (negative from the end): [first, last), maybe empty.
std::pair<std::size_t, std::size_t> rank_window(std::int64_t start, std::int64_t stop, std::size_t size) {
  const auto n = std::int64_t(size);
  if (start < 0) start += n;
  if (stop < 0) stop += n;
  if (start < 0) start = 0;
  if (start > stop || start >= n) return {0, 0};
  if (stop >= n) stop = n - 1;
  return {std::size_t(start), std::size_t(stop) + 1};
}

// The ranks of the members within [min, max]: [first, last), maybe empty.
std::pair<std::size_t, std::size_t> score_window(const SortedSetValue& z, ZScoreBound min, ZScoreBound max) {
  const std::size_t first = z.count_below(min.value, !min.inclusive);
  const std::size_t last = z.count_below(max.value, max.inclusive);
  return first < last ? std::pair{first, last} : std::pair<std::size_t, std::size_t>{0, 0};
}

std::vector<ScoredMember> collect(const SortedSetValue& z, std::size_t first, std::size_t last, bool descending) {
  std::vector<ScoredMember> out;
  out.reserve(last > first ? last - first : 0);
  z.visit(first, last, descending, [&](std::string_view m, double s) { out.push_back({std::string(m), s}); });
  return out;
}

// Redis's sum of scores: inf + -inf counts as 0 rather than NaN.
double add_scores(double a, double b) {
  const double sum = a + b;
  return std::isnan(sum) ? 0.0 : sum;
}

// ZDIFF / ZINTER / ZUNION over sorted sets already looked up (nullptr: a missing key).
std::vector<ScoredMember> combine(SetAlgebra op, std::span<const SortedSetValue* const> sets) {
  std::vector<ScoredMember> out;
  if (sets.empty()) return out;
  auto all = [](const SortedSetValue* z, auto&& f) {
    if (z != nullptr) z->visit(0, z->size(), false, f);
  };
  switch (op) {
    case SetAlgebra::diff:
      all(sets[0], [&](std::string_view m, double s) {
        if (std::none_of(sets.begin() + 1, sets.end(), [&](const SortedSetValue* z) { return z && z->score(m); })) {
          out.push_back({std::string(m), s});
        }
      });
      return out;  // already in order
    case SetAlgebra::intersect: {
      if (std::any_of(sets.begin(), sets.end(), [](const SortedSetValue* z) { return z == nullptr; })) return out;
      // As Redis does: the smallest set drives, and scores are summed smallest set first.
      boost::container::small_vector<const SortedSetValue*, 8> by_size(sets.begin(), sets.end());
      for (std::size_t i = 1; i < by_size.size(); ++i) {  // stable insertion sort: a few keys
        for (std::size_t j = i; j > 0 && by_size[j]->size() < by_size[j - 1]->size(); --j) {
          std::swap(by_size[j], by_size[j - 1]);
        }
      }
      all(by_size[0], [&](std::string_view m, double s) {
        double sum = s;
        for (std::size_t i = 1; i < by_size.size(); ++i) {
          const auto other = by_size[i]->score(m);
          if (!other) return;
          sum = add_scores(sum, *other);
        }
        out.push_back({std::string(m), sum});
      });
      break;
    }
    case SetAlgebra::union_: {
      boost::container::small_vector<const SortedSetValue*, 8> by_size;
      for (const SortedSetValue* z : sets) {
        if (z != nullptr) by_size.push_back(z);
      }
      for (std::size_t i = 1; i < by_size.size(); ++i) {
        for (std::size_t j = i; j > 0 && by_size[j]->size() < by_size[j - 1]->size(); --j) {
          std::swap(by_size[j], by_size[j - 1]);
        }
      }
      boost::unordered_flat_map<std::string_view, std::size_t> seen;
      for (const SortedSetValue* z : by_size) {
        all(z, [&](std::string_view m, double s) {
          auto [it, fresh] = seen.try_emplace(m, out.size());
          if (fresh) out.push_back({std::string(m), s});
          else out[it->second].score = add_scores(out[it->second].score, s);
        });
      }
      break;
    }
  }
  std::sort(out.begin(), out.end(), [](const ScoredMember& a, const ScoredMember& b) {
    return a.score < b.score || (a.score == b.score && a.member < b.member);
  });
  return out;
}

// -0 is stored as 0, as Redis stores it (its compact encoding keeps an integral score as an
// integer), so a score never reads back as "-0" on one backend and "0" on the other.
double stored(double score) { return score + 0.0; }

std::size_t members_bytes(std::span<const ScoredMember> members) {
  std::size_t total = 0;
  for (const auto& m : members) total += m.member.size() + 48;
  return total;
}

}  // namespace

Result<std::int64_t> MemorySortedSets::zadd(std::string_view key, std::span<const ScoredMember> members, ZAddMode mode,
                                            ExpiryAction expiry) {
  for (const auto& m : members) {
    if (m.member.size() > engine::max_value_bytes) return too_large();
    if (std::isnan(m.score)) return nan_score();
  }
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
    if (members.empty()) return 0;
    if (!f && mode == ZAddMode::if_present) return 0;  // XX adds nothing, so creates nothing
    if (!op.admits(f, std::int64_t(members_bytes(members) + (f ? 0 : key.size() + 64)))) {
      return std::unexpected(op.out_of_memory());
    }
    SortedSetValue* z =
        f ? f.entry->sorted_set() : op.create<SortedSetValue>(f, key, hash, ValueKind::sorted_set, expiry);
    const std::int64_t added = op.change(z, [&] {
      std::int64_t n = 0;
      for (const auto& m : members) {
        const auto old = z->score(m.member);
        if (!old) {
          if (mode != ZAddMode::if_present) n += z->insert(m.member, stored(m.score)) ? 1 : 0;
          continue;
        }
        const bool skip = mode == ZAddMode::if_absent || (mode == ZAddMode::if_greater && !(m.score > *old)) ||
                          (mode == ZAddMode::if_less && !(m.score < *old));
        if (!skip && m.score != *old) z->update(m.member, *old, stored(m.score));
      }
      return n;
    });
    op.finish_container(f, hash, z, expiry);
    return added;
  });
}

Result<double> MemorySortedSets::zincrby(std::string_view key, std::string_view member, double delta,
                                         ExpiryAction expiry) {
  if (member.size() > engine::max_value_bytes) return too_large();
  if (std::isnan(delta)) return nan_score();
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<double> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
    const std::optional<double> found = f ? f.entry->sorted_set()->score(member) : std::nullopt;
    const bool existed = found.has_value();
    const double old = found.value_or(0.0);
    const double score = stored(existed ? old + delta : delta);
    if (std::isnan(score)) return fail(Errc::invalid_value, "resulting score is not a number (NaN)");
    if (!op.admits(f, std::int64_t(member.size() + 48 + (f ? 0 : key.size() + 64)))) {
      return std::unexpected(op.out_of_memory());
    }
    SortedSetValue* z =
        f ? f.entry->sorted_set() : op.create<SortedSetValue>(f, key, hash, ValueKind::sorted_set, expiry);
    op.change(z, [&] {
      if (existed) z->update(member, old, score);
      else z->insert(member, score);
    });
    op.finish_container(f, hash, z, expiry);
    return score;
  });
}

Result<std::optional<double>> MemorySortedSets::zscore(std::string_view key, std::string_view member) {
  if (member.size() > engine::max_value_bytes) return too_large();
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::optional<double>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
    if (!f) return std::nullopt;
    return f.entry->sorted_set()->score(member);
  });
}

Result<std::vector<std::optional<double>>> MemorySortedSets::zmscore(std::string_view key,
                                                                     std::span<const std::string> members) {
  if (auto ok = check_elements(members); !ok) return std::unexpected(ok.error());
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<std::optional<double>>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
    std::vector<std::optional<double>> out(members.size());
    if (f) {
      for (std::size_t i = 0; i < members.size(); ++i) out[i] = f.entry->sorted_set()->score(members[i]);
    }
    return out;
  });
}

Result<std::optional<std::int64_t>> MemorySortedSets::zrank(std::string_view key, std::string_view member,
                                                            bool reverse) {
  if (member.size() > engine::max_value_bytes) return too_large();
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::optional<std::int64_t>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
    if (!f) return std::nullopt;
    const SortedSetValue* z = f.entry->sorted_set();
    const auto rank = z->rank(member);
    if (!rank) return std::nullopt;
    return std::int64_t(reverse ? z->size() - 1 - *rank : *rank);
  });
}

Result<std::vector<ScoredMember>> MemorySortedSets::zrange(std::string_view key, std::int64_t start, std::int64_t stop,
                                                           bool reverse) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<ScoredMember>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
    if (!f) return std::vector<ScoredMember>();
    const SortedSetValue* z = f.entry->sorted_set();
    auto [first, last] = rank_window(start, stop, z->size());
    if (reverse) {  // ranks counted from the highest score
      if (first >= last) return std::vector<ScoredMember>();
      const std::size_t n = z->size();
      return collect(*z, n - last, n - first, true);
    }
    return collect(*z, first, last, false);
  });
}

Result<std::vector<ScoredMember>> MemorySortedSets::zrange_by_score(std::string_view key, ZScoreBound min,
                                                                    ZScoreBound max, std::int64_t offset,
                                                                    std::int64_t count, bool reverse) {
  if (auto ok = check_bounds(min, max); !ok) return std::unexpected(ok.error());
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<ScoredMember>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
    // As Redis: a negative offset skips everything, a negative count takes all that follow.
    if (!f || offset < 0 || count == 0) return std::vector<ScoredMember>();
    const SortedSetValue* z = f.entry->sorted_set();
    auto [first, last] = score_window(*z, min, max);
    const std::size_t width = last - first;
    if (std::uint64_t(offset) >= width) return std::vector<ScoredMember>();
    const std::size_t take = count < 0 ? width - std::size_t(offset)
                                       : std::min<std::size_t>(width - std::size_t(offset), std::uint64_t(count));
    if (reverse) return collect(*z, last - std::size_t(offset) - take, last - std::size_t(offset), true);
    return collect(*z, first + std::size_t(offset), first + std::size_t(offset) + take, false);
  });
}

Result<std::int64_t> MemorySortedSets::zcount(std::string_view key, ZScoreBound min, ZScoreBound max) {
  if (auto ok = check_bounds(min, max); !ok) return std::unexpected(ok.error());
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
    if (!f) return 0;
    auto [first, last] = score_window(*f.entry->sorted_set(), min, max);
    return std::int64_t(last - first);
  });
}

Result<std::int64_t> MemorySortedSets::zcard(std::string_view key) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
    return f ? std::int64_t(f.entry->sorted_set()->size()) : 0;
  });
}

Result<std::int64_t> MemorySortedSets::zrem(std::string_view key, std::span<const std::string> members,
                                            ExpiryAction expiry) {
  if (auto ok = check_elements(members); !ok) return std::unexpected(ok.error());
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
    if (!f || members.empty()) return 0;
    SortedSetValue* z = f.entry->sorted_set();
    const std::int64_t removed = op.change(z, [&] {
      std::int64_t n = 0;
      for (const auto& m : members) n += z->remove(m) ? 1 : 0;
      return n;
    });
    op.finish_container(f, hash, z, expiry);
    return removed;
  });
}

Result<std::int64_t> MemorySortedSets::zremrange_by_rank(std::string_view key, std::int64_t start, std::int64_t stop,
                                                         ExpiryAction expiry) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
    if (!f) return 0;
    SortedSetValue* z = f.entry->sorted_set();
    auto [first, last] = rank_window(start, stop, z->size());
    op.change(z, [&] { z->remove_ranks(first, last); });
    op.finish_container(f, hash, z, expiry);
    return std::int64_t(last - first);
  });
}

Result<std::int64_t> MemorySortedSets::zremrange_by_score(std::string_view key, ZScoreBound min, ZScoreBound max,
                                                          ExpiryAction expiry) {
  if (auto ok = check_bounds(min, max); !ok) return std::unexpected(ok.error());
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
    if (!f) return 0;
    SortedSetValue* z = f.entry->sorted_set();
    auto [first, last] = score_window(*z, min, max);
    op.change(z, [&] { z->remove_ranks(first, last); });
    op.finish_container(f, hash, z, expiry);
    return std::int64_t(last - first);
  });
}

Result<std::vector<ScoredMember>> MemorySortedSets::zpop(std::string_view key, std::int64_t count, bool max,
                                                         ExpiryAction expiry) {
  if (count < 0) return fail(Errc::out_of_range, "count must not be negative");
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<ScoredMember>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
    // Popping none takes nothing and leaves the TTL alone (as SPOP 0).
    if (!f || count == 0) return std::vector<ScoredMember>();
    SortedSetValue* z = f.entry->sorted_set();
    const std::size_t n = std::min<std::size_t>(z->size(), std::uint64_t(count));
    const std::size_t first = max ? z->size() - n : 0;
    std::vector<ScoredMember> out = collect(*z, first, first + n, max);
    op.change(z, [&] { z->remove_ranks(first, first + n); });
    op.finish_container(f, hash, z, expiry);
    return out;
  });
}

Result<std::vector<std::string>> MemorySortedSets::zrandmember(std::string_view key, std::int64_t count) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<std::string>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
    std::vector<std::string> out;
    if (!f || count == 0) return out;
    const SortedSetValue* z = f.entry->sorted_set();
    Random& random = op.random(hash);
    auto member_at = [&](std::size_t rank) {
      z->visit(rank, rank + 1, false, [&](std::string_view m, double) { out.emplace_back(m); });
    };
    if (count < 0) {  // with replacement: members may repeat
      const std::uint64_t n = std::uint64_t(-(count + 1)) + 1;
      if (n > std::uint64_t(engine::max_random_members)) return fail(Errc::out_of_range, "count is too large");
      out.reserve(n);
      for (std::uint64_t i = 0; i < n; ++i) member_at(random.below(z->size()));
      return out;
    }
    if (std::uint64_t(count) >= z->size()) {
      z->visit(0, z->size(), false, [&](std::string_view m, double) { out.emplace_back(m); });
      return out;
    }
    // Distinct: the first `count` steps of a Fisher-Yates shuffle of the ranks.
    std::vector<std::uint32_t> ranks(z->size());
    for (std::uint32_t i = 0; i < ranks.size(); ++i) ranks[i] = i;
    out.reserve(std::size_t(count));
    for (std::size_t i = 0; i < std::size_t(count); ++i) {
      std::swap(ranks[i], ranks[i + random.below(ranks.size() - i)]);
      member_at(ranks[i]);
    }
    return out;
  });
}

Result<std::vector<ScoredMember>> MemorySortedSets::zset_algebra(SetAlgebra algebra, std::span<const std::string> keys) {
  return table_.with_keys(keys, [&](Op& op, std::span<const std::uint64_t> hashes) -> Result<std::vector<ScoredMember>> {
    boost::container::small_vector<const SortedSetValue*, 8> sets;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      Found f = op.find(keys[i], hashes[i]);
      if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
      sets.push_back(f ? f.entry->sorted_set() : nullptr);
    }
    return combine(algebra, sets);
  });
}

Result<std::int64_t> MemorySortedSets::zset_algebra_store(SetAlgebra algebra, std::string_view destination,
                                                          std::span<const std::string> keys, ExpiryAction expiry) {
  boost::container::small_vector<std::string_view, 8> views{destination};
  views.insert(views.end(), keys.begin(), keys.end());
  return table_.with_keys(views, [&](Op& op, std::span<const std::uint64_t> hashes) -> Result<std::int64_t> {
    boost::container::small_vector<const SortedSetValue*, 8> sets;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      Found f = op.find(keys[i], hashes[i + 1]);
      if (auto ok = op.expect(f, ValueKind::sorted_set); !ok) return std::unexpected(ok.error());
      sets.push_back(f ? f.entry->sorted_set() : nullptr);
    }
    std::vector<ScoredMember> members = combine(algebra, sets);
    Found dst = op.find(destination, hashes[0]);
    if (!op.admits(dst ? 0 : 1, std::int64_t(members_bytes(members) + destination.size() + 64))) {
      return std::unexpected(op.out_of_memory());
    }
    if (dst) op.erase(dst, hashes[0]);  // replaced whatever it held
    if (members.empty()) return 0;
    SortedSetValue* z = op.create<SortedSetValue>(dst, destination, hashes[0], ValueKind::sorted_set, expiry);
    op.change(z, [&] {
      for (const auto& m : members) z->insert(m.member, m.score);
    });
    op.apply_expiry(dst, hashes[0], expiry);
    return std::int64_t(members.size());
  });
}

}  // namespace cachet::memory
