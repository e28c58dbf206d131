#include "connection_pool.hpp"

#include "engine/notice.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <climits>
#include <thread>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace cachet::redis {
namespace {

std::size_t pool_capacity(int configured) {
  if (configured > 0) return std::size_t(configured);
  return 2 * std::max(1u, std::thread::hardware_concurrency());
}

// Another connection is opened (while the pool has room) only when every open one has at
// least this many calls queued or in flight. Chosen by measurement (a driver of 8 and 32
// threads calling get on one storage, loopback, 2 vCPUs): with 32 threads, one connection
// carrying every call made 1.4-1.6x the calls per second of connections opened at 16 calls
// each, and 8 threads were level; the server's cost is per read and write more than per
// command, so deep batches on few connections win. A lone caller keeps one connection.
constexpr int open_another_at = 64;

// A call waiting for its answer first yields the CPU for this long before it sleeps: a sleeping
// thread costs a futex wake-up and two context switches, on the CPUs the server and the reader
// need. Measured (a driver of 8 and 32 threads calling get on one storage, loopback, 2 vCPUs):
// with 30 us, half of the calls at 32 threads slept; 300 us made 32 threads 1.8x as fast
// (176k calls/s against 97k; 100 us: 150k) and 8 threads 1.4x, and longer gained nothing.
// Yielding lets any other runnable thread have the CPU meanwhile.
constexpr auto spin_before_sleeping = std::chrono::microseconds(300);

// An encoding or write buffer grown past this by one large call is released rather than kept.
constexpr std::size_t kept_buffer_bytes = 256 * 1024;

// Redis names a script by the SHA1 of its text, in lowercase hex.
std::string sha1_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha1(), nullptr) != 1) return {};
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 15]);
  }
  return out;
}

void trim(std::string& buffer) {
  if (buffer.capacity() > kept_buffer_bytes) std::string().swap(buffer);
}

}  // namespace

ConnectionPool::ConnectionPool(RedisOptions options, std::string script)
    : options_(std::move(options)),
      script_(std::move(script)),
      script_sha_(sha1_hex(script_)),
      server_(server_name(options_)),
      capacity_(pool_capacity(options_.pool_size)) {
  if (options_.tls.enabled) {
    auto context = TlsContext::create(options_.tls, options_.host);
    if (context) tls_ = std::move(*context);
    else tls_problem_ = std::move(context.error());
  }
  channels_.reserve(capacity_);
  for (std::size_t i = 0; i < capacity_; ++i) channels_.push_back(std::make_unique<Channel>());
}

ConnectionPool::~ConnectionPool() = default;

// The waiter's signal is one word: idle, signaled, or a thread asleep on it. Waking costs a
// syscall only when the call is asleep, and the call sleeps on the word itself (a futex on
// Linux), so neither side takes a lock and a woken call never blocks on one.
namespace {
constexpr std::uint32_t idle = 0, signaled = 1, asleep = 2;

#if defined(__linux__)
void sleep_on(std::atomic<std::uint32_t>& word, Deadline deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - Clock::now()).count();
  if (left <= 0) return;
  const timespec timeout{static_cast<time_t>(left / 1'000'000'000), static_cast<long>(left % 1'000'000'000)};
  // Returns at once when the word is no longer `asleep` (the wake came first), on a wake, on a
  // signal, or at the timeout; the caller looks again in every case.
  ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAIT_PRIVATE, asleep, &timeout, nullptr, 0);
}
void wake_one(std::atomic<std::uint32_t>& word) {
  ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}
#else
// Elsewhere a short sleep stands in for the futex: correct, slower.
void sleep_on(std::atomic<std::uint32_t>& word, Deadline deadline) {
  if (word.load(std::memory_order_acquire) == asleep) std::this_thread::sleep_until(std::min(deadline, Clock::now() + std::chrono::microseconds(50)));
}
void wake_one(std::atomic<std::uint32_t>&) {}
#endif
}  // namespace

void ConnectionPool::Waiter::wake() {
  if (signal.exchange(signaled, std::memory_order_acq_rel) == asleep) wake_one(signal);
}

