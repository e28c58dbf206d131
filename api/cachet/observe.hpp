// Observability: every cluster's figures as Prometheus text, and an observer that sees every
// keyspace call and every notice. What each metric means, and the decisions behind the
// counting: docs/api.md, "Observability".
#pragma once

#include "engine/require_cxx23.hpp"

#include "engine/error.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cachet {

// One keyspace call, as it ended. The views live only for the on_call that receives them.
struct CallEvent {
  std::string_view cluster;
  std::string_view keyspace;  // the key pattern, e.g. "user/:key"
  std::string_view op;        // the method's name: "get", "increment", ...
  std::chrono::nanoseconds duration;
  std::optional<Errc> error;  // nullopt: it succeeded; a miss is Errc::miss
};

// What an application plugs into its tracing or logging (examples/observer_adapter.cpp).
struct Observer {
  virtual ~Observer() = default;
  // Once per keyspace call, on the calling thread, after it ends. Keep it short (it runs
  // inside every call) and do not throw: an exception ends the program (std::terminate).
  // Keyspace calls made from inside on_call are not observed again.
  virtual void on_call(const CallEvent& event) = 0;
  // A notice for an operator (the development purge, a Redis reconnect), on whichever thread
  // met it. Without an observer, notices go to stderr.
  virtual void on_notice(std::string_view text) { static_cast<void>(text); }
};

// Sets the observer every thread's calls and notices go to from now on; nullptr removes it
// (notices go back to stderr). A call already under way may still reach the previous one.
void set_observer(std::shared_ptr<Observer> observer);

// Every cluster's figures in the Prometheus text exposition format (0.0.4): calls by
// cluster, keyspace, op and result, a latency histogram per keyspace, and what each
// cluster's backend reports (keys, memory, evictions, expirations, development purges, Redis
// connections and reconnects). With CACHET_METRICS=off nothing is counted, and the call
// metrics are absent.
std::string metrics_text();

// Whether calls are counted: CACHET_METRICS, read once at start-up ("on" or unset: yes;
// "off": no; anything else: yes, and a notice says the value was not understood).
bool metrics_enabled() noexcept;

}  // namespace cachet
