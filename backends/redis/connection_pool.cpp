#include "connection_pool.hpp"

#include "engine/notice.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <thread>

namespace cachet::redis {
namespace {

std::size_t pool_capacity(int configured) {
  if (configured > 0) return std::size_t(configured);
  return 2 * std::max(1u, std::thread::hardware_concurrency());
}

// Another connection is opened (while the pool has room) only when every open one has at
// least this many calls queued or in flight. Chosen by measurement (bench --only multiplex,
// loopback, 2 vCPUs): at 32 threads one connection carrying every call (batches of up to 32)
// made 1.4-2.1x raw hiredis where four connections of about 8 calls each made 1.25-1.7x, the
// server's cost being per read and write more than per command. 16 keeps batches that deep and
// still opens more connections for more callers; a lone caller keeps one connection.
constexpr int open_another_at = 16;

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

ConnectionPool::Lease::~Lease() {
  if (!waiter_ || !waiter_->queued) return;
  // Sent (or queued) and never awaited: the call gives up its place.
  Lock lock(channel_->mutex);
  if (!waiter_->done) {
    pool_->abandon(*channel_, *waiter_);
    pool_->answer(*channel_, *waiter_, Error{Errc::timeout, {}, {}, "abandoned"});
  }
  pool_->unlock_and_wake(*channel_, lock);
}

Result<std::vector<ReplyPtr>> ConnectionPool::Lease::round_trip(std::span<const Command> commands) {
  if (commands.empty()) return std::vector<ReplyPtr>{};
  Lock lock(channel_->mutex, std::defer_lock);
  pool_->submit(*channel_, *waiter_, commands, lock);
  auto replies = pool_->await(*channel_, *waiter_, deadline_, lock);
  pool_->unlock_and_wake(*channel_, lock);
  return replies;
}

Result<void> ConnectionPool::Lease::send(std::span<const Command> commands) {
  if (commands.empty()) return {};
  Lock lock(channel_->mutex, std::defer_lock);
  pool_->submit(*channel_, *waiter_, commands, lock);
  if (!channel_->driving) {
    channel_->driving = true;
    pool_->drive(*channel_, *waiter_, deadline_, lock, true);
  }
  std::optional<Error> failed;
  if (waiter_->done && waiter_->error) {
    waiter_->queued = false;
    failed = std::move(waiter_->error);
  }
  pool_->unlock_and_wake(*channel_, lock);
  if (failed) return std::unexpected(std::move(*failed));
  return {};
}

Result<std::vector<ReplyPtr>> ConnectionPool::Lease::receive(std::size_t count) {
  if (count == 0) return std::vector<ReplyPtr>{};
  Lock lock(channel_->mutex);
  auto replies = pool_->await(*channel_, *waiter_, deadline_, lock);
  pool_->unlock_and_wake(*channel_, lock);
  return replies;
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
  if (!channel.driving && channel.unsent.empty() && channel.in_flight.empty()) {
    // Idle: a connection the server closed meanwhile (a restart, CLIENT KILL, an idle timeout)
    // is replaced before anything is sent on it.
    if (channel.connection && !channel.connection->reusable()) {
      channel.connection.reset();
      lost_one();
    }
    if (!channel.connection) {
      channel.driving = true;
      auto connected = connect(channel, deadline, lock);
      release(channel);
      if (!connected) {
        unlock_and_wake(channel, lock);
        return std::unexpected(std::move(connected.error()));
      }
    }
  }
  unlock_and_wake(channel, lock);
  // Otherwise a driver is at work, and whoever drives next connects if need be.
  return Lease(*this, channel, deadline);
}

void ConnectionPool::submit(Channel& channel, Waiter& waiter, std::span<const Command> commands, Lock& lock) {
  thread_local std::string encoded;
  encoded.clear();
  for (const Command& c : commands) c.write_to(encoded);
  waiter.expected = commands.size();
  waiter.replies.clear();
  waiter.replies.reserve(commands.size());
  waiter.error.reset();
  waiter.done = false;
  waiter.queued = true;
  lock.lock();
  channel.pending.append(encoded);
  channel.unsent.push_back({&waiter, commands.size(), encoded.size()});
  channel.calls.fetch_add(1, std::memory_order_relaxed);
  trim(encoded);
}

Result<std::vector<ReplyPtr>> ConnectionPool::await(Channel& channel, Waiter& waiter, Deadline deadline, Lock& lock) {
  while (!waiter.done) {
    if (!channel.driving && Clock::now() < deadline) {
      channel.driving = true;
      drive(channel, waiter, deadline, lock, false);
      continue;
    }
    if (channel.driving && !channel.to_wake.empty()) {  // never sleep on wakes still owed
      unlock_and_wake(channel, lock);
      lock.lock();
      continue;
    }
    if (channel.driving && waiter.wake.wait_until(lock, deadline) == std::cv_status::no_timeout) continue;
    if (waiter.done) break;
    // Our deadline passed first: we stop waiting, whoever drives (queued commands are taken
    // back unsent; sent ones have their replies dropped when they come).
    abandon(channel, waiter);
    answer(channel, waiter,
           Error{Errc::timeout, {}, {},
                 server_ + " did not answer within command_timeout (" +
                     std::to_string(options_.command_timeout.count()) + "ms)"});
    if (!channel.driving) wake_next(channel);
  }
  waiter.queued = false;
  if (waiter.error) return std::unexpected(std::move(*waiter.error));
  return std::move(waiter.replies);
}

void ConnectionPool::drive(Channel& channel, Waiter& waiter, Deadline deadline, Lock& lock, bool write_only) {
  while (!waiter.done) {
    if (!channel.connection) {
      // Nothing is in flight without a connection: our commands are still queued.
      if (auto connected = connect(channel, deadline, lock); !connected) {
        abandon(channel, waiter);
        answer(channel, waiter, std::move(connected.error()));
        break;
      }
    }
    if (!channel.pending.empty()) {
      if (flush(channel, deadline, lock) && write_only) break;
      continue;  // a failed write answered every call in flight, ours among them
    }
    if (write_only) break;
    // Ours is in flight: read what has come.
    unlock_and_wake(channel, lock);
    auto read = channel.connection->read_replies(channel.read, deadline);
    lock.lock();
    if (!read) {
      channel.read.clear();
      if (read.error().code == Errc::timeout && others_waiting(channel, waiter)) {
        // Our deadline passed; others still wait for replies on this connection: they drive on.
        abandon(channel, waiter);
        answer(channel, waiter, std::move(read.error()));
        break;
      }
      // Lost, garbled, or timed out with nobody else waiting for it: the connection goes.
      channel.connection->break_off();
      lose(channel, read.error());
      continue;
    }
    deliver(channel);
  }
  // What queued meanwhile goes out before the role is handed on, in our time.
  if (!write_only && channel.connection && !channel.pending.empty() && Clock::now() < deadline) {
    flush(channel, deadline, lock);
  }
  release(channel);
}

Result<void> ConnectionPool::connect(Channel& channel, Deadline deadline, Lock& lock) {
  open_.fetch_add(1, std::memory_order_relaxed);
  unlock_and_wake(channel, lock);
  auto connection = Connection::open(options_, tls_.get(), server_, script_, Clock::now() + options_.connect_timeout,
                                     deadline);
  lock.lock();
  if (!connection) {
    open_.fetch_sub(1, std::memory_order_relaxed);
    return std::unexpected(std::move(connection.error()));
  }
  channel.connection = std::move(*connection);
  opened_one();
  return {};
}

bool ConnectionPool::flush(Channel& channel, Deadline deadline, Lock& lock) {
  channel.writing.swap(channel.pending);
  channel.in_flight.insert(channel.in_flight.end(), channel.unsent.begin(), channel.unsent.end());
  channel.unsent.clear();
  unlock_and_wake(channel, lock);
  auto written = channel.connection->write(channel.writing, deadline);
  lock.lock();
  channel.writing.clear();
  trim(channel.writing);
  if (!written) {
    lose(channel, written.error());
    return false;
  }
  return true;
}

void ConnectionPool::deliver(Channel& channel) {
  for (ReplyPtr& reply : channel.read) {
    if (channel.in_flight.empty()) {
      channel.read.clear();
      channel.connection->break_off();
      lose(channel, Error{Errc::protocol, {}, {}, server_ + " sent a reply nobody asked for"});
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

void ConnectionPool::lose(Channel& channel, const Error& error) {
  channel.connection.reset();  // closes the socket; its partial replies go with it
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
  waiter.done = true;
  channel.calls.fetch_sub(1, std::memory_order_relaxed);
  channel.to_wake.push_back(waiter.shared_from_this());
}

void ConnectionPool::release(Channel& channel) {
  channel.driving = false;
  wake_next(channel);
}

void ConnectionPool::wake_next(Channel& channel) {
  // The first call still waiting takes the role: its reply comes first.
  for (const Slot& slot : channel.in_flight) {
    if (slot.waiter != nullptr) {
      channel.to_wake.push_back(slot.waiter->shared_from_this());
      return;
    }
  }
  if (!channel.unsent.empty()) channel.to_wake.push_back(channel.unsent.front().waiter->shared_from_this());
}

void ConnectionPool::unlock_and_wake(Channel& channel, Lock& lock) {
  thread_local std::vector<std::shared_ptr<Waiter>> waking;
  waking.swap(channel.to_wake);  // the channel keeps this thread's empty buffer
  lock.unlock();
  for (const auto& waiter : waking) waiter->wake.notify_one();
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
