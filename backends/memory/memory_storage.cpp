// MemoryStorage: the table and the parts, put together.
#include "memory_storage.hpp"

namespace cachet::memory {

MemoryStorage::MemoryStorage(MemoryConfig config)
    : Storage({.keys = &keys_, .strings = &strings_, .lists = &lists_, .sets = &sets_, .hashes = &hashes_,
               .sorted_sets = &sorted_sets_}),
      table_(std::move(config)) {}

MemoryStorage::~MemoryStorage() = default;

Result<void> MemoryStorage::clear() {
  table_.clear();
  return {};
}

engine::StorageStats MemoryStorage::stats() const {
  return {.keys = key_count(),
          .memory_bytes = used_memory(),
          .evictions = evicted_keys(),
          .expirations = expired_keys(),
          .dev_purges = purged_keys()};
}

void MemoryStorage::sweep_expired() { memory::sweep_expired(table_); }

}  // namespace cachet::memory
