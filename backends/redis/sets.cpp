// The set primitives on the server: SADD and SREM (chunked inside the write script), SPOP,
// SRANDMEMBER, the algebra (SDIFF, SINTER, SUNION and their STORE forms), SMOVE.
#include "sets.hpp"

#include <algorithm>
#include <unordered_set>

namespace cachet::redis {

using engine::ExpiryAction;
using engine::SetAlgebra;

namespace {

std::string_view algebra_command(SetAlgebra op, bool store) {
  switch (op) {
    case SetAlgebra::diff: return store ? "SDIFFSTORE" : "SDIFF";
    case SetAlgebra::intersect: return store ? "SINTERSTORE" : "SINTER";
    case SetAlgebra::union_: return store ? "SUNIONSTORE" : "SUNION";
  }
  return "SUNION";
}

// SDIFF, SINTER or SUNION of sets read one by one.
std::vector<std::string> combine(SetAlgebra op, std::vector<std::vector<std::string>> sets) {
  std::unordered_set<std::string> result(sets.front().begin(), sets.front().end());
  for (std::size_t i = 1; i < sets.size(); ++i) {
    if (op == SetAlgebra::union_) {
      result.insert(sets[i].begin(), sets[i].end());
    } else if (op == SetAlgebra::diff) {
      for (const auto& m : sets[i]) result.erase(m);
    } else {
      const std::unordered_set<std::string> other(sets[i].begin(), sets[i].end());
      std::erase_if(result, [&](const std::string& m) { return !other.contains(m); });
    }
  }
  return {result.begin(), result.end()};
}

}  // namespace

Result<std::int64_t> RedisSets::sadd(std::string_view key, std::span<const std::string> members, ExpiryAction expiry) {
  if (members.empty()) {  // adds nothing and sets no TTL; still WRONGTYPE for a key of another type
    auto card = client_.read(client_.on("SCARD", key), integer);
    if (!card) return card;
    return 0;
  }
  return total(client_.write(client_.variadic("SADD", key, members), {&key, 1}, Written::always, expiry));
}

Result<std::int64_t> RedisSets::srem(std::string_view key, std::span<const std::string> members, ExpiryAction expiry) {
  if (members.empty()) {  // removes nothing, yet an existing set takes the expiry as after any SREM
    auto card = answer(client_.write(client_.on("SCARD", key), key, Written::always, expiry), integer);
    if (!card) return card;
    return 0;
  }
  return total(client_.write(client_.variadic("SREM", key, members), {&key, 1}, Written::always, expiry));
}

Result<std::vector<std::string>> RedisSets::spop(std::string_view key, std::int64_t count, ExpiryAction expiry) {
  if (count < 0) return fail(Errc::out_of_range, "count must not be negative");
  // Popping none takes nothing and leaves the TTL alone (still WRONGTYPE for another type).
  if (count == 0) return client_.read(client_.on("SPOP", key).arg(std::int64_t(0)), redis::strings);
  return answer(client_.write(client_.on("SPOP", key).arg(count), key, Written::always, expiry), redis::strings);
}

Result<bool> RedisSets::sismember(std::string_view key, std::string_view member) {
  auto found = client_.read(client_.on("SISMEMBER", key).arg(member), integer);
  if (!found) return std::unexpected(std::move(found.error()));
  return *found == 1;
}

Result<std::int64_t> RedisSets::scard(std::string_view key) {
  return client_.read(client_.on("SCARD", key), integer);
}

Result<std::vector<std::string>> RedisSets::smembers(std::string_view key) {
  return client_.read(client_.on("SMEMBERS", key), redis::strings);
}

Result<std::vector<std::string>> RedisSets::set_algebra(SetAlgebra op, std::span<const std::string> keys) {
  if (keys.empty()) return std::vector<std::string>();
  const auto groups = client_.by_slot(keys);
  if (groups.size() == 1) return client_.read(client_.on_keys(algebra_command(op, false), keys), redis::strings);
  // On a cluster, keys in several slots: each set's members (the slots of a node in one round
  // trip), then the algebra here.
  auto sets = client_.read_each<std::vector<std::string>>(
      keys, groups, [&](std::string_view key) { return client_.on("SMEMBERS", key); }, redis::strings);
  if (!sets) return std::unexpected(std::move(sets.error()));
  return combine(op, std::move(*sets));
}

Result<std::int64_t> RedisSets::set_algebra_store(SetAlgebra op, std::string_view destination,
                                                  std::span<const std::string> keys, ExpiryAction expiry) {
  // The store script (write_script.hpp): every key declared, the sources in chunks.
  return client_.store(store_script, algebra_command(op, true), destination, keys, op == SetAlgebra::diff, expiry);
}

Result<std::vector<std::string>> RedisSets::srandmember(std::string_view key, std::int64_t count) {
  if (count < -engine::max_random_members) {
    // More draws than any answer may hold: refused for a set, empty for no key, as in memory.
    auto card = client_.read(client_.on("SCARD", key), integer);
    if (!card) return std::unexpected(std::move(card.error()));
    if (*card > 0) return fail(Errc::out_of_range, "count is too large");
    return std::vector<std::string>();
  }
  return client_.read(client_.on("SRANDMEMBER", key).arg(count), redis::strings);
}

Result<bool> RedisSets::smove(std::string_view source, std::string_view destination, std::string_view member,
                              ExpiryAction expiry) {
  const std::string_view keys[] = {source, destination};
  const Command command = std::move(client_.on("SMOVE", source).key(client_.prefix(), destination).arg(member));
  auto moved = answer(client_.write({&command, 1}, distinct(keys), Written::from_source, expiry), integer);
  if (!moved) return std::unexpected(std::move(moved.error()));
  return *moved == 1;
}

}  // namespace cachet::redis
