// The connections of one storage, shared by every thread that uses it, and shared between
// calls: concurrent calls are pipelined on a few connections instead of each taking one.
//
// A call's commands are encoded and queued on one of the pool's connections (a channel).
// There is no background thread: the callers themselves do the I/O, in two roles.
//   - The writer: a caller that finds nobody writing or reading and no call waiting for a
//     reply writes everything queued in one send, and again while more queued meanwhile.
//   - The reader: one caller whose commands are sent reads the replies as they come and hands
//     each call its own (Redis answers a connection's commands in order, so replies are matched
//     to calls by position). After each read it writes what queued while it waited, before it
//     wakes the calls it answered, so the server works on the next batch meanwhile. When its
//     own replies are in, it hands the role to the next call still waiting for a reply.
// A writer may still be writing when the reader starts, so the two roles can be held by two
// threads at once; under TLS, whose one OpenSSL stream cannot be used by two threads at once,
// nobody reads while someone writes.
// A lone caller therefore writes and reads at once, exactly as with a connection of its own,
// while under concurrency each send and read carries many calls. A call waiting for its answer
// (or for the server, when it reads) yields the CPU between looks for a while before it sleeps:
// under concurrency answers come sooner than a sleeping thread wakes. A call's commands stay
// together (an ASKING before its command, MULTI ... EXEC).
//
// Each call waits only until its own deadline (command_timeout after it started). A call that
// times out while its commands are still queued takes them back (they are never sent); once
// sent, its slot is abandoned and its replies are read and discarded when they come. A reader
// that times out hands the role on when calls still wait for replies, and otherwise closes the
// connection (the slow reply would only hold up the next call). A connection that fails (lost,
// garbled, a write cut short) answers its error to every call in flight on it; calls still
// queued go out on a new connection, made by the next call that finds none.
//
// Connections are made on first need, up to pool_size (one per channel). A call takes the
// least busy channel open, and opens another while the pool has room and every open one
// has many calls on it. A connection the server closed while idle is noticed before it is
// used again, so the next call connects afresh and the application never repairs anything.
#pragma once

#include "connection.hpp"
#include "redis_url.hpp"
#include "tls.hpp"

#include <atomic>
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

  // One call's place on a channel: what it waits for and what it got. Shared by its lease and
  // whoever answers it, who wakes it after letting the channel's lock go. The answer (replies or
  // error) is written under the channel's lock before `done` is set; the call reads it once it
  // sees `done`. wake() wakes the call (answered, or given a role) without the channel's lock.
  struct Waiter : std::enable_shared_from_this<Waiter> {
    std::atomic<std::uint32_t> signal{0};
    std::atomic<bool> done{false};
    std::vector<ReplyPtr> replies;
    std::optional<Error> error;
    bool queued = false;  // submitted, not yet answered
    bool sent = false;    // its commands are written
    bool awaiting = false;  // its caller waits for the replies (not yet between send and receive)
    void wake();
    // Waits for wake() or the deadline; false once the deadline passed.
    bool wait(Deadline deadline);
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
    // Null: none yet, or the last one was lost. Shared with the writer and the reader at work
    // on it, so that a failure seen by one can drop it while the other still uses it.
    std::shared_ptr<Connection> connection;
    bool writing = false;    // a caller writes (or connects)
    bool reading = false;    // a caller reads replies
    std::string pending;     // encoded commands not yet written
    std::deque<Slot> unsent;     // their calls, in order
    std::deque<Slot> in_flight;  // calls written, awaiting replies in order
    std::atomic<int> calls{0};   // queued or in flight: the channel's load
    std::vector<std::shared_ptr<Waiter>> to_wake;  // answered or given a role: woken once the lock is let go
    // Touched by the writer (resp. the reader) only, outside the lock.
    std::string writing_buffer;
    std::vector<ReplyPtr> read;
  };
  using Lock = std::unique_lock<std::mutex>;

  Channel& pick();
  void submit(Channel& channel, Waiter& waiter, std::span<const Command> commands, Lock& lock);
  Result<std::vector<ReplyPtr>> await(Channel& channel, Waiter& waiter, Deadline deadline, Lock& lock);
  // The answered call's replies or error, once it is done.
  static Result<std::vector<ReplyPtr>> take_answer(Waiter& waiter);
  // Takes the roles that are free and have work: connects the channel if it has no connection,
  // writes what is queued. Answers the waiter when connecting fails.
  void write_side(Channel& channel, Waiter& waiter, Deadline deadline, Lock& lock);
  bool may_write(const Channel& channel) const;
  bool may_read(const Channel& channel) const;
  // With the writer's role: connects the channel.
  Result<void> connect(Channel& channel, Deadline deadline, Lock& lock);
  // Takes the writer's role and writes everything queued, again while more queues. `self` is
  // the writer's own call, if it has one here.
  void write_queued(Channel& channel, const Waiter* self, Deadline deadline, Lock& lock);
  // Takes the reader's role for one read: what came is handed out to its calls.
  void read_once(Channel& channel, Waiter& waiter, Deadline deadline, Lock& lock);
  // Gives each complete reply read to its call, in order.
  void deliver(Channel& channel);
  // `connection` failed: its socket is shut down (a role waiting on it in another thread fails
  // at once), it goes, and every call in flight on it answers `error` (unless it is no longer
  // the channel's: then all that was done already).
  void lose(Channel& channel, const std::shared_ptr<Connection>& connection, const Error& error);
  // The waiter gives up its place (its deadline passed).
  void abandon(Channel& channel, Waiter& waiter);
  void answer(Channel& channel, Waiter& waiter, std::optional<Error> error);
  // Whoever is needed next is woken: the first call waiting for a reply when nobody reads, the
  // first queued call when nobody writes (it writes, or connects). Never `self`.
  void hand_on(Channel& channel, const Waiter* self);
  // Lets the channel's lock go, then wakes the waiters queued in to_wake.
  void unlock_and_wake(Channel& channel, Lock& lock);
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
