// Commands under the key prefix, round trips on the pool, and the write script's EVALSHA with
// its EVAL fallback.
#include "client.hpp"

#include <algorithm>

namespace cachet::redis {
namespace {

using engine::ExpiryAction;

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

RedisClient::RedisClient(const RedisOptions& options)
    : prefix_(options.key_prefix), pool_(options, std::string(write_script)) {}

Command RedisClient::on(std::string_view name, std::string_view key) const {
  Command command(name);
  command.key(prefix_, key);
  return command;
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

Result<std::vector<ReplyPtr>> RedisClient::exchange(ConnectionPool::Lease& lease, std::span<const Command> commands) {
  round_trips_.fetch_add(1, std::memory_order_relaxed);
  return lease.round_trip(commands);
}

Result<std::vector<ReplyPtr>> RedisClient::round_trip(std::span<const Command> commands) {
  if (auto ok = sendable(commands); !ok) return std::unexpected(std::move(ok.error()));
  auto lease = pool_.acquire(pool_.call_deadline());
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
  auto lease = pool_.acquire(pool_.call_deadline());
  if (!lease) return std::unexpected(std::move(lease.error()));
  if (expiry.kind == ExpiryAction::Kind::keep && commands.size() == 1) {
    auto replies = exchange(*lease, commands);
    if (!replies) return std::unexpected(std::move(replies.error()));
    return Replies(std::move(*replies));
  }

  auto script = [&](bool by_sha) {
    Command eval(by_sha ? "EVALSHA" : "EVAL");
    eval.arg(by_sha ? std::string_view((*lease)->script_sha()) : write_script).arg(std::int64_t(keys.size()));
    for (const auto k : keys) eval.key(prefix_, k);
    add_write_script_argv(eval, written, expiry, commands);
    return eval;
  };
  Command eval = script(true);
  auto replies = exchange(*lease, {&eval, 1});
  if (!replies) return std::unexpected(std::move(replies.error()));
  ReplyPtr answer = std::move(replies->front());
  if (answer->type == REDIS_REPLY_ERROR && std::string_view(answer->str, answer->len).starts_with("NOSCRIPT")) {
    // The server's script cache was emptied (SCRIPT FLUSH, a restart behind a proxy): EVAL
    // runs the script from its text and caches it again.
    eval = script(false);
    replies = exchange(*lease, {&eval, 1});
    if (!replies) return std::unexpected(std::move(replies.error()));
    answer = std::move(replies->front());
  }
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
