#include "redis_storage.hpp"

#include "engine/decimal.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace cachet::redis {

using engine::ExpiryAction;
using engine::SetAlgebra;
using engine::SetCondition;

namespace {

// SET's expiry options; a TTL <= 0 never gets here (SET rejects PX 0).
void add_set_expiry(Command& set, ExpiryAction expiry) {
  if (expiry.kind == ExpiryAction::Kind::keep) set.arg("KEEPTTL");
  if (expiry.kind == ExpiryAction::Kind::ttl) set.arg("PX").arg(std::int64_t(expiry.ttl.count()));
}

std::string_view side(ListPos end) { return end == ListPos::Left ? "LEFT" : "RIGHT"; }

std::string_view algebra_command(SetAlgebra op, bool store) {
  switch (op) {
    case SetAlgebra::diff: return store ? "SDIFFSTORE" : "SDIFF";
    case SetAlgebra::intersect: return store ? "SINTERSTORE" : "SINTER";
    case SetAlgebra::union_: return store ? "SUNIONSTORE" : "SUNION";
  }
  return "SUNION";
}

// SCAN MATCH takes a glob: the prefix's own *?[]\ must match literally.
std::string glob_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The last reply of a write, read by `decode`.
template <class T>
Result<T> answer(Result<Replies> replies, Result<T> (*decode)(const redisReply&)) {
  if (!replies) return std::unexpected(std::move(replies.error()));
  return decode(replies->back());
}

// The sum of integer replies: a chunked SADD or SREM counts every chunk.
Result<std::int64_t> total(Result<Replies> replies) {
  if (!replies) return std::unexpected(std::move(replies.error()));
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < replies->size(); ++i) {
    auto n = integer((*replies)[i]);
    if (!n) return n;
    sum += *n;
  }
  return sum;
}

// A value that must be there: nil is a miss.
Result<std::string> present(Result<std::optional<std::string>> value) {
  if (!value) return std::unexpected(std::move(value.error()));
  if (!*value) return fail(Errc::miss, "cache miss");
  return std::move(**value);
}

// A bulk string that is never nil (GETRANGE).
Result<std::string> string_reply(const redisReply& reply) { return present(bulk(reply)); }

}  // namespace

RedisStorage::RedisStorage(const RedisOptions& options)
    : Storage({.keys = this, .strings = this, .lists = this, .sets = this}), client_(options) {}

// ---------------------------------------------------------------------------------------------
// Keys

Result<std::int64_t> RedisStorage::del(std::span<const std::string> keys) {
  if (keys.empty()) return 0;
  return client_.read(client_.on_keys("DEL", keys), integer);
}

Result<std::optional<std::chrono::milliseconds>> RedisStorage::pttl(std::string_view key) {
  auto ms = client_.read(client_.on("PTTL", key), integer);
  if (!ms) return std::unexpected(std::move(ms.error()));
  if (*ms == -2) return fail(Errc::miss, "cache miss");
  if (*ms == -1) return std::nullopt;
  return std::chrono::milliseconds(*ms);
}

Result<void> RedisStorage::ping() { return client_.read(Command("PING"), status); }

Result<void> RedisStorage::clear() {
  if (client_.prefix().empty()) return client_.read(Command("FLUSHDB"), status);

  // SCAN the prefix's keys page by page; each page's UNLINK rides with the next SCAN.
  const std::string pattern = glob_escape(client_.prefix()) + "*";
  std::string cursor = "0";
  std::vector<std::string> found;
  do {
    std::vector<Command> batch;
    if (!found.empty()) {
      Command& unlink = batch.emplace_back("UNLINK");
      for (const auto& k : found) unlink.arg(k);
    }
    batch.push_back(std::move(Command("SCAN").arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(std::int64_t(1000))));
    auto replies = client_.round_trip(batch);
    if (!replies) return std::unexpected(std::move(replies.error()));
    if (batch.size() == 2) {
      if (auto n = integer(*replies->front()); !n) return std::unexpected(std::move(n.error()));
    }
    const redisReply& page = *replies->back();
    if (page.type == REDIS_REPLY_ERROR) return std::unexpected(reply_error(page));
    if (page.type != REDIS_REPLY_ARRAY || page.elements != 2) return fail(Errc::protocol, "SCAN answered a malformed page");
    auto next = string_reply(*page.element[0]);
    if (!next) return std::unexpected(std::move(next.error()));
    auto keys = redis::strings(*page.element[1]);
    if (!keys) return std::unexpected(std::move(keys.error()));
    cursor = std::move(*next);
    found = std::move(*keys);
  } while (cursor != "0");
  if (found.empty()) return {};
  Command unlink("UNLINK");
  for (const auto& k : found) unlink.arg(k);
  auto replies = client_.round_trip({&unlink, 1});
  if (!replies) return std::unexpected(std::move(replies.error()));
  if (auto n = integer(*replies->front()); !n) return std::unexpected(std::move(n.error()));
  return {};
}

