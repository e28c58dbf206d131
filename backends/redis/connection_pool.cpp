#include "connection_pool.hpp"

#include "engine/notice.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace cachet::redis {
namespace {

std::size_t pool_capacity(int configured) {
  if (configured > 0) return std::size_t(configured);
  return 2 * std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

ConnectionPool::ConnectionPool(RedisOptions options, std::string script)
    : options_(std::move(options)),
      script_(std::move(script)),
      server_(server_name(options_)),
      capacity_(pool_capacity(options_.pool_size)) {
  if (options_.tls.enabled) {
    auto context = TlsContext::create(options_.tls, options_.host);
    if (context) tls_ = std::move(*context);
    else tls_problem_ = std::move(context.error());
  }
}

ConnectionPool::Lease::~Lease() {
  if (connection_) pool_->give_back(std::move(connection_));
}

Result<ConnectionPool::Lease> ConnectionPool::acquire(Deadline deadline) {
  if (tls_problem_) return std::unexpected(*tls_problem_);
  std::unique_lock lock(mutex_);
  for (;;) {
    while (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      lock.unlock();
      if (connection->reusable()) return Lease(*this, std::move(connection), deadline);
      connection.reset();  // closed by the server while idle
      lost_one();
      lock.lock();
    }
    if (open_ < capacity_) {
      ++open_;  // the slot is ours while we connect, without the lock
      lock.unlock();
      auto connection = Connection::open(options_, tls_.get(), server_, script_,
                                         Clock::now() + options_.connect_timeout, deadline);
      if (!connection) {
        forget_one();
        return std::unexpected(std::move(connection.error()));
      }
      opened_one();
      return Lease(*this, std::move(*connection), deadline);
    }
    if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() && open_ >= capacity_) {
      return fail(Errc::timeout, "all " + std::to_string(capacity_) + " connections to " + server_ +
                                     " are in use and none came free within command_timeout (" +
                                     std::to_string(options_.command_timeout.count()) + "ms; see pool_size)");
    }
  }
}

void ConnectionPool::give_back(std::unique_ptr<Connection> connection) {
  if (connection->broken()) {
    connection.reset();  // closes the socket, outside the lock
    lost_one();
    return;
  }
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  returned_.notify_one();
}

void ConnectionPool::forget_one() {
  {
    std::lock_guard lock(mutex_);
    --open_;
  }
  returned_.notify_one();
}

void ConnectionPool::lost_one() {
  {
    std::lock_guard lock(mutex_);
    ++lost_;
  }
  forget_one();
}

void ConnectionPool::opened_one() {
  {
    std::lock_guard lock(mutex_);
    if (lost_ == 0) return;
    --lost_;
  }
  reconnects_.fetch_add(1, std::memory_order_relaxed);
  engine::notice(server_ + ": reconnected after a connection was lost");
}

}  // namespace cachet::redis
