#include "error.hpp"

namespace cachet {

std::string_view errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::miss: return "miss";
    case Errc::key_exists: return "key_exists";
    case Errc::wrong_type: return "wrong_type";
    case Errc::invalid_value: return "invalid_value";
    case Errc::out_of_range: return "out_of_range";
    case Errc::out_of_memory: return "out_of_memory";
    case Errc::not_configured: return "not_configured";
    case Errc::unavailable: return "unavailable";
    case Errc::timeout: return "timeout";
    case Errc::protocol: return "protocol";
    case Errc::unsupported: return "unsupported";
    case Errc::cross_slot: return "cross_slot";
    case Errc::load_failed: return "load_failed";
  }
  return "unknown";
}

namespace {

class CachetCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "cachet"; }
  std::string message(int value) const override {
    switch (static_cast<Errc>(value)) {
      case Errc::miss: return "cache miss";
      case Errc::key_exists: return "key already exists";
      case Errc::wrong_type: return "the key holds another kind of value";
      case Errc::invalid_value: return "the value is not valid for this operation";
      case Errc::out_of_range: return "index, count or size out of range";
      case Errc::out_of_memory: return "the cache is full and its policy does not evict";
      case Errc::not_configured: return "no backend configured for this cluster";
      case Errc::unavailable: return "the backend cannot be reached";
      case Errc::timeout: return "the backend did not answer in time";
      case Errc::protocol: return "the backend answered something unexpected";
      case Errc::unsupported: return "the backend does not support this data type";
      case Errc::cross_slot: return "the keys of an atomic operation lie in different cluster slots";
      case Errc::load_failed: return "the load of a missing value failed";
    }
    return "unknown cachet error";
  }
};

}  // namespace

const std::error_category& cachet_category() noexcept {
  static const CachetCategory category;
  return category;
}

std::error_code make_error_code(Errc code) noexcept { return {static_cast<int>(code), cachet_category()}; }

std::string Error::what() const {
  std::string out = "cachet: ";
  out += op.empty() ? std::string_view("operation") : std::string_view(op);
  if (!key.empty()) {
    out += " \"";
    out += key;
    out += '"';
  }
  out += ": ";
  out += message.empty() ? cachet_category().message(static_cast<int>(code)) : message;
  return out;
}

}  // namespace cachet
