// The byte stream under every connection to Redis, owned by cachet rather than hiredis: a
// non-blocking socket (TCP or unix) whose every wait is bounded by the call's deadline through
// poll(2), and TLS over it through OpenSSL when the URL says rediss://. There is no plaintext
// fallback: a TLS stream that cannot be set up is an error.
//
// Writes never raise SIGPIPE (send with MSG_NOSIGNAL, also under TLS), so a server that went
// away is an Errc::unavailable, never the death of the process.
#pragma once

#include "engine/error.hpp"
#include "tls.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace cachet::redis {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

// Where to connect: a host and port, or a unix socket's path.
struct Endpoint {
  std::string host;
  int port = 6379;
  std::string socket_path;  // non-empty: a unix socket
};

class Transport {
 public:
  // Connects, then (with `tls`) shakes hands, all before `deadline`. `name` ("redis at
  // host:port") is what messages call the server; it must outlive the transport. Failures
  // are Errc::timeout (the deadline passed) or Errc::unavailable, naming what failed.
  static Result<std::unique_ptr<Transport>> open(const Endpoint& endpoint, const TlsContext* tls,
                                                 std::string_view name, Deadline deadline);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Writes every byte before `deadline`.
  Result<void> write_all(std::string_view bytes, Deadline deadline);
  // Reads at least one byte (at most `capacity`) before `deadline`; a closed stream is
  // Errc::unavailable.
  Result<std::size_t> read_some(char* buffer, std::size_t capacity, Deadline deadline);
  // Whether an idle stream is fit for reuse: the server has not closed it and no stray bytes
  // wait on it. One syscall.
  bool idle_and_open() const;
  // Shuts the socket down both ways: a read or write waiting on it in another thread fails.
  void shut_down();

  bool secure() const { return ssl_ != nullptr; }

 private:
  Transport(int fd, std::string_view name) : fd_(fd), name_(name) {}

  // Waits until the socket is readable (or writable) or the deadline passes.
  Result<void> wait(bool for_writing, Deadline deadline, std::string_view doing);
  Result<void> handshake(const TlsContext& tls, Deadline deadline);
  Error tls_failure(int ssl_result, std::string_view doing);

  int fd_;
  std::string_view name_;
  SSL* ssl_ = nullptr;
  std::string expected_name_;  // what the server's certificate must name, for messages
};

}  // namespace cachet::redis
