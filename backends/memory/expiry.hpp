// Expiry: deadlines, and the reclaiming of keys past them. A lookup reclaims the expired key
// it finds (Op::find); a bounded sweep every few operations on a shard samples its keys with
// a TTL, as Redis's active expiry does, so keys nobody reads again do not stay forever.
#pragma once

#include "engine/clock.hpp"
#include "engine/expiry_action.hpp"
#include "entry.hpp"

#include <cstdint>
#include <limits>
#include <optional>

namespace cachet::memory {

struct Shard;
class ShardedTable;

inline constexpr std::uint32_t sweep_interval = 16;  // operations on a shard between two sweeps

// One operation's reading of the clock: taken on first need and kept, so that an operation
// sees one instant and one that needs no time reads no clock.
class OperationClock {
 public:
  std::int64_t now() {
    if (now_ == unread) now_ = engine::clock::now_ms();
    return now_;
  }

 private:
  static constexpr std::int64_t unread = std::numeric_limits<std::int64_t>::min();
  std::int64_t now_ = unread;
};

// Whether a key that has a deadline is past it. As in Redis, a key lives through the
// millisecond of its deadline.
inline bool past_deadline(const Entry& entry, std::int64_t now) { return *entry.expiry() < now; }

// The deadline a write leaves on a key that had `old` (nullptr: a new key).
inline std::optional<std::int64_t> deadline(engine::ExpiryAction action, const Entry* old, OperationClock& clock) {
  switch (action.kind) {
    case engine::ExpiryAction::Kind::keep: return old ? old->expiry() : std::nullopt;
    case engine::ExpiryAction::Kind::persist: return std::nullopt;
    case engine::ExpiryAction::Kind::ttl: return clock.now() + action.ttl.count();
  }
  return std::nullopt;
}

// The bounded sweep of one shard, whose lock the caller holds: a few rounds of sampling its
// keys with a TTL, while a quarter or more of a round had expired.
void sweep(ShardedTable& table, Shard& shard);

// Removes every expired key of every shard (tests, tools).
void sweep_expired(ShardedTable& table);

}  // namespace cachet::memory
