// set_observer: on_call once per keyspace call, on the calling thread, after it ends; notices
// to on_notice instead of stderr, and back to stderr once the observer is removed.
#include "../support.hpp"

#include <cachet/observe.hpp>

#include "engine/notice.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

cachet::Cluster cluster("test-observer");
cachet::StringKeyspace<std::string> sessions(cluster, {.key_pattern = "session/:key"});
cachet::IntKeyspace<std::string> counters(cluster, {.key_pattern = "counter/:key"});

struct Seen {
  std::string cluster, keyspace, op;
  std::chrono::nanoseconds duration;
  std::optional<cachet::Errc> error;
  std::thread::id thread;
};

class Recorder : public cachet::Observer {
 public:
  void on_call(const cachet::CallEvent& e) override {
    std::lock_guard lock(mutex_);
    calls_.push_back({std::string(e.cluster), std::string(e.keyspace), std::string(e.op), e.duration, e.error,
                      std::this_thread::get_id()});
  }
  void on_notice(std::string_view text) override {
    std::lock_guard lock(mutex_);
    notices_.emplace_back(text);
  }
  std::vector<Seen> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::vector<std::string> notices() {
    std::lock_guard lock(mutex_);
    return notices_;
  }

 private:
  std::mutex mutex_;
  std::vector<Seen> calls_;
  std::vector<std::string> notices_;
};

// Sets an observer for the life of a test case, and removes it at its end.
struct Observing {
  std::shared_ptr<Recorder> recorder = std::make_shared<Recorder>();
  Observing() { cachet::set_observer(recorder); }
  ~Observing() { cachet::set_observer(nullptr); }
};

}  // namespace

TEST_CASE("on_call sees each call once, after it ends, with its cluster, pattern, op and outcome") {
  Observing observing;
  CHECK(test::code(sessions.get("s1")) == cachet::Errc::miss);
  CHECK(sessions.set("s1", "token"));
  CHECK(counters.increment("c", 5) == 5);
  CHECK(test::code(sessions.set_if_not_exists("s1", "other")) == cachet::Errc::key_exists);
  CHECK(sessions.with(cachet::expire_in(1min)).erase({"s1"}) == 1);

  const auto seen = observing.recorder->calls();
  REQUIRE(seen.size() == 5);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"session/:key", "get"}, {"session/:key", "set"}, {"counter/:key", "increment"},
      {"session/:key", "set_if_not_exists"}, {"session/:key", "erase"}};
  for (std::size_t i = 0; i < seen.size(); ++i) {
    INFO("call " << i);
    CHECK(seen[i].cluster == "test-observer");
    CHECK(seen[i].keyspace == expected[i].first);
    CHECK(seen[i].op == expected[i].second);
    CHECK(seen[i].duration > 0ns);
    CHECK(seen[i].duration < 60s);
    CHECK(seen[i].thread == std::this_thread::get_id());
  }
  CHECK(seen[0].error == cachet::Errc::miss);
  CHECK(seen[1].error == std::nullopt);
  CHECK(seen[2].error == std::nullopt);
  CHECK(seen[3].error == cachet::Errc::key_exists);
  CHECK(seen[4].error == std::nullopt);
}

TEST_CASE("on_call runs on each calling thread") {
  Observing observing;
  std::thread::id worker;
  std::thread t([&] {
    worker = std::this_thread::get_id();
    CHECK(sessions.set("w", "x"));
  });
  t.join();
  CHECK(sessions.get("w") == "x");
  const auto seen = observing.recorder->calls();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].thread == worker);
  CHECK(seen[1].thread == std::this_thread::get_id());
}

TEST_CASE("calls an observer makes from inside on_call are not observed again") {
  struct Chatty : cachet::Observer {
    int calls = 0;
    void on_call(const cachet::CallEvent&) override {
      ++calls;
      (void)counters.increment("observed");  // would recurse without end if it were observed
    }
  };
  auto chatty = std::make_shared<Chatty>();
  cachet::set_observer(chatty);
  CHECK(sessions.set("a", "b"));
  CHECK(sessions.set("a", "c"));
  cachet::set_observer(nullptr);
  CHECK(chatty->calls == 2);
  CHECK(counters.get("observed") == 2);
}

TEST_CASE("without an observer nothing is observed, and the last one set is the one told") {
  auto first = std::make_shared<Recorder>();
  auto second = std::make_shared<Recorder>();
  cachet::set_observer(first);
  CHECK(sessions.set("a", "1"));
  cachet::set_observer(second);
  CHECK(sessions.set("a", "2"));
  cachet::set_observer(nullptr);
  CHECK(sessions.set("a", "3"));
  CHECK(first->calls().size() == 1);
  CHECK(second->calls().size() == 1);
}

TEST_CASE("notices go to on_notice when an observer is set, else to stderr") {
  {
    Observing observing;
    const std::string printed = test::capture_stderr([] { cachet::engine::notice("a test notice"); });
    CHECK(printed.empty());
    CHECK(observing.recorder->notices() == std::vector<std::string>{"a test notice"});
  }
  const std::string printed = test::capture_stderr([] { cachet::engine::notice("after the observer"); });
  CHECK(printed == "cachet: after the observer\n");
}
