// The Redis backend on a real Redis Cluster (three masters, three replicas): routing, redirects
// during a slot migration, keys across slots, cross_slot answers, verify() through redis://,
// the pool bound per node, resharding and failover under load. Failover is last: it kills a
// master and restarts it as a replica, leaving the cluster healthy.
//
// Environment: CACHET_TEST_REDIS_CLUSTER_URL (redis-cluster://seed,seed), CACHET_TEST_REDIS_CLUSTER_PORTS
// (the six nodes' ports) and CACHET_TEST_REDIS_CLUSTER_DIR (their cluster-config files, to
// restart a killed node); for the cluster over TLS (three masters), CACHET_TEST_REDIS_TLS_CLUSTER_URL
// (rediss-cluster://seed,seed on their TLS ports), CACHET_TEST_REDIS_TLS_CLUSTER_PORTS (their
// plaintext ports, to look behind cachet's back), CACHET_TEST_REDIS_TLS_CLUSTER_TLS_PORTS (the
// TLS ports, in the same order) and CACHET_TEST_TLS_DIR; tests/run.sh starts them.
#include "support.hpp"

#include "engine/hash_slot.hpp"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

using namespace redis_test;
using cachet::engine::SetAlgebra;
using cachet::engine::SetCondition;
using cachet::ListPos;
using Strings = std::vector<std::string>;
using namespace std::chrono_literals;

namespace {

const auto persist = ExpiryAction::persist();

std::string env(const char* name) {
  const char* v = std::getenv(name);
  REQUIRE_MESSAGE((v != nullptr && *v != '\0'), name << " is not set (tests/run.sh starts a cluster)");
  return v;
}

RedisOptions cluster_options(std::string_view extra = "") {
  auto parsed = cachet::redis::parse_url(env("CACHET_TEST_REDIS_CLUSTER_URL") + std::string(extra));
  REQUIRE_MESSAGE(parsed.has_value(), parsed.error());
  return *parsed;
}

std::vector<int> ports_from(const char* name, std::size_t count) {
  std::vector<int> out;
  std::istringstream in(env(name));
  for (int p; in >> p;) out.push_back(p);
  REQUIRE(out.size() == count);
  return out;
}

// The plaintext ports of the six nodes of the cluster, and of the three of the cluster over TLS.
std::vector<int> ports() { return ports_from("CACHET_TEST_REDIS_CLUSTER_PORTS", 6); }
std::vector<int> tls_cluster_ports() { return ports_from("CACHET_TEST_REDIS_TLS_CLUSTER_PORTS", 3); }

RawRedis raw_at(int port) {
  RedisOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  return RawRedis(o, 0);
}

struct Node {
  std::string id;
  int port;
};

// The masters that are up, from CLUSTER NODES as some live node of `nodes` sees it.
std::vector<Node> masters(const std::vector<int>& nodes = ports()) {
  for (int port : nodes) {
    redisContext* c = redisConnectWithTimeout("127.0.0.1", port, timeval{0, 300000});
    if (c == nullptr || c->err) {
      if (c) redisFree(c);
      continue;
    }
    auto* reply = static_cast<redisReply*>(redisCommand(c, "CLUSTER NODES"));
    std::vector<Node> out;
    if (reply != nullptr && reply->type == REDIS_REPLY_STRING) {
      std::istringstream lines(std::string(reply->str, reply->len));
      for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string id, address, flags;
        fields >> id >> address >> flags;
        if (flags.find("master") == std::string::npos || flags.find("fail") != std::string::npos) continue;
        const auto colon = address.find(':');
        out.push_back({id, std::atoi(address.c_str() + colon + 1)});
      }
    }
    if (reply) freeReplyObject(reply);
    redisFree(c);
    if (!out.empty()) return out;
  }
  FAIL("no cluster node answers");
  return {};
}

int owner_port(std::string_view key, const std::vector<int>& nodes = ports()) {
  const std::string slot = std::to_string(cachet::hash_slot(key));
  auto raw = raw_at(nodes.front());
  auto reply = raw.command({"CLUSTER", "SLOTS"});
  for (std::size_t i = 0; i < reply->elements; ++i) {
    const redisReply& r = *reply->element[i];
    if (r.element[0]->integer <= std::stoll(slot) && std::stoll(slot) <= r.element[1]->integer) {
      return int(r.element[2]->element[1]->integer);
    }
  }
  FAIL("slot has no owner");
  return 0;
}

