// The list primitives on the server: pushes and pops at either end, LSET, LINSERT, LREM, LMOVE.
#include "lists.hpp"

namespace cachet::redis {

using engine::ExpiryAction;

namespace {

std::string_view side(ListPos end) { return end == ListPos::Left ? "LEFT" : "RIGHT"; }

}  // namespace

Result<std::int64_t> RedisLists::push(std::string_view key, ListPos end, std::span<const std::string> values,
                                      ExpiryAction expiry) {
  // Pushing nothing writes nothing: the length, and WRONGTYPE for a key of another type.
  if (values.empty()) return client_.read(client_.on("LLEN", key), integer);
  const auto commands = client_.variadic(end == ListPos::Left ? "LPUSH" : "RPUSH", key, values);
  return answer(client_.write(commands, {&key, 1}, Written::always, expiry), integer);
}

Result<std::string> RedisLists::pop(std::string_view key, ListPos end, ExpiryAction expiry) {
  return present(answer(
      client_.write(client_.on(end == ListPos::Left ? "LPOP" : "RPOP", key), key, Written::always, expiry), bulk));
}

Result<std::int64_t> RedisLists::llen(std::string_view key) { return client_.read(client_.on("LLEN", key), integer); }

Result<void> RedisLists::ltrim(std::string_view key, std::int64_t start, std::int64_t stop, ExpiryAction expiry) {
  return answer(client_.write(client_.on("LTRIM", key).arg(start).arg(stop), key, Written::always, expiry), status);
}

Result<void> RedisLists::lset(std::string_view key, std::int64_t index, std::string_view value, ExpiryAction expiry) {
  return answer(client_.write(client_.on("LSET", key).arg(index).arg(value), key, Written::always, expiry), status);
}

Result<std::string> RedisLists::lindex(std::string_view key, std::int64_t index) {
  return present(client_.read(client_.on("LINDEX", key).arg(index), bulk));
}

Result<std::vector<std::string>> RedisLists::lrange(std::string_view key, std::int64_t start, std::int64_t stop) {
  return client_.read(client_.on("LRANGE", key).arg(start).arg(stop), redis::strings);
}

Result<std::int64_t> RedisLists::linsert(std::string_view key, bool before, std::string_view pivot,
                                         std::string_view value, ExpiryAction expiry) {
  auto length = answer(client_.write(client_.on("LINSERT", key).arg(before ? "BEFORE" : "AFTER").arg(pivot).arg(value),
                                     key, Written::inserted, expiry),
                       integer);
  if (!length) return length;
  if (*length == -1) return fail(Errc::miss, "the pivot is not in the list");
  return length;  // 0: no list, as LINSERT answers
}

Result<std::int64_t> RedisLists::lrem(std::string_view key, std::int64_t count, std::string_view value,
                                      ExpiryAction expiry) {
  return answer(client_.write(client_.on("LREM", key).arg(count).arg(value), key, Written::always, expiry), integer);
}

Result<std::string> RedisLists::lmove(std::string_view source, std::string_view destination, ListPos from,
                                      ListPos to, ExpiryAction expiry) {
  const std::string_view keys[] = {source, destination};
  const Command command =
      std::move(client_.on("LMOVE", source).key(client_.prefix(), destination).arg(side(from)).arg(side(to)));
  return present(answer(client_.write({&command, 1}, distinct(keys), Written::found, expiry), bulk));
}

}  // namespace cachet::redis
