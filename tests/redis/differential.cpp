// The memory backend and Redis, fed the same random operations, give the same answers and
// hold the same keys, types, values and TTLs afterwards (PTTL, EXISTS, PEXPIRE/PERSIST and GETEX
// included), for strings, lists, sets and hashes.
#include "support.hpp"

#include "backends/memory/memory_storage.hpp"

#include <algorithm>
#include <random>
#include <sstream>
#include <thread>

using namespace redis_test;
using cachet::engine::KeyValue;
using cachet::ListPos;
using cachet::engine::SetAlgebra;
using cachet::engine::SetCondition;
using cachet::engine::ScoredMember;
using cachet::engine::ZAddMode;
using cachet::engine::ZScoreBound;
using cachet::engine::Storage;
using Strings = std::vector<std::string>;
using namespace std::chrono_literals;

namespace {

// ---- printing answers -----------------------------------------------------------------------

std::string show(const std::string& s) { return '"' + s + '"'; }
std::string show(std::int64_t n) { return std::to_string(n); }
std::string show(bool b) { return b ? "true" : "false"; }
std::string show(double d) {
  std::ostringstream os;
  os.precision(17);
  os << d;
  return os.str();
}
std::string show(const std::optional<std::string>& s) { return s ? show(*s) : "nil"; }
std::string show(const Strings& v) {
  std::string out = "[";
  for (const auto& s : v) out += show(s) + " ";
  return out + "]";
}
std::string show(const std::vector<std::optional<std::string>>& v) {
  std::string out = "[";
  for (const auto& s : v) out += show(s) + " ";
  return out + "]";
}
std::string show(const std::vector<cachet::engine::FieldValue>& v) {
  std::string out = "{";
  for (const auto& p : v) out += show(p.field) + ": " + show(p.value) + " ";
  return out + "}";
}
std::string show(const std::optional<double>& d) { return d ? show(*d) : "nil"; }
std::string show(const std::optional<std::int64_t>& n) { return n ? show(*n) : "nil"; }
std::string show(const std::vector<std::optional<double>>& v) {
  std::string out = "[";
  for (const auto& d : v) out += show(d) + " ";
  return out + "]";
}
std::string show(const std::vector<ScoredMember>& v) {
  std::string out = "[";
  for (const auto& m : v) out += show(m.member) + "=" + show(m.score) + " ";
  return out + "]";
}
template <class T>
std::string show(const cachet::Result<T>& r) {
  if (!r) return std::string("error ") + std::string(cachet::errc_name(r.error().code)) + " (" + r.error().message + ")";
  if constexpr (std::is_void_v<T>) return "ok";
  else return show(*r);
}

// ---- the run --------------------------------------------------------------------------------

class Run {
 public:
  explicit Run(std::uint64_t seed) : random_(seed), redis_(main_options(db_diff, "diff:")) {
    RawRedis(main_options(), db_diff).command({"FLUSHDB"});
  }
  // On a Redis Cluster: the keys under one hash tag, so that moves and stores stay in one slot.
  Run(std::uint64_t seed, RedisOptions cluster)
      : names_{"{d}a", "{d}b", "{d}c", "{d}d"}, random_(seed), redis_((cluster.key_prefix = "diff:", cluster)) {
    redis_.clear().value();
  }