std::string id_of(int port, const std::vector<int>& nodes = ports()) {
  for (const auto& m : masters(nodes)) {
    if (m.port == port) return m.id;
  }
  FAIL("not a master");
  return {};
}

// Every node reports cluster_state:ok and agrees on the slots (waits up to `limit`).
bool healthy_within(std::chrono::seconds limit, const std::vector<int>& nodes = ports()) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    bool ok = true;
    for (int port : nodes) {
      redisContext* c = redisConnectWithTimeout("127.0.0.1", port, timeval{0, 300000});
      if (c == nullptr || c->err) {
        ok = false;
      } else {
        auto* reply = static_cast<redisReply*>(redisCommand(c, "CLUSTER INFO"));
        ok = ok && reply != nullptr && reply->type == REDIS_REPLY_STRING &&
             std::string_view(reply->str, reply->len).find("cluster_state:ok") != std::string_view::npos;
        if (reply) freeReplyObject(reply);
      }
      if (c) redisFree(c);
    }
    if (ok) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

// A storage on the cluster, its keys emptied.
struct OnCluster {
  explicit OnCluster(std::string_view extra = "") : storage(cluster_options(extra)) { storage.clear().value(); }
  RedisStorage storage;
};

// A storage on the cluster over TLS (rediss-cluster://), trusting the CA of `ca_file` (in
// CACHET_TEST_TLS_DIR). `extra` is more URL options, each after a '&'.
RedisStorage on_tls_cluster(std::string_view ca_file = "ca.crt", std::string_view extra = "") {
  const std::string ca = tls_file(ca_file);
  REQUIRE_MESSAGE(!ca.empty(), "CACHET_TEST_TLS_DIR is not set (tests/run.sh makes the certificates)");
  auto parsed = cachet::redis::parse_url(env("CACHET_TEST_REDIS_TLS_CLUSTER_URL") + "?tls_ca_file=" + ca +
                                         std::string(extra));
  REQUIRE_MESSAGE(parsed.has_value(), parsed.error());
  return RedisStorage(*parsed);
}