// ---------------------------------------------------------------------------------------------
// Strings

Result<std::string> RedisStorage::get(std::string_view key) {
  return present(client_.read(client_.on("GET", key), bulk));
}

Result<std::vector<std::optional<std::string>>> RedisStorage::mget(std::span<const std::string> keys) {
  if (keys.empty()) return std::vector<std::optional<std::string>>();
  return client_.read(client_.on_keys("MGET", keys), optional_strings);
}

Result<bool> RedisStorage::set(std::string_view key, std::string_view value, SetCondition condition,
                               ExpiryAction expiry) {
  if (value.size() > engine::max_value_bytes) return too_large();  // also when nothing is sent
  if (expiry.deletes()) {
    // SET rejects PX <= 0; a value written and at once expired leaves what these leave.
    // Set-if-absent writes nothing on an existing key and leaves an absent one absent.
    if (condition == SetCondition::if_absent) {
      auto exists = client_.read(client_.on("EXISTS", key), integer);
      if (!exists) return std::unexpected(std::move(exists.error()));
      return *exists == 0;
    }
    auto removed = client_.read(client_.on("DEL", key), integer);
    if (!removed) return std::unexpected(std::move(removed.error()));
    return condition == SetCondition::always || *removed == 1;
  }
  Command command = client_.on("SET", key);
  command.arg(value);
  if (condition == SetCondition::if_absent) command.arg("NX");
  if (condition == SetCondition::if_present) command.arg("XX");
  add_set_expiry(command, expiry);
  auto reply = client_.call(command);
  if (!reply) return std::unexpected(std::move(reply.error()));
  if ((*reply)->type == REDIS_REPLY_NIL) return false;  // NX or XX kept it from being written
  if (auto ok = status(**reply); !ok) return std::unexpected(std::move(ok.error()));
  return true;
}

Result<std::optional<std::string>> RedisStorage::set_get(std::string_view key, std::string_view value,
                                                         ExpiryAction expiry) {
  if (value.size() > engine::max_value_bytes) return too_large();  // also when nothing is sent
  // Written and at once expired: the old value goes, as GETDEL takes it (WRONGTYPE alike).
  if (expiry.deletes()) return client_.read(client_.on("GETDEL", key), bulk);
  Command command = client_.on("SET", key);
  command.arg(value).arg("GET");
  add_set_expiry(command, expiry);
  return client_.read(command, bulk);
}

Result<void> RedisStorage::mset(std::span<const engine::KeyValue> pairs, ExpiryAction expiry) {
  if (pairs.empty()) return {};
  for (const auto& p : pairs) {
    if (p.value.size() > engine::max_value_bytes) return too_large();  // also when nothing is sent
  }
  if (expiry.deletes()) {
    Command del("DEL");
    for (const auto& p : pairs) del.key(client_.prefix(), p.key);
    auto removed = client_.read(del, integer);
    if (!removed) return std::unexpected(std::move(removed.error()));
    return {};
  }
  if (expiry.kind == ExpiryAction::Kind::persist) {  // MSET clears TTLs as SET does
    Command command("MSET");
    for (const auto& p : pairs) command.key(client_.prefix(), p.key).arg(p.value);
    return client_.read(command, status);
  }
  // MSET has no PX or KEEPTTL: one SET each, in one transaction.
  std::vector<Command> batch;
  batch.reserve(pairs.size() + 2);
  batch.emplace_back("MULTI");
  for (const auto& p : pairs) add_set_expiry(batch.emplace_back(client_.on("SET", p.key)).arg(p.value), expiry);
  batch.emplace_back("EXEC");
  auto replies = client_.round_trip(batch);
  if (!replies) return std::unexpected(std::move(replies.error()));
  // A command refused while queueing (OOM) aborts EXEC; its own error says why.
  for (const auto& reply : *replies) {
    if (reply->type == REDIS_REPLY_ERROR) return std::unexpected(reply_error(*reply));
  }
  const redisReply& exec = *replies->back();
  if (exec.type != REDIS_REPLY_ARRAY) return status(exec);
  for (std::size_t i = 0; i < exec.elements; ++i) {
    if (auto ok = status(*exec.element[i]); !ok) return ok;
  }
  return {};
}

Result<std::string> RedisStorage::getdel(std::string_view key) {
  return present(client_.read(client_.on("GETDEL", key), bulk));
}

Result<std::int64_t> RedisStorage::append(std::string_view key, std::string_view value, ExpiryAction expiry) {
  return answer(client_.write(client_.on("APPEND", key).arg(value), key, Written::always, expiry), integer);
}

