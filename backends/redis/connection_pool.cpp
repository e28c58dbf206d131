#include "connection_pool.hpp"

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
      capacity_(pool_capacity(options_.pool_size)) {}

ConnectionPool::Lease::~Lease() {
  if (connection_) pool_->give_back(std::move(connection_));
}

Result<ConnectionPool::Lease> ConnectionPool::acquire() {
  using std::chrono::milliseconds;
  const auto deadline = std::chrono::steady_clock::now() + options_.command_timeout;
  bool waited = false;  // then the rest of the call has only what is left until the deadline
  auto lease = [&](std::unique_ptr<Connection> connection) {
    return Lease(*this, std::move(connection), waited ? Connection::Deadline(deadline) : std::nullopt);
  };
  std::unique_lock lock(mutex_);
  for (;;) {
    while (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      lock.unlock();
      if (connection->reusable()) return lease(std::move(connection));
      connection.reset();  // closed by the server while idle
      forget_one();
      lock.lock();
    }
    if (open_ < capacity_) {
      ++open_;  // the slot is ours while we connect, without the lock
      lock.unlock();
      auto limit = options_.connect_timeout;
      if (waited) {
        const auto left = std::chrono::ceil<milliseconds>(deadline - std::chrono::steady_clock::now());
        limit = std::clamp(left, milliseconds(1), limit);
      }
      auto connection = Connection::open(options_, server_, script_, limit);
      if (!connection) {
        forget_one();
        return std::unexpected(std::move(connection.error()));
      }
      return lease(std::move(*connection));
    }
    waited = true;
    if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() && open_ >= capacity_) {
      return fail(Errc::timeout, "all " + std::to_string(capacity_) + " connections to " + server_ +
                                     " are in use and none came free within " +
                                     std::to_string(options_.command_timeout.count()) + "ms (pool_size)");
    }
  }
}

void ConnectionPool::give_back(std::unique_ptr<Connection> connection) {
  if (connection->broken()) {
    connection.reset();  // closes the socket, outside the lock
    forget_one();
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

}  // namespace cachet::redis
