// SADD, SPOP, SINTER and the other set operations on the memory engine, in terms of Op.
#include "memory_sets.hpp"

#include "op.hpp"
#include "set_value.hpp"

#include <boost/container/small_vector.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include <algorithm>

namespace cachet::memory {

using engine::ExpiryAction;
using engine::SetAlgebra;

Result<std::int64_t> MemorySets::sadd(std::string_view key, std::span<const std::string> members,
                                      ExpiryAction expiry) {
  if (auto ok = check_elements(members); !ok) return std::unexpected(ok.error());
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
    if (members.empty()) return 0;
    if (!op.admits(f, std::int64_t(payload_bytes(members) + (f ? 0 : key.size() + 64)))) {
      return std::unexpected(op.out_of_memory());
    }
    SetValue* set = f ? f.entry->set() : op.create<SetValue>(f, key, hash, ValueKind::set, expiry);
    const std::int64_t added = op.change(set, [&] {
      std::int64_t n = 0;
      for (const auto& m : members) n += set->add(m) ? 1 : 0;
      return n;
    });
    op.apply_expiry(f, hash, expiry);
    return added;
  });
}

Result<std::int64_t> MemorySets::srem(std::string_view key, std::span<const std::string> members,
                                      ExpiryAction expiry) {
  if (auto ok = check_elements(members); !ok) return std::unexpected(ok.error());
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
    if (!f) return 0;
    SetValue* set = f.entry->set();
    const std::int64_t removed = op.change(set, [&] {
      std::int64_t n = 0;
      for (const auto& m : members) n += set->remove(m) ? 1 : 0;
      return n;
    });
    op.finish_container(f, hash, set, expiry);
    return removed;
  });
}

Result<std::vector<std::string>> MemorySets::spop(std::string_view key, std::int64_t count, ExpiryAction expiry) {
  if (count < 0) return fail(Errc::out_of_range, "count must not be negative");
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<std::string>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
    std::vector<std::string> out;
    if (!f || count == 0) return out;
    SetValue* set = f.entry->set();
    Random& random = op.random(hash);
    op.change(set, [&] {
      const std::size_t n = std::min<std::size_t>(std::size_t(count), set->size());
      out.reserve(n);
      while (out.size() < n) out.push_back(set->take(random.below(set->size())));
    });
    op.finish_container(f, hash, set, expiry);
    return out;
  });
}

Result<bool> MemorySets::sismember(std::string_view key, std::string_view member) {
  if (member.size() > engine::max_value_bytes) return too_large();
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<bool> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
    return f && f.entry->set()->contains(member);
  });
}

Result<std::int64_t> MemorySets::scard(std::string_view key) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
    return f ? std::int64_t(f.entry->set()->size()) : 0;
  });
}

Result<std::vector<std::string>> MemorySets::smembers(std::string_view key) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<std::string>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
    if (!f) return std::vector<std::string>();
    return f.entry->set()->members();
  });
}

