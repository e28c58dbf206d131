// MemoryStorage: the table and the parts, put together.
#include "memory_storage.hpp"

namespace cachet::memory {

MemoryStorage::MemoryStorage(MemoryConfig config)
    : Storage({.keys = &keys_, .strings = &strings_, .lists = &lists_, .sets = &sets_}),
      table_(std::move(config)) {}

MemoryStorage::~MemoryStorage() = default;

Result<void> MemoryStorage::clear() {
  table_.clear();
  return {};
}

void MemoryStorage::sweep_expired() { memory::sweep_expired(table_); }

}  // namespace cachet::memory
