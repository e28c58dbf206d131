#include "transport.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <openssl/x509_vfy.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace cachet::redis {
namespace {

// A wait for the server's answer first looks for it, yielding the CPU between looks, for this
// long before it sleeps in poll: a thread asleep in poll takes tens of microseconds to wake on
// a virtual machine whose other CPU is idle, longer than a loopback answer takes to come.
// Measured (one thread calling get on a loopback server, 2 vCPUs, a quiet machine): 50 us made
// a lone caller's round trip 3x as fast (about 27k calls/s against 9k), and left 8 and 32
// threads level. A wait to write sleeps at once: a full send buffer does not drain that fast.
constexpr auto look_before_sleeping = std::chrono::microseconds(50);

// OpenSSL's socket BIO writes with write(2), which raises SIGPIPE on a closed socket; this one
// sends with MSG_NOSIGNAL. Reads and writes never block: the socket is non-blocking, and a
// retry flag sends OpenSSL back to Transport, which waits with poll.
int bio_write(BIO* bio, const char* data, int length) {
  BIO_clear_retry_flags(bio);
  const int fd = static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(bio)));
  const ssize_t n = ::send(fd, data, std::size_t(length), MSG_NOSIGNAL);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) BIO_set_retry_write(bio);
  return static_cast<int>(n);
}

int bio_read(BIO* bio, char* data, int length) {
  BIO_clear_retry_flags(bio);
  const int fd = static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(bio)));
  const ssize_t n = ::recv(fd, data, std::size_t(length), 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) BIO_set_retry_read(bio);
  return static_cast<int>(n);
}

long bio_control(BIO*, int command, long, void*) { return command == BIO_CTRL_FLUSH ? 1 : 0; }

int bio_create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

const BIO_METHOD* socket_method() {
  static BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "cachet socket");
    BIO_meth_set_write(m, bio_write);
    BIO_meth_set_read(m, bio_read);
    BIO_meth_set_ctrl(m, bio_control);
    BIO_meth_set_create(m, bio_create);
    return m;
  }();
  return method;
}

bool is_ip_address(const std::string& name) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, name.c_str(), buffer) == 1 || inet_pton(AF_INET6, name.c_str(), buffer) == 1;
}

// Connects one socket to one address without blocking past the deadline; -1 and errno on failure.
int connect_before(const sockaddr* address, socklen_t length, int family, Deadline deadline) {
  const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (family != AF_UNIX) {
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  if (::connect(fd, address, length) == 0) return fd;
  if (errno != EINPROGRESS) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      ::close(fd);
      errno = ETIMEDOUT;
      return -1;
    }
    pollfd p{fd, POLLOUT, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1'000'000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;  // the loop re-checks the deadline
    int error = 0;
    socklen_t size = sizeof error;
    if (ready < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0 || error != 0) {
      const int saved = ready < 0 ? errno : error;
      ::close(fd);
      errno = saved;
      return -1;
    }
    return fd;
  }
}

}  // namespace

Result<std::unique_ptr<Transport>> Transport::open(const Endpoint& endpoint, const TlsContext* tls,
                                                   std::string_view name, Deadline deadline) {
  const auto fail_connect = [&](int error) -> std::unexpected<Error> {
    if (error == ETIMEDOUT) {
      return fail(Errc::timeout, "cannot connect to " + std::string(name) + ": no answer in time");
    }
    return fail(Errc::unavailable, "cannot connect to " + std::string(name) + ": " + std::strerror(error));
  };
  int fd = -1;
  if (!endpoint.socket_path.empty()) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (endpoint.socket_path.size() >= sizeof address.sun_path) {
      return fail(Errc::unavailable, "cannot connect to " + std::string(name) + ": the socket path is too long");
    }
    std::memcpy(address.sun_path, endpoint.socket_path.c_str(), endpoint.socket_path.size() + 1);
    fd = connect_before(reinterpret_cast<const sockaddr*>(&address), sizeof address, AF_UNIX, deadline);
    if (fd < 0) return fail_connect(errno);
  } else {
    // Name lookup goes through the system resolver, which cachet cannot bound (hiredis did the
    // same); a numeric host needs none.
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(endpoint.port);
    if (const int status = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found); status != 0) {
      return fail(Errc::unavailable, "cannot connect to " + std::string(name) + ": " + ::gai_strerror(status));
    }
    int last_error = ECONNREFUSED;
    for (const addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
      fd = connect_before(a->ai_addr, a->ai_addrlen, a->ai_family, deadline);
      if (fd < 0) last_error = errno;
      if (last_error == ETIMEDOUT) break;
    }
    ::freeaddrinfo(found);
    if (fd < 0) return fail_connect(last_error);
  }
  std::unique_ptr<Transport> transport(new Transport(fd, name));
  if (tls != nullptr) {
    if (auto ok = transport->handshake(*tls, deadline); !ok) return std::unexpected(std::move(ok.error()));
  }
  return transport;
}

