// The data every workload runs on, generated before any clock starts: the keys (what a user
// passes to a keyspace), the values, and each thread's sequence of operations.
//
// Keys are "u" + 10 digits (11 bytes), so the stored key "user/u0000012345" is 16 bytes,
// the size the bytes-per-key figure is quoted for. Values are 64 bytes.
#pragma once

#include "zipf.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

inline constexpr std::size_t key_universe = 100'000;  // keys of the get/set/... workloads and of the Zipf mix
inline constexpr std::size_t cache_capacity = 50'000;  // the bounded caches of the Zipf mix: half the universe
inline constexpr std::size_t value_bytes = 64;
inline constexpr double zipf_s = 0.99;
inline constexpr std::uint64_t seed = 20240611;  // fixed: every run sees the same sequences

// "u0000012345": the key a user passes.
inline std::string user_key(std::size_t i) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "u%010zu", i);
  return buffer;
}

// A prefix and a user key joined in a stack buffer: how the baselines build their stored
// key ("user/" + key) without a heap allocation, as cachet's keyspaces do.
class StackKey {
 public:
  StackKey(std::string_view prefix, std::string_view key) : size_(prefix.size() + key.size()) {
    if (size_ > sizeof buffer_) size_ = 0;  // never happens with the keys used here
    std::memcpy(buffer_, prefix.data(), prefix.size());
    std::memcpy(buffer_ + prefix.size(), key.data(), key.size());
  }
  std::string_view view() const { return {buffer_, size_}; }

 private:
  char buffer_[64];
  std::size_t size_;
};

// 64-byte values, distinct enough that no layer could share them.
inline std::vector<std::string> make_values(std::size_t count) {
  std::mt19937_64 rng(seed ^ 0x5eed);
  std::vector<std::string> out(count);
  for (auto& v : out) {
    v.resize(value_bytes);
    for (auto& c : v) c = char('a' + rng() % 26);
  }
  return out;
}

// `length` indexes into the key universe, each pass a fresh shuffle: uniform access, every
// key touched once per pass. One sequence per thread, from its own seed.
inline std::vector<std::uint32_t> shuffled_sequence(std::size_t length, std::uint64_t thread) {
  std::mt19937_64 rng(seed + 1000 * (thread + 1));
  std::vector<std::uint32_t> pass(key_universe);
  std::iota(pass.begin(), pass.end(), 0u);
  std::vector<std::uint32_t> out;
  out.reserve(length);
  while (out.size() < length) {
    std::shuffle(pass.begin(), pass.end(), rng);
    const std::size_t take = std::min(pass.size(), length - out.size());
    out.insert(out.end(), pass.begin(), pass.begin() + std::ptrdiff_t(take));
  }
  return out;
}

// The Zipf mix: each entry is a key index, with `set_flag` on for the 10% that are writes.
inline constexpr std::uint32_t set_flag = 0x8000'0000u;
inline constexpr std::uint32_t index_mask = ~set_flag;

// Zipf ranks map to keys through a fixed permutation, so the hot keys are not simply the
// lowest-numbered ones (they hash anywhere anyway; this keeps the data honest for any hash).
inline std::vector<std::uint32_t> zipf_sequence(const Zipf& zipf, std::size_t length, std::uint64_t stream) {
  std::mt19937_64 permutation_rng(seed ^ 0x2f);
  std::vector<std::uint32_t> rank_to_key(zipf.size());
  std::iota(rank_to_key.begin(), rank_to_key.end(), 0u);
  std::shuffle(rank_to_key.begin(), rank_to_key.end(), permutation_rng);

  std::mt19937_64 rng(seed + 7919 * (stream + 1));
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<std::uint32_t> out(length);
  for (auto& op : out) {
    op = rank_to_key[zipf(rng)];
    if (unit(rng) < 0.10) op |= set_flag;
  }
  return out;
}

}  // namespace bench
