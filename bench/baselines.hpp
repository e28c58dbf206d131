// What cachet is compared against, in the same binary and the same run:
//   MapCache, ListMap, SetMap  the floor: a std::unordered_map behind one std::mutex, with no
//                              TTL, no bound and no key pattern (the caller still builds
//                              the stored key, as a keyspace does);
//   HandLru                    the LRU people write by hand: one mutex, std::list + map;
//   RawRedis                   redis-server through raw hiredis calls;
//   ShardedAbslMap             64 absl::flat_hash_maps, a mutex each (sharded_map.hpp, with absl);
//   Caffeine                   the JVM's cache, in a child process (caffeine.hpp, CaffeineBench.java);
//   HandOver                   no cache at all: calls that each wait until another thread answers
//                              them, the hand-over of the multiplexing rows without the network.
// The maps look keys up by std::string_view (C++20 heterogeneous lookup), so the floor pays
// no allocation to build a key either: it is as fast as a plain map can be made.
#pragma once

#include "backends/redis/redis_url.hpp"
#include "engine/url.hpp"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace bench {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
struct StringEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, StringEqual>;

// std::unordered_map<std::string, std::string> behind a mutex: get, set, and INCRBY on
// decimal text (stored as text, as cachet and Redis store integers).
class MapCache {
 public:
  explicit MapCache(std::size_t expected_keys = 0) { map_.reserve(expected_keys); }

  std::optional<std::string> get(std::string_view key) {
    std::lock_guard lock(mutex_);
    const auto it = map_.find(key);
    if (it == map_.end()) return std::nullopt;
    return it->second;  // a copy, as every cache answer is
  }
  void set(std::string_view key, std::string_view value) {
    std::lock_guard lock(mutex_);
    const auto it = map_.find(key);
    if (it == map_.end()) map_.emplace(std::string(key), std::string(value));
    else it->second.assign(value);
  }
  std::optional<std::int64_t> increment(std::string_view key, std::int64_t delta) {
    std::lock_guard lock(mutex_);
    auto it = map_.find(key);
    if (it == map_.end()) it = map_.emplace(std::string(key), std::string("0")).first;
    std::int64_t n = 0;
    const std::string& text = it->second;
    if (std::from_chars(text.data(), text.data() + text.size(), n).ec != std::errc()) return std::nullopt;
    n += delta;
    char buffer[24];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, n).ptr;
    it->second.assign(buffer, end);
    return n;
  }
  std::size_t size() {
    std::lock_guard lock(mutex_);
    return map_.size();
  }

 private:
  std::mutex mutex_;
  StringMap<std::string> map_;
};

// Lists as std::deque per key: LPUSH.
class ListMap {
 public:
  std::size_t push_left(std::string_view key, std::string_view value) {
    std::lock_guard lock(mutex_);
    auto it = map_.find(key);
    if (it == map_.end()) it = map_.emplace(std::string(key), std::deque<std::string>()).first;
    it->second.emplace_front(value);
    return it->second.size();
  }
  void clear() {
    std::lock_guard lock(mutex_);
    map_.clear();
  }

 private:
  std::mutex mutex_;
  StringMap<std::deque<std::string>> map_;
};

// Sets as std::unordered_set per key: SADD of one member.
class SetMap {
 public:
  using Members = std::unordered_set<std::string, StringHash, StringEqual>;
  std::size_t add(std::string_view key, std::string_view member) {
    std::lock_guard lock(mutex_);
    auto it = map_.find(key);
    if (it == map_.end()) it = map_.emplace(std::string(key), Members()).first;
    if (it->second.find(member) != it->second.end()) return 0;
    it->second.emplace(member);
    return 1;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    map_.clear();
  }

 private:
  std::mutex mutex_;
  StringMap<Members> map_;
};

// The hand-rolled LRU: one mutex; a std::list in recency order (front: most recent) and a
// map from key to list position. A hit moves the entry to the front; an insert into a full
// cache evicts the back.
class HandLru {
 public:
  explicit HandLru(std::size_t capacity) : capacity_(capacity) { index_.reserve(capacity); }

  std::optional<std::string> get(std::string_view key) {
    std::lock_guard lock(mutex_);
    const auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    items_.splice(items_.begin(), items_, it->second);
    return it->second->second;
  }
  void set(std::string_view key, std::string_view value) {
    std::lock_guard lock(mutex_);
    if (const auto it = index_.find(key); it != index_.end()) {
      it->second->second.assign(value);
      items_.splice(items_.begin(), items_, it->second);
      return;
    }
    if (index_.size() >= capacity_) {
      index_.erase(items_.back().first);
      items_.pop_back();
      ++evictions_;
    }
    items_.emplace_front(std::string(key), std::string(value));
    index_.emplace(items_.front().first, items_.begin());
  }
  std::size_t size() {
    std::lock_guard lock(mutex_);
    return index_.size();
  }
  std::uint64_t evictions() {
    std::lock_guard lock(mutex_);
    return evictions_;
  }