Transport::~Transport() {
  if (ssl_ != nullptr) SSL_free(ssl_);  // no close_notify: the socket closes next, as Redis's own client does
  ::close(fd_);
}

Result<void> Transport::wait(bool for_writing, Deadline deadline, std::string_view doing) {
  if (!for_writing) {
    const auto look_until = std::min(deadline, Clock::now() + look_before_sleeping);
    do {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 0) > 0) return {};
      std::this_thread::yield();
    } while (Clock::now() < look_until);
  }
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      return fail(Errc::timeout, std::string(name_) + " did not " + std::string(doing) + " in time");
    }
    pollfd p{fd_, short(for_writing ? POLLOUT : POLLIN), 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1'000'000)));
    if (ready > 0) return {};
    if (ready < 0 && errno != EINTR) {
      return fail(Errc::unavailable, "lost the connection to " + std::string(name_) + ": " + std::strerror(errno));
    }
  }
}

Result<void> Transport::handshake(const TlsContext& tls, Deadline deadline) {
  ERR_clear_error();
  ssl_ = SSL_new(tls.native());
  BIO* bio = ssl_ ? BIO_new(socket_method()) : nullptr;
  if (bio == nullptr) return fail(Errc::unavailable, "TLS: cannot start a session: " + take_openssl_errors());
  BIO_set_data(bio, reinterpret_cast<void*>(std::intptr_t(fd_)));
  SSL_set_bio(ssl_, bio, bio);
  const std::string& server = tls.server_name();
  expected_name_ = server;
  if (tls.verify() == TlsVerify::full) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const int set = is_ip_address(server) ? X509_VERIFY_PARAM_set1_ip_asc(param, server.c_str())
                                          : X509_VERIFY_PARAM_set1_host(param, server.c_str(), 0);
    if (set != 1) return fail(Errc::unavailable, "TLS: \"" + server + "\" cannot be verified as a server name");
  }
  // SNI names a host, never an IP address (RFC 6066).
  if (!is_ip_address(server)) SSL_set_tlsext_host_name(ssl_, server.c_str());

  for (;;) {
    const int result = SSL_connect(ssl_);
    if (result == 1) return {};
    const int error = SSL_get_error(ssl_, result);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
      if (auto ok = wait(error == SSL_ERROR_WANT_WRITE, deadline, "finish the TLS handshake"); !ok) {
        // Not a word back to the ClientHello. A plaintext Redis never answers one (a NUL byte
        // hides its newlines from the inline parser), and neither does a stalled server: the
        // two cannot be told apart, so this stays a timeout whose message names both.
        if (SSL_get_state(ssl_) == TLS_ST_CW_CLNT_HELLO) {
          ok.error().message = "TLS: " + std::string(name_) +
                               " did not answer the TLS handshake in time: if it is a plaintext port, use redis:// there";
        }
        return ok;
      }
      continue;
    }
    return std::unexpected(tls_failure(result, "TLS handshake"));
  }
}