bool ConnectionPool::Waiter::wait(Deadline deadline) {
  Deadline spin_until{};
  for (;;) {
    std::uint32_t state = signal.load(std::memory_order_acquire);
    if (state == signaled) {
      signal.store(idle, std::memory_order_relaxed);
      return true;
    }
    const auto now = Clock::now();
    if (now >= deadline) return false;
    if (spin_until == Deadline{}) spin_until = now + spin_before_sleeping;
    if (state == idle && now < spin_until) {  // the answer is often this close: no sleep, no wake-up
      std::this_thread::yield();
      continue;
    }
    if (state == idle && !signal.compare_exchange_weak(state, asleep, std::memory_order_acq_rel)) continue;
    sleep_on(signal, deadline);
  }
}

ConnectionPool::Lease::~Lease() {
  if (!waiter_ || !waiter_->queued) return;
  // Sent (or queued) and never awaited: the call gives up its place.
  Lock lock(channel_->mutex);
  if (!waiter_->done.load(std::memory_order_relaxed)) {
    pool_->abandon(*channel_, *waiter_);
    pool_->answer(*channel_, *waiter_, Error{Errc::timeout, {}, {}, "abandoned"});
    pool_->hand_on(*channel_, waiter_.get());
  }
  pool_->unlock_and_wake(*channel_, lock);
}

Result<std::vector<ReplyPtr>> ConnectionPool::Lease::round_trip(std::span<const Command> commands) {
  if (commands.empty()) return std::vector<ReplyPtr>{};
  Lock lock(channel_->mutex, std::defer_lock);
  pool_->submit(*channel_, *waiter_, commands, lock);
  return pool_->await(*channel_, *waiter_, deadline_, lock);
}

Result<void> ConnectionPool::Lease::send(std::span<const Command> commands) {
  if (commands.empty()) return {};
  Lock lock(channel_->mutex, std::defer_lock);
  pool_->submit(*channel_, *waiter_, commands, lock);
  pool_->write_side(*channel_, *waiter_, deadline_, lock);
  std::optional<Error> failed;
  if (waiter_->done.load(std::memory_order_relaxed) && waiter_->error) {
    waiter_->queued = false;
    failed = std::move(waiter_->error);
  }
  pool_->hand_on(*channel_, waiter_.get());
  pool_->unlock_and_wake(*channel_, lock);
  if (failed) return std::unexpected(std::move(*failed));
  return {};
}

Result<std::vector<ReplyPtr>> ConnectionPool::Lease::receive(std::size_t count) {
  if (count == 0) return std::vector<ReplyPtr>{};
  Lock lock(channel_->mutex, std::defer_lock);
  return pool_->await(*channel_, *waiter_, deadline_, lock);
}

ConnectionPool::Channel& ConnectionPool::pick() {
  std::size_t used = used_.load(std::memory_order_acquire);
  if (used == 0) {
    used_.compare_exchange_strong(used, 1, std::memory_order_acq_rel);
    return *channels_.front();
  }
  std::size_t best = 0;
  int least = INT_MAX;
  for (std::size_t i = 0; i < used; ++i) {
    const int calls = channels_[i]->calls.load(std::memory_order_relaxed);
    if (calls < least) {
      least = calls;
      best = i;
      if (calls == 0) break;
    }
  }
  if (least >= open_another_at && used < capacity_ &&
      used_.compare_exchange_strong(used, used + 1, std::memory_order_acq_rel)) {
    return *channels_[used];
  }
  return *channels_[best];
}

