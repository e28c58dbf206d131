// The hash primitives on the server: HSET and HDEL (chunked inside the write script), HSETNX,
// HINCRBY and HINCRBYFLOAT with their expiry in the script, and the reads.
#include "hashes.hpp"

#include "engine/decimal.hpp"

#include <cmath>
#include <cstdlib>

namespace cachet::redis {

using engine::ExpiryAction;
using engine::FieldValue;

namespace {

Result<bool> one(Result<std::int64_t> n) {
  if (!n) return std::unexpected(std::move(n.error()));
  return *n == 1;
}

}  // namespace

Result<std::string> RedisHashes::hget(std::string_view key, std::string_view field) {
  return present(client_.read(client_.on("HGET", key).arg(field), bulk));
}

Result<std::vector<std::optional<std::string>>> RedisHashes::hmget(std::string_view key,
                                                                   std::span<const std::string> fields) {
  if (fields.empty()) {  // HMGET needs a field; still WRONGTYPE for a key of another type
    auto len = client_.read(client_.on("HLEN", key), integer);
    if (!len) return std::unexpected(std::move(len.error()));
    return std::vector<std::optional<std::string>>();
  }
  Command command = client_.on("HMGET", key);
  for (const auto& f : fields) command.arg(f);
  return client_.read(command, optional_strings);
}

Result<std::int64_t> RedisHashes::hset(std::string_view key, std::span<const FieldValue> pairs, ExpiryAction expiry) {
  if (pairs.empty()) {  // writes nothing and sets no TTL; still WRONGTYPE for a key of another type
    auto len = client_.read(client_.on("HLEN", key), integer);
    if (!len) return len;
    return 0;
  }
  // Field, value, field, value...: chunks of an even size keep each pair in one HSET.
  static_assert(script_chunk % 2 == 0);
  std::vector<std::string> flat;
  flat.reserve(pairs.size() * 2);
  for (const auto& p : pairs) {
    flat.push_back(p.field);
    flat.push_back(p.value);
  }
  return total(client_.write(client_.variadic("HSET", key, flat), {&key, 1}, Written::always, expiry));
}

Result<bool> RedisHashes::hsetnx(std::string_view key, std::string_view field, std::string_view value,
                                 ExpiryAction expiry) {
  // Written only when the field was new (1): an HSETNX that finds the field leaves the TTL.
  return one(answer(client_.write(client_.on("HSETNX", key).arg(field).arg(value), key, Written::inserted, expiry),
                    integer));
}

Result<std::int64_t> RedisHashes::hincrby(std::string_view key, std::string_view field, std::int64_t delta,
                                          ExpiryAction expiry) {
  auto replies = client_.write(client_.on("HINCRBY", key).arg(field).arg(delta), key, Written::field_counter, expiry);
  if (!replies) return std::unexpected(std::move(replies.error()));
  const redisReply& reply = replies->back();
  if (reply.type != REDIS_REPLY_STRING) return integer(reply);  // sent alone: HINCRBY's own answer
  if (auto n = engine::decimal::parse_int64({reply.str, reply.len})) return *n;
  return fail(Errc::protocol, "HINCRBY left a value that is not an integer");
}

Result<double> RedisHashes::hincrbyfloat(std::string_view key, std::string_view field, double delta,
                                         ExpiryAction expiry) {
  if (std::isnan(delta)) return fail(Errc::invalid_value, "value is not a valid float");
  const std::string text = engine::decimal::format_double(delta);
  auto value = present(
      answer(client_.write(client_.on("HINCRBYFLOAT", key).arg(field).arg(text), key, Written::always, expiry), bulk));
  if (!value) return std::unexpected(std::move(value.error()));
  // Redis adds in long double: a sum past the range of a double is stored, yet has no answer.
  const double result = std::strtod(value->c_str(), nullptr);
  if (std::isinf(result)) return fail(Errc::invalid_value, "the result is outside the range of a double");
  return result;
}

Result<std::int64_t> RedisHashes::hdel(std::string_view key, std::span<const std::string> fields,
                                       ExpiryAction expiry) {
  if (fields.empty()) {  // removes nothing, yet an existing hash takes the expiry as after any HDEL
    auto len = answer(client_.write(client_.on("HLEN", key), key, Written::always, expiry), integer);
    if (!len) return len;
    return 0;
  }
  return total(client_.write(client_.variadic("HDEL", key, fields), {&key, 1}, Written::always, expiry));
}

Result<bool> RedisHashes::hexists(std::string_view key, std::string_view field) {
  return one(client_.read(client_.on("HEXISTS", key).arg(field), integer));
}

Result<std::int64_t> RedisHashes::hlen(std::string_view key) { return client_.read(client_.on("HLEN", key), integer); }

Result<std::vector<FieldValue>> RedisHashes::hgetall(std::string_view key) {
  auto flat = client_.read(client_.on("HGETALL", key), redis::strings);
  if (!flat) return std::unexpected(std::move(flat.error()));
  if (flat->size() % 2 != 0) return fail(Errc::protocol, "HGETALL answered an odd number of strings");
  std::vector<FieldValue> out;
  out.reserve(flat->size() / 2);
  for (std::size_t i = 0; i < flat->size(); i += 2) out.push_back({std::move((*flat)[i]), std::move((*flat)[i + 1])});
  return out;
}

Result<std::vector<std::string>> RedisHashes::hkeys(std::string_view key) {
  return client_.read(client_.on("HKEYS", key), redis::strings);
}

Result<std::vector<std::string>> RedisHashes::hvals(std::string_view key) {
  return client_.read(client_.on("HVALS", key), redis::strings);
}

Result<std::vector<std::string>> RedisHashes::hrandfield(std::string_view key, std::int64_t count) {
  if (count < -engine::max_random_fields) {
    // More draws than any answer may hold: refused for a hash, empty for no key, as in memory.
    auto len = client_.read(client_.on("HLEN", key), integer);
    if (!len) return std::unexpected(std::move(len.error()));
    if (*len > 0) return fail(Errc::out_of_range, "count is too large");
    return std::vector<std::string>();
  }
  return client_.read(client_.on("HRANDFIELD", key).arg(count), redis::strings);
}

}  // namespace cachet::redis
