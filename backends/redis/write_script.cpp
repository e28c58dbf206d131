// The write script's Lua text and the layout of its arguments.
#include "write_script.hpp"

namespace cachet::redis {

// A write and the expiry it carries, run atomically and the way the memory backend runs
// them: when the write fails or does not happen, no TTL changes; otherwise the expiry applies
// to each key of KEYS that exists afterwards (PEXPIRE with a TTL <= 0 deletes the key).
//   ARGV[1]    'keep', 'persist', or the TTL in milliseconds
//   ARGV[2]    when the write counts as done (Written)
//   ARGV[3..]  the commands, each as its argument count and its arguments: Lua's unpack()
//              takes at most about 8000 values, so a long SADD arrives as several SADDs.
//              Only the first can fail; the later ones continue a write already checked.
// Answers the list of the commands' replies, or the first error reply unchanged. For
// 'counter' the last reply becomes the key's value, for 'field_counter' the value of the hash
// field the last command named (HINCRBY key field delta): Lua numbers are doubles, and an
// INCRBY or HINCRBY answer beyond 2^53 would come back rounded.
constinit const std::string_view write_script = R"lua(
local replies, i = {}, 3
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  local reply = redis.pcall(unpack(ARGV, i + 1, i + n))
  if type(reply) == 'table' and reply.err then return reply end
  replies[#replies + 1] = reply
  i = i + n + 1
end
local expiry, written, last = ARGV[1], ARGV[2], replies[#replies]
if (written == 'found' and not last) or (written == 'inserted' and last <= 0) or
   (written == 'from_source' and last == 0 and redis.call('EXISTS', KEYS[1]) == 0) then
  return replies
end
if written == 'counter' then replies[#replies] = redis.call('GET', KEYS[1]) end
if written == 'field_counter' then replies[#replies] = redis.call('HGET', KEYS[1], ARGV[#ARGV - 1]) end
if expiry ~= 'keep' then
  for _, key in ipairs(KEYS) do
    if expiry == 'persist' then redis.call('PERSIST', key) else redis.call('PEXPIRE', key, expiry) end
  end
end
return replies
)lua";

constinit const std::string_view store_script = R"lua(
for i = 2, #KEYS do
  local kind = redis.call('TYPE', KEYS[i]).ok
  if kind ~= 'set' and kind ~= 'none' then
    return redis.error_reply('WRONGTYPE Operation against a key holding the wrong kind of value')
  end
end
local command, expiry, destination, chunk = ARGV[1], ARGV[2], KEYS[1], 1000
local first = math.min(#KEYS, 1 + chunk)
local size = redis.call(command, destination, unpack(KEYS, 2, first))
local i = first + 1
while i <= #KEYS do
  local last = math.min(#KEYS, i + chunk - 1)
  size = redis.call(command, destination, destination, unpack(KEYS, i, last))
  i = last + 1
end
if expiry == 'persist' then redis.call('PERSIST', destination)
elseif expiry ~= 'keep' then redis.call('PEXPIRE', destination, expiry) end
return size
)lua";

void add_expiry_arg(Command& eval, engine::ExpiryAction expiry) {
  using Kind = engine::ExpiryAction::Kind;
  switch (expiry.kind) {
    case Kind::keep: eval.arg("keep"); break;
    case Kind::persist: eval.arg("persist"); break;
    case Kind::ttl: eval.arg(std::int64_t(expiry.ttl.count())); break;
  }
}

void add_write_script_argv(Command& eval, Written written, engine::ExpiryAction expiry,
                           std::span<const Command> commands) {
  add_expiry_arg(eval, expiry);
  switch (written) {
    case Written::always: eval.arg("always"); break;
    case Written::found: eval.arg("found"); break;
    case Written::inserted: eval.arg("inserted"); break;
    case Written::from_source: eval.arg("from_source"); break;
    case Written::counter: eval.arg("counter"); break;
    case Written::field_counter: eval.arg("field_counter"); break;
  }
  for (const Command& c : commands) eval.arg(std::int64_t(c.size())).args_of(c);
}

}  // namespace cachet::redis
