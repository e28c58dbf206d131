// Redis Cluster's rule from a key to its hash slot, shared by the cluster router (which sends a
// command to the node owning the slot) and by the checks that a key pattern's hash tag really
// keeps related keys in one slot.
#pragma once

#include <cstdint>
#include <string_view>

namespace cachet {

inline constexpr std::uint16_t hash_slot_count = 16384;

// The part of the key that is hashed: the bytes between the first '{' and the first '}' after
// it when there are any, else the whole key (a key "{}x" hashes whole, as Redis does).
std::string_view hash_tag(std::string_view key) noexcept;

// CRC16 (XMODEM: polynomial 0x1021, initial 0) of hash_tag(key), modulo 16384.
std::uint16_t hash_slot(std::string_view key) noexcept;

}  // namespace cachet
