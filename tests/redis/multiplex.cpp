// Calls of many threads share a few pipelined connections: every answer still belongs to its
// own call, also when a connection is killed with a batch in flight, and the calls after that
// succeed on a new connection.
#include "support.hpp"

#include "engine/storage/strings.hpp"

#include <algorithm>
#include <mutex>
#include <string>

using namespace redis_test;
using namespace std::chrono_literals;
using cachet::engine::KeyValue;
using cachet::engine::SetCondition;

namespace {

std::string key_of(int thread, int call, int part = 0) {
  return "mx:" + std::to_string(thread) + ":" + std::to_string(call) + ":" + std::to_string(part);
}
std::string value_of(int thread, int call, int part = 0) {
  // Of differing lengths, so that a reply cut at another's boundary could not pass either.
  return "v" + std::to_string(thread) + "/" + std::to_string(call) + "/" + std::to_string(part) +
         std::string(std::size_t((thread * 7 + call) % 13), '.');
}

// What went wrong in one thread, to report after the join (doctest's checks are not
// thread-safe under load).
struct Tally {
  int succeeded = 0;
  int unavailable = 0;
  std::vector<std::string> wrong;  // answers that were not the call's own
  void bad(std::string what) {
    if (wrong.size() < 10) wrong.push_back(std::move(what));
    else if (wrong.size() == 10) wrong.emplace_back("...");
  }
};

// One round of a thread's calls on distinct keys: a SET (plain, or through the write script
// with a TTL), a GET of it, a MULTI ... EXEC of three SETs (several replies to one call), an
// MGET of those, and an INCRBY of the thread's counter. `failed_ok`: a call may answer
// unavailable (a connection killed under it), never anything else.
void one_round(RedisStorage& storage, int t, int i, std::int64_t& counter, Tally& tally, bool failed_ok) {
  auto strings = storage.strings();
  auto failure = [&](const cachet::Error& e, const char* what) {
    if (failed_ok && e.code == Errc::unavailable) {
      ++tally.unavailable;
      return;
    }
    tally.bad(std::string(what) + " failed: " + e.message);
  };
  const std::string key = key_of(t, i), value = value_of(t, i);
  const auto expiry = i % 2 ? ExpiryAction::persist() : ExpiryAction::after(60s);
  if (auto set = strings->set(key, value, SetCondition::always, expiry); !set) {
    failure(set.error(), "SET");
  } else if (!*set) {
    tally.bad("SET " + key + " answered false");
  } else {
    ++tally.succeeded;
  }
  // Even after a failed SET (which may have been applied) the GET can only find this call's
  // value or nothing: the key is this call's alone.
  if (auto got = strings->get(key); got) {
    if (*got != value) tally.bad("GET " + key + " answered \"" + *got + "\"");
    else ++tally.succeeded;
  } else if (got.error().code != Errc::miss) {
    failure(got.error(), "GET");
  }

  std::vector<KeyValue> pairs;
  std::vector<std::string> keys;
  for (int part = 1; part <= 3; ++part) {
    pairs.push_back({key_of(t, i, part), value_of(t, i, part)});
    keys.push_back(key_of(t, i, part));
  }
  bool stored = false;
  if (auto set = strings->mset(pairs, ExpiryAction::after(60s)); !set) failure(set.error(), "MSET");
  else stored = true, ++tally.succeeded;
  if (auto got = strings->mget(keys); got) {
    if (got->size() != 3) {
      tally.bad("MGET answered " + std::to_string(got->size()) + " values");
    } else {
      for (int part = 1; part <= 3; ++part) {
        const auto& v = (*got)[std::size_t(part - 1)];
        if (v ? *v != value_of(t, i, part) : stored) tally.bad("MGET of " + key_of(t, i, part) + " was wrong");
      }
      ++tally.succeeded;
    }
  } else {
    failure(got.error(), "MGET");
  }

  const std::string counter_key = "mx:counter:" + std::to_string(t);
  if (auto n = strings->incrby(counter_key, 1, ExpiryAction::keep()); n) {
    // A failed INCRBY may have counted: the answer grows by at least one, never past the calls.
    if (*n <= counter || *n > i + 1) {
      tally.bad("INCRBY " + counter_key + " answered " + std::to_string(*n) + " after " + std::to_string(counter));
    }
    counter = *n;
    ++tally.succeeded;
  } else {
    failure(n.error(), "INCRBY");
  }
}

void report(const std::vector<Tally>& tallies) {
  for (std::size_t t = 0; t < tallies.size(); ++t) {
    for (const auto& w : tallies[t].wrong) {
      INFO("thread ", t);
      CHECK_MESSAGE(false, w);
    }
  }
}

}  // namespace

