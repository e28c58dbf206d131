// get_or_set with LoadOptions::lock across real processes on one real redis-server
// (CACHET_TEST_REDIS_URL): several processes that miss one key at once run the loader once
// per expiry window, and a lock whose holder was killed expires so that the next caller loads.
//
// One program, two parts: run without arguments it is the test, which starts copies of itself
// as workers ("worker URL KEY MODE START_MS"). A worker calls get_or_set once, its loader
// counting each run with an INCR on a counter key, and prints what it got.
#include <cachet/cachet.hpp>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <set>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace std::chrono_literals;

namespace {

constexpr auto lock_ttl = 1500ms;       // LoadOptions::lock: longer than the loader takes
constexpr auto value_expiry = 2000ms;   // the keyspace's expiry: one window
constexpr auto loader_time = 300ms;     // how long the loader works (the source is slow)

cachet::Cluster cluster("load-procs");
cachet::StringKeyspace<std::string> values(cluster, {.key_pattern = "value/:key",
                                                     .default_expiry = cachet::expire_in(value_expiry)});
cachet::IntKeyspace<std::string> loads(cluster, {.key_pattern = "loads/:key"});

std::int64_t epoch_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int failures = 0;
void check(bool ok, const std::string& what) {
  if (ok) return;
  std::cerr << "FAILED: " << what << "\n";
  ++failures;
}

// A worker: waits for the common start, then one get_or_set. MODE "load" returns after
// loader_time; "hang" counts its run and then never returns (the test kills it).
int worker(const std::string& url, const std::string& key, const std::string& mode, std::int64_t start_ms) {
  cachet::configure("load-procs", url);
  while (epoch_ms() < start_ms) std::this_thread::sleep_for(1ms);
  const auto got = values.get_or_set(key, [&]() -> cachet::Result<std::string> {
    auto runs = loads.increment(key);
    if (!runs) return std::unexpected(runs.error());
    if (mode == "hang") {
      for (;;) pause();
    }
    std::this_thread::sleep_for(loader_time);
    return "loaded by " + std::to_string(getpid()) + " as run " + std::to_string(*runs);
  }, {.lock = lock_ttl});
  if (!got) {
    std::cerr << "worker " << getpid() << ": " << got.error().what() << "\n";
    return 1;
  }
  std::cout << *got << std::flush;
  return 0;
}

struct Child {
  pid_t pid;
  int out;  // the read end of its stdout
};

Child spawn(const char* self, const std::string& url, const std::string& key, const char* mode, std::int64_t start) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) std::abort();
  const pid_t pid = fork();
  if (pid < 0) std::abort();
  if (pid == 0) {
    dup2(pipe_fds[1], 1);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    const std::string start_text = std::to_string(start);
    execl("/proc/self/exe", self, "worker", url.c_str(), key.c_str(), mode, start_text.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipe_fds[1]);
  return {pid, pipe_fds[0]};
}

// Waits for the child; answers what it printed, and whether it exited 0.
std::pair<std::string, bool> finish(const Child& c) {
  std::string out;
  char buffer[256];
  for (ssize_t n; (n = read(c.out, buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    out.append(buffer, std::size_t(n));
  }
  close(c.out);
  int status = 0;
  while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  return {out, WIFEXITED(status) && WEXITSTATUS(status) == 0};
}

std::int64_t runs_of(const std::string& key) {
  auto n = loads.get(key);
  return n ? *n : 0;
}

// N processes miss `key` at once: one loads, all get its value.
void one_window(const char* self, const std::string& url, const std::string& key, std::int64_t expected_runs) {
  constexpr int processes = 8;
  const std::int64_t start = epoch_ms() + 500;  // time for every process to start and connect
  std::vector<Child> children;
  for (int i = 0; i < processes; ++i) children.push_back(spawn(self, url, key, "load", start));
  std::set<std::string> answers;
  for (const auto& c : children) {
    auto [out, ok] = finish(c);
    check(ok, "a worker failed");
    answers.insert(out);
  }
  check(runs_of(key) == expected_runs,
        "the loader ran " + std::to_string(runs_of(key)) + " times in all, expected " + std::to_string(expected_runs));
  check(answers.size() == 1, "the workers got " + std::to_string(answers.size()) + " different values");
  check(answers.begin()->ends_with("as run " + std::to_string(expected_runs)), "the value is not the last run's");
}

int test(const char* self) {
  const char* base = std::getenv("CACHET_TEST_REDIS_URL");
  if (base == nullptr || *base == '\0') {
    const char* required = std::getenv("CACHET_REQUIRE_REDIS");
    std::cerr << "CACHET_TEST_REDIS_URL is not set\n";
    return required != nullptr && *required != '\0' ? 1 : 77;  // 77: skipped
  }
  std::string url = base;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "key_prefix=load-procs-" + std::to_string(getpid()) + "/";
  cachet::configure("load-procs", url);

  // Several processes missing one key at once: one load per expiry window.
  one_window(self, url, "page", 1);
  one_window(self, url, "page", 1);  // within the window: all hit
  std::this_thread::sleep_for(value_expiry + 200ms);
  one_window(self, url, "page", 2);  // the value expired: one more load

  // The lock holder dies mid-load: its lock expires, and the next caller loads.
  const Child holder = spawn(self, url, "orphan", "hang", epoch_ms());
  for (int i = 0; i < 5000 && runs_of("orphan") == 0; ++i) std::this_thread::sleep_for(1ms);
  check(runs_of("orphan") == 1, "the holder did not start loading");
  kill(holder.pid, SIGKILL);
  (void)finish(holder);
  const auto lock_left = cluster.storage().keys().pttl(cachet::detail::load_lock_key(values.stored_key("orphan")));
  check(lock_left && lock_left->has_value(), "the dead holder's lock is not there with a TTL");
  const Child next = spawn(self, url, "orphan", "load", epoch_ms());
  auto [out, ok] = finish(next);
  check(ok, "the caller after the dead holder failed");
  check(out.ends_with("as run 2"), "the caller after the dead holder did not load: " + out);
  check(runs_of("orphan") == 2, "the loader ran " + std::to_string(runs_of("orphan")) + " times, expected 2");

  // Leave nothing behind on the shared server.
  (void)values.erase("page", "orphan");
  (void)loads.erase("page", "orphan");
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 6 && std::strcmp(argv[1], "worker") == 0) return worker(argv[2], argv[3], argv[4], std::atoll(argv[5]));
  if (argc != 1) {
    std::cerr << "usage: " << argv[0] << "\n";
    return 2;
  }
  return test(argv[0]);
}
