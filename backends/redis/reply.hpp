// Redis replies: owning them, reading them as the answer a command gives, and turning an
// error reply into the Errc the memory backend answers for the same condition.
#pragma once

#include "engine/error.hpp"

#include <hiredis/hiredis.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::redis {

struct FreeReply {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, FreeReply>;

// The code of an error reply's message: WRONGTYPE -> wrong_type, "not an integer" ->
// invalid_value, "index out of range" -> out_of_range, "no such key" -> miss, OOM ->
// out_of_memory, a failed AUTH -> not_configured; a message not known here -> protocol.
Errc classify_error(std::string_view message);

// The error an error reply stands for, with the server's message (less a leading "ERR ", and
// less the write script's SHA and line numbers when the error was raised inside it).
Error reply_error(const redisReply& reply);

// Readers of one reply as the answer of its command. Each answers the reply's error for an
// error reply, and Errc::protocol for a reply of another shape than the command gives.
Result<std::int64_t> integer(const redisReply& reply);
Result<std::optional<std::string>> bulk(const redisReply& reply);  // nil: nullopt
Result<std::vector<std::string>> strings(const redisReply& reply);
Result<std::vector<std::optional<std::string>>> optional_strings(const redisReply& reply);  // MGET
Result<void> status(const redisReply& reply);                                              // +OK, +PONG
// A value that must be there: nil is a miss, as the memory backend answers for no key.
Result<std::string> present(Result<std::optional<std::string>> value);
Result<std::string> string_reply(const redisReply& reply);  // a bulk string that is never nil (GETRANGE)

// The replies of one round trip, in command order. A script's answer, one array holding a
// reply per command it ran, reads element by element, so a write answers alike whether it
// ran alone or inside the script.
class Replies {
 public:
  explicit Replies(std::vector<ReplyPtr> replies);
  // The elements of `array`, which must be an array reply.
  static Replies elements_of(ReplyPtr array);

  std::size_t size() const { return items_.size(); }
  const redisReply& operator[](std::size_t i) const { return *items_[i]; }
  const redisReply& back() const { return *items_.back(); }

 private:
  Replies() = default;
  std::vector<ReplyPtr> owned_;
  std::vector<const redisReply*> items_;
};

// A write's answer: its last reply (after any chunks before it), read by `decode`.
template <class T>
Result<T> answer(Result<Replies> replies, Result<T> (*decode)(const redisReply&)) {
  if (!replies) return std::unexpected(std::move(replies.error()));
  return decode(replies->back());
}

// The sum of a write's integer replies: a command cut into chunks (SADD, HSET, ZADD, ...)
// counts every chunk.
Result<std::int64_t> total(Result<Replies> replies);

}  // namespace cachet::redis
