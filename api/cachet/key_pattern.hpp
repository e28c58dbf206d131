// Key patterns: "requests/:user_id/:resource_path", checked at compile time, and the key
// encoding that turns a typed key into the stored key without ever letting two keys collide.
#pragma once

#include "engine/require_cxx23.hpp"

#include <boost/describe/enum_to_string.hpp>
#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <array>
#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cachet {

namespace detail {

template <class T>
using public_members = boost::describe::describe_members<T, boost::describe::mod_public>;

template <class T>
concept BasicKey = std::same_as<T, std::string> || std::is_enum_v<T> ||
                   (std::is_integral_v<T> && !std::same_as<T, bool> && !std::is_same_v<T, char>);

template <class T>
consteval bool fields_are_basic() {
  bool ok = true;
  boost::mp11::mp_for_each<public_members<T>>([&](auto d) {
    using Field = std::remove_cvref_t<decltype(std::declval<T&>().*d.pointer)>;
    ok = ok && BasicKey<Field>;
  });
  return ok;
}

template <class T>
concept StructKey = std::is_class_v<T> && boost::describe::has_describe_members<T>::value && fields_are_basic<T>();

// Called where a key pattern breaks a rule. It is not constexpr, so reaching it while a
// pattern is checked at compile time is a compile error, and the compiler prints the
// failing line: the call with the rule's message.
void key_pattern_error(const char* message);

constexpr bool is_identifier_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
constexpr bool is_identifier_char(char c) { return is_identifier_start(c) || (c >= '0' && c <= '9'); }

// What a placeholder's value writes for each byte that needs an escape, 0 for a byte written as
// it is: '\' and '/' so that a value can never end a segment early or fake an escape, '{' and
// '}' so that it can never open, close or cut a hash tag (Redis hashes the bytes between the
// key's first '{' and the first '}' after it). An escape is '\' and a code byte, and a value
// writes '\' nowhere else, so a stored key reads back one way only: the encoding stays
// injective. "\e" (see append_escaped) is the one other escape. A table, so that a byte written
// as it is costs one load.
inline constexpr auto escape_codes = [] {
  std::array<char, 256> codes{};
  codes[std::uint8_t('\\')] = '\\';
  codes[std::uint8_t('/')] = '/';
  codes[std::uint8_t('{')] = '(';
  codes[std::uint8_t('}')] = ')';
  return codes;
}();

// The bytes escape_codes escapes, and whether a value holds any of them: eight bytes at a time
// (a word holds one when one of its bytes XOR the escaped byte is zero), then the tail.
inline constexpr auto escaped_bytes = [] {
  std::array<unsigned char, 4> out{};
  std::size_t n = 0;
  for (int c = 0; c < 256; ++c) {
    if (escape_codes[std::size_t(c)] != 0) out[n++] = static_cast<unsigned char>(c);
  }
  return out;
}();
static_assert(escaped_bytes[3] != 0, "has_escaped_byte checks exactly four escaped bytes");
inline bool has_escaped_byte(std::string_view value) {
#if defined(__SSE2__)
  // Sixteen bytes at a time, the last sixteen overlapping the ones before: a few instructions
  // for a typical 16- to 32-byte key where the word loop below takes dozens.
  if (value.size() >= 16) {
    const __m128i e0 = _mm_set1_epi8(char(escaped_bytes[0])), e1 = _mm_set1_epi8(char(escaped_bytes[1]));
    const __m128i e2 = _mm_set1_epi8(char(escaped_bytes[2])), e3 = _mm_set1_epi8(char(escaped_bytes[3]));
    auto any_in = [&](const char* p) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, e0), _mm_cmpeq_epi8(v, e1)),
                                        _mm_or_si128(_mm_cmpeq_epi8(v, e2), _mm_cmpeq_epi8(v, e3)));
      return _mm_movemask_epi8(hits) != 0;
    };
    std::size_t i = 0;
    for (; i + 16 <= value.size(); i += 16) {
      if (any_in(value.data() + i)) return true;
    }
    return i < value.size() && any_in(value.data() + value.size() - 16);
  }
#endif
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  std::size_t i = 0;
  for (; i + 8 <= value.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, value.data() + i, 8);
    std::uint64_t zero = 0;
    for (unsigned char c : escaped_bytes) {
      const std::uint64_t x = word ^ (ones * c);
      zero |= (x - ones) & ~x & highs;
    }
    if (zero != 0) return true;
  }
  for (; i < value.size(); ++i) {
    if (escape_codes[static_cast<unsigned char>(value[i])] != 0) return true;
  }
  return false;
}