namespace {

// SDIFF / SINTER / SUNION over sets already looked up (nullptr: a missing key, an empty set).
std::vector<std::string> combine(SetAlgebra op, std::span<const SetValue* const> sets) {
  std::vector<std::string> out;
  if (sets.empty()) return out;
  switch (op) {
    case SetAlgebra::diff: {
      if (sets[0] == nullptr) return out;
      for (const auto& m : sets[0]->members()) {
        if (std::none_of(sets.begin() + 1, sets.end(), [&](const SetValue* s) { return s && s->contains(m); })) {
          out.push_back(m);
        }
      }
      return out;
    }
    case SetAlgebra::intersect: {
      if (std::any_of(sets.begin(), sets.end(), [](const SetValue* s) { return s == nullptr; })) return out;
      const SetValue* smallest = *std::min_element(
          sets.begin(), sets.end(), [](const SetValue* a, const SetValue* b) { return a->size() < b->size(); });
      for (const auto& m : smallest->members()) {
        if (std::all_of(sets.begin(), sets.end(), [&](const SetValue* s) { return s == smallest || s->contains(m); })) {
          out.push_back(m);
        }
      }
      return out;
    }
    case SetAlgebra::union_: {
      boost::unordered_flat_set<std::string_view> seen;
      for (const SetValue* s : sets) {
        if (s == nullptr) continue;
        for (const auto& m : s->members()) {
          if (seen.insert(m).second) out.push_back(m);
        }
      }
      return out;
    }
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> MemorySets::set_algebra(SetAlgebra algebra, std::span<const std::string> keys) {
  return table_.with_keys(keys, [&](Op& op, std::span<const std::uint64_t> hashes) -> Result<std::vector<std::string>> {
    boost::container::small_vector<const SetValue*, 8> sets;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      Found f = op.find(keys[i], hashes[i]);
      if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
      sets.push_back(f ? f.entry->set() : nullptr);
    }
    return combine(algebra, sets);
  });
}

Result<std::int64_t> MemorySets::set_algebra_store(SetAlgebra algebra, std::string_view destination,
                                                   std::span<const std::string> keys, ExpiryAction expiry) {
  boost::container::small_vector<std::string_view, 8> views{destination};
  views.insert(views.end(), keys.begin(), keys.end());
  return table_.with_keys(views, [&](Op& op, std::span<const std::uint64_t> hashes) -> Result<std::int64_t> {
    boost::container::small_vector<const SetValue*, 8> sets;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      Found f = op.find(keys[i], hashes[i + 1]);
      if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
      sets.push_back(f ? f.entry->set() : nullptr);
    }
    std::vector<std::string> members = combine(algebra, sets);
    Found dst = op.find(destination, hashes[0]);
    if (!op.admits(dst ? 0 : 1, std::int64_t(payload_bytes(members) + destination.size() + 64))) {
      return std::unexpected(op.out_of_memory());
    }
    if (dst) op.erase(dst, hashes[0]);  // replaced whatever it held
    if (members.empty()) return 0;
    SetValue* set = op.create<SetValue>(dst, destination, hashes[0], ValueKind::set, expiry);
    op.change(set, [&] {
      for (const auto& m : members) set->add(m);
    });
    op.apply_expiry(dst, hashes[0], expiry);
    return std::int64_t(members.size());
  });
}

Result<std::vector<std::string>> MemorySets::srandmember(std::string_view key, std::int64_t count) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<std::string>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::set); !ok) return std::unexpected(ok.error());
    std::vector<std::string> out;
    if (!f || count == 0) return out;
    const SetValue* set = f.entry->set();
    Random& random = op.random(hash);
    if (count < 0) {
      // With replacement: each pick is independent, so members may repeat.
      const std::uint64_t n = std::uint64_t(-(count + 1)) + 1;
      if (n > std::uint64_t(engine::max_random_members)) return fail(Errc::out_of_range, "count is too large");
      out.reserve(n);
      for (std::uint64_t i = 0; i < n; ++i) out.push_back(set->at(random.below(set->size())));
      return out;
    }
    if (std::uint64_t(count) >= set->size()) return set->members();
    // Distinct: the first `count` steps of a Fisher-Yates shuffle of the positions.
    std::vector<std::uint32_t> positions(set->size());
    for (std::uint32_t i = 0; i < positions.size(); ++i) positions[i] = i;
    out.reserve(std::size_t(count));
    for (std::size_t i = 0; i < std::size_t(count); ++i) {
      std::swap(positions[i], positions[i + random.below(positions.size() - i)]);
      out.push_back(set->at(positions[i]));
    }
    return out;
  });
}

Result<bool> MemorySets::smove(std::string_view source, std::string_view destination, std::string_view member,
                               ExpiryAction expiry) {
  if (member.size() > engine::max_value_bytes) return too_large();
  const std::string_view keys[] = {source, destination};
  return table_.with_keys(keys, [&](Op& op, std::span<const std::uint64_t> hashes) -> Result<bool> {
    Found src = op.find(source, hashes[0]);
    if (!src) return false;
    Found dst = op.find(destination, hashes[1]);
    if (auto ok = op.expect(src, ValueKind::set); !ok) return std::unexpected(ok.error());
    if (auto ok = op.expect(dst, ValueKind::set); !ok) return std::unexpected(ok.error());
    bool moved = false;
    if (source == destination) {
      moved = src.entry->set()->contains(member);
    } else if (SetValue* from = src.entry->set(); from->contains(member)) {
      if (!op.admits(dst, std::int64_t(member.size() + destination.size() + 64))) {
        return std::unexpected(op.out_of_memory());
      }
      op.change(from, [&] { from->remove(member); });
      SetValue* to = dst ? dst.entry->set() : op.create<SetValue>(dst, destination, hashes[1], ValueKind::set, expiry);
      op.change(to, [&] { to->add(member); });
      moved = true;
    }
    // Inserting or erasing a key may rehash its shard's table, so every slot is looked up again.
    src = op.find(source, hashes[0]);
    if (src) op.finish_container(src, hashes[0], src.entry->set(), expiry);
    if (source != destination) {
      dst = op.find(destination, hashes[1]);
      op.apply_expiry(dst, hashes[1], expiry);
    }
    return moved;
  });
}

}  // namespace cachet::memory
