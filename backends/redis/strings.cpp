// The string primitives on the server: GET, SET with its conditions and expiry, MSET, and the
// read-modify-writes (APPEND, SETRANGE, INCRBY, INCRBYFLOAT).
#include "strings.hpp"

#include "engine/decimal.hpp"

#include <cmath>
#include <cstdlib>

namespace cachet::redis {

using engine::ExpiryAction;
using engine::SetCondition;

namespace {

// SET's expiry options; a TTL <= 0 never gets here (SET rejects PX 0).
void add_set_expiry(Command& set, ExpiryAction expiry) {
  if (expiry.kind == ExpiryAction::Kind::keep) set.arg("KEEPTTL");
  if (expiry.kind == ExpiryAction::Kind::ttl) set.arg("PX").arg(std::int64_t(expiry.ttl.count()));
}

}  // namespace

Result<std::string> RedisStrings::get(std::string_view key) {
  return present(client_.read(client_.on("GET", key), bulk));
}

Result<std::vector<std::optional<std::string>>> RedisStrings::mget(std::span<const std::string> keys) {
  if (keys.empty()) return std::vector<std::optional<std::string>>();
  const auto groups = client_.by_slot(keys);
  if (groups.size() == 1) return client_.read(client_.on_keys("MGET", keys), optional_strings);
  // On a cluster: one MGET per slot, the slots of a node in one round trip; answers in order.
  auto replies = client_.per_slot("MGET", keys, groups);
  if (!replies) return std::unexpected(std::move(replies.error()));
  std::vector<std::optional<std::string>> values(keys.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    auto part = optional_strings(*(*replies)[g]);
    if (!part) return std::unexpected(std::move(part.error()));
    if (part->size() != groups[g].size()) return fail(Errc::protocol, "MGET answered a value count unlike its keys");
    for (std::size_t j = 0; j < part->size(); ++j) values[groups[g][j]] = std::move((*part)[j]);
  }
  return values;
}

Result<bool> RedisStrings::set(std::string_view key, std::string_view value, SetCondition condition,
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

Result<std::optional<std::string>> RedisStrings::set_get(std::string_view key, std::string_view value,
                                                         ExpiryAction expiry) {
  if (value.size() > engine::max_value_bytes) return too_large();  // also when nothing is sent
  // Written and at once expired: the old value goes, as GETDEL takes it (WRONGTYPE alike).
  if (expiry.deletes()) return client_.read(client_.on("GETDEL", key), bulk);
  Command command = client_.on("SET", key);
  command.arg(value).arg("GET");
  add_set_expiry(command, expiry);
  return client_.read(command, bulk);
}

namespace {

// The commands of one slot's part of MSET: a DEL, an MSET, or SETs with their expiry in a
// transaction (MSET has no PX or KEEPTTL).
std::vector<Command> mset_batch(std::string_view prefix, std::span<const engine::KeyValue* const> pairs,
                                ExpiryAction expiry) {
  std::vector<Command> batch;
  if (expiry.deletes()) {
    Command& del = batch.emplace_back("DEL");
    for (const auto* p : pairs) del.key(prefix, p->key);
  } else if (expiry.kind == ExpiryAction::Kind::persist) {  // MSET clears TTLs as SET does
    Command& command = batch.emplace_back("MSET");
    for (const auto* p : pairs) command.key(prefix, p->key).arg(p->value);
  } else {
    batch.reserve(pairs.size() + 2);
    batch.emplace_back("MULTI");
    for (const auto* p : pairs) {
      Command& set = batch.emplace_back("SET");
      add_set_expiry(set.key(prefix, p->key).arg(p->value), expiry);
    }
    batch.emplace_back("EXEC");
  }
  return batch;
}

// The answer of mset_batch's commands.
Result<void> mset_answer(const std::vector<ReplyPtr>& replies, ExpiryAction expiry) {
  if (expiry.deletes()) {
    if (auto removed = integer(*replies.front()); !removed) return std::unexpected(std::move(removed.error()));
    return {};
  }
  if (expiry.kind == ExpiryAction::Kind::persist) return status(*replies.front());
  // A command refused while queueing (OOM) aborts EXEC; its own error says why.
  for (const auto& reply : replies) {
    if (reply->type == REDIS_REPLY_ERROR) return std::unexpected(reply_error(*reply));
  }
  const redisReply& exec = *replies.back();
  if (exec.type != REDIS_REPLY_ARRAY) return status(exec);
  for (std::size_t i = 0; i < exec.elements; ++i) {
    if (auto ok = status(*exec.element[i]); !ok) return ok;
  }
  return {};
}

}  // namespace

Result<void> RedisStrings::mset(std::span<const engine::KeyValue> pairs, ExpiryAction expiry) {
  if (pairs.empty()) return {};
  for (const auto& p : pairs) {
    if (p.value.size() > engine::max_value_bytes) return too_large();  // also when nothing is sent
  }
  // One part per slot (all of them on a single server): atomic within a slot.
  const auto groups = client_.by_slot(pairs.size(), [&](std::size_t i) { return std::string_view(pairs[i].key); });
  std::vector<std::vector<const engine::KeyValue*>> parts(groups.size());
  std::vector<std::vector<Command>> batches;
  batches.reserve(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (std::size_t i : groups[g]) parts[g].push_back(&pairs[i]);
    batches.push_back(mset_batch(client_.prefix(), parts[g], expiry));
  }
  auto replies = client_.round_trips(batches);
  if (!replies) return std::unexpected(std::move(replies.error()));
  for (const auto& part : *replies) {
    if (auto ok = mset_answer(part, expiry); !ok) return ok;
  }
  return {};
}

Result<std::string> RedisStrings::getdel(std::string_view key) {
  return present(client_.read(client_.on("GETDEL", key), bulk));
}

Result<std::string> RedisStrings::getex(std::string_view key, ExpiryAction expiry) {
  // GETEX rejects PX <= 0: read and at once expired is what GETDEL leaves.
  if (expiry.deletes()) return getdel(key);
  Command command = client_.on("GETEX", key);
  if (expiry.kind == ExpiryAction::Kind::persist) command.arg("PERSIST");
  if (expiry.kind == ExpiryAction::Kind::ttl) command.arg("PX").arg(std::int64_t(expiry.ttl.count()));
  return present(client_.read(command, bulk));
}

Result<std::int64_t> RedisStrings::append(std::string_view key, std::string_view value, ExpiryAction expiry) {
  return answer(client_.write(client_.on("APPEND", key).arg(value), key, Written::always, expiry), integer);
}

Result<std::string> RedisStrings::getrange(std::string_view key, std::int64_t start, std::int64_t end) {
  return client_.read(client_.on("GETRANGE", key).arg(start).arg(end), string_reply);
}

Result<std::int64_t> RedisStrings::setrange(std::string_view key, std::int64_t offset, std::string_view value,
                                            ExpiryAction expiry) {
  if (offset < 0) return fail(Errc::out_of_range, "offset is out of range");
  // An empty value changes nothing and is answered with the length, whatever the offset.
  if (!value.empty() && std::uint64_t(offset) + value.size() > engine::max_value_bytes) return too_large();
  return answer(client_.write(client_.on("SETRANGE", key).arg(offset).arg(value), key, Written::always, expiry),
                integer);
}

Result<std::int64_t> RedisStrings::strlen(std::string_view key) {
  return client_.read(client_.on("STRLEN", key), integer);
}

Result<std::int64_t> RedisStrings::incrby(std::string_view key, std::int64_t delta, ExpiryAction expiry) {
  auto replies = client_.write(client_.on("INCRBY", key).arg(delta), key, Written::counter, expiry);
  if (!replies) return std::unexpected(std::move(replies.error()));
  const redisReply& reply = replies->back();
  if (reply.type != REDIS_REPLY_STRING) return integer(reply);  // sent alone: INCRBY's own answer
  if (auto n = engine::decimal::parse_int64({reply.str, reply.len})) return *n;
  return fail(Errc::protocol, "INCRBY left a value that is not an integer");
}

Result<double> RedisStrings::incrbyfloat(std::string_view key, double delta, ExpiryAction expiry) {
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

}  // namespace cachet::redis
