#include "connection.hpp"

#include <algorithm>

namespace cachet::redis {
namespace {

// A batch buffer grown past this by one large write is released rather than kept.
constexpr std::size_t kept_buffer_bytes = 256 * 1024;
// Bytes read from the transport at a time.
constexpr std::size_t read_chunk = 16 * 1024;

std::string millis(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + "ms"; }

}  // namespace

std::string server_name(const RedisOptions& options) {
  if (!options.socket_path.empty()) return "redis at " + options.socket_path;
  return "redis at " + options.host + ":" + std::to_string(options.port);
}

Connection::Connection(std::unique_ptr<Transport> transport, const RedisOptions& options, std::string_view name)
    : transport_(std::move(transport)), reader_(redisReaderCreate()), options_(options), name_(name) {}

Connection::~Connection() {
  if (reader_ != nullptr) redisReaderFree(reader_);
}

Result<std::unique_ptr<Connection>> Connection::open(const RedisOptions& options, const TlsContext* tls,
                                                     std::string_view name, std::string_view script,
                                                     Deadline connect_deadline, Deadline deadline) {
  auto transport = Transport::open({options.host, options.port, options.socket_path}, tls, name,
                                   std::min(connect_deadline, deadline));
  if (!transport) {
    Error e = std::move(transport.error());
    if (e.code == Errc::timeout) {
      e.message += connect_deadline <= deadline ? " (connect_timeout " + millis(options.connect_timeout) + ")"
                                                : " (command_timeout " + millis(options.command_timeout) + ")";
    }
    return std::unexpected(std::move(e));
  }
  std::unique_ptr<Connection> connection(new Connection(std::move(*transport), options, name));
  if (connection->reader_ == nullptr) return fail(Errc::unavailable, "cannot connect to " + std::string(name) + ": out of memory");
  if (auto ok = connection->handshake(script, deadline); !ok) return std::unexpected(std::move(ok.error()));
  return connection;
}

// AUTH, SELECT and SCRIPT LOAD, sent together. The password is only ever a command argument:
// no message below names it.
Result<void> Connection::handshake(std::string_view script, Deadline deadline) {
  std::vector<Command> commands;
  std::vector<std::string> steps;
  if (!options_.password.empty()) {
    Command auth("AUTH");
    if (!options_.user.empty()) auth.arg(options_.user);
    commands.push_back(std::move(auth.arg(options_.password)));
    steps.push_back(options_.user.empty() ? "authentication failed"
                                          : "authentication failed for user \"" + options_.user + "\"");
  }
  if (options_.db != 0) {
    commands.push_back(std::move(Command("SELECT").arg(std::int64_t(options_.db))));
    steps.push_back("cannot select database " + std::to_string(options_.db));
  }
  commands.push_back(std::move(Command("SCRIPT").arg("LOAD").arg(script)));
  steps.push_back("cannot load cachet's write script (SCRIPT LOAD)");

  auto replies = round_trip(commands, deadline);
  if (!replies) {
    Error e = std::move(replies.error());
    // A TLS port drops a client that speaks plaintext without a word.
    if (!answered_ && !transport_->secure() && e.code == Errc::unavailable) {
      e.message += " (if it is a TLS port, use rediss://)";
    }
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
  if (auto sent = send(commands, deadline); !sent) return std::unexpected(std::move(sent.error()));
  return receive(commands.size(), deadline);
}

Result<void> Connection::send(std::span<const Command> commands, Deadline deadline) {
  if (broken_) return fail(Errc::unavailable, "the connection to " + std::string(name_) + " is broken");
  out_.clear();
  for (const Command& c : commands) c.write_to(out_);
  auto sent = transport_->write_all(out_, deadline);
  if (out_.capacity() > kept_buffer_bytes) std::string().swap(out_);
  if (!sent) return std::unexpected(failure(std::move(sent.error())));
  return {};
}

Result<std::vector<ReplyPtr>> Connection::receive(std::size_t count, Deadline deadline) {
  if (broken_) return fail(Errc::unavailable, "the connection to " + std::string(name_) + " is broken");
  std::vector<ReplyPtr> replies;
  replies.reserve(count);
  char buffer[read_chunk];
  while (replies.size() < count) {
    void* reply = nullptr;
    if (redisReaderGetReply(reader_, &reply) != REDIS_OK) {
      return std::unexpected(failure(Error{Errc::protocol, {}, {},
                                           std::string(name_) + " sent a malformed reply: " + reader_->errstr}));
    }
    if (reply != nullptr) {
      replies.emplace_back(static_cast<redisReply*>(reply));
      continue;
    }
    auto n = transport_->read_some(buffer, sizeof buffer, deadline);
    if (!n) return std::unexpected(failure(std::move(n.error())));
    answered_ = true;
    if (redisReaderFeed(reader_, buffer, *n) != REDIS_OK) {
      return std::unexpected(failure(Error{Errc::protocol, {}, {}, std::string(name_) + " sent a malformed reply"}));
    }
  }
  return replies;
}

Result<void> Connection::write(std::string_view bytes, Deadline deadline) {
  if (broken_) return fail(Errc::unavailable, "the connection to " + std::string(name_) + " is broken");
  auto sent = transport_->write_all(bytes, deadline);
  if (!sent) return std::unexpected(failure(std::move(sent.error())));
  return {};
}

Result<std::size_t> Connection::read_replies(std::vector<ReplyPtr>& out, Deadline deadline) {
  if (broken_) return fail(Errc::unavailable, "the connection to " + std::string(name_) + " is broken");
  const std::size_t before = out.size();
  bool read_once = false;
  for (;;) {
    void* reply = nullptr;
    if (redisReaderGetReply(reader_, &reply) != REDIS_OK) {
      return std::unexpected(failure(Error{Errc::protocol, {}, {},
                                           std::string(name_) + " sent a malformed reply: " + reader_->errstr}));
    }
    if (reply != nullptr) {
      out.emplace_back(static_cast<redisReply*>(reply));
      continue;
    }
    if (out.size() > before || read_once) return out.size() - before;
    char buffer[read_chunk];
    auto n = transport_->read_some(buffer, sizeof buffer, deadline);
    if (!n) {
      if (n.error().code == Errc::timeout) return std::unexpected(timeout_error());
      return std::unexpected(failure(std::move(n.error())));
    }
    answered_ = true;
    read_once = true;
    if (redisReaderFeed(reader_, buffer, *n) != REDIS_OK) {
      return std::unexpected(failure(Error{Errc::protocol, {}, {}, std::string(name_) + " sent a malformed reply"}));
    }
  }
}

Error Connection::timeout_error() const {
  return Error{Errc::timeout, {}, {},
               std::string(name_) + " did not answer within command_timeout (" + millis(options_.command_timeout) + ")"};
}

Error Connection::failure(Error error) {
  broken_ = true;
  if (error.code == Errc::timeout) return timeout_error();
  return error;
}

}  // namespace cachet::redis
