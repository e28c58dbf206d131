// LPUSH, LRANGE, LMOVE and the other list operations on the memory engine, in terms of Op.
#include "memory_lists.hpp"

#include "list_value.hpp"
#include "op.hpp"

#include <optional>

namespace cachet::memory {

using engine::ExpiryAction;

namespace {

// Redis's index arithmetic: negative counts from the end; answers [first, last] clamped to
// the list, or nothing (empty) when the range holds no element.
struct Range {
  std::size_t first = 0, last = 0;
  bool empty = true;
};
Range clamp_range(std::int64_t start, std::int64_t stop, std::size_t size) {
  const auto n = static_cast<std::int64_t>(size);
  if (start < 0) start += n;
  if (stop < 0) stop += n;
  if (start < 0) start = 0;
  if (start > stop || start >= n) return {};
  if (stop >= n) stop = n - 1;
  return {std::size_t(start), std::size_t(stop), false};
}
std::optional<std::size_t> resolve_index(std::int64_t index, std::size_t size) {
  const auto n = static_cast<std::int64_t>(size);
  if (index < 0) index += n;
  if (index < 0 || index >= n) return std::nullopt;
  return std::size_t(index);
}

}  // namespace

Result<std::int64_t> MemoryLists::push(std::string_view key, ListPos end, std::span<const std::string> values,
                                       ExpiryAction expiry) {
  if (auto ok = check_elements(values); !ok) return std::unexpected(ok.error());
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return std::unexpected(ok.error());
    if (values.empty()) return f ? std::int64_t(f.entry->list()->size()) : 0;
    if (!op.admits(f, std::int64_t(payload_bytes(values) + (f ? 0 : key.size() + 64)))) {
      return std::unexpected(op.out_of_memory());
    }
    ListValue* list = f ? f.entry->list() : op.create<ListValue>(f, key, hash, ValueKind::list, expiry);
    op.change(list, [&] {
      for (const auto& v : values) list->push(end == ListPos::Left, v);
    });
    const auto length = std::int64_t(list->size());
    op.apply_expiry(f, hash, expiry);
    return length;
  });
}

Result<std::string> MemoryLists::pop(std::string_view key, ListPos end, ExpiryAction expiry) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::string> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return std::unexpected(ok.error());
    if (!f) return fail(Errc::miss, "cache miss");
    ListValue* list = f.entry->list();
    std::string value = op.change(list, [&] { return list->pop(end == ListPos::Left); });
    op.finish_container(f, hash, list, expiry);
    return value;
  });
}

Result<std::int64_t> MemoryLists::llen(std::string_view key) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return std::unexpected(ok.error());
    return f ? std::int64_t(f.entry->list()->size()) : 0;
  });
}

Result<void> MemoryLists::ltrim(std::string_view key, std::int64_t start, std::int64_t stop, ExpiryAction expiry) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<void> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return ok;
    if (!f) return {};
    ListValue* list = f.entry->list();
    const Range r = clamp_range(start, stop, list->size());
    op.change(list, [&] { list->keep(r.first, r.last, r.empty); });
    op.finish_container(f, hash, list, expiry);
    return {};
  });
}

Result<void> MemoryLists::lset(std::string_view key, std::int64_t index, std::string_view value,
                               ExpiryAction expiry) {
  if (value.size() > engine::max_value_bytes) return too_large();
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<void> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return ok;
    if (!f) return fail(Errc::miss, "no such key");
    ListValue* list = f.entry->list();
    const auto i = resolve_index(index, list->size());
    if (!i) return fail(Errc::out_of_range, "index out of range");
    if (!op.admits(f, std::int64_t(value.size()))) return std::unexpected(op.out_of_memory());
    op.change(list, [&] { list->assign(*i, value); });
    op.apply_expiry(f, hash, expiry);
    return {};
  });
}

