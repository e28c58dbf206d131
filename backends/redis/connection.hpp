// One connection to a Redis server: hiredis connects and parses replies; commands go out
// in one send per round trip.
//
// Commands are written by us rather than by hiredis's redisAppendCommand: the batch is
// built in a buffer the connection keeps, so a round trip allocates nothing for it, and it is
// sent with MSG_NOSIGNAL, so a server that went away answers Errc::unavailable instead of
// killing the process with SIGPIPE (hiredis 0.14 writes with write(2)).
#pragma once

#include "command.hpp"
#include "redis_url.hpp"
#include "reply.hpp"

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::redis {

// How messages name the server: "redis at 10.0.0.5:6379", "redis at /run/redis.sock".
std::string server_name(const RedisOptions& options);

class Connection {
 public:
  // Connects over TCP or a unix socket, then authenticates, selects the database and loads
  // `script` (answering its SHA1 in script_sha()) in one round trip. `limit` (connect_timeout,
  // or less) bounds both steps, command_timeout every later round trip.
  static Result<std::unique_ptr<Connection>> open(const RedisOptions& options, std::string_view name,
                                                  std::string_view script, std::chrono::milliseconds limit);

  using Deadline = std::optional<std::chrono::steady_clock::time_point>;

  // One round trip: writes every command at once, then reads one reply per command. Error
  // replies are replies. A failure (connection lost, timeout, garbled reply) breaks the
  // connection: replies still on their way could no longer be told from the next ones.
  // With a deadline nearer than command_timeout, the round trip is bounded by it instead.
  Result<std::vector<ReplyPtr>> round_trip(std::span<const Command> commands, Deadline deadline = {});

  bool broken() const { return broken_; }
  // Whether an idle connection is fit for reuse: the server has not closed it (a restart,
  // CLIENT KILL, an idle timeout) and no stray bytes wait on it. Costs one syscall.
  bool reusable() const;

  const std::string& script_sha() const { return script_sha_; }

 private:
  struct FreeContext {
    void operator()(redisContext* context) const { redisFree(context); }
  };

  Connection(std::unique_ptr<redisContext, FreeContext> context, std::string_view name)
      : context_(std::move(context)), name_(name) {}

  Result<void> set_timeout(std::chrono::milliseconds timeout);
  Result<void> handshake(const RedisOptions& options, std::string_view script);
  Result<void> send_all();
  Error io_failure(int error_number, bool sending);

  std::unique_ptr<redisContext, FreeContext> context_;
  std::string_view name_;               // the pool's server_name(), which outlives its connections
  std::chrono::milliseconds timeout_{};  // the current bound on a round trip, for messages
  std::string out_;                      // the batch being sent; keeps its capacity between round trips
  std::string script_sha_;
  bool broken_ = false;
};

}  // namespace cachet::redis
