// DEL, PTTL, EXISTS and PEXPIRE/PERSIST on the memory engine.
#include "memory_keys.hpp"

#include "op.hpp"

namespace cachet::memory {

Result<std::int64_t> MemoryKeys::del(std::span<const std::string> keys) {
  return table_.with_keys(keys, [&](Op& op, std::span<const std::uint64_t> hashes) -> Result<std::int64_t> {
    std::int64_t removed = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      Found f = op.find(keys[i], hashes[i]);
      if (!f) continue;
      op.erase(f, hashes[i]);
      ++removed;
    }
    return removed;
  });
}

Result<std::optional<std::chrono::milliseconds>> MemoryKeys::pttl(std::string_view key) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::optional<std::chrono::milliseconds>> {
    Found f = op.find(key, hash);
    if (!f) return fail(Errc::miss, "cache miss");
    if (!f.entry->has_expiry()) return std::nullopt;
    return std::chrono::milliseconds(*f.entry->expiry() - op.now());
  });
}

Result<bool> MemoryKeys::exists(std::string_view key) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<bool> { return bool(op.find(key, hash)); });
}

Result<bool> MemoryKeys::expire(std::string_view key, engine::ExpiryAction expiry) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<bool> {
    Found f = op.find(key, hash);
    if (!f) return false;
    op.apply_expiry(f, hash, expiry);
    return true;
  });
}

}  // namespace cachet::memory