Result<std::string> MemoryLists::lindex(std::string_view key, std::int64_t index) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::string> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return std::unexpected(ok.error());
    if (!f) return fail(Errc::miss, "cache miss");
    const ListValue* list = f.entry->list();
    const auto i = resolve_index(index, list->size());
    if (!i) return fail(Errc::miss, "no element at index " + std::to_string(index));
    return list->at(*i);
  });
}

Result<std::vector<std::string>> MemoryLists::lrange(std::string_view key, std::int64_t start, std::int64_t stop) {
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::vector<std::string>> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return std::unexpected(ok.error());
    if (!f) return std::vector<std::string>();
    const ListValue* list = f.entry->list();
    const Range r = clamp_range(start, stop, list->size());
    if (r.empty) return std::vector<std::string>();
    return list->range(r.first, r.last);
  });
}

Result<std::int64_t> MemoryLists::linsert(std::string_view key, bool before, std::string_view pivot,
                                          std::string_view value, ExpiryAction expiry) {
  if (value.size() > engine::max_value_bytes || pivot.size() > engine::max_value_bytes) return too_large();
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return std::unexpected(ok.error());
    if (!f) return 0;  // as Redis's LINSERT answers a missing list
    ListValue* list = f.entry->list();
    std::size_t at = 0;
    while (at < list->size() && list->at(at) != pivot) ++at;
    if (at == list->size()) return fail(Errc::miss, "the pivot is not in the list");
    if (!op.admits(f, std::int64_t(value.size() + sizeof(std::string)))) return std::unexpected(op.out_of_memory());
    op.change(list, [&] { list->insert(before ? at : at + 1, value); });
    const auto length = std::int64_t(list->size());
    op.apply_expiry(f, hash, expiry);
    return length;
  });
}

Result<std::int64_t> MemoryLists::lrem(std::string_view key, std::int64_t count, std::string_view value,
                                       ExpiryAction expiry) {
  if (value.size() > engine::max_value_bytes) return too_large();
  return table_.with_key(key, [&](Op& op, std::uint64_t hash) -> Result<std::int64_t> {
    Found f = op.find(key, hash);
    if (auto ok = op.expect(f, ValueKind::list); !ok) return std::unexpected(ok.error());
    if (!f) return 0;
    ListValue* list = f.entry->list();
    const std::int64_t removed = op.change(list, [&] { return list->remove(count, value); });
    op.finish_container(f, hash, list, expiry);
    return removed;
  });
}

Result<std::string> MemoryLists::lmove(std::string_view source, std::string_view destination, ListPos from,
                                       ListPos to, ExpiryAction expiry) {
  const std::string_view keys[] = {source, destination};
  return table_.with_keys(keys, [&](Op& op, std::span<const std::uint64_t> hashes) -> Result<std::string> {
    Found src = op.find(source, hashes[0]);
    if (!src) return fail(Errc::miss, "cache miss");
    if (auto ok = op.expect(src, ValueKind::list); !ok) return std::unexpected(ok.error());
    Found dst = op.find(destination, hashes[1]);
    if (auto ok = op.expect(dst, ValueKind::list); !ok) return std::unexpected(ok.error());
    ListValue* from_list = src.entry->list();
    if (!op.admits(dst, std::int64_t(destination.size() + 64))) return std::unexpected(op.out_of_memory());
    std::string value = op.change(from_list, [&] { return from_list->pop(from == ListPos::Left); });
    // Inserting or erasing a key may rehash its shard's table, so every slot is looked up again.
    ListValue* to_list =
        dst ? dst.entry->list() : op.create<ListValue>(dst, destination, hashes[1], ValueKind::list, expiry);
    op.change(to_list, [&] { to_list->push(to == ListPos::Left, value); });
    src = op.find(source, hashes[0]);
    if (src) op.finish_container(src, hashes[0], src.entry->list(), expiry);
    dst = op.find(destination, hashes[1]);
    if (source != destination) op.apply_expiry(dst, hashes[1], expiry);
    return value;
  });
}

}  // namespace cachet::memory
