// GET, SET and the other string operations on the memory engine, in terms of Op.
#include "memory_strings.hpp"

#include "engine/decimal.hpp"
#include "op.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace cachet::memory {

using engine::ExpiryAction;
using engine::SetCondition;

Result<std::string> MemoryStrings::get(std::string_view key) {
  return table_.read_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::string> {
    Found f = op.find(key, hash);
    if (!f) return fail(Errc::miss, "cache miss");
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    return std::string(f.entry->string_value());
  });
}

// The value is copied under the shard's shared lock into the caller's buffer: a value that
// fits its capacity costs no allocation.
Result<void> MemoryStrings::get_into(std::string_view key, std::string& out) {
  return table_.read_key(key, [&](Op& op, std::uint64_t hash) -> Result<void> {
    Found f = op.find(key, hash);
    if (!f) return fail(Errc::miss, "cache miss");
    if (auto ok = op.expect(f, ValueKind::string); !ok) return ok;
    const std::string_view value = f.entry->string_value();
    // resize_and_overwrite: no zero-filling and none of assign's aliasing checks.
    out.resize_and_overwrite(value.size(), [&](char* p, std::size_t n) {
      if (n != 0) std::memcpy(p, value.data(), n);
      return n;
    });
    return {};
  });
}

Result<std::vector<std::optional<std::string>>> MemoryStrings::mget(std::span<const std::string> keys) {
  return table_.with_keys(keys, [&](Op& op, std::span<const std::uint64_t> hashes) {
    std::vector<std::optional<std::string>> out;
    out.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      Found f = op.find(keys[i], hashes[i]);
      if (f && f.entry->kind() == ValueKind::string) out.emplace_back(std::string(f.entry->string_value()));
      else out.emplace_back(std::nullopt);
    }
    return Result<std::vector<std::optional<std::string>>>(std::move(out));
  });
}

Result<bool> MemoryStrings::set(std::string_view key, std::string_view value, SetCondition condition,
                                ExpiryAction expiry) {
  if (value.size() > engine::max_value_bytes) return too_large();
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<bool> {
    Found f = op.find(key, hash);
    if (condition == SetCondition::if_absent && f) return false;
    if (condition == SetCondition::if_present && !f) return false;
    if (!op.admits(f, Op::string_growth(f, key, value.size()))) return std::unexpected(op.out_of_memory());
    op.put_string(f, key, hash, value, expiry);
    return true;
  });
}

Result<std::optional<std::string>> MemoryStrings::set_get(std::string_view key, std::string_view value,
                                                          ExpiryAction expiry) {
  if (value.size() > engine::max_value_bytes) return too_large();
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::optional<std::string>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    if (!op.admits(f, Op::string_growth(f, key, value.size()))) return std::unexpected(op.out_of_memory());
    std::optional<std::string> old;
    if (f) old.emplace(f.entry->string_value());
    op.put_string(f, key, hash, value, expiry);
    return old;
  });
}

Result<void> MemoryStrings::mset(std::span<const engine::KeyValue> pairs, ExpiryAction expiry) {
  std::vector<std::string_view> views;
  views.reserve(pairs.size());
  std::int64_t incoming = 0;
  for (const auto& p : pairs) {
    if (p.value.size() > engine::max_value_bytes) return too_large();
    views.push_back(p.key);
    incoming += std::int64_t(p.key.size() + p.value.size());
  }
  return table_.with_keys(views, [&](Op& op, std::span<const std::uint64_t> hashes) -> Result<void> {
    std::int64_t adds = 0;
    for (std::size_t i = 0; i < pairs.size(); ++i) adds += op.find(pairs[i].key, hashes[i]) ? 0 : 1;
    if (!op.admits(adds, incoming)) return std::unexpected(op.out_of_memory());
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      Found f = op.find(pairs[i].key, hashes[i]);
      op.put_string(f, pairs[i].key, hashes[i], pairs[i].value, expiry);
    }
    return {};
  });
}

Result<std::string> MemoryStrings::getdel(std::string_view key) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::string> {
    Found f = op.find(key, hash);
    if (!f) return fail(Errc::miss, "cache miss");
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    std::string value(f.entry->string_value());
    op.erase(f, hash);
    return value;
  });
}

Result<std::string> MemoryStrings::getex(std::string_view key, ExpiryAction expiry) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::string> {
    Found f = op.find(key, hash);
    if (!f) return fail(Errc::miss, "cache miss");
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    std::string value(f.entry->string_value());
    op.apply_expiry(f, hash, expiry);
    return value;
  });
}

