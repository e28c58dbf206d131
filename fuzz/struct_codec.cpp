// Fuzz target: decoding stored bytes. cachet::Codec<V>::decode on any bytes, for a described
// struct (JSON) and for the integer and double codecs, never crashes; bytes that decode give
// a value whose encoding decodes to the same value, and a number's encoding is canonical.
#include <cachet/json_codec.hpp>

#include <boost/describe.hpp>
#include <boost/json/src.hpp>  // Boost.JSON compiled here, instrumented (see meson.build)

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

struct Profile {
  std::string name;
  std::int64_t visits;
  int level;
  std::uint16_t port;
  double ratio;
  bool active;
};
BOOST_DESCRIBE_STRUCT(Profile, (), (name, visits, level, port, ratio, active))

// Doubles compare by bits, so -0 and 0 stay apart and no value slips through as "equal".
bool same(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

template <class T>
  requires std::is_integral_v<T>
bool same(T a, T b) {
  return a == b;
}

bool same(const Profile& a, const Profile& b) {
  return a.name == b.name && a.visits == b.visits && a.level == b.level && a.port == b.port && same(a.ratio, b.ratio) &&
         a.active == b.active;
}

[[noreturn]] void fail(const char* codec, const char* what, std::string_view bytes, std::string_view encoded) {
  std::fprintf(stderr, "struct_codec: Codec<%s>: %s\n  bytes: \"%.*s\"\n  encoded: \"%.*s\"\n", codec, what,
               int(bytes.size()), bytes.data(), int(encoded.size()), encoded.data());
  std::abort();
}

// decode -> encode -> decode gives the value back; `canonical` also asks that the encoding of
// a value it decoded is the shortest text, which decodes to it in turn.
template <class V>
void round_trip(const char* name, std::string_view bytes) {
  const auto decoded = cachet::Codec<V>::decode(bytes);
  if (!decoded) {
    if (decoded.error().empty()) fail(name, "a refusal without a reason", bytes, {});
    return;
  }
  const std::string encoded = cachet::Codec<V>::encode(*decoded);
  const auto again = cachet::Codec<V>::decode(encoded);
  if (!again) fail(name, "the encoding of a decoded value does not decode", bytes, encoded);
  if (!same(*again, *decoded)) fail(name, "the encoding of a decoded value decodes to another value", bytes, encoded);
  if (cachet::Codec<V>::encode(*again) != encoded) fail(name, "encoding is not stable", bytes, encoded);
}

template <class T>
void number(const char* name, std::string_view bytes) {
  round_trip<T>(name, bytes);
  const auto decoded = cachet::Codec<T>::decode(bytes);
  if (!decoded) return;
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(*decoded)) fail(name, "a value that is not finite", bytes, {});
  } else {
    // Integers are stored as decimal text: plain digits, '-' only when negative, no leading zeros.
    const std::string encoded = cachet::Codec<T>::encode(*decoded);
    const std::string_view digits = std::string_view(encoded).substr(*decoded < 0 ? 1 : 0);
    if (digits.empty() || (digits.size() > 1 && digits[0] == '0') || (*decoded < 0 && encoded[0] != '-') ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
      fail(name, "an encoding that is not canonical decimal", bytes, encoded);
    }
  }
}

// The other way round, as set() then get() goes: a value made from the input's bytes (a double
// from any 8 of them, the name from the rest) encodes to bytes that decode to the same value.
void value_round_trip(std::string_view bytes) {
  if (bytes.size() < 8) return;
  std::uint64_t bits = 0;
  std::memcpy(&bits, bytes.data(), sizeof bits);
  const Profile value{std::string(bytes.substr(8)), std::int64_t(bits), int(bits >> 32), std::uint16_t(bits),
                      std::bit_cast<double>(bits), (bits & 1) != 0};
  if (!std::isfinite(value.ratio)) return;  // JSON has no infinity or NaN
  const std::string encoded = cachet::Codec<Profile>::encode(value);
  const auto decoded = cachet::Codec<Profile>::decode(encoded);
  if (!decoded) fail("Profile", "an encoded value does not decode", bytes, encoded);
  if (!same(*decoded, value)) fail("Profile", "an encoded value decodes to another value", bytes, encoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  value_round_trip(bytes);
  round_trip<Profile>("Profile", bytes);
  number<std::int64_t>("int64_t", bytes);
  number<std::uint8_t>("uint8_t", bytes);
  number<int>("int", bytes);
  number<double>("double", bytes);
  return 0;
}
