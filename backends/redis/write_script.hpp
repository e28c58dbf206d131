// The Lua script every write that carries an expiry runs in, and how its arguments are laid out.
//
// Reads and SET-family writes are single commands (SET ... PX n | KEEPTTL, NX/XX/GET). Every
// other write that carries an expiry runs inside one Lua script (EVALSHA) with its PEXPIRE
// or PERSIST, because MULTI/EXEC cannot match the memory backend: Redis runs the expiry even
// after the command failed (WRONGTYPE, not an integer, LSET out of range) or did nothing
// (LINSERT without its pivot, LMOVE or SMOVE from a missing key), and a TTL of 0 would then
// delete a key the memory backend keeps. A write whose expiry keeps TTLs is sent alone.
#pragma once

#include "command.hpp"
#include "engine/expiry_action.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace cachet::redis {

// The script's text: loaded on every new connection, sent whole by EVAL after NOSCRIPT.
extern const std::string_view write_script;

// The script of SDIFFSTORE, SINTERSTORE and SUNIONSTORE with an expiry, sent by EVAL. Every key
// is in KEYS (the destination first), so it is legal on a cluster, and the sources go in
// chunks, so any number of them passes Lua's unpack() limit:
//   KEYS[1] the destination, KEYS[2..] the sources, those equal to the destination first
//           (after the first source for SDIFFSTORE): each chunk after the first reads the
//           destination as the result so far.
//   ARGV[1] the command, ARGV[2] 'keep', 'persist', or the TTL in milliseconds.
// Answers the destination's size, or WRONGTYPE before anything is written.
extern const std::string_view store_script;

// Values per command inside the script, well under the limit of Lua's unpack().
inline constexpr std::size_t script_chunk = 1000;

// When a write counts as done, so that its expiry applies (the write script's ARGV[2]).
enum class Written : std::uint8_t {
  always,       // whenever the command succeeds
  found,        // unless it answers nil (LMOVE from a missing list moves nothing)
  inserted,     // when it answers a positive length (LINSERT: -1 no pivot, 0 no list)
  from_source,  // when the first key existed (SMOVE from a missing set touches nothing)
  counter,      // always, and the answer is the key's value (INCRBY; see the script)
  field_counter,  // always, and the answer is the hash field's value (HINCRBY key field delta)
};

// Appends an expiry as the scripts take it: 'keep', 'persist', or the TTL in milliseconds.
void add_expiry_arg(Command& eval, engine::ExpiryAction expiry);

// Appends the script's ARGV to an EVAL or EVALSHA that already names its keys: the expiry,
// when the write counts as done, then each command as its argument count and its arguments.
void add_write_script_argv(Command& eval, Written written, engine::ExpiryAction expiry,
                           std::span<const Command> commands);

}  // namespace cachet::redis