  void step(int number) {
    step_ = number;
    const int op = pick(0, 56 + hash_ops);
    const std::string k = key(), k2 = key(), v = value();
    const ExpiryAction e = expiry();
    switch (op) {
      case 0: { const Strings ks = keys(); same("del", [&](Storage& s) { return s.keys().del(ks); }); break; }
      case 1: same("get " + k, [&](Storage& s) { return s.strings()->get(k); }); break;
      case 2: { const Strings ks = keys(); same("mget", [&](Storage& s) { return s.strings()->mget(ks); }); break; }
      case 3: case 4: {
        const auto c = SetCondition(pick(0, 2));
        same("set " + k + " " + v, [&](Storage& s) { return s.strings()->set(k, v, c, e); });
        break;
      }
      case 5: same("set_get " + k, [&](Storage& s) { return s.strings()->set_get(k, v, e); }); break;
      case 6: {
        std::vector<KeyValue> pairs;
        for (int i = pick(1, 3); i > 0; --i) pairs.push_back({key(), value()});
        same("mset", [&](Storage& s) { return s.strings()->mset(pairs, e); });
        break;
      }
      case 7: same("getdel " + k, [&](Storage& s) { return s.strings()->getdel(k); }); break;
      case 8: same("append " + k, [&](Storage& s) { return s.strings()->append(k, v, e); }); break;
      case 9: {
        const std::int64_t a = pick(-6, 6), b = pick(-6, 6);
        same("getrange " + k, [&](Storage& s) { return s.strings()->getrange(k, a, b); });
        break;
      }
      case 10: {
        const std::int64_t at = pick(-1, 6);
        same("setrange " + k, [&](Storage& s) { return s.strings()->setrange(k, at, v, e); });
        break;
      }
      case 11: same("strlen " + k, [&](Storage& s) { return s.strings()->strlen(k); }); break;
      case 12: case 13: {
        const std::int64_t by = pick(0, 9) == 0 ? std::numeric_limits<std::int64_t>::max() - 3 : pick(-3, 5);
        same("incrby " + k, [&](Storage& s) { return s.strings()->incrby(k, by, e); });
        break;
      }
      case 14: {
        const double by = std::array{1.5, -0.25, 3.0, 1e308}[std::size_t(pick(0, 3))];
        same("incrbyfloat " + k, [&](Storage& s) { return s.strings()->incrbyfloat(k, by, e); });
        break;
      }
      case 15: case 16: {
        const Strings vs = values();
        const auto end = cachet::ListPos(pick(0, 1));
        same("push " + k, [&](Storage& s) { return s.lists()->push(k, end, vs, e); });
        break;
      }
      case 17: {
        const auto end = cachet::ListPos(pick(0, 1));
        same("pop " + k, [&](Storage& s) { return s.lists()->pop(k, end, e); });
        break;
      }
      case 18: same("llen " + k, [&](Storage& s) { return s.lists()->llen(k); }); break;
      case 19: {
        const std::int64_t a = pick(-4, 4), b = pick(-4, 4);
        same("ltrim " + k, [&](Storage& s) { return s.lists()->ltrim(k, a, b, e); });
        break;
      }
      case 20: {
        const std::int64_t i = pick(-4, 4);
        same("lset " + k, [&](Storage& s) { return s.lists()->lset(k, i, v, e); });
        break;
      }
      case 21: {
        const std::int64_t i = pick(-4, 4);
        same("lindex " + k, [&](Storage& s) { return s.lists()->lindex(k, i); });
        break;
      }
      case 22: {
        const std::int64_t a = pick(-4, 4), b = pick(-4, 4);
        same("lrange " + k, [&](Storage& s) { return s.lists()->lrange(k, a, b); });
        break;
      }
      case 23: {
        const std::string pivot = value();
        const bool before = pick(0, 1) == 1;
        same("linsert " + k, [&](Storage& s) { return s.lists()->linsert(k, before, pivot, v, e); });
        break;
      }
      case 24: {
        const std::int64_t count = pick(-2, 2);
        same("lrem " + k, [&](Storage& s) { return s.lists()->lrem(k, count, v, e); });
        break;
      }
      case 25: {
        const auto from = cachet::ListPos(pick(0, 1)), to = cachet::ListPos(pick(0, 1));
        same("lmove " + k + " " + k2, [&](Storage& s) { return s.lists()->lmove(k, k2, from, to, e); });
        break;
      }
      case 26: case 27: {
        const Strings ms = values();
        same("sadd " + k, [&](Storage& s) { return s.sets()->sadd(k, ms, e); });
        break;
      }
      case 28: {
        const Strings ms = values();
        same("srem " + k, [&](Storage& s) { return s.sets()->srem(k, ms, e); });
        break;
      }
      case 29: {
        // Redis and memory pop different members: compare how many, then copy Redis's set.
        const std::int64_t count = pick(-1, 3);
        auto m = memory_.sets()->spop(k, count, e);
        auto r = redis_.sets()->spop(k, count, e);
        agree("spop " + k, m.has_value() == r.has_value() && (!m || m->size() == r->size()) &&
                               (m || m.error().code == r.error().code),
              show(m), show(r));
        if (r) copy_set_from_redis(k);
        break;
      }
      case 30: same("sismember " + k, [&](Storage& s) { return s.sets()->sismember(k, v); }); break;
      case 31: same("scard " + k, [&](Storage& s) { return s.sets()->scard(k); }); break;
      case 32: same("smembers " + k, [&](Storage& s) { return sorted_result(s.sets()->smembers(k)); }); break;
      case 33: {
        const Strings ks = keys();
        const auto op = SetAlgebra(pick(0, 2));
        same("set_algebra", [&](Storage& s) { return sorted_result(s.sets()->set_algebra(op, ks)); });
        break;
      }
      case 34: {
        const Strings ks = keys();
        const auto op = SetAlgebra(pick(0, 2));
        same("set_algebra_store " + k, [&](Storage& s) { return s.sets()->set_algebra_store(op, k, ks, e); });
        break;
      }
      case 35: {
        const std::int64_t count = pick(-3, 3);
        auto m = memory_.sets()->srandmember(k, count);
        auto r = redis_.sets()->srandmember(k, count);
        agree("srandmember " + k, m.has_value() == r.has_value() && (!m || m->size() == r->size()) &&
                                      (m || m.error().code == r.error().code),
              show(m), show(r));
        break;
      }
      case 36: same("smove " + k + " " + k2, [&](Storage& s) { return s.sets()->smove(k, k2, v, e); }); break;
      case 37: same("exists " + k, [&](Storage& s) { return s.keys().exists(k); }); break;
      case 38: same("expire " + k, [&](Storage& s) { return s.keys().expire(k, e); }); break;
      case 39: same("getex " + k, [&](Storage& s) { return s.strings()->getex(k, e); }); break;
      case 40: same_ttl("pttl " + k, k); break;
      case 41: case 42: {
        const auto members = scored();
        const auto mode = ZAddMode(pick(0, 4));
        same("zadd " + k, [&](Storage& s) { return s.sorted_sets()->zadd(k, members, mode, e); });
        break;
      }
      case 43: {
        const double by = std::array{1.0, -1.0, 0.5, inf, -inf}[std::size_t(pick(0, 4))];
        same("zincrby " + k + " " + v, [&](Storage& s) { return s.sorted_sets()->zincrby(k, v, by, e); });
        break;
      }
      case 44: same("zscore " + k, [&](Storage& s) { return s.sorted_sets()->zscore(k, v); }); break;
      case 45: {
        const Strings ms = values();
        same("zmscore " + k, [&](Storage& s) { return s.sorted_sets()->zmscore(k, ms); });
        break;
      }
      case 46: {
        const bool rev = pick(0, 1) == 1;
        same("zrank " + k, [&](Storage& s) { return s.sorted_sets()->zrank(k, v, rev); });
        break;
      }
      case 47: {
        const std::int64_t a = pick(-5, 5), b = pick(-5, 5);
        const bool rev = pick(0, 1) == 1;
        same("zrange " + k, [&](Storage& s) { return s.sorted_sets()->zrange(k, a, b, rev); });
        break;
      }
      case 48: {
        const ZScoreBound low = bound(), high = bound();
        const std::int64_t offset = pick(-1, 3), count = pick(-2, 3);
        const bool rev = pick(0, 1) == 1;
        same("zrange_by_score " + k,
             [&](Storage& s) { return s.sorted_sets()->zrange_by_score(k, low, high, offset, count, rev); });
        break;
      }
      case 49: {
        const ZScoreBound low = bound(), high = bound();
        same("zcount " + k, [&](Storage& s) { return s.sorted_sets()->zcount(k, low, high); });
        break;
      }
      case 50: {
        const Strings ms = values();
        same("zrem " + k, [&](Storage& s) { return s.sorted_sets()->zrem(k, ms, e); });
        break;
      }
      case 51: {
        const std::int64_t a = pick(-5, 5), b = pick(-5, 5);
        same("zremrangebyrank " + k, [&](Storage& s) { return s.sorted_sets()->zremrange_by_rank(k, a, b, e); });
        break;
      }
      case 52: {
        const ZScoreBound low = bound(), high = bound();
        same("zremrangebyscore " + k, [&](Storage& s) { return s.sorted_sets()->zremrange_by_score(k, low, high, e); });
        break;
      }
      case 53: {
        const std::int64_t count = pick(-1, 3);
        const bool max = pick(0, 1) == 1;
        same("zpop " + k, [&](Storage& s) { return s.sorted_sets()->zpop(k, count, max, e); });
        break;
      }
      case 54: {
        const Strings ks = keys();
        const auto op = SetAlgebra(pick(0, 2));
        same("zset_algebra", [&](Storage& s) { return s.sorted_sets()->zset_algebra(op, ks); });
        break;
      }
      case 55: {
        const Strings ks = keys();
        const auto op = SetAlgebra(pick(0, 2));
        same("zset_algebra_store " + k, [&](Storage& s) { return s.sorted_sets()->zset_algebra_store(op, k, ks, e); });
        break;
      }
      case 56: {
        const std::int64_t count = pick(-3, 3);
        auto m = memory_.sorted_sets()->zrandmember(k, count);
        auto r = redis_.sorted_sets()->zrandmember(k, count);
        agree("zrandmember " + k, m.has_value() == r.has_value() && (!m || m->size() == r->size()) &&
                                      (m || m.error().code == r.error().code),
              show(m), show(r));
        same("zcard " + k, [&](Storage& s) { return s.sorted_sets()->zcard(k); });
        break;
      }
      default: hash_step(op - 57, k, v, e); break;
    }
    if (expire_soon_) {
      // A real TTL, really passing: both stores must have let the key go.
      std::this_thread::sleep_for(short_ttl * 3);
      expire_soon_ = false;
    }
    compare_keys();
  }

