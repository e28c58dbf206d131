// HSET, HGET, HINCRBY and the other hash operations on the memory engine, in terms of Op.
#include "memory_hashes.hpp"

#include "engine/decimal.hpp"
#include "hash_value.hpp"
#include "op.hpp"

#include <cmath>
#include <cstdlib>

namespace cachet::memory {

using engine::ExpiryAction;
using engine::FieldValue;

namespace {

Result<void> check_field(std::string_view field) {
  if (field.size() > engine::max_value_bytes) return too_large();
  return {};
}

// About what a write of these bytes adds to a hash: the bytes and a pair's bookkeeping.
std::int64_t pair_growth(std::size_t field, std::size_t value) { return std::int64_t(field + value + 24); }

}  // namespace

Result<std::string> MemoryHashes::hget(std::string_view key, std::string_view field) {
  if (auto ok = check_field(field); !ok) return std::unexpected(ok.error());
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::string> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::hash); !ok) return std::unexpected(ok.error());
    if (f) {
      if (auto value = f.entry->hash()->get(field)) return std::string(*value);
    }
    return fail(Errc::miss, "cache miss");
  });
}

Result<std::vector<std::optional<std::string>>> MemoryHashes::hmget(std::string_view key,
                                                                    std::span<const std::string> fields) {
  if (auto ok = check_elements(fields); !ok) return std::unexpected(ok.error());
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<std::optional<std::string>>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::hash); !ok) return std::unexpected(ok.error());
    std::vector<std::optional<std::string>> out(fields.size());
    if (!f) return out;
    const HashValue* h = f.entry->hash();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (auto value = h->get(fields[i])) out[i].emplace(*value);
    }
    return out;
  });
}

Result<std::int64_t> MemoryHashes::hset(std::string_view key, std::span<const FieldValue> pairs,
                                        ExpiryAction expiry) {
  std::int64_t incoming = 0;
  for (const auto& p : pairs) {
    if (p.field.size() > engine::max_value_bytes || p.value.size() > engine::max_value_bytes) return too_large();
    incoming += pair_growth(p.field.size(), p.value.size());
  }
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::hash); !ok) return std::unexpected(ok.error());
    if (pairs.empty()) return 0;
    if (!op.admits(f, incoming + std::int64_t(f ? 0 : key.size() + 64))) return std::unexpected(op.out_of_memory());
    HashValue* h = f ? f.entry->hash() : op.create<HashValue>(f, key, hash, ValueKind::hash, expiry);
    const std::int64_t added = op.change(h, [&] {
      std::int64_t n = 0;
      for (const auto& p : pairs) n += h->set(p.field, p.value) ? 1 : 0;
      return n;
    });
    op.apply_expiry(f, hash, expiry);
    return added;
  });
}

Result<bool> MemoryHashes::hsetnx(std::string_view key, std::string_view field, std::string_view value,
                                  ExpiryAction expiry) {
  if (field.size() > engine::max_value_bytes || value.size() > engine::max_value_bytes) return too_large();
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<bool> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::hash); !ok) return std::unexpected(ok.error());
    if (f && f.entry->hash()->contains(field)) return false;  // as SET NX: nothing written, TTL kept
    if (!op.admits(f, pair_growth(field.size(), value.size()) + std::int64_t(f ? 0 : key.size() + 64))) {
      return std::unexpected(op.out_of_memory());
    }
    HashValue* h = f ? f.entry->hash() : op.create<HashValue>(f, key, hash, ValueKind::hash, expiry);
    op.change(h, [&] { h->set(field, value); });
    op.apply_expiry(f, hash, expiry);
    return true;
  });
}

Result<std::int64_t> MemoryHashes::hincrby(std::string_view key, std::string_view field, std::int64_t delta,
                                           ExpiryAction expiry) {
  if (auto ok = check_field(field); !ok) return std::unexpected(ok.error());
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::hash); !ok) return std::unexpected(ok.error());
    std::int64_t value = 0;
    if (f) {
      if (auto text = f.entry->hash()->get(field)) {
        auto parsed = engine::decimal::parse_int64(*text);
        if (!parsed) return fail(Errc::invalid_value, "hash value is not an integer");
        value = *parsed;
      }
    }
    std::int64_t result = 0;
    if (__builtin_add_overflow(value, delta, &result)) {
      return fail(Errc::out_of_range, "increment or decrement would overflow");
    }
    if (!op.admits(f, pair_growth(field.size(), 20) + std::int64_t(f ? 0 : key.size() + 64))) {
      return std::unexpected(op.out_of_memory());
    }
    HashValue* h = f ? f.entry->hash() : op.create<HashValue>(f, key, hash, ValueKind::hash, expiry);
    op.change(h, [&] { h->set(field, engine::decimal::format_int64(result)); });
    op.apply_expiry(f, hash, expiry);
    return result;
  });
}

