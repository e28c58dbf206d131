// Fuzz target: key encoding. Keys built from the input (strings, integers, an enum, described
// structs) are encoded by their KeyPattern; a decoder written here from the documented rule
// (inside a placeholder value '\' is written "\\", '/' "\/", '{' "\(" and '}' "\)", and the
// empty value of a placeholder that is a hash tag on its own "\e"; literals and a hash tag's
// braces as written) must give every key back, and a stored key must never decode under another
// keyspace's pattern, so no two different keys ever share a stored key. Redis Cluster's hash tag
// of a stored key (cachet::hash_tag) must be exactly its pattern's tag, never empty, when the
// pattern has one, and the whole key when it has none: no value moves, cuts or creates a tag.
//
// Input: lines; a line's first byte picks the keyspace, the rest is the key (a struct key's
// fields are separated by tabs; an integer that is not decimal text is taken from the bytes).
#include <cachet/key_pattern.hpp>
#include <cachet/keyspace.hpp>  // detail::KeyBuffer

#include "engine/hash_slot.hpp"

#include <boost/describe.hpp>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

struct Resource {
  std::string user;
  std::int64_t shard;
  std::string path;
  bool operator==(const Resource&) const = default;
};
BOOST_DESCRIBE_STRUCT(Resource, (), (user, shard, path))

struct Slot {
  std::uint16_t slot;
  std::string owner;
  bool operator==(const Slot&) const = default;
};
BOOST_DESCRIBE_STRUCT(Slot, (), (slot, owner))

enum class Color : std::int8_t { red, green, blue = 7 };
BOOST_DESCRIBE_ENUM(Color, red, green, blue)

// Pairwise non-conflicting patterns: different first literals or braces, or the same shape
// where one pattern ends first ("a/:key" and "a/:key/b", "u/:key" and "u/:slot/:owner").
constexpr cachet::KeyPattern<std::string> plain("s/:key");
constexpr cachet::KeyPattern<std::string> short_one("a/:key");
constexpr cachet::KeyPattern<std::string> long_one("a/:key/b");
constexpr cachet::KeyPattern<std::string> user_string("u/:key");
constexpr cachet::KeyPattern<Slot> user_slot("u/:slot/:owner");
constexpr cachet::KeyPattern<std::int64_t> integer("i/:key/v1");
constexpr cachet::KeyPattern<std::uint8_t> small("n/:key");
constexpr cachet::KeyPattern<Color> color("e/:key");
constexpr cachet::KeyPattern<Resource> resource("r/:user/n/:shard/:path");
// With a hash tag: one placeholder (a string, an enum), several segments, literals only, the
// whole key.
constexpr cachet::KeyPattern<Slot> tag_owner("t/{:owner}/:slot");
constexpr cachet::KeyPattern<std::string> tag_whole("{:key}");
constexpr cachet::KeyPattern<Resource> tag_segments("{g/:user/:shard}/:path");
constexpr cachet::KeyPattern<std::string> tag_literal("h/{global}/:key");
constexpr cachet::KeyPattern<Color> tag_color("c/{:key}");

using Key = std::variant<std::string, std::int64_t, std::uint8_t, Color, Resource, Slot>;

enum class Type { string, slot, int64, uint8, color, resource };

struct Keyspace {
  std::string_view pattern;  // the same text as the KeyPattern's, parsed here on its own
  Type type;
  std::string (*encode)(const Key&);
};

// The stored key, built both ways a keyspace builds one: as a std::string (stored_key) and in
// the stack buffer its operations use, which moves to the heap past 192 bytes.
template <const auto& Pattern, class K>
std::string encode_as(const Key& key) {
  std::string stored = Pattern.encode(std::get<K>(key));
  cachet::detail::KeyBuffer buffer;
  Pattern.encode(std::get<K>(key), buffer);
  if (buffer.view() != stored) {
    std::fprintf(stderr, "key_encoding: the key buffer holds another key than \"%s\"\n", stored.c_str());
    std::abort();
  }
  return stored;
}