Strings sorted(Strings v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_SUITE("cluster") {

TEST_CASE("redis-cluster:// takes seeds; a database, braces in key_prefix and several hosts on redis:// are refused") {
  auto ok = cachet::redis::parse_url("redis-cluster://u:p@10.0.0.1:7000,10.0.0.2:7001?pool_size=4&key_prefix=app:");
  REQUIRE(ok.has_value());
  CHECK(ok->seeds.size() == 2);
  CHECK(ok->seeds[1] == std::pair<std::string, int>{"10.0.0.2", 7001});
  CHECK(ok->password == "p");
  CHECK(cachet::redis::parse_url("rediss-cluster://h:7000?tls_verify=ca")->tls.enabled);
  CHECK(cachet::redis::parse_url("redis-cluster://h:7000/0").has_value());

  auto db = cachet::redis::parse_url("redis-cluster://h:7000/3");
  CHECK(code(db) == Errc::not_configured);
  CHECK(db.error().message.find("one database") != std::string::npos);
  auto braces = cachet::redis::parse_url("redis-cluster://h:7000?key_prefix=%7Bapp%7D:");
  CHECK(code(braces) == Errc::not_configured);
  CHECK(braces.error().message.find("hash tag") != std::string::npos);
  auto two = cachet::redis::parse_url("redis://a:1,b:2");
  CHECK(code(two) == Errc::not_configured);
  CHECK(two.error().message.find("redis-cluster://") != std::string::npos);
  CHECK(code(cachet::redis::parse_url("redis-cluster://h:7000?tls_verify=full")) == Errc::not_configured);
}

TEST_CASE("keys spread over every master, each kept by the master of its slot") {
  OnCluster c;
  auto& s = c.storage;
  for (int i = 0; i < 300; ++i) {
    REQUIRE(s.strings()->set("k" + std::to_string(i), "v" + std::to_string(i), SetCondition::always, persist).value());
  }
  long long total = 0;
  for (const auto& m : masters()) {
    const long long n = raw_at(m.port).integer({"DBSIZE"});
    CHECK(n > 0);
    total += n;
  }
  CHECK(total == 300);
  for (int i = 0; i < 300; ++i) {
    const std::string key = "k" + std::to_string(i);
    CHECK(s.strings()->get(key).value() == "v" + std::to_string(i));
    CHECK(raw_at(owner_port(key)).string({"GET", key}) == "v" + std::to_string(i));
  }
  CHECK(s.ping().has_value());
}

TEST_CASE("multi-key reads and writes across slots answer in the caller's order") {
  OnCluster c;
  auto& s = c.storage;
  Strings keys;
  std::vector<cachet::engine::KeyValue> pairs;
  for (int i = 0; i < 100; ++i) {
    keys.push_back("m" + std::to_string(i));
    pairs.push_back({keys.back(), "value" + std::to_string(i)});
  }
  s.strings()->mset(pairs, ExpiryAction::after(60s)).value();
  Strings asked = {"m7", "absent", "m99", "m0", "m7"};
  auto values = s.strings()->mget(asked).value();
  REQUIRE(values.size() == 5);
  CHECK(values[0] == "value7");
  CHECK_FALSE(values[1].has_value());
  CHECK(values[2] == "value99");
  CHECK(values[3] == "value0");
  CHECK(values[4] == "value7");
  CHECK(s.keys().pttl("m42").value().has_value());
  s.strings()->mset(pairs, persist).value();
  CHECK_FALSE(s.keys().pttl("m42").value().has_value());
  CHECK(s.keys().del(Strings{"m1", "m2", "absent", "m3"}).value() == 3);
  CHECK_FALSE(s.strings()->mget(Strings{"m1"}).value()[0].has_value());

  s.sets()->sadd("sa", Strings{"a", "b", "c"}, persist).value();
  s.sets()->sadd("sb", Strings{"b", "c", "d"}, persist).value();
  s.sets()->sadd("sc", Strings{"c", "x"}, persist).value();
  REQUIRE(cachet::hash_slot("sa") != cachet::hash_slot("sb"));
  const Strings three = {"sa", "sb", "sc", "snone"};
  CHECK(sorted(s.sets()->set_algebra(SetAlgebra::union_, three).value()) == Strings{"a", "b", "c", "d", "x"});
  CHECK(s.sets()->set_algebra(SetAlgebra::intersect, three).value().empty());
  CHECK(sorted(s.sets()->set_algebra(SetAlgebra::intersect, Strings{"sa", "sb"}).value()) == Strings{"b", "c"});
  CHECK(sorted(s.sets()->set_algebra(SetAlgebra::diff, three).value()) == Strings{"a"});
  s.strings()->set("str", "x", SetCondition::always, persist).value();
  CHECK(code(s.sets()->set_algebra(SetAlgebra::union_, Strings{"sa", "str"})) == Errc::wrong_type);
}

TEST_CASE("atomic operations across slots answer cross_slot naming hash tags; within one slot they run") {
  OnCluster c;
  auto& s = c.storage;
  REQUIRE(cachet::hash_slot("a") != cachet::hash_slot("b"));
  s.lists()->push("a", ListPos::Right, Strings{"1"}, persist).value();
  s.sets()->sadd("sa", Strings{"1"}, persist).value();
  auto moved = s.lists()->lmove("a", "b", ListPos::Left, ListPos::Left, persist);
  CHECK(code(moved) == Errc::cross_slot);
  CHECK(moved.error().message.find("hash tag") != std::string::npos);
  CHECK(code(s.sets()->smove("sa", "b", "1", persist)) == Errc::cross_slot);
  CHECK(code(s.sets()->set_algebra_store(SetAlgebra::union_, "b", Strings{"sa", "a"}, persist)) == Errc::cross_slot);
  CHECK(s.lists()->llen("a").value() == 1);  // nothing was done

  // Raw keys under one hash tag share a slot: the atomic operations run there.
  s.lists()->push("{t}a", ListPos::Right, Strings{"1", "2"}, persist).value();
  CHECK(s.lists()->lmove("{t}a", "{t}b", ListPos::Left, ListPos::Right, ExpiryAction::after(60s)).value() == "1");
  CHECK(s.keys().pttl("{t}b").value().has_value());
  s.sets()->sadd("{t}s", Strings{"x", "y"}, persist).value();
  CHECK(s.sets()->smove("{t}s", "{t}u", "x", persist).value());
  Strings sources;
  for (int i = 0; i < 10000; ++i) sources.push_back("{t}src" + std::to_string(i));
  s.sets()->sadd(sources[17], Strings{"p"}, persist).value();
  sources.push_back("{t}s");
  CHECK(s.sets()->set_algebra_store(SetAlgebra::union_, "{t}dst", sources, ExpiryAction::after(60s)).value() == 2);
  CHECK(s.keys().pttl("{t}dst").value().has_value());
}

TEST_CASE("verify through redis:// on a cluster node says to use redis-cluster://") {
  RedisOptions o;
  o.host = "127.0.0.1";
  o.port = ports().front();
  RedisStorage plain(o);
  auto answer = plain.ping();
  CHECK(code(answer) == Errc::not_configured);
  CHECK(answer.error().message.find("use redis-cluster://") != std::string::npos);

  // And the other way round: redis-cluster:// on a server without cluster mode.
  auto single = cachet::redis::parse_url(env("CACHET_TEST_REDIS_URL"));
  REQUIRE(single.has_value());
  RedisOptions not_cluster = *single;
  not_cluster.seeds = {{not_cluster.host, not_cluster.port}};
  RedisStorage wrong(not_cluster);
  auto refused = wrong.ping();
  CHECK(code(refused) == Errc::not_configured);
  CHECK(refused.error().message.find("use redis://") != std::string::npos);
}

// Moves the slot of a key cachet has written from its master to another while `s` runs calls:
// ASK during the migration, MOVED after it, both followed without the caller noticing. `nodes`
// are the cluster's plaintext ports; MIGRATE reaches the target on `migrate_port(its port)` (the
// TLS port on a cluster whose nodes speak TLS to each other).
template <class MigratePort>
void check_migration_is_followed(RedisStorage& s, const std::vector<int>& nodes, MigratePort migrate_port) {
  const std::string key = "migrating";
  s.strings()->set(key, "before", SetCondition::always, persist).value();
  const int from = owner_port(key, nodes);
  int to = 0;
  for (const auto& m : masters(nodes)) {
    if (m.port != from) to = m.port;
  }
  const std::string slot = std::to_string(cachet::hash_slot(key));
  const std::string from_id = id_of(from, nodes), to_id = id_of(to, nodes);
  auto source = raw_at(from);
  auto target = raw_at(to);
  REQUIRE(target.command({"CLUSTER", "SETSLOT", slot, "IMPORTING", from_id})->type == REDIS_REPLY_STATUS);
  REQUIRE(source.command({"CLUSTER", "SETSLOT", slot, "MIGRATING", to_id})->type == REDIS_REPLY_STATUS);
  // Its key moved: the source answers ASK for it.
  const std::string port = std::to_string(migrate_port(to));
  auto migrated = source.command({"MIGRATE", "127.0.0.1", port, key, "0", "5000"});
  REQUIRE_MESSAGE(migrated->type == REDIS_REPLY_STATUS, std::string(migrated->str ? migrated->str : ""));
  CHECK(s.strings()->get(key).value() == "before");
  // A new key of that slot goes to the target, asked there (the same slot through its tag).
  CHECK(s.strings()->set("{migrating}new", "n", SetCondition::always, persist).value());
  CHECK(s.strings()->incrby("{migrating}counter", 5, ExpiryAction::after(60s)).value() == 5);

  // The slot is handed over: every master learns it, and the old owner answers MOVED.
  for (const auto& m : masters(nodes)) raw_at(m.port).command({"CLUSTER", "SETSLOT", slot, "NODE", to_id});
  const auto before = s.round_trips();
  CHECK(s.strings()->get(key).value() == "before");
  CHECK(s.round_trips() - before == 2);  // the redirect and the answer
  CHECK(s.strings()->get("{migrating}new").value() == "n");
  CHECK(s.round_trips() - before == 3);  // the slot's new owner is known now
  CHECK(raw_at(to).string({"GET", "{migrating}new"}) == "n");
  REQUIRE(healthy_within(10s, nodes));
}

TEST_CASE("a slot being migrated is followed through ASK, then MOVED, without the application noticing") {
  OnCluster c;
  check_migration_is_followed(c.storage, ports(), [](int port) { return port; });
}

TEST_CASE("the pool bound holds per node") {
  OnCluster c("?pool_size=2");
  auto& s = c.storage;
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (!s.strings()->set("p" + std::to_string(t * 1000 + i), "v", SetCondition::always, persist)) ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failed == 0);
  CHECK(s.stats().connections <= 2 * masters().size());
}

TEST_CASE("rediss-cluster:// speaks TLS to every master, on the ports the cluster gives TLS clients") {
  auto s = on_tls_cluster();
  REQUIRE(s.clear().has_value());
  REQUIRE(s.ping().has_value());  // verify(): the chain and host name of every node checked
  for (int i = 0; i < 300; ++i) {
    const std::string key = "t" + std::to_string(i);
    REQUIRE(s.strings()->set(key, "v" + std::to_string(i), SetCondition::always, ExpiryAction::after(60s)).value());
  }
  // Looked at behind cachet's back, through each node's plaintext port.
  const auto nodes = tls_cluster_ports();
  long long total = 0;
  for (const auto& m : masters(nodes)) {
    const long long n = raw_at(m.port).integer({"DBSIZE"});
    CHECK(n > 0);
    total += n;
  }
  CHECK(total == 300);
  Strings keys;
  for (int i = 0; i < 300; i += 3) {
    const std::string key = "t" + std::to_string(i);
    keys.push_back(key);
    CHECK(raw_at(owner_port(key, nodes)).string({"GET", key}) == "v" + std::to_string(i));
  }
  auto values = s.strings()->mget(keys).value();  // one batch per master
  REQUIRE(values.size() == keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) CHECK(values[i] == "v" + std::to_string(i * 3));
  CHECK(s.keys().del(keys).value() == std::int64_t(keys.size()));
}

TEST_CASE("over TLS too, a slot being migrated is followed through ASK, then MOVED") {
  auto s = on_tls_cluster();
  REQUIRE(s.clear().has_value());
  const auto plain = tls_cluster_ports(), tls = ports_from("CACHET_TEST_REDIS_TLS_CLUSTER_TLS_PORTS", 3);
  // The nodes speak TLS to each other, MIGRATE included: it reaches the target on its TLS port.
  check_migration_is_followed(s, plain, [&](int port) {
    return tls[std::size_t(std::find(plain.begin(), plain.end(), port) - plain.begin())];
  });
}

TEST_CASE("a cluster over TLS refuses a client that does not trust it, or speaks plaintext, within the bound") {
  const auto refused = [](RedisStorage storage, std::string_view what) {
    INFO(what);
    const auto start = std::chrono::steady_clock::now();
    auto ping = storage.ping();
    auto get = storage.strings()->get("k");
    CHECK(std::chrono::steady_clock::now() - start < 2 * (1s + 500ms));  // two calls, each bounded
    REQUIRE_FALSE(ping.has_value());
    REQUIRE_FALSE(get.has_value());
    CHECK(get.error().code == Errc::unavailable);
    return ping.error();
  };
  const std::string bound = "&connect_timeout=1s&command_timeout=1s";
  auto untrusted = refused(on_tls_cluster("other-ca.crt", bound), "another CA");
  CHECK(untrusted.code == Errc::unavailable);
  CHECK(untrusted.message.find("certificate verify failed") != std::string::npos);

  // redis-cluster:// at the TLS ports: the nodes drop a client that speaks plaintext.
  std::string url = env("CACHET_TEST_REDIS_TLS_CLUSTER_URL");
  url.replace(0, std::string_view("rediss-cluster").size(), "redis-cluster");
  auto parsed = cachet::redis::parse_url(url + "?connect_timeout=1s&command_timeout=1s");
  REQUIRE(parsed.has_value());
  auto plaintext = refused(RedisStorage(*parsed), "plaintext");
  CHECK(plaintext.code == Errc::unavailable);
  CHECK(plaintext.message.find("rediss://") != std::string::npos);
}

TEST_CASE("resharding under load: no call fails and every increment is counted") {
  OnCluster c("?command_timeout=5s");
  auto& s = c.storage;
  // From the master with most slots to the one with fewest (the suite runs in several trees).
  std::map<int, long long> owned;
  auto slots = raw_at(masters().front().port).command({"CLUSTER", "SLOTS"});
  for (std::size_t i = 0; i < slots->elements; ++i) {
    const redisReply& r = *slots->element[i];
    owned[int(r.element[2]->element[1]->integer)] += r.element[1]->integer - r.element[0]->integer + 1;
  }
  Node from = masters().front(), to = from;
  for (const auto& m : masters()) {
    if (owned[m.port] > owned[from.port]) from = m;
    if (owned[m.port] < owned[to.port]) to = m;
  }
  REQUIRE(from.port != to.port);
  std::atomic<bool> stop{false};
  std::atomic<long long> counted{0}, failed{0};
  std::mutex errors_mutex;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        const std::string key = "r" + std::to_string((i * 7 + t) % 500);
        auto incremented = s.strings()->incrby("counter:" + std::to_string(i % 50), 1, persist);
        auto set = s.strings()->set(key, std::to_string(i), SetCondition::always, ExpiryAction::after(60s));
        auto got = s.strings()->get(key);
        if (incremented) ++counted;
        for (const cachet::Error* e : {incremented ? nullptr : &incremented.error(), set ? nullptr : &set.error(),
                                       got || got.error().code == Errc::miss ? nullptr : &got.error()}) {
          if (e == nullptr) continue;
          ++failed;
          std::lock_guard lock(errors_mutex);
          if (errors.size() < 5) errors.push_back(e->message);
        }
      }
    });
  }
  std::this_thread::sleep_for(200ms);
  const std::string command = "redis-cli --cluster reshard 127.0.0.1:" + std::to_string(from.port) +
                              " --cluster-from " + from.id + " --cluster-to " + to.id +
                              " --cluster-slots 1500 --cluster-yes >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  std::this_thread::sleep_for(200ms);
  stop = true;
  for (auto& t : threads) t.join();
  CHECK(status == 0);
  for (const auto& e : errors) MESSAGE(e);
  CHECK(failed == 0);
  std::int64_t sum = 0;
  for (int i = 0; i < 50; ++i) {
    auto v = s.strings()->get("counter:" + std::to_string(i));
    if (v) sum += std::stoll(*v);
  }
  CHECK(sum == counted);
  CHECK(counted > 0);
  REQUIRE(healthy_within(10s));
}