Result<ConnectionPool::Lease> ConnectionPool::acquire(Deadline deadline) {
  if (tls_problem_) return std::unexpected(*tls_problem_);
  Channel& channel = pick();
  Lock lock(channel.mutex);
  if (!channel.writing && !channel.reading && channel.unsent.empty() && channel.in_flight.empty()) {
    // Idle: a connection the server closed meanwhile (a restart, CLIENT KILL, an idle timeout)
    // is replaced before anything is sent on it.
    if (channel.connection && !channel.connection->reusable()) {
      channel.connection.reset();
      lost_one();
    }
    if (!channel.connection) {
      auto connected = connect(channel, deadline, lock);
      if (!connected) {
        hand_on(channel, nullptr);
        unlock_and_wake(channel, lock);
        return std::unexpected(std::move(connected.error()));
      }
    }
  }
  hand_on(channel, nullptr);
  unlock_and_wake(channel, lock);
  // Otherwise the channel is at work, and whoever finds it without a connection connects.
  return Lease(*this, channel, deadline);
}

void ConnectionPool::submit(Channel& channel, Waiter& waiter, std::span<const Command> commands, Lock& lock) {
  thread_local std::string encoded;
  encoded.clear();
  for (const Command& c : commands) c.write_to(encoded);
  waiter.replies.clear();
  waiter.replies.reserve(commands.size());
  waiter.error.reset();
  waiter.done.store(false, std::memory_order_relaxed);
  waiter.queued = true;
  waiter.sent = false;
  waiter.awaiting = false;
  lock.lock();
  channel.pending.append(encoded);
  channel.unsent.push_back({&waiter, commands.size(), encoded.size()});
  channel.calls.fetch_add(1, std::memory_order_relaxed);
  trim(encoded);
}

Result<std::vector<ReplyPtr>> ConnectionPool::await(Channel& channel, Waiter& waiter, Deadline deadline, Lock& lock) {
  if (!lock.owns_lock()) lock.lock();
  waiter.awaiting = true;
  for (;;) {
    if (!waiter.done.load(std::memory_order_relaxed) && Clock::now() < deadline) {
      write_side(channel, waiter, deadline, lock);
      if (!waiter.done.load(std::memory_order_relaxed) && waiter.sent && may_read(channel)) {
        read_once(channel, waiter, deadline, lock);
        continue;
      }
    }
    if (waiter.done.load(std::memory_order_relaxed)) break;
    unlock_and_wake(channel, lock);
    const bool in_time = waiter.wait(deadline);
    if (waiter.done.load(std::memory_order_acquire)) return take_answer(waiter);  // no need of the lock
    lock.lock();
    if (in_time || waiter.done.load(std::memory_order_relaxed)) continue;
    // Our deadline passed first: we stop waiting (queued commands are taken back unsent; sent
    // ones have their replies dropped when they come).
    abandon(channel, waiter);
    answer(channel, waiter,
           Error{Errc::timeout, {}, {},
                 server_ + " did not answer within command_timeout (" +
                     std::to_string(options_.command_timeout.count()) + "ms)"});
  }
  // Before going: what queued since our last read goes out now, in our time, unless another
  // call's reply is due (whoever reads it sends it); and whoever is needed next gets the role
  // we may have left free.
  if (channel.connection && !channel.pending.empty() && may_write(channel) && Clock::now() < deadline) {
    write_queued(channel, &waiter, deadline, lock);
  }
  hand_on(channel, &waiter);
  unlock_and_wake(channel, lock);
  return take_answer(waiter);
}

Result<std::vector<ReplyPtr>> ConnectionPool::take_answer(Waiter& waiter) {
  waiter.queued = false;
  if (waiter.error) return std::unexpected(std::move(*waiter.error));
  return std::move(waiter.replies);
}

bool ConnectionPool::may_write(const Channel& channel) const {
  // While a call waits for its reply, what queues waits for the next read and goes out in one
  // send right after it: one batch in flight, sent as the last one's answers are handed out.
  // Measured (32 threads calling get on one storage, loopback, 2 vCPUs): writing whenever
  // nobody wrote or read sent 3 calls per send and made 0.86x the calls per second of this,
  // which sends 10-12. A call in flight whose caller is not waiting yet (between send and
  // receive, busy with other nodes) holds nothing back, nor does one abandoned: nobody may
  // read its reply soon.
  if (channel.writing || channel.reading) return false;
  return std::none_of(channel.in_flight.begin(), channel.in_flight.end(),
                      [](const Slot& slot) { return slot.waiter != nullptr && slot.waiter->awaiting; });
}

