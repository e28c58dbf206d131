// The strongest plain baseline for a read-mostly in-process map: 64 absl::flat_hash_maps, each
// behind its own std::mutex, the shard chosen by the top bits of the key's hash. No TTL, no
// bound, no key pattern; the caller builds the stored key in a stack buffer, and a get copies
// the value out, as every cache answer is a copy.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/hash/hash.h>

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace bench {

class ShardedAbslMap {
 public:
  static constexpr std::size_t shard_count = 64;

  explicit ShardedAbslMap(std::size_t expected_keys = 0) {
    for (auto& s : shards_) s.map.reserve(expected_keys / shard_count + 1);
  }

  // (absl::string_view: Debian builds absl with a string_view of its own.)
  std::optional<std::string> get(std::string_view text) {
    const absl::string_view key(text.data(), text.size());
    const std::size_t hash = absl::Hash<absl::string_view>{}(key);
    Shard& s = shards_[hash >> 58];
    std::lock_guard lock(s.mutex);
    const auto it = s.map.find(key);
    if (it == s.map.end()) return std::nullopt;
    return it->second;
  }
  void set(std::string_view text, std::string_view value) {
    const absl::string_view key(text.data(), text.size());
    const std::size_t hash = absl::Hash<absl::string_view>{}(key);
    Shard& s = shards_[hash >> 58];
    std::lock_guard lock(s.mutex);
    const auto it = s.map.find(key);
    if (it == s.map.end()) s.map.emplace(std::string(text), std::string(value));
    else it->second.assign(value);
  }

 private:
  struct alignas(64) Shard {
    std::mutex mutex;
    absl::flat_hash_map<std::string, std::string> map;
  };
  std::array<Shard, shard_count> shards_;
};

}  // namespace bench