// What went wrong in TLS, in the words an operator needs: which check failed and what to do.
Error Transport::tls_failure(int ssl_result, std::string_view doing) {
  const int error = SSL_get_error(ssl_, ssl_result);
  const int saved_errno = errno;
  const long verify = SSL_get_verify_result(ssl_);
  const unsigned long code = ERR_peek_error();
  std::string reason = take_openssl_errors();
  const std::string server(name_);
  std::string message;
  if (verify != X509_V_OK) {
    const std::string why = X509_verify_cert_error_string(verify);
    switch (verify) {
      case X509_V_ERR_HOSTNAME_MISMATCH:
      case X509_V_ERR_IP_ADDRESS_MISMATCH:
        message = "the certificate of " + server + " does not name \"" + expected_name_ + "\" (" + why +
                  "): set tls_server_name to a name it holds";
        break;
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
      case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        message = "certificate verify failed for " + server + ": unknown CA (" + why +
                  "): set tls_ca_file to the CA that signed the server's certificate";
        break;
      default: message = "certificate verify failed for " + server + ": " + why;
    }
  } else if (ERR_GET_REASON(code) == SSL_R_WRONG_VERSION_NUMBER ||
             ERR_GET_REASON(code) == SSL_R_PACKET_LENGTH_TOO_LONG || ERR_GET_REASON(code) == SSL_R_UNKNOWN_PROTOCOL) {
    message = server + " did not answer in TLS (" + reason + "): is it a plaintext port? Use redis:// there";
  } else if (ERR_GET_REASON(code) == SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED) {
    message = server + " requires a client certificate (" + reason + "): set tls_cert_file and tls_key_file";
  } else if (ERR_GET_REASON(code) == SSL_R_SSLV3_ALERT_BAD_CERTIFICATE ||
             ERR_GET_REASON(code) == SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE ||
             ERR_GET_REASON(code) == SSL_R_TLSV1_ALERT_UNKNOWN_CA) {
    message = server + " refused the client certificate (" + reason +
              "): set tls_cert_file and tls_key_file to a certificate its CA signed";
  } else if (error == SSL_ERROR_SYSCALL || error == SSL_ERROR_ZERO_RETURN) {
    message = server + " closed the connection during the " + std::string(doing) +
              (saved_errno != 0 && error == SSL_ERROR_SYSCALL ? std::string(": ") + std::strerror(saved_errno) : "");
  } else {
    message = std::string(doing) + " with " + server + " failed" + (reason.empty() ? "" : ": " + reason);
  }
  return Error{Errc::unavailable, {}, {}, "TLS: " + message};
}

Result<void> Transport::write_all(std::string_view bytes, Deadline deadline) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    if (ssl_ != nullptr) {
      ERR_clear_error();
      const int n = SSL_write(ssl_, bytes.data() + sent, static_cast<int>(std::min<std::size_t>(bytes.size() - sent, 1 << 30)));
      if (n > 0) {
        sent += std::size_t(n);
        continue;
      }
      const int error = SSL_get_error(ssl_, n);
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        if (auto ok = wait(error == SSL_ERROR_WANT_WRITE, deadline, "take the command"); !ok) return ok;
        continue;
      }
      Error failure = tls_failure(n, "write");
      // A server that refuses the client certificate once the handshake is over (TLS 1.3)
      // sends an alert and resets the connection: the alert, still readable, says why.
      if (error == SSL_ERROR_SYSCALL) {
        char byte = 0;
        ERR_clear_error();
        if (const int r = SSL_read(ssl_, &byte, 1); r <= 0 && SSL_get_error(ssl_, r) == SSL_ERROR_SSL) {
          return std::unexpected(tls_failure(r, "write"));
        }
      }
      return std::unexpected(std::move(failure));
    }
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n >= 0) {
      sent += std::size_t(n);
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (auto ok = wait(true, deadline, "take the command"); !ok) return ok;
    } else if (errno != EINTR) {
      return fail(Errc::unavailable, "lost the connection to " + std::string(name_) + ": " + std::strerror(errno));
    }
  }
  return {};
}

Result<std::size_t> Transport::read_some(char* buffer, std::size_t capacity, Deadline deadline) {
  for (;;) {
    if (ssl_ != nullptr) {
      ERR_clear_error();
      const int n = SSL_read(ssl_, buffer, static_cast<int>(std::min<std::size_t>(capacity, 1 << 30)));
      if (n > 0) return std::size_t(n);
      const int error = SSL_get_error(ssl_, n);
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        if (auto ok = wait(error == SSL_ERROR_WANT_WRITE, deadline, "answer"); !ok) return std::unexpected(ok.error());
        continue;
      }
      if (error == SSL_ERROR_ZERO_RETURN || (error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && n == 0)) {
        return fail(Errc::unavailable, std::string(name_) + " closed the connection");
      }
      return std::unexpected(tls_failure(n, "read"));
    }
    const ssize_t n = ::recv(fd_, buffer, capacity, 0);
    if (n > 0) return std::size_t(n);
    if (n == 0) return fail(Errc::unavailable, std::string(name_) + " closed the connection");
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (auto ok = wait(false, deadline, "answer"); !ok) return std::unexpected(ok.error());
    } else if (errno != EINTR) {
      return fail(Errc::unavailable, "lost the connection to " + std::string(name_) + ": " + std::strerror(errno));
    }
  }
}

void Transport::shut_down() { ::shutdown(fd_, SHUT_RDWR); }

bool Transport::idle_and_open() const {
  if (ssl_ != nullptr && SSL_pending(ssl_) > 0) return false;
  char byte = 0;
  for (;;) {
    const ssize_t n = ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    // Nothing to read is the one healthy answer: 0 is the server's close, > 0 bytes nobody
    // asked for (under TLS, also a close_notify on its way).
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

}  // namespace cachet::redis