 private:
  // The hash operations: step() picks one of these hash_ops after its own.
  static constexpr int hash_ops = 14;
  void hash_step(int op, const std::string& k, const std::string& v, ExpiryAction e) {
    using cachet::engine::FieldValue;
    const std::string f = value();
    switch (op) {
      case 0: case 1: {
        std::vector<FieldValue> pairs;
        for (int i = pick(0, 3); i > 0; --i) pairs.push_back({value(), value()});
        same("hset " + k, [&](Storage& s) { return s.hashes()->hset(k, pairs, e); });
        break;
      }
      case 2: same("hget " + k + " " + f, [&](Storage& s) { return s.hashes()->hget(k, f); }); break;
      case 3: {
        const Strings fs = values();
        same("hmget " + k, [&](Storage& s) { return s.hashes()->hmget(k, fs); });
        break;
      }
      case 4: same("hsetnx " + k + " " + f, [&](Storage& s) { return s.hashes()->hsetnx(k, f, v, e); }); break;
      case 5: {
        const std::int64_t by = pick(0, 9) == 0 ? std::numeric_limits<std::int64_t>::max() - 3 : pick(-3, 5);
        same("hincrby " + k + " " + f, [&](Storage& s) { return s.hashes()->hincrby(k, f, by, e); });
        break;
      }
      case 6: {
        const double by = std::array{1.5, -0.25, 3.0, 1e308}[std::size_t(pick(0, 3))];
        same("hincrbyfloat " + k + " " + f, [&](Storage& s) { return s.hashes()->hincrbyfloat(k, f, by, e); });
        break;
      }
      case 7: case 8: {
        const Strings fs = values();
        same("hdel " + k, [&](Storage& s) { return s.hashes()->hdel(k, fs, e); });
        break;
      }
      case 9: same("hexists " + k + " " + f, [&](Storage& s) { return s.hashes()->hexists(k, f); }); break;
      case 10: same("hlen " + k, [&](Storage& s) { return s.hashes()->hlen(k); }); break;
      case 11: same("hkeys " + k, [&](Storage& s) { return sorted_result(s.hashes()->hkeys(k)); }); break;
      case 12: same("hvals " + k, [&](Storage& s) { return sorted_result(s.hashes()->hvals(k)); }); break;
      default: {
        // Redis and memory draw different fields: compare how many.
        const std::int64_t count = pick(-3, 3);
        auto m = memory_.hashes()->hrandfield(k, count);
        auto r = redis_.hashes()->hrandfield(k, count);
        agree("hrandfield " + k, m.has_value() == r.has_value() && (!m || m->size() == r->size()) &&
                                     (m || m.error().code == r.error().code),
              show(m), show(r));
        break;
      }
    }
  }
  static cachet::Result<std::vector<cachet::engine::FieldValue>> sorted_pairs(
      cachet::Result<std::vector<cachet::engine::FieldValue>> r) {
    if (r) std::sort(r->begin(), r->end(), [](const auto& a, const auto& b) { return a.field < b.field; });
    return r;
  }

