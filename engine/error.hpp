// Results and errors shared by every room: what an operation answers when it fails.
#pragma once

#include "require_cxx23.hpp"

#include <expected>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace cachet {

// Why an operation failed. Values start at 1 so that a std::error_code built from
// an Errc is never mistaken for success.
enum class Errc {
  miss = 1,        // the key (or list index, or set member asked for) does not exist
  key_exists,      // set_if_not_exists on a key that exists
  wrong_type,      // the key holds another kind of value (Redis WRONGTYPE)
  invalid_value,   // stored bytes do not decode as V; not an integer / float; NaN or inf result
  out_of_range,    // list index out of range, bad count, value too large
  out_of_memory,   // policy noeviction and the store is full
  not_configured,  // no backend configured for this cluster in this environment
  unavailable,     // cannot reach the backend (connect refused, connection lost)
  timeout,         // the backend did not answer in time
  protocol,        // the backend answered something unexpected
  unsupported,     // the cluster's backend does not implement this data type
  cross_slot,      // an atomic operation's keys lie in different Redis Cluster slots
  load_failed,     // get_or_set: the loader another caller ran failed, or the load would wait on itself
  // (a new code goes after load_failed and moves result_count in api/cachet/keyspace.hpp with it)
};

// The name of a code as written in the API ("miss", "wrong_type", ...).
std::string_view errc_name(Errc code) noexcept;

const std::error_category& cachet_category() noexcept;
std::error_code make_error_code(Errc code) noexcept;

// A failed operation: which operation, on which stored key, and why.
struct Error {
  Errc code;
  std::string op;
  std::string key;
  std::string message;

  // cachet: get "requests/u1": cache miss
  std::string what() const;
  std::error_code error_code() const noexcept { return make_error_code(code); }
};

template <class T>
using Result = std::expected<T, Error>;

// A failure with no operation or key yet; the keyspace layer fills those in.
inline std::unexpected<Error> fail(Errc code, std::string message) {
  return std::unexpected(Error{code, {}, {}, std::move(message)});
}

// A configuration mistake in code: a bad cluster name, conflicting keyspaces, a bad URL
// passed to configure(). Thrown, because the program cannot run as written.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace cachet

template <>
struct std::is_error_code_enum<cachet::Errc> : std::true_type {};
