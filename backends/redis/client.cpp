// Commands under the key prefix, round trips on the pool, and the write script's EVALSHA with
// its EVAL fallback.
#include "client.hpp"

#include "engine/hash_slot.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <thread>

namespace cachet::redis {
namespace {

using engine::ExpiryAction;

// The slot of a key as stored: the prefix (which holds no brace) and the key hash together.
int stored_slot(std::string_view prefix, std::string_view key) {
  if (prefix.empty()) return hash_slot(key);
  std::string whole;
  whole.reserve(prefix.size() + key.size());
  whole.append(prefix).append(key);
  return hash_slot(whole);
}

// A cluster's answer that the command must go elsewhere or again.
struct Redirect {
  enum Kind { none, moved, ask, try_again, down } kind = none;
  int slot = -1;
  std::string host;
  int port = 0;
  std::string message;
};

// "MOVED 3999 127.0.0.1:6381", "ASK 3999 127.0.0.1:6381", "TRYAGAIN ...", "CLUSTERDOWN ...".
Redirect redirect_of(const redisReply& reply) {
  if (reply.type != REDIS_REPLY_ERROR) return {};
  const std::string_view text(reply.str, reply.len);
  Redirect r;
  r.message = std::string(text);
  if (text.starts_with("TRYAGAIN")) r.kind = Redirect::try_again;
  else if (text.starts_with("CLUSTERDOWN")) r.kind = Redirect::down;
  else if (text.starts_with("MOVED ") || text.starts_with("ASK ")) {
    const bool moved = text.starts_with("MOVED ");
    std::string_view rest = text.substr(moved ? 6 : 4);
    const auto space = rest.find(' ');
    const auto colon = rest.rfind(':');
    if (space == std::string_view::npos || colon == std::string_view::npos || colon < space) return {};
    auto slot = engine::parse_number<int>(rest.substr(0, space));
    auto port = engine::parse_number<int>(rest.substr(colon + 1));
    if (!slot || !port) return {};
    r.kind = moved ? Redirect::moved : Redirect::ask;
    r.slot = *slot;
    r.host = std::string(rest.substr(space + 1, colon - space - 1));
    r.port = *port;
  }
  return r;
}

Redirect redirect_in(const std::vector<ReplyPtr>& replies) {
  for (const auto& reply : replies) {
    if (Redirect r = redirect_of(*reply); r.kind != Redirect::none) return r;
  }
  return {};
}

// Redis refuses a bulk string past 512 MiB by closing the connection, so a command with a
// longer argument (a value, a member, a key) is refused before it is sent, as the memory
// backend refuses it.
Result<void> sendable(std::span<const Command> commands) {
  for (const Command& c : commands) {
    if (c.longest_argument() > engine::max_value_bytes) return too_large();
  }
  return {};
}

}  // namespace

std::unexpected<Error> too_large() {
  return fail(Errc::out_of_range, "string exceeds maximum allowed size (512 MiB)");
}

std::span<const std::string_view> distinct(std::span<const std::string_view, 2> keys) {
  return keys.first(keys[0] == keys[1] ? 1 : 2);
}

RedisClient::RedisClient(const RedisOptions& options) : options_(options), prefix_(options.key_prefix) {
  if (options.cluster()) cluster_ = std::make_unique<ClusterRouter>(options, std::string(write_script));
  else pool_ = std::make_unique<ConnectionPool>(options, std::string(write_script));
}

Command RedisClient::on(std::string_view name, std::string_view key) const {
  Command command(name);
  command.key(prefix_, key);
  return command;
}

Result<std::int64_t> RedisClient::store(std::string_view script, std::string_view name, std::string_view destination,
                                        std::span<const std::string> sources, bool first_stays,
                                        engine::ExpiryAction expiry) {
  if (sources.empty()) {
    auto removed = read(on("DEL", destination), integer);
    if (!removed) return removed;
    return 0;
  }
  // Their order does not matter to the answer; the script reads the destination as the result
  // so far after its first chunk, so the sources equal to it must come first.
  std::vector<std::string_view> keys(sources.begin(), sources.end());
  const auto from = keys.begin() + (first_stays && !keys.empty() ? 1 : 0);
  std::partition(from, keys.end(), [&](std::string_view k) { return k == destination; });
  Command eval("EVAL");
  eval.arg(script).arg(std::int64_t(keys.size() + 1)).key(prefix_, destination);
  for (const auto k : keys) eval.key(prefix_, k);
  eval.arg(name);
  add_expiry_arg(eval, expiry);
  return read(eval, integer);
}

Command RedisClient::on_keys(std::string_view name, std::span<const std::string> keys) const {
  Command command(name);
  for (const auto& k : keys) command.key(prefix_, k);
  return command;
}

std::vector<Command> RedisClient::variadic(std::string_view name, std::string_view key,
                                           std::span<const std::string> values) const {
  std::vector<Command> commands;
  commands.reserve((values.size() + script_chunk - 1) / script_chunk);
  for (std::size_t at = 0; at < values.size(); at += script_chunk) {
    Command& command = commands.emplace_back(on(name, key));
    for (const auto& v : values.subspan(at, std::min(script_chunk, values.size() - at))) command.arg(v);
  }
  return commands;
}

Result<std::vector<ReplyPtr>> RedisClient::exchange(ConnectionPool::Lease& lease, std::span<const Command> commands,
                                                   bool asking) {
  round_trips_.fetch_add(1, std::memory_order_relaxed);
  if (!asking) return lease.round_trip(commands);
  // ASKING holds for the next command only, but for a whole MULTI ... EXEC.
  std::vector<Command> sent;
  std::vector<bool> asked;
  bool in_multi = false;
  for (const Command& c : commands) {
    if (!in_multi) {
      sent.emplace_back("ASKING");
      asked.push_back(true);
    }
    if (c.name() == "MULTI") in_multi = true;
    if (c.name() == "EXEC" || c.name() == "DISCARD") in_multi = false;
    sent.push_back(c);
    asked.push_back(false);
  }
  auto replies = lease.round_trip(sent);
  if (!replies) return replies;
  std::vector<ReplyPtr> kept;
  kept.reserve(commands.size());
  for (std::size_t i = 0; i < replies->size(); ++i) {
    if (!asked[i]) kept.push_back(std::move((*replies)[i]));
  }
  return kept;
}

Result<int> RedisClient::slot_of(std::span<const Command> commands) const {
  int slot = -1;
  std::string_view first;
  std::optional<Error> crossed;
  for (const Command& c : commands) {
    c.for_each_key([&](std::string_view prefix, std::string_view key) {
      if (crossed) return;
      const int s = stored_slot(prefix, key);
      if (slot < 0) {
        slot = s;
        first = key;
      } else if (s != slot) {
        crossed = Error{Errc::cross_slot, {}, {},
                        "keys \"" + std::string(first) + "\" and \"" + std::string(key) +
                            "\" are in different Redis Cluster slots, and this operation is atomic: put them under "
                            "one hash tag, e.g. \"feed/{:user_id}/...\""};
      }
    });
  }
  if (crossed) return std::unexpected(std::move(*crossed));
  return slot;
}

template <class Attempt>
Result<std::vector<ReplyPtr>> RedisClient::routed(std::span<const Command> commands, Attempt&& attempt) {
  const Deadline deadline = Clock::now() + options_.command_timeout;
  if (!cluster_) {
    auto lease = pool_->acquire(deadline);
    if (!lease) return std::unexpected(std::move(lease.error()));
    return attempt(*lease, false);
  }
  auto slot = slot_of(commands);
  if (!slot) return std::unexpected(std::move(slot.error()));

  // Waits between attempts that found the cluster changing, while the deadline allows.
  auto pause = std::chrono::milliseconds(5);
  auto wait = [&] {
    if (Clock::now() + pause >= deadline) return false;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(100));
    return true;
  };
  // Why the last attempt that sent nothing failed: a node refused. An attempt after it that runs
  // out of the call's time answers that cause, not a timeout of its own making: the node never
  // was slow, the retries took the time.
  std::optional<Error> refused;
  auto unsent_failure = [&](Error e) -> Result<std::vector<ReplyPtr>> {
    if (e.code == Errc::timeout && refused) return std::unexpected(std::move(*refused));
    return std::unexpected(std::move(e));
  };
  NodePool asked;  // the target of an ASK, for the next attempt only
  bool asked_once = false;
  int redirects = 0;
  for (;;) {
    const std::uint64_t generation = cluster_->generation();
    NodePool pool = std::move(asked);
    const bool asking = pool != nullptr;
    if (!pool) {
      auto found = cluster_->node_for(*slot, deadline);
      if (!found) {
        if (found.error().code == Errc::unavailable) {
          refused = found.error();
          if (wait()) continue;
        }
        return unsent_failure(std::move(found.error()));
      }
      pool = std::move(*found);
    }
    auto lease = pool->acquire(deadline);
    if (!lease) {
      // Nothing was sent: a node that cannot be reached may have failed over or left.
      if (lease.error().code == Errc::unavailable) {
        cluster_->invalidate();
        refused = lease.error();
        if (wait()) {
          (void)cluster_->refresh(generation, deadline);
          continue;
        }
      }
      return unsent_failure(std::move(lease.error()));
    }
    auto replies = attempt(*lease, asking);
    if (!replies) {
      // Sent, perhaps done: not repeated, but the map is learnt again before the next call.
      if (replies.error().code == Errc::unavailable || replies.error().code == Errc::timeout) cluster_->invalidate();
      return replies;
    }
    Redirect r = redirect_in(*replies);
    switch (r.kind) {
      case Redirect::none: return replies;
      case Redirect::moved:
        cluster_->moved(r.slot, r.host, r.port);
        if (++redirects > 3 && !wait()) return fail(Errc::unavailable, "the Redis Cluster kept redirecting: " + r.message);
        break;
      case Redirect::ask:
        if (!asked_once) {
          asked_once = true;
          asked = cluster_->node_at(r.host, r.port);
          break;
        }
        [[fallthrough]];
      case Redirect::try_again:
      case Redirect::down:
        if (r.kind == Redirect::down) cluster_->invalidate();
        asked_once = false;
        if (!wait()) {
          return fail(Errc::unavailable, "the Redis Cluster did not serve the call within command_timeout (" +
                                             std::to_string(options_.command_timeout.count()) + "ms): " + r.message);
        }
        break;
    }
  }
}

