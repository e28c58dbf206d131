#include "connection.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace cachet::redis {
namespace {

// A batch buffer grown past this by one large write is released rather than kept.
constexpr std::size_t kept_buffer_bytes = 256 * 1024;

timeval to_timeval(std::chrono::milliseconds ms) {
  return {static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

std::string millis(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + "ms"; }

}  // namespace

std::string server_name(const RedisOptions& options) {
  if (!options.socket_path.empty()) return "redis at " + options.socket_path;
  return "redis at " + options.host + ":" + std::to_string(options.port);
}

Result<std::unique_ptr<Connection>> Connection::open(const RedisOptions& options, std::string_view name,
                                                     std::string_view script, std::chrono::milliseconds limit) {
  const timeval connect_limit = to_timeval(limit);
  errno = 0;
  redisContext* raw = options.socket_path.empty()
                           ? redisConnectWithTimeout(options.host.c_str(), options.port, connect_limit)
                           : redisConnectUnixWithTimeout(options.socket_path.c_str(), connect_limit);
  const int connect_errno = errno;
  if (raw == nullptr) return fail(Errc::unavailable, "cannot connect to " + std::string(name) + ": out of memory");
  std::unique_ptr<redisContext, FreeContext> context(raw);
  if (context->err != 0) {
    if (connect_errno == ETIMEDOUT) {
      return fail(Errc::timeout, "cannot connect to " + std::string(name) + ": no answer within " + millis(limit) +
                                     (limit == options.connect_timeout ? " (connect_timeout)" : ""));
    }
    return fail(Errc::unavailable, "cannot connect to " + std::string(name) + ": " + context->errstr);
  }

  std::unique_ptr<Connection> connection(new Connection(std::move(context), name));
  if (auto ok = connection->set_timeout(limit); !ok) return std::unexpected(ok.error());
  if (auto ok = connection->handshake(options, script); !ok) return std::unexpected(ok.error());
  if (auto ok = connection->set_timeout(options.command_timeout); !ok) return std::unexpected(ok.error());
  return connection;
}

Result<void> Connection::set_timeout(std::chrono::milliseconds timeout) {
  if (redisSetTimeout(context_.get(), to_timeval(timeout)) != REDIS_OK) {
    return fail(Errc::unavailable, "cannot set the timeout of a connection to " + std::string(name_) + ": " +
                                       context_->errstr);
  }
  timeout_ = timeout;
  return {};
}

// AUTH, SELECT and SCRIPT LOAD, sent together. The password is only ever a command argument:
// no message below names it.
Result<void> Connection::handshake(const RedisOptions& options, std::string_view script) {
  std::vector<Command> commands;
  std::vector<std::string> steps;
  if (!options.password.empty()) {
    Command auth("AUTH");
    if (!options.user.empty()) auth.arg(options.user);
    commands.push_back(std::move(auth.arg(options.password)));
    steps.push_back(options.user.empty() ? "authentication failed"
                                         : "authentication failed for user \"" + options.user + "\"");
  }
  if (options.db != 0) {
    commands.push_back(std::move(Command("SELECT").arg(std::int64_t(options.db))));
    steps.push_back("cannot select database " + std::to_string(options.db));
  }
  commands.push_back(std::move(Command("SCRIPT").arg("LOAD").arg(script)));
  steps.push_back("cannot load cachet's write script (SCRIPT LOAD)");

  auto replies = round_trip(commands);
  if (!replies) {
    Error e = std::move(replies.error());
    e.message = "while connecting: " + e.message;
    return std::unexpected(std::move(e));
  }
  // The first refusal explains the others (after a failed AUTH every command is NOAUTH).
  for (std::size_t i = 0; i < replies->size(); ++i) {
    const redisReply& reply = *(*replies)[i];
    if (reply.type != REDIS_REPLY_ERROR) continue;
    Error e = reply_error(reply);
    if (e.code != Errc::unavailable) e.code = Errc::not_configured;  // wrong credentials, db, permissions
    const bool needs_password = e.message.starts_with("NOAUTH");
    e.message = std::string(name_) + ": " +
                (needs_password ? "authentication required, and the URL gives no password" : steps[i]) + ": " +
                e.message;
    return std::unexpected(std::move(e));
  }
  auto sha = bulk(*replies->back());
  if (!sha || !*sha) return fail(Errc::protocol, std::string(name_) + ": SCRIPT LOAD answered no SHA1");
  script_sha_ = std::move(**sha);
  return {};
}

Result<std::vector<ReplyPtr>> Connection::round_trip(std::span<const Command> commands, Deadline deadline) {
  if (deadline) {  // the caller waited for this connection: it has only the rest of its budget
    const auto full = timeout_;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
    if (left < full) {
      if (auto ok = set_timeout(std::max(left, std::chrono::milliseconds(1))); !ok) return std::unexpected(ok.error());
      auto replies = round_trip(commands);
      if (!broken_) {
        if (auto ok = set_timeout(full); !ok) return std::unexpected(ok.error());
      }
      return replies;
    }
  }
  out_.clear();
  for (const Command& c : commands) c.write_to(out_);
  auto sent = send_all();
  if (out_.capacity() > kept_buffer_bytes) std::string().swap(out_);
  if (!sent) return std::unexpected(std::move(sent.error()));

  std::vector<ReplyPtr> replies;
  replies.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    void* reply = nullptr;
    errno = 0;
    if (redisGetReply(context_.get(), &reply) != REDIS_OK) return std::unexpected(io_failure(errno, false));
    replies.emplace_back(static_cast<redisReply*>(reply));
  }
  return replies;
}

Result<void> Connection::send_all() {
  std::size_t sent = 0;
  while (sent < out_.size()) {
    const ssize_t n = ::send(context_->fd, out_.data() + sent, out_.size() - sent, MSG_NOSIGNAL);
    if (n >= 0) {
      sent += std::size_t(n);
    } else if (errno != EINTR) {
      return std::unexpected(io_failure(errno, true));
    }
  }
  return {};
}

Error Connection::io_failure(int error_number, bool sending) {
  broken_ = true;
  const std::string name(name_);
  // With SO_RCVTIMEO / SO_SNDTIMEO set, a blocking socket that waited too long fails with EAGAIN.
  if (error_number == EAGAIN || error_number == EWOULDBLOCK) {
    return Error{Errc::timeout, {}, {},
                 name + (sending ? " did not take the command within " : " did not answer within ") + millis(timeout_)};
  }
  if (sending) return Error{Errc::unavailable, {}, {}, "lost the connection to " + name + ": " + std::strerror(error_number)};
  switch (context_->err) {
    case REDIS_ERR_EOF: return Error{Errc::unavailable, {}, {}, name + " closed the connection"};
    case REDIS_ERR_PROTOCOL: return Error{Errc::protocol, {}, {}, name + " sent a malformed reply: " + context_->errstr};
    default: return Error{Errc::unavailable, {}, {}, "lost the connection to " + name + ": " + context_->errstr};
  }
}

bool Connection::reusable() const {
  char byte = 0;
  for (;;) {
    const ssize_t n = ::recv(context_->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    // Nothing to read is the one healthy answer: 0 is the server's close, > 0 a reply nobody asked for.
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

}  // namespace cachet::redis
