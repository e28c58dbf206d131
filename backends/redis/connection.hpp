// One connection to a Redis server: cachet's Transport carries the bytes (TCP, unix socket or
// TLS), hiredis's reply reader parses them, and commands go out in one write per round trip.
//
// Commands are written by us rather than by hiredis: the batch is built in a buffer the
// connection keeps, so a round trip allocates nothing for it. Every wait is bounded by the
// deadline of the call it serves.
#pragma once

#include "command.hpp"
#include "redis_url.hpp"
#include "reply.hpp"
#include "transport.hpp"

#include <hiredis/hiredis.h>

#include <atomic>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::redis {

// How messages name the server: "redis at 10.0.0.5:6379", "redis at /run/redis.sock".
std::string server_name(const RedisOptions& options);

class Connection {
 public:
  // Connects (and with `tls` shakes hands) before `connect_deadline`, then authenticates,
  // selects the database and loads `script` (answering its SHA1 in script_sha()) in one round
  // trip before `deadline`. `options` and `name` must outlive the connection (the pool's do).
  static Result<std::unique_ptr<Connection>> open(const RedisOptions& options, const TlsContext* tls,
                                                  std::string_view name, std::string_view script,
                                                  Deadline connect_deadline, Deadline deadline);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One round trip before `deadline`: writes every command at once, then reads one reply per
  // command. Error replies are replies. A failure (connection lost, timeout, garbled reply)
  // breaks the connection: replies still on their way could no longer be told from the next.
  Result<std::vector<ReplyPtr>> round_trip(std::span<const Command> commands, Deadline deadline);
  // The two halves of a round trip, so that several connections can have a batch in flight
  // at once (a cluster's nodes): send writes the commands, receive reads `count` replies.
  Result<void> send(std::span<const Command> commands, Deadline deadline);
  Result<std::vector<ReplyPtr>> receive(std::size_t count, Deadline deadline);

  // The halves a shared connection is driven by (ConnectionPool): write bytes already encoded,
  // several callers' commands together, and read whatever complete replies have arrived.
  // write breaks the connection on failure. read_replies reads once when no complete reply is
  // buffered, then appends every complete reply to `out`; it answers how many it appended. A
  // timeout does not break the connection (the replies are still on their way and can be read
  // later); any other failure does.
  Result<void> write(std::string_view bytes, Deadline deadline);
  Result<std::size_t> read_replies(std::vector<ReplyPtr>& out, Deadline deadline);
  // Marks the connection broken (its replies could no longer be matched to their commands)
  // and shuts its socket down, so that a read or write another thread is waiting in
  // on it fails at once. Safe while that thread uses it (a shared connection's writer and
  // reader are two threads).
  void shut_down() {
    broken_ = true;
    transport_->shut_down();
  }
  // The error of a call that did not get its reply within command_timeout.
  Error timeout_error() const;

  bool broken() const { return broken_; }
  // Whether an idle connection is fit for reuse: the server has not closed it (a restart,
  // CLIENT KILL, an idle timeout) and no stray bytes wait on it. Costs one syscall.
  bool reusable() const { return !broken_ && transport_->idle_and_open(); }

  const std::string& script_sha() const { return script_sha_; }

 private:
  Connection(std::unique_ptr<Transport> transport, const RedisOptions& options, std::string_view name);

  Result<void> handshake(std::string_view script, Deadline deadline);
  // Breaks the connection and says why, naming the bound that passed for a timeout.
  Error failure(Error error);

  std::unique_ptr<Transport> transport_;
  redisReader* reader_;
  const RedisOptions& options_;
  std::string_view name_;
  std::string out_;  // the batch being sent; keeps its capacity between round trips
  std::string script_sha_;
  bool answered_ = false;  // the server has sent something: tells a wrong port from a lost one
  std::atomic<bool> broken_{false};  // written by the writer and the reader of a shared connection
};

}  // namespace cachet::redis