  int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  std::string key() { return names_[std::size_t(pick(0, 3))]; }
  std::string value() {
    static const Strings pool{"", "x", "y", "1", "-2", "10", "2.5", "abc", "9223372036854775806", "1e3"};
    return pool[std::size_t(pick(0, int(pool.size()) - 1))];
  }
  Strings values() {
    Strings out;
    for (int i = pick(0, 3); i > 0; --i) out.push_back(value());
    return out;
  }
  Strings keys() {
    Strings out;
    for (int i = pick(0, 3); i > 0; --i) out.push_back(key());
    return out;
  }
  static constexpr double inf = std::numeric_limits<double>::infinity();
  double score() { return std::array{0.0, 1.0, -1.0, 2.5, 1e300, inf, -inf, 0.1, 3.0, -0.0}[std::size_t(pick(0, 9))]; }
  ZScoreBound bound() { return {score(), pick(0, 2) != 0}; }
  std::vector<ScoredMember> scored() {
    std::vector<ScoredMember> out;
    for (int i = pick(0, 3); i > 0; --i) out.push_back({value(), score()});
    return out;
  }
  ExpiryAction expiry() {
    switch (pick(0, 5)) {
      case 0: return ExpiryAction::keep();
      case 1: return ExpiryAction::after(100s);
      case 2: return ExpiryAction::after(200s);
      case 3: return ExpiryAction::after(pick(0, 1) ? 0ms : -1ms);
      case 4:
        if (pick(0, 4) != 0) return ExpiryAction::persist();
        expire_soon_ = true;
        return ExpiryAction::after(short_ttl);
      default: return ExpiryAction::persist();
    }
  }

