// The connections of one storage, shared by every thread that uses it, and shared between
// calls: concurrent calls are pipelined on a few connections instead of each taking one.
//
// A call's commands are encoded and queued on one of the pool's connections (a channel).
// Whoever finds the channel undriven drives it (flat combining, no background thread): it
// writes everything queued so far in one send, reads replies in order and hands each call
// its own, and goes on until its own reply is in; then it writes what queued meanwhile and
// wakes the first caller still waiting, who drives next. A lone caller therefore writes and
// reads at once, exactly as with a connection of its own, while under concurrency the calls
// of many threads share each send and each read. Redis answers a connection's commands in
// order, so the replies are matched to their calls by position, and a call's commands stay
// together (an ASKING before its command, MULTI ... EXEC).
//
// Each call waits only until its own deadline (command_timeout after it started). A call that
// times out while its commands are still queued takes them back (they are never sent); once
// sent, its slot is abandoned and its replies are read and discarded when they come. A
// driver that times out hands the connection on when calls still wait for replies on it, and
// otherwise closes it (the slow reply would only hold up the next call). A connection that
// fails (lost, garbled, a write cut short) answers its error to every call in flight on it;
// calls still queued go out on a new connection made by the next driver.
//
// Connections are made on first need, up to pool_size (one per channel). A call takes the
// least busy channel open, and opens another while the pool has room and every open one
// has calls queued on it. A connection the server closed while idle is noticed before it is
// used again, so the next call connects afresh and the application never repairs anything.
#pragma once

#include "connection.hpp"
#include "redis_url.hpp"
#include "tls.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace cachet::redis {

class ConnectionPool {
  struct Channel;

 public:
  // `script` is loaded on every new connection (see Connection::open). With TLS, the context
  // is built here; a problem with it (an unreadable certificate) fails every call.
  ConnectionPool(RedisOptions options, std::string script);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // One call's place on a channel: what it waits for and what it got.
  // Shared by its lease and the driver that answers it, so that the driver can wake it after
  // letting the channel's lock go (a thread woken under the lock would only block on it).
  struct Waiter : std::enable_shared_from_this<Waiter> {
    std::condition_variable wake;
    std::size_t expected = 0;
    std::vector<ReplyPtr> replies;
    std::optional<Error> error;
    bool queued = false;  // submitted, not yet answered
    bool done = false;
  };

  // A channel on loan for one call, within the call's deadline. Its round trips share the
  // channel's connection with other calls.
  class Lease {
   public:
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    // One round trip, within what is left of the call's budget.
    Result<std::vector<ReplyPtr>> round_trip(std::span<const Command> commands);
    // The two halves of round_trip, so that several nodes can have a batch in flight at once:
    // send queues the commands and writes them unless another caller is about to; receive
    // waits for their `count` replies.
    Result<void> send(std::span<const Command> commands);
    Result<std::vector<ReplyPtr>> receive(std::size_t count);
    // The SHA1 of the script every connection loads.
    const std::string& script_sha() const { return pool_->script_sha_; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool& pool, Channel& channel, Deadline deadline)
        : pool_(&pool), channel_(&channel), deadline_(deadline), waiter_(std::make_shared<Waiter>()) {}
    ConnectionPool* pool_;
    Channel* channel_;
    Deadline deadline_;  // the call's: command_timeout after it started
    std::shared_ptr<Waiter> waiter_;
  };

  // The deadline of a call starting now: command_timeout from now.
  Deadline call_deadline() const { return Clock::now() + options_.command_timeout; }

  // A channel for a call; when it has no connection and nobody is making one, connects it
  // first (within connect_timeout and the deadline), answering the connect's failure then,
  // before anything is sent.
  Result<Lease> acquire(Deadline deadline);

  const RedisOptions& options() const { return options_; }

  // Connections open now (or being connected).
  std::uint64_t connections() const { return open_.load(std::memory_order_relaxed); }
  // Connections made again after one was lost (dropped broken, or found closed by the server):
  // each loss is counted once, when the next connection opens. Each reconnect is also a notice.
  std::uint64_t reconnects() const { return reconnects_.load(std::memory_order_relaxed); }

 private:
  // A queued or sent call: `remaining` replies still due; `waiter` null once it gave up.
  struct Slot {
    Waiter* waiter;
    std::size_t remaining;
    std::size_t bytes;  // its commands' length in `pending` while unsent
  };
  struct Channel {
    std::mutex mutex;
    std::unique_ptr<Connection> connection;  // null: none yet, or the last one was lost
    bool driving = false;                    // someone holds the connection's transport
    std::string pending;                     // encoded commands not yet written
    std::deque<Slot> unsent;                 // their calls, in order
    std::deque<Slot> in_flight;              // calls written, awaiting replies in order
    std::atomic<int> calls{0};               // queued or in flight: the channel's load
    std::vector<std::shared_ptr<Waiter>> to_wake;  // answered or handed the role: woken once the lock is let go
    // Touched by the driver only, outside the lock.
    std::string writing;
    std::vector<ReplyPtr> read;
  };
  using Lock = std::unique_lock<std::mutex>;

  Channel& pick();
  void submit(Channel& channel, Waiter& waiter, std::span<const Command> commands, Lock& lock);
  Result<std::vector<ReplyPtr>> await(Channel& channel, Waiter& waiter, Deadline deadline, Lock& lock);
  // With the driver's role and the lock: works the channel until `waiter` is answered (or, with
  // `write_only`, until what is queued is written), then gives the role up.
  void drive(Channel& channel, Waiter& waiter, Deadline deadline, Lock& lock, bool write_only);
  // With the role: connects the channel; false (and the waiter answered) if that failed.
  Result<void> connect(Channel& channel, Deadline deadline, Lock& lock);
  // Writes everything queued; false when the connection failed doing so.
  bool flush(Channel& channel, Deadline deadline, Lock& lock);
  // Gives each complete reply read to its call, in order.
  void deliver(Channel& channel);
  // The connection failed: every call in flight on it answers `error`.
  void lose(Channel& channel, const Error& error);
  // The waiter gives up its place (its deadline passed).
  void abandon(Channel& channel, Waiter& waiter);
  void answer(Channel& channel, Waiter& waiter, std::optional<Error> error);
  void release(Channel& channel);
  // Lets the channel's lock go, then wakes the waiters queued in to_wake.
  void unlock_and_wake(Channel& channel, Lock& lock);
  void wake_next(Channel& channel);  // the first call still waiting, to drive
  bool others_waiting(const Channel& channel, const Waiter& waiter) const;

  void lost_one();    // a connection that failed or the server closed is gone
  void opened_one();  // a new connection is up: a reconnect if one was lost before

  const RedisOptions options_;
  const std::string script_;
  const std::string script_sha_;
  const std::string server_;  // for messages: "redis at host:port"
  const std::size_t capacity_;
  std::shared_ptr<const TlsContext> tls_;  // rediss:// only
  std::optional<Error> tls_problem_;       // why there is no TLS context

  std::vector<std::unique_ptr<Channel>> channels_;  // capacity_ of them, used in order
  std::atomic<std::size_t> used_{0};                // channels taken into use
  std::atomic<std::uint64_t> open_{0};
  std::atomic<std::uint64_t> lost_{0};  // losses not yet made good by a new connection
  std::atomic<std::uint64_t> reconnects_{0};
};

}  // namespace cachet::redis