Result<double> MemoryHashes::hincrbyfloat(std::string_view key, std::string_view field, double delta,
                                          ExpiryAction expiry) {
  if (std::isnan(delta)) return fail(Errc::invalid_value, "value is not a valid float");
  if (auto ok = check_field(field); !ok) return std::unexpected(ok.error());
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<double> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::hash); !ok) return std::unexpected(ok.error());
    long double value = 0;
    if (f) {
      if (auto text = f.entry->hash()->get(field)) {
        auto parsed = engine::decimal::parse_long_double(*text);
        if (!parsed) return fail(Errc::invalid_value, "hash value is not a float");
        value = *parsed;
      }
    }
    // The delta as Redis reads it: its shortest decimal text, as a long double (see INCRBYFLOAT).
    value += *engine::decimal::parse_long_double(engine::decimal::format_double(delta));
    if (std::isnan(value) || std::isinf(value)) {
      return fail(Errc::invalid_value, "increment would produce NaN or Infinity");
    }
    if (!op.admits(f, pair_growth(field.size(), 40) + std::int64_t(f ? 0 : key.size() + 64))) {
      return std::unexpected(op.out_of_memory());
    }
    const std::string text = engine::decimal::format_long_double(value);
    HashValue* h = f ? f.entry->hash() : op.create<HashValue>(f, key, hash, ValueKind::hash, expiry);
    op.change(h, [&] { h->set(field, text); });
    op.apply_expiry(f, hash, expiry);
    const double result = std::strtod(text.c_str(), nullptr);
    if (std::isinf(result)) return fail(Errc::invalid_value, "the result is outside the range of a double");
    return result;
  });
}

Result<std::int64_t> MemoryHashes::hdel(std::string_view key, std::span<const std::string> fields,
                                        ExpiryAction expiry) {
  if (auto ok = check_elements(fields); !ok) return std::unexpected(ok.error());
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::hash); !ok) return std::unexpected(ok.error());
    if (!f) return 0;
    HashValue* h = f.entry->hash();
    const std::int64_t removed = op.change(h, [&] {
      std::int64_t n = 0;
      for (const auto& field : fields) n += h->remove(field) ? 1 : 0;
      return n;
    });
    op.finish_container(f, hash, h, expiry);
    return removed;
  });
}

Result<bool> MemoryHashes::hexists(std::string_view key, std::string_view field) {
  if (auto ok = check_field(field); !ok) return std::unexpected(ok.error());
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<bool> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::hash); !ok) return std::unexpected(ok.error());
    return f && f.entry->hash()->contains(field);
  });
}

Result<std::int64_t> MemoryHashes::hlen(std::string_view key) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::hash); !ok) return std::unexpected(ok.error());
    return f ? std::int64_t(f.entry->hash()->size()) : 0;
  });
}

// HGETALL, HKEYS and HVALS: one element made by `make(field, value)` per pair, in the hash's
// order; empty for no key.
template <class T, class Make>
Result<std::vector<T>> MemoryHashes::each_pair(std::string_view key, Make make) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<T>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::hash); !ok) return std::unexpected(ok.error());
    std::vector<T> out;
    if (!f) return out;
    out.reserve(f.entry->hash()->size());
    f.entry->hash()->for_each([&](std::string_view field, std::string_view value) { out.push_back(make(field, value)); });
    return out;
  });
}

Result<std::vector<FieldValue>> MemoryHashes::hgetall(std::string_view key) {
  return each_pair<FieldValue>(key, [](std::string_view field, std::string_view value) {
    return FieldValue{std::string(field), std::string(value)};
  });
}

Result<std::vector<std::string>> MemoryHashes::hkeys(std::string_view key) {
  return each_pair<std::string>(key, [](std::string_view field, std::string_view) { return std::string(field); });
}

Result<std::vector<std::string>> MemoryHashes::hvals(std::string_view key) {
  return each_pair<std::string>(key, [](std::string_view, std::string_view value) { return std::string(value); });
}

Result<std::vector<std::string>> MemoryHashes::hrandfield(std::string_view key, std::int64_t count) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<std::string>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::hash); !ok) return std::unexpected(ok.error());
    std::vector<std::string> out;
    if (!f || count == 0) return out;
    const HashValue* h = f.entry->hash();
    // The fields once, so that each draw is one index away however the hash is kept.
    std::vector<std::string_view> fields;
    fields.reserve(h->size());
    h->for_each([&](std::string_view field, std::string_view) { fields.push_back(field); });
    Random& random = op.random(hash);
    if (count < 0) {
      // With replacement: each pick is independent, so fields may repeat.
      const std::uint64_t n = std::uint64_t(-(count + 1)) + 1;
      if (n > std::uint64_t(engine::max_random_fields)) return fail(Errc::out_of_range, "count is too large");
      out.reserve(n);
      for (std::uint64_t i = 0; i < n; ++i) out.emplace_back(fields[random.below(fields.size())]);
      return out;
    }
    if (std::uint64_t(count) >= fields.size()) return std::vector<std::string>(fields.begin(), fields.end());
    // Distinct: the first `count` steps of a Fisher-Yates shuffle.
    out.reserve(std::size_t(count));
    for (std::size_t i = 0; i < std::size_t(count); ++i) {
      std::swap(fields[i], fields[i + random.below(fields.size() - i)]);
      out.emplace_back(fields[i]);
    }
    return out;
  });
}

}  // namespace cachet::memory