// A line's first byte modulo 14 picks the keyspace. The order keeps the committed seeds' bytes
// '-' (45, index 3) to '5' (53, index 11) on the keyspaces they were written for; '6' to ':'
// pick the tagged ones.
const Keyspace keyspaces[] = {
    {"{g/:user/:shard}/:path", Type::resource, encode_as<tag_segments, Resource>},
    {"h/{global}/:key", Type::string, encode_as<tag_literal, std::string>},
    {"c/{:key}", Type::color, encode_as<tag_color, Color>},
    {"s/:key", Type::string, encode_as<plain, std::string>},
    {"a/:key", Type::string, encode_as<short_one, std::string>},
    {"a/:key/b", Type::string, encode_as<long_one, std::string>},
    {"u/:key", Type::string, encode_as<user_string, std::string>},
    {"u/:slot/:owner", Type::slot, encode_as<user_slot, Slot>},
    {"i/:key/v1", Type::int64, encode_as<integer, std::int64_t>},
    {"n/:key", Type::uint8, encode_as<small, std::uint8_t>},
    {"e/:key", Type::color, encode_as<color, Color>},
    {"r/:user/n/:shard/:path", Type::resource, encode_as<resource, Resource>},
    {"t/{:owner}/:slot", Type::slot, encode_as<tag_owner, Slot>},
    {"{:key}", Type::string, encode_as<tag_whole, std::string>},
};
constexpr std::size_t keyspace_count = std::size(keyspaces);
static_assert(keyspace_count == 14, "the seeds' first bytes pick keyspaces modulo 14 (see above)");

[[noreturn]] void fail(const char* what, std::size_t keyspace, std::string_view stored) {
  std::fprintf(stderr, "key_encoding: %s: pattern \"%.*s\", stored key \"%.*s\"\n", what,
               int(keyspaces[keyspace].pattern.size()), keyspaces[keyspace].pattern.data(), int(stored.size()),
               stored.data());
  std::abort();
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

using Values = std::map<std::string, std::string, std::less<>>;

struct Decoded {
  Values values;                // by placeholder name
  std::optional<std::string_view> tag;  // the stored bytes between the pattern's tag braces
};

// The documented rule read backwards: the placeholder values of `stored` and its hash tag, or
// nullopt when `stored` is not a key of `pattern` (wrong literals, braces, segment count or
// escapes).
std::optional<Decoded> decode(std::string_view pattern, std::string_view stored) {
  // Cut the stored key at every '/' that no '\' escapes.
  std::vector<std::string_view> raw;
  std::size_t start = 0;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    if (stored[i] == '\\') {
      ++i;  // the escaped byte; a '\' at the very end is refused below
    } else if (stored[i] == '/') {
      raw.push_back(stored.substr(start, i - start));
      start = i + 1;
    }
  }
  raw.push_back(stored.substr(start));
  const auto parts = split(pattern, '/');
  if (parts.size() != raw.size()) return std::nullopt;

  Decoded out;
  std::size_t tag_start = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i], segment = raw[i];
    // The tag's braces, where the pattern has them and nowhere else.
    const bool opens = part.starts_with('{'), closes = part.ends_with('}');
    if (opens) {
      if (!segment.starts_with('{')) return std::nullopt;
      part.remove_prefix(1);
      segment.remove_prefix(1);
      tag_start = std::size_t(segment.data() - stored.data());
    }
    if (closes) {
      if (!segment.ends_with('}')) return std::nullopt;
      part.remove_suffix(1);
      segment.remove_suffix(1);
      out.tag = stored.substr(tag_start, std::size_t(segment.data() + segment.size() - stored.data()) - tag_start);
    }
    const bool placeholder = part.starts_with(':'), lone_tag = placeholder && opens && closes;
    std::string text;
    bool escaped = false;
    for (std::size_t j = 0; j < segment.size(); ++j) {
      const char c = segment[j];
      if (c == '{' || c == '}') return std::nullopt;  // a value's brace is always escaped
      if (c != '\\') {
        text += c;
        continue;
      }
      if (j + 1 == segment.size()) return std::nullopt;
      escaped = true;
      switch (segment[++j]) {
        case '\\': text += '\\'; break;
        case '/': text += '/'; break;
        case '(': text += '{'; break;
        case ')': text += '}'; break;
        case 'e':
          if (!lone_tag || segment.size() != 2) return std::nullopt;  // only the empty value of a lone tag
          break;
        default: return std::nullopt;
      }
    }
    if (placeholder) {
      if (lone_tag && segment.empty()) return std::nullopt;  // written "\e", never as an empty tag
      out.values.emplace(part.substr(1), std::move(text));
    } else if (escaped || part != text) {
      return std::nullopt;  // a literal is written as it is, never escaped
    }
  }
  return out;
}

// Decimal text as the encoding writes integers: no sign but '-', no leading zeros, no "-0".
template <class T>
std::optional<T> decimal(std::string_view text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  const std::string_view digits = text.starts_with('-') ? text.substr(1) : text;
  if (digits.empty() || (digits.size() > 1 && digits[0] == '0') || text == "-0") return std::nullopt;
  return value;
}