  static cachet::Result<Strings> sorted_result(cachet::Result<Strings> r) {
    if (r) std::sort(r->begin(), r->end());
    return r;
  }
  static std::string show_ttl(const cachet::Result<std::optional<std::chrono::milliseconds>>& t) {
    if (!t) return show(cachet::Result<void>(std::unexpected(t.error())));
    return *t ? std::to_string((*t)->count()) + "ms" : "none";
  }

  void agree(const std::string& what, bool ok, const std::string& memory, const std::string& redis) {
    if (ok) return;
    ++disagreements_;
    FAIL_CHECK("step " << step_ << ": " << what << "\n  memory: " << memory << "\n  redis:  " << redis);
  }

  template <class F>
  void same(const std::string& what, F&& f) {
    const auto m = f(static_cast<Storage&>(memory_));
    const auto r = f(static_cast<Storage&>(redis_));
    const bool ok = m.has_value() == r.has_value() && (m ? show(m) == show(r) : m.error().code == r.error().code);
    agree(what, ok, show(m), show(r));
  }

  // TTLs agree when both keys have none, or both have one within a second of the other.
  void same_ttl(const std::string& what, const std::string& k) {
    const auto m = memory_.keys().pttl(k);
    const auto r = redis_.keys().pttl(k);
    bool ok = m.has_value() == r.has_value();
    if (ok && !m) ok = m.error().code == r.error().code;
    if (ok && m) ok = m->has_value() == r->has_value() && (!*m || std::chrono::abs(**m - **r) < 1s);
    agree(what, ok, show_ttl(m), show_ttl(r));
  }

  void copy_set_from_redis(const std::string& k) {
    const Strings one{k};
    (void)memory_.keys().del(one);
    const auto members = redis_.sets()->smembers(k);
    if (!members || members->empty()) return;
    const auto left = redis_.keys().pttl(k).value();
    (void)memory_.sets()->sadd(k, *members, left ? ExpiryAction::after(*left) : ExpiryAction::persist());
  }

  // What each key holds: its string, list, set or hash, and its TTL.
  void compare_keys() {
    for (const std::string& k : names_) {
      same("state: get " + k, [&](Storage& s) { return s.strings()->get(k); });
      same("state: lrange " + k, [&](Storage& s) { return s.lists()->lrange(k, 0, -1); });
      same("state: smembers " + k, [&](Storage& s) { return sorted_result(s.sets()->smembers(k)); });
      same("state: hgetall " + k, [&](Storage& s) { return sorted_pairs(s.hashes()->hgetall(k)); });
      same("state: zrange " + k, [&](Storage& s) { return s.sorted_sets()->zrange(k, 0, -1, false); });
      same_ttl("state: pttl " + k, k);
    }
  }

  std::vector<std::string> names_{"a", "b", "c", "d"};
  static constexpr std::chrono::milliseconds short_ttl{15};
  bool expire_soon_ = false;  // this step writes with short_ttl, then waits it out
  std::mt19937_64 random_;
  cachet::memory::MemoryStorage memory_;
  RedisStorage redis_;
  int step_ = 0;

 public:
  int disagreements_ = 0;
};

}  // namespace

#ifndef CACHET_TEST_CLUSTER  // redis_tests; redis_cluster_tests runs the cluster's case below
TEST_CASE("memory and Redis agree on random operations") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    Run run(seed);
    for (int i = 0; i < 1500 && run.disagreements_ < 5; ++i) run.step(i);
    CHECK(run.disagreements_ == 0);
  }
}
#else
TEST_CASE("memory and a Redis Cluster agree on random operations") {
  auto options = cachet::redis::parse_url(std::getenv("CACHET_TEST_REDIS_CLUSTER_URL"));
  REQUIRE(options.has_value());
  for (std::uint64_t seed : {1u, 2u}) {
    CAPTURE(seed);
    Run run(seed, *options);
    for (int i = 0; i < 1500 && run.disagreements_ < 5; ++i) run.step(i);
    CHECK(run.disagreements_ == 0);
  }
}
#endif
