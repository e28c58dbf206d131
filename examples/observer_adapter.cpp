// Feeding cachet's calls and notices into the application's own logging (or tracing).
//
// An application already has a logger; cachet::set_observer hands it every keyspace call as
// it ends, on the calling thread, and every notice (the development purge, a Redis reconnect)
// instead of stderr. This adapter writes a structured line for calls that failed or were slow,
// and passes notices on at warning level. A tracing adapter has the same shape: on_call ends a
// span it opened from the event's duration, with the cluster, keyspace and op as attributes.
#include <cachet/cachet.hpp>

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

using namespace std::chrono_literals;

// Stands for the application's logger: a level and a line.
using Logger = std::function<void(std::string_view level, const std::string& line)>;

class LoggingObserver : public cachet::Observer {
 public:
  LoggingObserver(Logger log, std::chrono::nanoseconds slow) : log_(std::move(log)), slow_(slow) {}

  void on_call(const cachet::CallEvent& e) override {
    // A miss is the cache doing its job; any other error, or a slow call, is worth a line.
    const bool failed = e.error && *e.error != cachet::Errc::miss;
    if (!failed && e.duration < slow_) return;
    std::string line = "cache call cluster=" + std::string(e.cluster) + " keyspace=" + std::string(e.keyspace) +
                       " op=" + std::string(e.op) +
                       " duration_us=" + std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(e.duration).count()) +
                       " result=" + std::string(e.error ? cachet::errc_name(*e.error) : "ok");
    log_(failed ? "error" : "warning", line);
  }

  void on_notice(std::string_view text) override { log_("warning", "cache notice: " + std::string(text)); }

 private:
  Logger log_;
  std::chrono::nanoseconds slow_;
};

cachet::Cluster carts("carts");
cachet::IntKeyspace<std::string> items(carts, {.key_pattern = "items/:key"});
cachet::StringKeyspace<std::string> notes(carts, {.key_pattern = "note/:key"});

int main() {
  // The application's logger; here, lines on stdout.
  Logger log = [](std::string_view level, const std::string& line) {
    std::printf("[%.*s] %s\n", int(level.size()), level.data(), line.c_str());
  };
  cachet::set_observer(std::make_shared<LoggingObserver>(log, 50ms));

  (void)items.increment("c1", 2);  // fast and fine: no line
  (void)notes.get("c1");           // a miss: no line
  (void)notes.set("c1", "leave at the door");
  // An expiry at hour 24 is out of range: the write fails, and is logged as an error.
  (void)notes.with(cachet::expire_daily_at(24, 0, 0)).set("c2", "x");

  cachet::set_observer(nullptr);  // notices go back to stderr
  return 0;
}