std::optional<Color> color_named(std::string_view text) {
  if (text == "red") return Color::red;
  if (text == "green") return Color::green;
  if (text == "blue") return Color::blue;
  const auto number = decimal<std::int8_t>(text);
  if (!number) return std::nullopt;
  const auto value = static_cast<Color>(*number);
  // A named value is written by its name, never by number.
  if (value == Color::red || value == Color::green || value == Color::blue) return std::nullopt;
  return value;
}

// The key the decoded placeholder values stand for, as `type`.
std::optional<Key> typed(Type type, const Values& values) {
  const auto value = [&](std::string_view name) { return values.find(name)->second; };
  switch (type) {
    case Type::string: return value("key");
    case Type::slot: {
      auto slot = decimal<std::uint16_t>(value("slot"));
      if (!slot) return std::nullopt;
      return Slot{*slot, value("owner")};
    }
    case Type::int64: {
      auto n = decimal<std::int64_t>(value("key"));
      if (!n) return std::nullopt;
      return *n;
    }
    case Type::uint8: {
      auto n = decimal<std::uint8_t>(value("key"));
      if (!n) return std::nullopt;
      return *n;
    }
    case Type::color: {
      auto c = color_named(value("key"));
      if (!c) return std::nullopt;
      return *c;
    }
    case Type::resource: {
      auto shard = decimal<std::int64_t>(value("shard"));
      if (!shard) return std::nullopt;
      return Resource{value("user"), *shard, value("path")};
    }
  }
  return std::nullopt;
}

template <class T>
T integer_from(std::string_view text) {
  if (auto n = decimal<T>(text)) return *n;
  std::uint64_t bits = 0;  // not decimal text: the bytes themselves, so every value is reachable
  for (char c : text.substr(0, 8)) bits = (bits << 8) | static_cast<unsigned char>(c);
  return static_cast<T>(bits);
}

Key key_from(Type type, std::string_view text) {
  const auto fields = split(text, '\t');
  const auto field = [&](std::size_t i) { return i < fields.size() ? fields[i] : std::string_view(); };
  switch (type) {
    case Type::string: return std::string(text);
    case Type::slot: return Slot{integer_from<std::uint16_t>(field(0)), std::string(field(1))};
    case Type::int64: return integer_from<std::int64_t>(text);
    case Type::uint8: return integer_from<std::uint8_t>(text);
    case Type::color: return static_cast<Color>(integer_from<std::int8_t>(text));
    case Type::resource:
      return Resource{std::string(field(0)), integer_from<std::int64_t>(field(1)), std::string(field(2))};
  }
  return std::string(text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::pair<std::size_t, Key>> seen;  // stored key -> the key that made it
  for (std::string_view line : split(input, '\n')) {
    if (line.empty()) continue;
    const std::size_t index = static_cast<unsigned char>(line[0]) % keyspace_count;
    const Key key = key_from(keyspaces[index].type, line.substr(1));
    const std::string stored = keyspaces[index].encode(key);

    // Round trip: the stored key decodes under its own pattern to the key it came from ...
    const auto decoded = decode(keyspaces[index].pattern, stored);
    if (!decoded) fail("the stored key does not follow its pattern", index, stored);
    const auto back = typed(keyspaces[index].type, decoded->values);
    if (!back || *back != key) fail("the stored key decodes to another key", index, stored);
    // ... and under no other pattern: the keyspaces' stored keys never meet.
    for (std::size_t other = 0; other < keyspace_count; ++other) {
      if (other != index && decode(keyspaces[other].pattern, stored)) {
        fail("the stored key also decodes under another pattern", other, stored);
      }
    }
    // Redis Cluster hashes exactly the pattern's tag, so the slot of a stored key is the slot of
    // its tag; without a tag in the pattern, the key has no brace and is hashed whole.
    if (decoded->tag) {
      if (decoded->tag->empty()) fail("the hash tag is empty", index, stored);
      if (cachet::hash_tag(stored) != *decoded->tag) fail("a value moved or cut the hash tag", index, stored);
      if (cachet::hash_slot(stored) != cachet::hash_slot(*decoded->tag)) fail("the key's slot is not its tag's", index, stored);
    } else if (stored.find_first_of("{}") != std::string::npos || cachet::hash_tag(stored) != stored) {
      fail("a value made a brace in a key without a hash tag", index, stored);
    }
    // Injectivity, checked directly: a stored key seen before came from this very key.
    const auto [at, fresh] = seen.try_emplace(stored, index, key);
    if (!fresh && (at->second.first != index || at->second.second != key)) {
      fail("two different keys share a stored key", index, stored);
    }
  }
  return 0;
}
