#include "hash_slot.hpp"

#include <boost/crc.hpp>

namespace cachet {

std::string_view hash_tag(std::string_view key) noexcept {
  const auto open = key.find('{');
  if (open == std::string_view::npos) return key;
  const auto close = key.find('}', open + 1);
  if (close == std::string_view::npos || close == open + 1) return key;
  return key.substr(open + 1, close - open - 1);
}

std::uint16_t hash_slot(std::string_view key) noexcept {
  // Redis Cluster's CRC16: XMODEM (no reflection, no final xor).
  boost::crc_optimal<16, 0x1021, 0, 0, false, false> crc;
  const auto tag = hash_tag(key);
  crc.process_bytes(tag.data(), tag.size());
  return static_cast<std::uint16_t>(crc.checksum() % hash_slot_count);
}

}  // namespace cachet
