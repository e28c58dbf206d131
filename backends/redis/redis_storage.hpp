// The Redis backend: every Storage primitive as one round trip to a Redis server, giving the
// memory backend's answers (values, Errc codes, misses) and leaving the same TTLs.
//
// Reads and SET-family writes are single commands (SET ... PX n | KEEPTTL, NX/XX/GET). Every
// other write that carries an expiry runs inside one Lua script (EVALSHA) with its PEXPIRE
// or PERSIST, because MULTI/EXEC cannot match the memory backend: Redis runs the expiry even
// after the command failed (WRONGTYPE, not an integer, LSET out of range) or did nothing
// (LINSERT without its pivot, LMOVE or SMOVE from a missing key), and a TTL of 0 would then
// delete a key the memory backend keeps. A write whose expiry keeps TTLs is sent alone.
#pragma once

#include "command.hpp"
#include "connection_pool.hpp"
#include "engine/storage.hpp"
#include "redis_url.hpp"
#include "reply.hpp"

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cachet::redis {

class RedisStorage final : public engine::Storage,
                           engine::KeyStorage,
                           engine::StringStorage,
                           engine::ListStorage,
                           engine::SetStorage {
 public:
  // Connects lazily: nothing is dialled before the first operation.
  explicit RedisStorage(const RedisOptions& options);

  Result<void> ping() override;
  Result<void> clear() override;

  // Round trips made so far. Every operation makes exactly one, except clear() (one per SCAN
  // page) and a write that finds the server's script cache flushed (two).
  std::uint64_t round_trips() const { return round_trips_.load(std::memory_order_relaxed); }

 private:
  Result<std::int64_t> del(std::span<const std::string> keys) override;
  Result<std::optional<std::chrono::milliseconds>> pttl(std::string_view key) override;

  Result<std::string> get(std::string_view key) override;
  Result<std::vector<std::optional<std::string>>> mget(std::span<const std::string> keys) override;
  Result<bool> set(std::string_view key, std::string_view value, engine::SetCondition condition,
                   engine::ExpiryAction expiry) override;
  Result<std::optional<std::string>> set_get(std::string_view key, std::string_view value,
                                             engine::ExpiryAction expiry) override;
  Result<void> mset(std::span<const engine::KeyValue> pairs, engine::ExpiryAction expiry) override;
  Result<std::string> getdel(std::string_view key) override;
  Result<std::int64_t> append(std::string_view key, std::string_view value, engine::ExpiryAction expiry) override;
  Result<std::string> getrange(std::string_view key, std::int64_t start, std::int64_t end) override;
  Result<std::int64_t> setrange(std::string_view key, std::int64_t offset, std::string_view value,
                                engine::ExpiryAction expiry) override;
  Result<std::int64_t> strlen(std::string_view key) override;
  Result<std::int64_t> incrby(std::string_view key, std::int64_t delta, engine::ExpiryAction expiry) override;
  Result<double> incrbyfloat(std::string_view key, double delta, engine::ExpiryAction expiry) override;

  Result<std::int64_t> push(std::string_view key, ListPos end, std::span<const std::string> values,
                            engine::ExpiryAction expiry) override;
  Result<std::string> pop(std::string_view key, ListPos end, engine::ExpiryAction expiry) override;
  Result<std::int64_t> llen(std::string_view key) override;
  Result<void> ltrim(std::string_view key, std::int64_t start, std::int64_t stop, engine::ExpiryAction expiry) override;
  Result<void> lset(std::string_view key, std::int64_t index, std::string_view value,
                    engine::ExpiryAction expiry) override;
  Result<std::string> lindex(std::string_view key, std::int64_t index) override;
  Result<std::vector<std::string>> lrange(std::string_view key, std::int64_t start, std::int64_t stop) override;
  Result<std::int64_t> linsert(std::string_view key, bool before, std::string_view pivot, std::string_view value,
                               engine::ExpiryAction expiry) override;
  Result<std::int64_t> lrem(std::string_view key, std::int64_t count, std::string_view value,
                            engine::ExpiryAction expiry) override;
  Result<std::string> lmove(std::string_view source, std::string_view destination, ListPos from,
                            ListPos to, engine::ExpiryAction expiry) override;

  Result<std::int64_t> sadd(std::string_view key, std::span<const std::string> members,
                            engine::ExpiryAction expiry) override;
  Result<std::int64_t> srem(std::string_view key, std::span<const std::string> members,
                            engine::ExpiryAction expiry) override;
  Result<std::vector<std::string>> spop(std::string_view key, std::int64_t count, engine::ExpiryAction expiry) override;
  Result<bool> sismember(std::string_view key, std::string_view member) override;
  Result<std::int64_t> scard(std::string_view key) override;
  Result<std::vector<std::string>> smembers(std::string_view key) override;
  Result<std::vector<std::string>> set_algebra(engine::SetAlgebra op, std::span<const std::string> keys) override;
  Result<std::int64_t> set_algebra_store(engine::SetAlgebra op, std::string_view destination,
                                         std::span<const std::string> keys, engine::ExpiryAction expiry) override;
  Result<std::vector<std::string>> srandmember(std::string_view key, std::int64_t count) override;
  Result<bool> smove(std::string_view source, std::string_view destination, std::string_view member,
                     engine::ExpiryAction expiry) override;

  // When a write counts as done, so that its expiry applies (the write script's ARGV[2]).
  enum class Written : std::uint8_t {
    always,       // whenever the command succeeds
    found,        // unless it answers nil (LMOVE from a missing list moves nothing)
    inserted,     // when it answers a positive length (LINSERT: -1 no pivot, 0 no list)
    from_source,  // when the first key existed (SMOVE from a missing set touches nothing)
    counter,      // always, and the answer is the key's value (INCRBY; see the script)
  };

  // A command on one key, under the key prefix.
  Command on(std::string_view name, std::string_view key) const;
  // A command on many keys (DEL, MGET, SDIFF, ...).
  Command on_keys(std::string_view name, std::span<const std::string> keys) const;
  // `name key values...`, cut into commands of a bounded number of values (see the script).
  std::vector<Command> variadic(std::string_view name, std::string_view key, std::span<const std::string> values) const;

  // One round trip on a leased connection; counts it.
  Result<std::vector<ReplyPtr>> exchange(ConnectionPool::Lease& lease, std::span<const Command> commands);
  // One command in one round trip.
  Result<ReplyPtr> call(const Command& command);
  template <class T>
  Result<T> read(const Command& command, Result<T> (*decode)(const redisReply&));

  // A write and its expiry in one round trip: the commands alone when the expiry keeps TTLs
  // and there is one command, else the write script, which applies the expiry to `keys`
  // once the write counts as done. Answers one reply per command.
  Result<Replies> write(std::span<const Command> commands, std::span<const std::string_view> keys, Written written,
                        engine::ExpiryAction expiry);
  Result<Replies> write(const Command& command, std::string_view key, Written written, engine::ExpiryAction expiry);

  const std::string prefix_;
  ConnectionPool pool_;
  std::atomic<std::uint64_t> round_trips_{0};
};

}  // namespace cachet::redis