bool ConnectionPool::may_read(const Channel& channel) const {
  // Under TLS not while someone writes: one OpenSSL stream, one thread at a time.
  return !channel.reading && channel.connection && !(options_.tls.enabled && channel.writing);
}

void ConnectionPool::write_side(Channel& channel, Waiter& waiter, Deadline deadline, Lock& lock) {
  while (!waiter.done.load(std::memory_order_relaxed) && may_write(channel) && !channel.pending.empty()) {
    if (channel.connection) {
      write_queued(channel, &waiter, deadline, lock);
      continue;  // more may have queued meanwhile; a failed write answered the calls it carried
    }
    // Nothing is in flight without a connection: our commands are still queued.
    if (auto connected = connect(channel, deadline, lock); !connected) {
      abandon(channel, waiter);
      answer(channel, waiter, std::move(connected.error()));
    }
  }
}

Result<void> ConnectionPool::connect(Channel& channel, Deadline deadline, Lock& lock) {
  channel.writing = true;
  open_.fetch_add(1, std::memory_order_relaxed);
  unlock_and_wake(channel, lock);
  auto connection = Connection::open(options_, tls_.get(), server_, script_, Clock::now() + options_.connect_timeout,
                                     deadline);
  lock.lock();
  channel.writing = false;
  if (!connection) {
    open_.fetch_sub(1, std::memory_order_relaxed);
    return std::unexpected(std::move(connection.error()));
  }
  channel.connection = std::move(*connection);
  opened_one();
  return {};
}

void ConnectionPool::write_queued(Channel& channel, const Waiter* self, Deadline deadline, Lock& lock) {
  channel.writing = true;
  const std::shared_ptr<Connection> connection = channel.connection;
  while (!channel.pending.empty() && channel.connection == connection) {
    channel.writing_buffer.swap(channel.pending);
    for (Slot& slot : channel.unsent) {
      if (slot.waiter != nullptr) slot.waiter->sent = true;
    }
    channel.in_flight.insert(channel.in_flight.end(), channel.unsent.begin(), channel.unsent.end());
    channel.unsent.clear();
    // Someone must read what this sends: the first call waiting for a reply, if nobody reads
    // (the writer reads next itself when its own call comes first).
    hand_on(channel, self);
    unlock_and_wake(channel, lock);
    auto written = connection->write(channel.writing_buffer, deadline);
    lock.lock();
    channel.writing_buffer.clear();
    trim(channel.writing_buffer);
    if (!written) lose(channel, connection, written.error());
  }
  channel.writing = false;
}

void ConnectionPool::read_once(Channel& channel, Waiter& waiter, Deadline deadline, Lock& lock) {
  channel.reading = true;
  const std::shared_ptr<Connection> connection = channel.connection;
  unlock_and_wake(channel, lock);
  auto read = connection->read_replies(channel.read, deadline);
  lock.lock();
  if (channel.connection != connection) {  // lost meanwhile: its calls were answered then
    channel.reading = false;
    channel.read.clear();
    return;
  }
  if (read) {
    deliver(channel);
    // What queued while we read goes out now, before the calls just answered are woken, so that
    // the server works on it meanwhile.
    if (!channel.pending.empty() && !channel.writing) {
      thread_local std::vector<std::shared_ptr<Waiter>> answered;
      answered.swap(channel.to_wake);
      write_queued(channel, &waiter, deadline, lock);
      channel.to_wake.insert(channel.to_wake.end(), answered.begin(), answered.end());
      answered.clear();
    }
    channel.reading = false;
    return;
  }
  channel.reading = false;
  channel.read.clear();
  if (read.error().code == Errc::timeout && others_waiting(channel, waiter)) {
    // Our deadline passed; others still wait for replies on this connection: they read on.
    abandon(channel, waiter);
    answer(channel, waiter, std::move(read.error()));
    return;
  }
  // Lost, garbled, or timed out with nobody else waiting for it: the connection goes.
  lose(channel, connection, read.error());
}