// Appends a placeholder's value escaped as escape_codes says; a value in a hash tag of its own
// (`lone_tag`, "{:user_id}") writes the empty value as "\e", since Redis hashes a key whose tag
// is empty ("{}") whole and its keys would scatter over the slots. `Out` is a std::string or any
// buffer with append(std::string_view). Inlined into encode (see there).
template <class Out>
[[gnu::always_inline]] inline void append_escaped(Out& out, std::string_view value, bool lone_tag = false) {
  if (value.empty()) {
    if (lone_tag) out.append(std::string_view("\\e"));
    return;
  }
  // Most values hold nothing to escape: looked for eight bytes at a time, they are written
  // whole.
  if (!has_escaped_byte(value)) {
    out.append(value);
    return;
  }
  // One pass over the value, writing the runs between escapes whole.
  std::size_t start = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char code = escape_codes[static_cast<unsigned char>(value[i])];
    if (code == 0) continue;
    out.append(value.substr(start, i - start));
    const char escape[2] = {'\\', code};
    out.append(std::string_view(escape, 2));
    start = i + 1;
  }
  out.append(value.substr(start));
}

// A value as its placeholder writes it; only a string can be empty (`lone_tag`: see
// append_escaped).
template <class Out, BasicKey T>
void append_key_value(Out& out, const T& value, bool lone_tag) {
  if constexpr (std::same_as<T, std::string>) {
    append_escaped(out, value, lone_tag);
  } else if constexpr (std::is_enum_v<T>) {
    // A described enum is written by name; any other enum (or an unnamed value) by number.
    if constexpr (boost::describe::has_describe_enumerators<T>::value) {
      if (const char* name = boost::describe::enum_to_string(value, nullptr)) return append_escaped(out, name);
    }
    append_key_value(out, static_cast<std::underlying_type_t<T>>(value), false);
  } else {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(std::string_view(buffer, std::size_t(end - buffer)));
  }
}

}  // namespace detail

// The key types a keyspace takes: std::string, an integer, an enum, or a struct described
// with BOOST_DESCRIBE_STRUCT whose public fields are all of those basic types.
template <class K>
concept Key = detail::BasicKey<K> || detail::StructKey<K>;

template <class K>
class KeyPattern {
  // The keyspace types take any K, so that this, rather than a list of unmet constraints, is
  // what the compiler says about a key type they cannot take.
  static_assert(Key<K>,
                "cachet: a key type must be std::string, an integer, an enum, or a struct whose public fields "
                "are such types; for a struct, add BOOST_DESCRIBE_STRUCT(K, (), (field, ...)) after it, "
                "naming every field");

 public:
  static constexpr std::size_t max_segments = 16;
  static constexpr std::string_view reserved_prefix = "__cachet";

  // A placeholder with the literal text before it: the pattern's text from the end of the
  // previous placeholder (or the start) to this one's ':', braces and '/' included.
  struct Placeholder {
    std::uint16_t literal_offset = 0;
    std::uint16_t literal_length = 0;
    std::int16_t field = 0;  // the key field it stands for (0 for a basic key)
    bool lone_tag = false;   // a hash tag on its own, "{:field}": its empty value is written "\e"
  };

  consteval KeyPattern(const char* pattern) : text_(pattern) {
    if constexpr (Key<K>) parse();  // else the static_assert above is all there is to say
  }

  constexpr std::string_view text() const { return text_; }

  // The stored key for `key`: the pattern's text with each placeholder replaced by its value,
  // escaped (detail::append_escaped); a hash tag's braces stay as written, so Redis Cluster
  // hashes the tag. `Out` is a std::string or any buffer with append(std::string_view).
  // One function with the escaping inside, called from every operation: inlined into an
  // operation's body it left the body's other small calls out of line, some 7% more
  // instructions per get (bench --profile get under callgrind).
  template <class Out>
  [[gnu::noinline]] void encode(const K& key, Out& out) const {
    for (std::size_t i = 0; i < count_; ++i) {
      const Placeholder& p = placeholders_[i];
      out.append(std::string_view(text_.data() + p.literal_offset, p.literal_length));
      if constexpr (detail::BasicKey<K>) {
        detail::append_key_value(out, key, p.lone_tag);
      } else {
        boost::mp11::mp_with_index<field_count()>(std::size_t(p.field), [&](auto index) {
          using D = boost::mp11::mp_at_c<detail::public_members<K>, decltype(index)::value>;
          detail::append_key_value(out, key.*D::pointer, p.lone_tag);
        });
      }
    }
    out.append(std::string_view(text_.data() + tail_offset_, text_.size() - tail_offset_));
  }
  std::string encode(const K& key) const {
    std::string out;
    out.reserve(text_.size() + 16);
    encode(key, out);
    return out;
  }

 private:
  static consteval std::size_t field_count() {
    if constexpr (detail::StructKey<K>) return boost::mp11::mp_size<detail::public_members<K>>::value;
    else return 1;
  }

  // The field a placeholder names, or -1.
  static consteval int field_index(std::string_view name) {
    if constexpr (detail::BasicKey<K>) {
      return name == "key" ? 0 : -1;
    } else {
      int found = -1, i = 0;
      boost::mp11::mp_for_each<detail::public_members<K>>([&](auto d) {
        if (std::string_view(d.name) == name) found = i;
        ++i;
      });
      return found;
    }
  }