TEST_CASE("failover under load: calls fail only unavailable or timeout within their bound, then succeed") {
  OnCluster c("?command_timeout=500ms&connect_timeout=200ms");
  auto& s = c.storage;
  const auto victim = masters().front();
  std::atomic<bool> stop{false};
  std::atomic<long long> bad{0}, slow{0}, ok_after{0};
  std::atomic<bool> killed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        const std::string key = "f" + std::to_string((i * 13 + t) % 300);
        const auto start = std::chrono::steady_clock::now();
        auto set = s.strings()->set(key, "v", SetCondition::always, persist);
        if (std::chrono::steady_clock::now() - start > 500ms + 1500ms) ++slow;  // generous slack
        if (!set && set.error().code != Errc::unavailable && set.error().code != Errc::timeout) ++bad;
        if (set && killed) ++ok_after;
      }
    });
  }
  std::this_thread::sleep_for(200ms);
  const long long pid = raw_at(victim.port).integer({"EVAL", "return redis.call('INFO','server'):match('process_id:(%d+)')+0", "0"});
  REQUIRE(::kill(pid_t(pid), SIGKILL) == 0);
  killed = true;
  // A replica takes over (cluster-node-timeout 1s): calls to every slot succeed again.
  const auto until = std::chrono::steady_clock::now() + 20s;
  bool recovered = false;
  while (!recovered && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(200ms);
    recovered = true;
    for (int i = 0; i < 300 && recovered; i += 7) recovered = s.strings()->get("f" + std::to_string(i)).has_value() ||
                                                          s.strings()->get("f" + std::to_string(i)).error().code == Errc::miss;
  }
  stop = true;
  for (auto& t : threads) t.join();
  CHECK(recovered);
  CHECK(bad == 0);
  CHECK(slow == 0);
  CHECK(ok_after > 0);

  // The killed node comes back as a replica of the promoted one, leaving the cluster whole.
  const std::string dir = env("CACHET_TEST_REDIS_CLUSTER_DIR"), port = std::to_string(victim.port);
  const std::string restart = "redis-server --port " + port + " --bind 127.0.0.1 --save '' --appendonly no" +
                              " --daemonize yes --dir " + dir + " --logfile " + dir + "/restarted-" + port + ".log" +
                              " --pidfile " + dir + "/restarted-" + port + ".pid --cluster-enabled yes" +
                              " --cluster-config-file " + dir + "/nodes-" + port + ".conf --cluster-node-timeout 1000";
  REQUIRE(std::system(restart.c_str()) == 0);
  CHECK(healthy_within(20s));
}

}  // TEST_SUITE
