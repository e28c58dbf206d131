// The connections of one storage, shared by every thread that uses it.
//
// A caller leases a connection for its round trip and gives it back when the lease ends;
// the pool's lock is held only to take or return one, never across a round trip or a
// connect. Connections are made on first need, up to pool_size. A connection that failed
// (lost, timed out, garbled) is dropped when its lease ends, and one that the server closed
// while it sat idle is dropped when next taken, so the next call connects afresh and the
// application never repairs anything.
#pragma once

#include "connection.hpp"
#include "redis_url.hpp"

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cachet::redis {

class ConnectionPool {
 public:
  // `script` is loaded on every new connection (see Connection::open).
  ConnectionPool(RedisOptions options, std::string script);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection on loan; returns to the pool (or, broken, is dropped) when destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection* operator->() const { return connection_.get(); }
    Connection& operator*() const { return *connection_; }
    // One round trip on the leased connection, within what is left of the call's budget.
    Result<std::vector<ReplyPtr>> round_trip(std::span<const Command> commands) {
      return connection_->round_trip(commands, deadline_);
    }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection, Connection::Deadline deadline = {})
        : pool_(&pool), connection_(std::move(connection)), deadline_(deadline) {}
    ConnectionPool* pool_;
    std::unique_ptr<Connection> connection_;
    Connection::Deadline deadline_;  // set when the caller waited for this connection
  };

  // An idle connection, else a new one while the pool has room, else the first one given
  // back within command_timeout; Errc::timeout when none is, or a connect's own failure.
  // command_timeout bounds the wait and the round trip together: a caller that waited gets
  // only what is left of it for its round trip.
  Result<Lease> acquire();

 private:
  void give_back(std::unique_ptr<Connection> connection);
  void forget_one();  // a connection that was counted is gone

  const RedisOptions options_;
  const std::string script_;
  const std::string server_;  // for messages: "redis at host:port"
  const std::size_t capacity_;

  std::mutex mutex_;
  std::condition_variable returned_;                 // a connection came back, or room was made
  std::vector<std::unique_ptr<Connection>> idle_;    // most recently returned last
  std::size_t open_ = 0;                             // idle, leased, or being connected
};

}  // namespace cachet::redis