  // The hash tag's braces across the whole pattern: one pair at most, '{' then '}', not empty
  // and not nested. Where they may stand within segments is checked segment by segment.
  static consteval void check_braces(std::string_view p) {
    bool open = false, closed = false;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (p[i] == '{') {
        if (open) detail::key_pattern_error("hash tags must not be nested: a '{' inside '{...}'");
        if (closed) detail::key_pattern_error("a key pattern may hold at most one hash tag '{...}'");
        if (i + 1 < p.size() && p[i + 1] == '}') detail::key_pattern_error("a hash tag must not be empty: '{}'");
        open = true;
      } else if (p[i] == '}') {
        if (!open) detail::key_pattern_error("a '}' must close a hash tag opened by '{' before it");
        open = false;
        closed = true;
      }
    }
    if (open) detail::key_pattern_error("a hash tag's '{' must be closed by a '}'");
  }

  consteval void parse() {
    const std::string_view p = text_;
    if (p.empty()) detail::key_pattern_error("key pattern must not be empty");
    if (p.front() == '/') detail::key_pattern_error("key pattern must not start with '/'");
    if (p.back() == '/') detail::key_pattern_error("key pattern must not end with '/'");
    if (p.find("//") != std::string_view::npos) detail::key_pattern_error("key pattern must not contain '//' (an empty segment)");
    if (p.find('?') != std::string_view::npos) detail::key_pattern_error("key pattern must not contain '?'");
    if (p.find('\\') != std::string_view::npos) detail::key_pattern_error("key pattern must not contain '\\' (it escapes placeholder values)");
    if (p.starts_with(reserved_prefix)) detail::key_pattern_error("key pattern must not start with the reserved prefix '__cachet'");
    check_braces(p);

    std::array<bool, field_count()> seen{};
    std::size_t start = 0, segments = 0, literal_start = 0;
    while (start <= p.size()) {
      std::size_t end = p.find('/', start);
      if (end == std::string_view::npos) end = p.size();
      if (++segments > max_segments) detail::key_pattern_error("key pattern must have at most 16 segments");
      // A hash tag's braces stand around whole segments: a '{' before a segment's text, a '}'
      // after it. What is between them is the segment proper.
      const bool opens = p[start] == '{', closes = p[end - 1] == '}';
      const std::size_t inner_start = start + (opens ? 1 : 0);
      const std::size_t inner_end = closes && end - 1 >= inner_start ? end - 1 : end;
      const std::string_view segment = p.substr(inner_start, inner_end - inner_start);
      if (segment.empty()) detail::key_pattern_error("a hash tag must not start or end with '/'");
      if (segment.find_first_of("{}") != std::string_view::npos) {
        detail::key_pattern_error("a hash tag must enclose whole segments: '{' may only start a segment and '}' only end one");
      }
      if (segment.find(':', 1) != std::string_view::npos) detail::key_pattern_error("a placeholder must fill a whole segment: ':' may only start a segment");
      if (segment.front() == ':') {
        const std::string_view name = segment.substr(1);
        if (name.empty() || !detail::is_identifier_start(name.front())) detail::key_pattern_error("a placeholder must be ':' followed by an identifier");
        for (char c : name) {
          if (!detail::is_identifier_char(c)) detail::key_pattern_error("a placeholder must be ':' followed by an identifier");
        }
        const int field = field_index(name);
        if constexpr (detail::BasicKey<K>) {
          if (field < 0) detail::key_pattern_error("a keyspace with a basic key type must use the placeholder ':key'");
        } else {
          if (field < 0) detail::key_pattern_error("every placeholder must name a field of the key struct");
        }
        if (seen[std::size_t(field)]) detail::key_pattern_error("a placeholder must not appear twice in a key pattern");
        seen[std::size_t(field)] = true;
        Placeholder& placeholder = placeholders_[count_++];
        placeholder.literal_offset = static_cast<std::uint16_t>(literal_start);
        placeholder.literal_length = static_cast<std::uint16_t>(inner_start - literal_start);
        placeholder.field = static_cast<std::int16_t>(field);
        placeholder.lone_tag = opens && closes;
        literal_start = inner_end;
      }
      start = end + 1;
    }
    tail_offset_ = static_cast<std::uint16_t>(literal_start);
    for (bool s : seen) {
      if constexpr (detail::BasicKey<K>) {
        if (!s) detail::key_pattern_error("a keyspace with a basic key type must contain the placeholder ':key'");
      } else {
        if (!s) detail::key_pattern_error("every field of the key struct must appear in the key pattern as ':field'");
      }
    }
  }

  std::string_view text_;
  std::array<Placeholder, max_segments> placeholders_{};
  std::size_t count_ = 0;          // placeholders
  std::uint16_t tail_offset_ = 0;  // where the literal text after the last placeholder starts
};

}  // namespace cachet
