#include "tls.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace cachet::redis {
namespace {

std::unexpected<Error> file_problem(std::string_view option, const std::string& path, std::string_view what) {
  std::string reason = take_openssl_errors();
  return fail(Errc::unavailable, "TLS: cannot use " + std::string(option) + " \"" + path + "\": " + std::string(what) +
                                     (reason.empty() ? "" : " (" + reason + ")"));
}

}  // namespace

std::string take_openssl_errors() {
  std::string out;
  while (const unsigned long code = ERR_get_error()) {
    // The reason only: library and function names say nothing to a user, and no OpenSSL
    // reason string carries key material.
    const char* reason = ERR_reason_error_string(code);
    if (!out.empty()) out += "; ";
    out += reason != nullptr ? reason : "error " + std::to_string(ERR_GET_REASON(code));
  }
  return out;
}

Result<std::shared_ptr<const TlsContext>> TlsContext::create(const TlsOptions& options, std::string_view host) {
  ERR_clear_error();
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  if (context == nullptr) return fail(Errc::unavailable, "TLS: cannot create a context: " + take_openssl_errors());
  std::shared_ptr<const TlsContext> out(
      new TlsContext(context, options.server_name.empty() ? std::string(host) : options.server_name, options.verify));
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  SSL_CTX_set_mode(context, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);

  if (options.ca_file.empty()) {
    if (SSL_CTX_set_default_verify_paths(context) != 1) {
      return fail(Errc::unavailable, "TLS: cannot load the system's trust store: " + take_openssl_errors());
    }
  } else if (SSL_CTX_load_verify_locations(context, options.ca_file.c_str(), nullptr) != 1) {
    return file_problem("tls_ca_file", options.ca_file, "not a readable PEM file of CA certificates");
  }
  if (!options.cert_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(context, options.cert_file.c_str()) != 1) {
      return file_problem("tls_cert_file", options.cert_file, "not a readable PEM certificate");
    }
    if (SSL_CTX_use_PrivateKey_file(context, options.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      // OpenSSL checks the key against the certificate as it loads it.
      const bool mismatch = ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH;
      return file_problem("tls_key_file", options.key_file,
                          mismatch ? "the key does not match tls_cert_file" : "not a readable PEM private key");
    }
    if (SSL_CTX_check_private_key(context) != 1) {
      return file_problem("tls_key_file", options.key_file, "the key does not match tls_cert_file");
    }
  }
  SSL_CTX_set_verify(context, options.verify == TlsVerify::none ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, nullptr);
  return out;
}

TlsContext::~TlsContext() { SSL_CTX_free(context_); }

}  // namespace cachet::redis