Result<std::string> RedisStorage::getrange(std::string_view key, std::int64_t start, std::int64_t end) {
  return client_.read(client_.on("GETRANGE", key).arg(start).arg(end), string_reply);
}

Result<std::int64_t> RedisStorage::setrange(std::string_view key, std::int64_t offset, std::string_view value,
                                            ExpiryAction expiry) {
  if (offset < 0) return fail(Errc::out_of_range, "offset is out of range");
  // An empty value changes nothing and is answered with the length, whatever the offset.
  if (!value.empty() && std::uint64_t(offset) + value.size() > engine::max_value_bytes) return too_large();
  return answer(client_.write(client_.on("SETRANGE", key).arg(offset).arg(value), key, Written::always, expiry),
                integer);
}

Result<std::int64_t> RedisStorage::strlen(std::string_view key) {
  return client_.read(client_.on("STRLEN", key), integer);
}

Result<std::int64_t> RedisStorage::incrby(std::string_view key, std::int64_t delta, ExpiryAction expiry) {
  auto replies = client_.write(client_.on("INCRBY", key).arg(delta), key, Written::counter, expiry);
  if (!replies) return std::unexpected(std::move(replies.error()));
  const redisReply& reply = replies->back();
  if (reply.type != REDIS_REPLY_STRING) return integer(reply);  // sent alone: INCRBY's own answer
  if (auto n = engine::decimal::parse_int64({reply.str, reply.len})) return *n;
  return fail(Errc::protocol, "INCRBY left a value that is not an integer");
}

Result<double> RedisStorage::incrbyfloat(std::string_view key, double delta, ExpiryAction expiry) {
  if (std::isnan(delta)) return fail(Errc::invalid_value, "value is not a valid float");
  const std::string text = engine::decimal::format_double(delta);
  auto value =
      present(answer(client_.write(client_.on("INCRBYFLOAT", key).arg(text), key, Written::always, expiry), bulk));
  if (!value) return std::unexpected(std::move(value.error()));
  // Redis adds in long double: a sum past the range of a double is stored, yet has no answer.
  const double result = std::strtod(value->c_str(), nullptr);
  if (std::isinf(result)) return fail(Errc::invalid_value, "the result is outside the range of a double");
  return result;
}

// ---------------------------------------------------------------------------------------------
// Lists

Result<std::int64_t> RedisStorage::push(std::string_view key, ListPos end, std::span<const std::string> values,
                                        ExpiryAction expiry) {
  // Pushing nothing writes nothing: the length, and WRONGTYPE for a key of another type.
  if (values.empty()) return client_.read(client_.on("LLEN", key), integer);
  const auto commands = client_.variadic(end == ListPos::Left ? "LPUSH" : "RPUSH", key, values);
  return answer(client_.write(commands, {&key, 1}, Written::always, expiry), integer);
}

Result<std::string> RedisStorage::pop(std::string_view key, ListPos end, ExpiryAction expiry) {
  return present(answer(
      client_.write(client_.on(end == ListPos::Left ? "LPOP" : "RPOP", key), key, Written::always, expiry), bulk));
}

Result<std::int64_t> RedisStorage::llen(std::string_view key) { return client_.read(client_.on("LLEN", key), integer); }

Result<void> RedisStorage::ltrim(std::string_view key, std::int64_t start, std::int64_t stop, ExpiryAction expiry) {
  return answer(client_.write(client_.on("LTRIM", key).arg(start).arg(stop), key, Written::always, expiry), status);
}

Result<void> RedisStorage::lset(std::string_view key, std::int64_t index, std::string_view value,
                                ExpiryAction expiry) {
  return answer(client_.write(client_.on("LSET", key).arg(index).arg(value), key, Written::always, expiry), status);
}

Result<std::string> RedisStorage::lindex(std::string_view key, std::int64_t index) {
  return present(client_.read(client_.on("LINDEX", key).arg(index), bulk));
}

Result<std::vector<std::string>> RedisStorage::lrange(std::string_view key, std::int64_t start, std::int64_t stop) {
  return client_.read(client_.on("LRANGE", key).arg(start).arg(stop), redis::strings);
}

Result<std::int64_t> RedisStorage::linsert(std::string_view key, bool before, std::string_view pivot,
                                           std::string_view value, ExpiryAction expiry) {
  auto length = answer(client_.write(client_.on("LINSERT", key).arg(before ? "BEFORE" : "AFTER").arg(pivot).arg(value),
                                     key, Written::inserted, expiry),
                       integer);
  if (!length) return length;
  if (*length == -1) return fail(Errc::miss, "the pivot is not in the list");
  if (*length == 0) return fail(Errc::miss, "cache miss");
  return length;
}

