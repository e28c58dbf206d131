// TLS settings and the OpenSSL context one storage's connections share: the trust store, a
// client certificate, the name the server must prove and the verification asked for.
#pragma once

#include "engine/error.hpp"

#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

namespace cachet::redis {

enum class TlsVerify {
  full,  // the chain to a trusted CA, and the host name (the default)
  ca,    // the chain only: any certificate a trusted CA signed
  none,  // nothing: encrypted, but the server's identity is not checked (verify() says so)
};

struct TlsOptions {
  bool enabled = false;      // rediss://
  std::string ca_file;       // PEM bundle of trusted CAs; empty: the system's trust store
  std::string cert_file;     // a client certificate (PEM), for servers that ask for one
  std::string key_file;      // its private key (PEM)
  std::string server_name;   // the name verified and sent as SNI; empty: the URL's host
  TlsVerify verify = TlsVerify::full;
};

class TlsContext {
 public:
  // Builds the context: TLS 1.2 or later, the trust store, the client certificate and its key
  // (which must match). A file that cannot be read or parsed is Errc::unavailable naming the
  // option and the path, never the file's content.
  static Result<std::shared_ptr<const TlsContext>> create(const TlsOptions& options, std::string_view host);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  SSL_CTX* native() const { return context_; }
  // What the server's certificate must name (a DNS name or an IP address).
  const std::string& server_name() const { return server_name_; }
  TlsVerify verify() const { return verify_; }

 private:
  TlsContext(SSL_CTX* context, std::string server_name, TlsVerify verify)
      : context_(context), server_name_(std::move(server_name)), verify_(verify) {}

  SSL_CTX* context_;
  std::string server_name_;
  TlsVerify verify_;
};

// The reason in OpenSSL's error queue (emptied on the way), or "" when it is empty.
std::string take_openssl_errors();

}  // namespace cachet::redis
