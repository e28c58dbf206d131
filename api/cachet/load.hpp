// Cache-aside in one call (get_or_set): LoadOptions, and the machinery behind it that is the
// same for every value type, compiled once (load.cpp): single flight within the process, and
// the lock key that makes one process of many load a missing value.
#pragma once

#include "engine/require_cxx23.hpp"

#include "engine/error.hpp"
#include "engine/expiry_action.hpp"
#include "engine/storage/keys.hpp"
#include "engine/storage/strings.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace cachet {

struct LoadOptions {
  // Above zero: at most one loader per key runs at a time across every process sharing the
  // backend, under a lock key with this TTL (SET NX PX); the others wait for its value up to
  // `lock`, then load themselves. It should outlast the loader: a lock that expires while its
  // loader still runs lets the next caller load too.
  std::chrono::milliseconds lock{0};
};

namespace detail {

struct LoadFlight;

// A caller's part in the load of one stored key in this process: the first caller leads (runs
// the loader), the others wait for its outcome.
class FlightSeat {
 public:
  // Joins the load of `key` in cluster `cluster`, or starts it. Fails with Errc::load_failed,
  // rather than waiting forever, when the load it would wait for waits (perhaps through
  // others) for this thread: a loader calling get_or_set on its own key.
  [[nodiscard]] static Result<FlightSeat> join(std::string_view cluster, std::string_view key);

  FlightSeat(FlightSeat&&) noexcept;
  FlightSeat& operator=(FlightSeat&&) = delete;
  // A leader that never finished (its loader threw) ends the flight: its waiters get
  // Errc::load_failed.
  ~FlightSeat();

  bool leads() const { return leads_; }
  // A waiter: the stored bytes the leader loaded or found, or Errc::load_failed saying why the
  // load failed. Waits as long as the leader's loader runs.
  [[nodiscard]] Result<std::string> wait();
  // The leader: ends the flight with its outcome, which every waiter receives.
  void finish(const Result<std::string>& outcome);

 private:
  FlightSeat(std::shared_ptr<LoadFlight> flight, bool leads) : flight_(std::move(flight)), leads_(leads) {}
  std::shared_ptr<LoadFlight> flight_;
  bool leads_;
};

// The loader, as the leader runs it: the value's stored bytes, or the loader's error.
struct Loader {
  Result<std::string> (*run)(void* context);
  void* context;
};

// The leader's part: reads the key again (a flight that just ended may have stored it), takes
// the lock key when options.lock asks for one (polling the value while another process holds
// it), runs the loader, writes what it returns with `expiry`, releases the lock, and finishes
// `seat` with the outcome. Answers the stored bytes, or the loader's error; a backend failure
// is returned, never turned into a load. A loader's exception passes through.
[[nodiscard]] Result<std::string> lead_load(FlightSeat& seat, engine::StringStorage& strings, engine::KeyStorage& keys,
                                            std::string_view key, const LoadOptions& options,
                                            engine::ExpiryAction expiry, Loader loader);

// How many callers now wait for the load of `key` in cluster `cluster` in this process (for
// tests, which make a loader hold on until its waiters are there).
std::size_t load_waiters(std::string_view cluster, std::string_view key);

// The lock key of a stored key, under the reserved prefix.
std::string load_lock_key(std::string_view key);

// LoadOptions that cannot be used: a negative lock, or one beyond 9e12 ms (as expire_in).
[[nodiscard]] Result<void> check_load_options(const LoadOptions& options);

}  // namespace detail
}  // namespace cachet