Result<std::vector<ReplyPtr>> RedisClient::round_trip(std::span<const Command> commands) {
  if (auto ok = sendable(commands); !ok) return std::unexpected(std::move(ok.error()));
  return routed(commands, [&](ConnectionPool::Lease& lease, bool asking) { return exchange(lease, commands, asking); });
}

std::vector<std::vector<std::size_t>> RedisClient::by_slot(std::span<const std::string> keys) const {
  return by_slot(keys.size(), [&](std::size_t i) { return std::string_view(keys[i]); });
}

std::vector<std::vector<std::size_t>> RedisClient::by_slot(
    std::size_t count, const std::function<std::string_view(std::size_t)>& key_at) const {
  std::vector<std::vector<std::size_t>> groups;
  if (!cluster_) {
    auto& all = groups.emplace_back(count);
    for (std::size_t i = 0; i < count; ++i) all[i] = i;
    return groups;
  }
  std::map<int, std::size_t> group_of;
  for (std::size_t i = 0; i < count; ++i) {
    const int slot = stored_slot(prefix_, key_at(i));
    auto [it, added] = group_of.try_emplace(slot, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  return groups;
}

Result<std::vector<ReplyPtr>> RedisClient::per_slot(std::string_view name, std::span<const std::string> keys,
                                                     const std::vector<std::vector<std::size_t>>& groups) {
  std::vector<std::vector<Command>> batches(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    Command& command = batches[g].emplace_back(name);
    for (std::size_t i : groups[g]) command.key(prefix_, keys[i]);
  }
  auto replies = round_trips(batches);
  if (!replies) return std::unexpected(std::move(replies.error()));
  std::vector<ReplyPtr> out;
  out.reserve(replies->size());
  for (auto& batch : *replies) out.push_back(std::move(batch.front()));
  return out;
}

Result<std::vector<std::vector<ReplyPtr>>> RedisClient::round_trips(std::span<const std::vector<Command>> batches) {
  std::vector<std::vector<ReplyPtr>> out(batches.size());
  if (batches.size() == 1) {
    auto replies = round_trip(batches.front());
    if (!replies) return std::unexpected(std::move(replies.error()));
    out.front() = std::move(*replies);
    return out;
  }
  for (const auto& batch : batches) {
    if (auto ok = sendable(batch); !ok) return std::unexpected(std::move(ok.error()));
  }
  // The batches grouped by the node their slot routes to now.
  const Deadline deadline = Clock::now() + options_.command_timeout;
  std::map<ConnectionPool*, std::pair<NodePool, std::vector<std::size_t>>> by_node;
  std::vector<std::size_t> alone;  // sent one by one, through the full routing
  for (std::size_t b = 0; b < batches.size(); ++b) {
    if (!cluster_) {
      by_node[nullptr].second.push_back(b);
      continue;
    }
    auto slot = slot_of(batches[b]);
    if (!slot) return std::unexpected(std::move(slot.error()));
    auto pool = cluster_->node_for(*slot, deadline);
    if (!pool) {
      alone.push_back(b);
      continue;
    }
    auto& entry = by_node[pool->get()];
    entry.first = *pool;
    entry.second.push_back(b);
  }
  // Every node's batch goes out before any answer is read: the nodes work at once.
  struct InFlight {
    std::vector<std::size_t> batches;
    std::optional<ConnectionPool::Lease> lease;
    std::size_t count = 0;
  };
  std::deque<InFlight> flights;  // a lease stays where it is once its commands are queued
  for (auto& [key, entry] : by_node) {
    auto lease = cluster_ ? entry.first->acquire(deadline) : pool_->acquire(deadline);
    if (!lease) {
      if (!cluster_ || lease.error().code != Errc::unavailable) return std::unexpected(std::move(lease.error()));
      alone.insert(alone.end(), entry.second.begin(), entry.second.end());
      continue;
    }
    std::vector<Command> sent;
    for (std::size_t b : entry.second) sent.insert(sent.end(), batches[b].begin(), batches[b].end());
    round_trips_.fetch_add(1, std::memory_order_relaxed);
    InFlight& flight = flights.emplace_back(InFlight{entry.second, std::move(*lease), sent.size()});
    if (auto ok = flight.lease->send(sent); !ok) {
      if (cluster_) cluster_->invalidate();
      return std::unexpected(std::move(ok.error()));
    }
  }
  std::optional<Error> failed;
  for (auto& flight : flights) {
    auto replies = flight.lease->receive(flight.count);
    if (!replies) {
      if (cluster_ && (replies.error().code == Errc::unavailable || replies.error().code == Errc::timeout)) {
        cluster_->invalidate();
      }
      if (!failed) failed = std::move(replies.error());
      continue;  // the others' replies are still read, so their connections stay usable
    }
    std::size_t at = 0;
    for (std::size_t b : flight.batches) {
      std::vector<ReplyPtr> mine;
      for (std::size_t i = 0; i < batches[b].size(); ++i) mine.push_back(std::move((*replies)[at++]));
      if (cluster_ && redirect_in(mine).kind != Redirect::none) alone.push_back(b);  // its slot moved: again, routed
      else out[b] = std::move(mine);
    }
  }
  flights.clear();  // the connections go back before any batch is sent again
  if (failed) return std::unexpected(std::move(*failed));
  for (std::size_t b : alone) {
    auto replies = round_trip(batches[b]);
    if (!replies) return std::unexpected(std::move(replies.error()));
    out[b] = std::move(*replies);
  }
  return out;
}

Result<std::size_t> RedisClient::node_count() {
  if (!cluster_) return 1;
  auto masters = cluster_->masters(Clock::now() + options_.command_timeout);
  if (!masters) return std::unexpected(std::move(masters.error()));
  return masters->size();
}

Result<std::vector<ReplyPtr>> RedisClient::on_node(std::size_t index, std::span<const Command> commands) {
  if (auto ok = sendable(commands); !ok) return std::unexpected(std::move(ok.error()));
  const Deadline deadline = Clock::now() + options_.command_timeout;
  NodePool pool;
  if (cluster_) {
    auto masters = cluster_->masters(deadline);
    if (!masters) return std::unexpected(std::move(masters.error()));
    if (index >= masters->size()) return fail(Errc::unavailable, "the Redis Cluster lost a master meanwhile");
    pool = (*masters)[index];
  }
  auto lease = pool ? pool->acquire(deadline) : pool_->acquire(deadline);
  if (!lease) return std::unexpected(std::move(lease.error()));
  return exchange(*lease, commands);
}

Result<ReplyPtr> RedisClient::call(const Command& command) {
  auto replies = round_trip({&command, 1});
  if (!replies) return std::unexpected(std::move(replies.error()));
  return std::move(replies->front());
}

Result<Replies> RedisClient::write(std::span<const Command> commands, std::span<const std::string_view> keys,
                                   Written written, ExpiryAction expiry) {
  if (auto ok = sendable(commands); !ok) return std::unexpected(std::move(ok.error()));
  if (expiry.kind == ExpiryAction::Kind::keep && commands.size() == 1) {
    auto replies = round_trip(commands);
    if (!replies) return std::unexpected(std::move(replies.error()));
    return Replies(std::move(*replies));
  }

  // Every key the commands touch is among the commands' keys: the script routes by them.
  auto replies = routed(commands, [&](ConnectionPool::Lease& lease, bool asking) -> Result<std::vector<ReplyPtr>> {
    auto script = [&](bool by_sha) {
      Command eval(by_sha ? "EVALSHA" : "EVAL");
      eval.arg(by_sha ? std::string_view(lease.script_sha()) : write_script).arg(std::int64_t(keys.size()));
      for (const auto k : keys) eval.key(prefix_, k);
      add_write_script_argv(eval, written, expiry, commands);
      return eval;
    };
    Command eval = script(true);
    auto sent = exchange(lease, {&eval, 1}, asking);
    if (!sent) return sent;
    const redisReply& answer = *sent->front();
    if (answer.type == REDIS_REPLY_ERROR && std::string_view(answer.str, answer.len).starts_with("NOSCRIPT")) {
      // The server's script cache was emptied (SCRIPT FLUSH, a restart behind a proxy): EVAL
      // runs the script from its text and caches it again.
      eval = script(false);
      return exchange(lease, {&eval, 1}, asking);
    }
    return sent;
  });
  if (!replies) return std::unexpected(std::move(replies.error()));
  ReplyPtr answer = std::move(replies->front());
  if (answer->type == REDIS_REPLY_ERROR) return std::unexpected(reply_error(*answer));
  if (answer->type != REDIS_REPLY_ARRAY || answer->elements != commands.size()) {
    return fail(Errc::protocol, "the write script answered something other than one reply per command");
  }
  return Replies::elements_of(std::move(answer));
}

Result<Replies> RedisClient::write(const Command& command, std::string_view key, Written written,
                                   ExpiryAction expiry) {
  return write({&command, 1}, {&key, 1}, written, expiry);
}

}  // namespace cachet::redis