 private:
  using Item = std::pair<std::string, std::string>;
  std::mutex mutex_;
  std::list<Item> items_;
  StringMap<std::list<Item>::iterator> index_;
  std::size_t capacity_;
  std::uint64_t evictions_ = 0;
};

// One hiredis connection, used the way a program calling hiredis directly would.
class RawRedis {
 public:
  explicit RawRedis(const cachet::redis::RedisOptions& o) {
    const timeval timeout{5, 0};
    context_ = o.socket_path.empty() ? redisConnectWithTimeout(o.host.c_str(), o.port, timeout)
                                     : redisConnectUnixWithTimeout(o.socket_path.c_str(), timeout);
    if (context_ == nullptr || context_->err) {
      const std::string why = context_ ? context_->errstr : "out of memory";
      if (context_) redisFree(context_);
      context_ = nullptr;
      throw std::runtime_error("cannot connect to redis: " + why);
    }
    redisSetTimeout(context_, timeout);
    if (!o.password.empty()) {
      const auto auth = o.user.empty() ? command({"AUTH", o.password}) : command({"AUTH", o.user, o.password});
      expect_status(auth.get(), "AUTH");
    }
    if (o.db != 0) expect_status(command({"SELECT", std::to_string(o.db)}).get(), "SELECT");
  }
  RawRedis(const RawRedis&) = delete;
  RawRedis& operator=(const RawRedis&) = delete;
  ~RawRedis() {
    if (context_) redisFree(context_);
  }

  struct FreeReply {
    void operator()(redisReply* r) const { freeReplyObject(r); }
  };
  using Reply = std::unique_ptr<redisReply, FreeReply>;

  // GET via redisCommand's format string, the value copied out as a caller would.
  std::optional<std::string> get(std::string_view key) {
    Reply r(static_cast<redisReply*>(redisCommand(context_, "GET %b", key.data(), key.size())));
    check(r.get(), "GET");
    if (r->type != REDIS_REPLY_STRING) return std::nullopt;
    return std::string(r->str, r->len);
  }
  bool set(std::string_view key, std::string_view value) {
    Reply r(static_cast<redisReply*>(
        redisCommand(context_, "SET %b %b", key.data(), key.size(), value.data(), value.size())));
    check(r.get(), "SET");
    return r->type == REDIS_REPLY_STATUS;
  }
  // One MGET of all the keys, the values copied out as a caller would; answers how many
  // were present.
  std::size_t mget(std::span<const std::string> keys) {
    argv_.assign(1, "MGET");
    lengths_.assign(1, 4);
    for (const auto& k : keys) {
      argv_.push_back(k.data());
      lengths_.push_back(k.size());
    }
    Reply r(static_cast<redisReply*>(redisCommandArgv(context_, int(argv_.size()), argv_.data(), lengths_.data())));
    check(r.get(), "MGET");
    values_.clear();
    values_.reserve(r->elements);
    std::size_t present = 0;
    for (std::size_t i = 0; i < r->elements; ++i) {
      const redisReply* e = r->element[i];
      if (e->type == REDIS_REPLY_STRING) {
        values_.emplace_back(std::in_place, e->str, e->len);
        ++present;
      } else {
        values_.emplace_back(std::nullopt);
      }
    }
    return present;
  }
  // A pipelined batch of GETs: all sent, then all read, the values copied out; answers how
  // many were present.
  std::size_t pipelined_gets(std::span<const std::string> keys) {
    for (const auto& k : keys) redisAppendCommand(context_, "GET %b", k.data(), k.size());
    values_.clear();
    values_.reserve(keys.size());
    std::size_t present = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      void* raw = nullptr;
      if (redisGetReply(context_, &raw) != REDIS_OK) throw std::runtime_error("redis: GET batch failed");
      Reply r(static_cast<redisReply*>(raw));
      if (r->type == REDIS_REPLY_STRING) {
        values_.emplace_back(std::in_place, r->str, r->len);
        ++present;
      } else {
        values_.emplace_back(std::nullopt);
      }
    }
    return present;
  }
  // The values of the last batch (mget or pipelined_gets), nullopt for a missing key.
  const std::vector<std::optional<std::string>>& values() const { return values_; }
  // Pipelined SETs of every key, `batch` per round trip (loading data, not a measurement).
  void load(std::span<const std::string_view> keys, const std::vector<std::string>& values, std::size_t batch = 1000) {
    for (std::size_t start = 0; start < keys.size(); start += batch) {
      const std::size_t end = std::min(keys.size(), start + batch);
      for (std::size_t i = start; i < end; ++i) {
        const auto& v = values[i % values.size()];
        redisAppendCommand(context_, "SET %b %b", keys[i].data(), keys[i].size(), v.data(), v.size());
      }
      for (std::size_t i = start; i < end; ++i) {
        void* raw = nullptr;
        if (redisGetReply(context_, &raw) != REDIS_OK) throw std::runtime_error("redis: SET batch failed");
        Reply r(static_cast<redisReply*>(raw));
        expect_status(r.get(), "SET");
      }
    }
  }

  // HSET key field value for each pair, pipelined `batch` commands at a time.
  void hset_load(std::string_view key, std::span<const std::string> fields, std::span<const std::string> values,
                 std::size_t batch = 1000) {
    for (std::size_t start = 0; start < fields.size(); start += batch) {
      const std::size_t end = std::min(fields.size(), start + batch);
      for (std::size_t i = start; i < end; ++i) {
        redisAppendCommand(context_, "HSET %b %b %b", key.data(), key.size(), fields[i].data(), fields[i].size(),
                           values[i].data(), values[i].size());
      }
      for (std::size_t i = start; i < end; ++i) {
        void* reply = nullptr;
        if (redisGetReply(context_, &reply) != REDIS_OK) throw std::runtime_error("redis: HSET (load) failed");
        Reply r(static_cast<redisReply*>(reply));
        check(r.get(), "HSET");
      }
    }
  }
  Reply command(std::initializer_list<std::string> args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    Reply r(static_cast<redisReply*>(redisCommandArgv(context_, int(argv.size()), argv.data(), lengths.data())));
    check(r.get(), *args.begin());
    return r;
  }
  // A field of INFO (e.g. "used_memory"), as text; empty when absent.
  std::string info_field(const std::string& section, std::string_view field) {
    const auto r = command({"INFO", section});
    const std::string_view text(r->str, r->len);
    const std::string needle = std::string(field) + ":";
    for (std::size_t pos = 0; pos < text.size();) {
      const std::size_t eol = std::min(text.find("\r\n", pos), text.size());
      const std::string_view line = text.substr(pos, eol - pos);
      if (line.starts_with(needle)) return std::string(line.substr(needle.size()));
      pos = eol + 2;
    }
    return {};
  }
  void flushdb() { expect_status(command({"FLUSHDB"}).get(), "FLUSHDB"); }

 private:
  void check(const redisReply* r, const std::string& what) const {
    if (r == nullptr) {
      throw std::runtime_error("redis: " + what + ": " + (context_->errstr[0] ? context_->errstr : "no reply"));
    }
    if (r->type == REDIS_REPLY_ERROR) throw std::runtime_error("redis: " + what + ": " + std::string(r->str, r->len));
  }
  void expect_status(const redisReply* r, const std::string& what) const {
    check(r, what);
    if (r->type != REDIS_REPLY_STATUS) throw std::runtime_error("redis: " + what + ": unexpected reply");
  }

  redisContext* context_ = nullptr;
  std::vector<const char*> argv_;
  std::vector<std::size_t> lengths_;
  std::vector<std::optional<std::string>> values_;
};

}  // namespace bench