Result<std::int64_t> RedisStorage::lrem(std::string_view key, std::int64_t count, std::string_view value,
                                        ExpiryAction expiry) {
  return answer(client_.write(client_.on("LREM", key).arg(count).arg(value), key, Written::always, expiry), integer);
}

Result<std::string> RedisStorage::lmove(std::string_view source, std::string_view destination, ListPos from,
                                        ListPos to, ExpiryAction expiry) {
  const std::string_view keys[] = {source, destination};
  const Command command =
      std::move(client_.on("LMOVE", source).key(client_.prefix(), destination).arg(side(from)).arg(side(to)));
  return present(answer(client_.write({&command, 1}, distinct(keys), Written::found, expiry), bulk));
}

// ---------------------------------------------------------------------------------------------
// Sets

Result<std::int64_t> RedisStorage::sadd(std::string_view key, std::span<const std::string> members,
                                        ExpiryAction expiry) {
  if (members.empty()) {  // adds nothing and sets no TTL; still WRONGTYPE for a key of another type
    auto card = client_.read(client_.on("SCARD", key), integer);
    if (!card) return card;
    return 0;
  }
  return total(client_.write(client_.variadic("SADD", key, members), {&key, 1}, Written::always, expiry));
}

Result<std::int64_t> RedisStorage::srem(std::string_view key, std::span<const std::string> members,
                                        ExpiryAction expiry) {
  if (members.empty()) {  // removes nothing, yet an existing set takes the expiry as after any SREM
    auto card = answer(client_.write(client_.on("SCARD", key), key, Written::always, expiry), integer);
    if (!card) return card;
    return 0;
  }
  return total(client_.write(client_.variadic("SREM", key, members), {&key, 1}, Written::always, expiry));
}

Result<std::vector<std::string>> RedisStorage::spop(std::string_view key, std::int64_t count, ExpiryAction expiry) {
  if (count < 0) return fail(Errc::out_of_range, "count must not be negative");
  // Popping none takes nothing and leaves the TTL alone (still WRONGTYPE for another type).
  if (count == 0) return client_.read(client_.on("SPOP", key).arg(std::int64_t(0)), redis::strings);
  return answer(client_.write(client_.on("SPOP", key).arg(count), key, Written::always, expiry), redis::strings);
}

Result<bool> RedisStorage::sismember(std::string_view key, std::string_view member) {
  auto found = client_.read(client_.on("SISMEMBER", key).arg(member), integer);
  if (!found) return std::unexpected(std::move(found.error()));
  return *found == 1;
}

Result<std::int64_t> RedisStorage::scard(std::string_view key) {
  return client_.read(client_.on("SCARD", key), integer);
}

Result<std::vector<std::string>> RedisStorage::smembers(std::string_view key) {
  return client_.read(client_.on("SMEMBERS", key), redis::strings);
}

Result<std::vector<std::string>> RedisStorage::set_algebra(SetAlgebra op, std::span<const std::string> keys) {
  if (keys.empty()) return std::vector<std::string>();
  return client_.read(client_.on_keys(algebra_command(op, false), keys), redis::strings);
}

Result<std::int64_t> RedisStorage::set_algebra_store(SetAlgebra op, std::string_view destination,
                                                     std::span<const std::string> keys, ExpiryAction expiry) {
  if (keys.empty()) {  // the empty result replaces the destination
    auto removed = client_.read(client_.on("DEL", destination), integer);
    if (!removed) return removed;
    return 0;
  }
  Command command = client_.on(algebra_command(op, true), destination);
  for (const auto& k : keys) command.key(client_.prefix(), k);
  return answer(client_.write(command, destination, Written::always, expiry), integer);
}

Result<std::vector<std::string>> RedisStorage::srandmember(std::string_view key, std::int64_t count) {
  if (count < -engine::max_random_members) {
    // More draws than any answer may hold: refused for a set, empty for no key, as in memory.
    auto card = client_.read(client_.on("SCARD", key), integer);
    if (!card) return std::unexpected(std::move(card.error()));
    if (*card > 0) return fail(Errc::out_of_range, "count is too large");
    return std::vector<std::string>();
  }
  return client_.read(client_.on("SRANDMEMBER", key).arg(count), redis::strings);
}

Result<bool> RedisStorage::smove(std::string_view source, std::string_view destination, std::string_view member,
                                 ExpiryAction expiry) {
  const std::string_view keys[] = {source, destination};
  const Command command = std::move(client_.on("SMOVE", source).key(client_.prefix(), destination).arg(member));
  auto moved = answer(client_.write({&command, 1}, distinct(keys), Written::from_source, expiry), integer);
  if (!moved) return std::unexpected(std::move(moved.error()));
  return *moved == 1;
}

}  // namespace cachet::redis