Result<std::int64_t> MemoryStrings::append(std::string_view key, std::string_view value, ExpiryAction expiry) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    const std::string_view old = f ? f.entry->string_value() : std::string_view();
    if (old.size() + value.size() > engine::max_value_bytes) return too_large();
    if (!op.admits(f, Op::string_growth(f, key, old.size() + value.size()))) return std::unexpected(op.out_of_memory());
    std::string joined;
    joined.reserve(old.size() + value.size());
    joined.append(old).append(value);
    const auto length = std::int64_t(joined.size());
    op.put_string(f, key, hash, joined, expiry);
    return length;
  });
}

Result<std::string> MemoryStrings::getrange(std::string_view key, std::int64_t start, std::int64_t end) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::string> {
    Found f = op.find(key, hash);
    if (!f) return std::string();
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    // GETRANGE's own clamping (unlike LRANGE, an end left negative becomes 0).
    const std::string_view v = f.entry->string_value();
    const auto length = std::int64_t(v.size());
    if (start < 0 && end < 0 && start > end) return std::string();
    if (start < 0) start += length;
    if (end < 0) end += length;
    start = std::max<std::int64_t>(start, 0);
    end = std::max<std::int64_t>(end, 0);
    if (end >= length) end = length - 1;
    if (length == 0 || start > end) return std::string();
    return std::string(v.substr(std::size_t(start), std::size_t(end - start + 1)));
  });
}

Result<std::int64_t> MemoryStrings::setrange(std::string_view key, std::int64_t offset, std::string_view value,
                                             ExpiryAction expiry) {
  if (offset < 0) return fail(Errc::out_of_range, "offset is out of range");
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    const std::string_view old = f ? f.entry->string_value() : std::string_view();
    if (value.empty()) {
      // Redis changes nothing but still answers the length (and the expiry still applies),
      // whatever the offset.
      op.apply_expiry(f, hash, expiry);
      return std::int64_t(old.size());
    }
    if (std::uint64_t(offset) + value.size() > engine::max_value_bytes) return too_large();
    const std::size_t length = std::max<std::size_t>(old.size(), std::size_t(offset) + value.size());
    if (!op.admits(f, Op::string_growth(f, key, length))) return std::unexpected(op.out_of_memory());
    std::string updated(old);
    updated.resize(length, '\0');
    updated.replace(std::size_t(offset), value.size(), value);
    op.put_string(f, key, hash, updated, expiry);
    return std::int64_t(length);
  });
}

Result<std::int64_t> MemoryStrings::strlen(std::string_view key) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    return f ? std::int64_t(f.entry->string_value().size()) : 0;
  });
}

Result<std::int64_t> MemoryStrings::incrby(std::string_view key, std::int64_t delta, ExpiryAction expiry) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    std::int64_t value = 0;
    if (f) {
      auto parsed = engine::decimal::parse_int64(f.entry->string_value());
      if (!parsed) return not_an_integer();
      value = *parsed;
    }
    std::int64_t result = 0;
    if (__builtin_add_overflow(value, delta, &result)) {
      return fail(Errc::out_of_range, "increment or decrement would overflow");
    }
    if (!op.admits(f, Op::string_growth(f, key, 20))) return std::unexpected(op.out_of_memory());
    op.put_string(f, key, hash, engine::decimal::format_int64(result), expiry);
    return result;
  });
}

Result<double> MemoryStrings::incrbyfloat(std::string_view key, double delta, ExpiryAction expiry) {
  if (std::isnan(delta)) return fail(Errc::invalid_value, "value is not a valid float");
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<double> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::string); !ok) return std::unexpected(ok.error());
    long double value = 0;
    if (f) {
      auto parsed = engine::decimal::parse_long_double(f.entry->string_value());
      if (!parsed) return fail(Errc::invalid_value, "value is not a valid float");
      value = *parsed;
    }
    // A Redis client sends the delta as its shortest decimal text and Redis reads that text
    // as a long double; doing the same keeps 10.5 + 0.1 at 10.6 here too.
    value += *engine::decimal::parse_long_double(engine::decimal::format_double(delta));
    if (std::isnan(value) || std::isinf(value)) {
      return fail(Errc::invalid_value, "increment would produce NaN or Infinity");
    }
    if (!op.admits(f, Op::string_growth(f, key, 40))) return std::unexpected(op.out_of_memory());
    const std::string text = engine::decimal::format_long_double(value);
    op.put_string(f, key, hash, text, expiry);
    // Redis adds in long double and stores that; a sum past the range of a double is stored
    // the same way here, but cannot be answered as a double.
    const double result = std::strtod(text.c_str(), nullptr);
    if (std::isinf(result)) return fail(Errc::invalid_value, "the result is outside the range of a double");
    return result;
  });
}

}  // namespace cachet::memory