TEST_CASE("thousands of concurrent calls on a few connections: every answer is the call's own") {
  Fresh f;
  RedisOptions options = main_options(db_main);
  options.pool_size = 2;  // 16 threads on two connections: the calls are pipelined together
  RedisStorage storage(options);
  constexpr int threads = 16, rounds = 150;  // 5 calls a round: 12,000 calls
  std::vector<Tally> tallies(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::int64_t counter = 0;
      for (int i = 0; i < rounds; ++i) one_round(storage, t, i, counter, tallies[std::size_t(t)], false);
    });
  }
  for (auto& w : workers) w.join();
  report(tallies);
  for (const auto& tally : tallies) CHECK(tally.succeeded == rounds * 5);
  CHECK(storage.stats().connections <= 2u);
  CHECK(storage.stats().reconnects == 0u);
  for (int t = 0; t < threads; ++t) {
    CHECK(f.raw.string({"GET", "mx:counter:" + std::to_string(t)}) == std::to_string(rounds));
  }
}

TEST_CASE("connections killed with batches in flight: those calls answer unavailable, none another's reply") {
  ServerProcess server;
  RedisOptions options = server.options();
  options.pool_size = 3;
  options.command_timeout = 5s;  // a failure here is the kill, never a timeout
  RedisStorage storage(options);
  REQUIRE(storage.ping().has_value());

  constexpr int threads = 16;
  std::vector<Tally> tallies(threads);
  std::atomic<bool> stop{false};
  std::vector<int> rounds_done(threads, 0);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::int64_t counter = 0;
      int i = 0;
      for (; !stop; ++i) one_round(storage, t, i, counter, tallies[std::size_t(t)], true);
      rounds_done[std::size_t(t)] = i;
    });
  }
  int killed = 0;
  {
    RawRedis raw(server.options(), 0);
    for (int round = 0; round < 10; ++round) {
      std::this_thread::sleep_for(60ms);
      killed += int(raw.integer({"CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal"}));
    }
  }
  stop = true;
  for (auto& w : workers) w.join();
  report(tallies);
  int unavailable = 0;
  for (const auto& tally : tallies) unavailable += tally.unavailable;
  CHECK(killed >= 10);
  // Some calls were on a killed connection's batch: they answered unavailable.
  CHECK(unavailable > 0);
  CHECK(storage.stats().reconnects >= 1u);

  // Afterwards every call succeeds, on new connections, with its own answers.
  std::vector<Tally> after(threads);
  workers.clear();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::int64_t counter = 0;
      for (int i = 0; i < 20; ++i) one_round(storage, t + 100, i, counter, after[std::size_t(t)], false);
    });
  }
  for (auto& w : workers) w.join();
  report(after);
  for (const auto& tally : after) CHECK(tally.succeeded == 20 * 5);
  CHECK(server.clients() <= 3);
}

TEST_CASE("a lone caller after a burst: one connection serves it, and stats count what is open") {
  Fresh f;
  RedisOptions options = main_options(db_main);
  options.pool_size = 4;
  RedisStorage storage(options);
  for (int i = 0; i < 50; ++i) {
    REQUIRE(storage.strings()->set(key_of(0, i), value_of(0, i), SetCondition::always, ExpiryAction::persist()));
    CHECK(storage.strings()->get(key_of(0, i)).value() == value_of(0, i));
  }
  // One caller at a time never needs a second connection.
  CHECK(storage.stats().connections == 1u);
}