void ConnectionPool::deliver(Channel& channel) {
  for (ReplyPtr& reply : channel.read) {
    if (channel.in_flight.empty()) {
      channel.read.clear();
      lose(channel, channel.connection, Error{Errc::protocol, {}, {}, server_ + " sent a reply nobody asked for"});
      return;
    }
    Slot& slot = channel.in_flight.front();
    if (slot.waiter != nullptr) slot.waiter->replies.push_back(std::move(reply));
    if (--slot.remaining == 0) {
      Waiter* waiter = slot.waiter;
      channel.in_flight.pop_front();
      if (waiter != nullptr) answer(channel, *waiter, std::nullopt);
    }
  }
  channel.read.clear();
}

void ConnectionPool::lose(Channel& channel, const std::shared_ptr<Connection>& connection, const Error& error) {
  if (channel.connection != connection) return;  // already lost, by the other role
  connection->shut_down();
  channel.connection.reset();  // closed once its writer and reader let it go
  lost_one();
  for (Slot& slot : channel.in_flight) {
    if (slot.waiter != nullptr) answer(channel, *slot.waiter, error);
  }
  channel.in_flight.clear();
}

void ConnectionPool::abandon(Channel& channel, Waiter& waiter) {
  for (Slot& slot : channel.in_flight) {
    if (slot.waiter == &waiter) {
      slot.waiter = nullptr;  // sent: its replies are read and dropped
      return;
    }
  }
  std::size_t offset = 0;
  for (auto it = channel.unsent.begin(); it != channel.unsent.end(); ++it) {
    if (it->waiter == &waiter) {  // never sent: taken back
      channel.pending.erase(offset, it->bytes);
      channel.unsent.erase(it);
      return;
    }
    offset += it->bytes;
  }
}

void ConnectionPool::answer(Channel& channel, Waiter& waiter, std::optional<Error> error) {
  waiter.error = std::move(error);
  // Held before `done` is set: a call that sees `done` may return and free its waiter at once.
  channel.to_wake.push_back(waiter.shared_from_this());
  channel.calls.fetch_sub(1, std::memory_order_relaxed);
  waiter.done.store(true, std::memory_order_release);
}

void ConnectionPool::hand_on(Channel& channel, const Waiter* self) {
  if (may_read(channel)) {
    for (const Slot& slot : channel.in_flight) {
      if (slot.waiter == nullptr) continue;
      if (slot.waiter != self) channel.to_wake.push_back(slot.waiter->shared_from_this());
      break;
    }
  }
  if (may_write(channel) && !channel.unsent.empty() && channel.unsent.front().waiter != self) {
    channel.to_wake.push_back(channel.unsent.front().waiter->shared_from_this());
  }
}

void ConnectionPool::unlock_and_wake(Channel& channel, Lock& lock) {
  thread_local std::vector<std::shared_ptr<Waiter>> waking;
  waking.swap(channel.to_wake);  // the channel keeps this thread's empty buffer
  lock.unlock();
  for (const auto& waiter : waking) waiter->wake();
  waking.clear();
}

bool ConnectionPool::others_waiting(const Channel& channel, const Waiter& waiter) const {
  return std::any_of(channel.in_flight.begin(), channel.in_flight.end(),
                     [&](const Slot& slot) { return slot.waiter != nullptr && slot.waiter != &waiter; });
}

void ConnectionPool::lost_one() {
  open_.fetch_sub(1, std::memory_order_relaxed);
  lost_.fetch_add(1, std::memory_order_relaxed);
}

void ConnectionPool::opened_one() {
  std::uint64_t lost = lost_.load(std::memory_order_relaxed);
  do {
    if (lost == 0) return;
  } while (!lost_.compare_exchange_weak(lost, lost - 1, std::memory_order_relaxed));
  reconnects_.fetch_add(1, std::memory_order_relaxed);
  engine::notice(server_ + ": reconnected after a connection was lost");
}

}  // namespace cachet::redis