namespace bench {

// The hand-over alone, as calls sharing a pipelined connection make it: callers post
// themselves and wait (std::atomic::wait: a short spin, then a futex), and one answering thread
// takes every posted call at once and wakes each; no network, no server. call() is one such
// call. Against one blocking connection per thread it shows how much of a shared connection's
// cost is the waking of its callers, and how much is the round trip to the server.
class HandOver {
 public:
  HandOver() : answerer_([this] { answer(); }) {}
  ~HandOver() {
    stop_.store(true);
    posted_.fetch_add(1);
    posted_.notify_one();
    answerer_.join();
  }
  HandOver(const HandOver&) = delete;
  HandOver& operator=(const HandOver&) = delete;

  void call() {
    thread_local std::atomic<std::uint32_t> answered{0};
    answered.store(0, std::memory_order_relaxed);
    {
      std::lock_guard hold(mutex_);
      queue_.push_back(&answered);
    }
    posted_.fetch_add(1, std::memory_order_release);
    posted_.notify_one();
    answered.wait(0, std::memory_order_acquire);
  }

 private:
  void answer() {
    std::vector<std::atomic<std::uint32_t>*> batch;
    while (!stop_.load()) {
      const std::uint32_t seen = posted_.load(std::memory_order_acquire);
      {
        std::lock_guard hold(mutex_);
        batch.swap(queue_);
      }
      if (batch.empty()) {
        posted_.wait(seen, std::memory_order_acquire);
        continue;
      }
      for (auto* answered : batch) {
        answered->store(1, std::memory_order_release);
        answered->notify_one();
      }
      batch.clear();
    }
  }

  std::mutex mutex_;
  std::vector<std::atomic<std::uint32_t>*> queue_;
  std::atomic<std::uint32_t> posted_{0};
  std::atomic<bool> stop_{false};
  std::thread answerer_;
};

}  // namespace bench
