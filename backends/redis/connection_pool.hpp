// The connections of one storage, shared by every thread that uses it.
//
// A caller leases a connection for its round trip and gives it back when the lease ends;
// the pool's lock is held only to take or return one, never across a round trip or a
// connect. Connections are made on first need, up to pool_size. A connection that failed
// (lost, timed out, garbled) is dropped when its lease ends, and one that the server closed
// while it sat idle is dropped when next taken, so the next call connects afresh and the
// application never repairs anything. Every step of a call (the wait for a connection, a
// connect with its TLS handshake, the round trip) shares the call's one deadline.
#pragma once

#include "connection.hpp"
#include "redis_url.hpp"
#include "tls.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cachet::redis {

class ConnectionPool {
 public:
  // `script` is loaded on every new connection (see Connection::open). With TLS, the context
  // is built here; a problem with it (an unreadable certificate) fails every call.
  ConnectionPool(RedisOptions options, std::string script);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection on loan for one call; returns to the pool (or, broken, is dropped) when
  // destroyed.
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
    // The two halves of round_trip (Connection::send, receive).
    Result<void> send(std::span<const Command> commands) { return connection_->send(commands, deadline_); }
    Result<std::vector<ReplyPtr>> receive(std::size_t count) { return connection_->receive(count, deadline_); }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection, Deadline deadline)
        : pool_(&pool), connection_(std::move(connection)), deadline_(deadline) {}
    ConnectionPool* pool_;
    std::unique_ptr<Connection> connection_;
    Deadline deadline_;  // the call's: command_timeout after it started
  };

  // The deadline of a call starting now: command_timeout from now.
  Deadline call_deadline() const { return Clock::now() + options_.command_timeout; }

  // An idle connection, else a new one while the pool has room (connected within
  // connect_timeout and the deadline), else the first one given back before the deadline;
  // Errc::timeout when none is, or a connect's own failure.
  Result<Lease> acquire(Deadline deadline);

  const RedisOptions& options() const { return options_; }

  // Connections open now (idle, leased, or being connected).
  std::uint64_t connections() const {
    std::lock_guard lock(mutex_);
    return open_;
  }
  // Connections made again after one was lost (dropped broken, or found closed by the server):
  // each loss is counted once, when the next connection opens. Each reconnect is also a notice.
  std::uint64_t reconnects() const { return reconnects_.load(std::memory_order_relaxed); }

 private:
  void give_back(std::unique_ptr<Connection> connection);
  void forget_one();  // a connection that was counted is gone
  void lost_one();    // forget_one() for a connection that failed or the server closed
  void opened_one();  // a new connection is up: a reconnect if one was lost before

  const RedisOptions options_;
  const std::string script_;
  const std::string server_;  // for messages: "redis at host:port"
  const std::size_t capacity_;
  std::shared_ptr<const TlsContext> tls_;  // rediss:// only
  std::optional<Error> tls_problem_;       // why there is no TLS context

  mutable std::mutex mutex_;
  std::condition_variable returned_;                 // a connection came back, or room was made
  std::vector<std::unique_ptr<Connection>> idle_;    // most recently returned last
  std::size_t open_ = 0;                             // idle, leased, or being connected
  std::size_t lost_ = 0;                             // losses not yet made good by a new connection
  std::atomic<std::uint64_t> reconnects_{0};
};

}  // namespace cachet::redis
