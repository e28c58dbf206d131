// get_or_set's machinery: the flights of this process (one per stored key being loaded) and
// the lock key shared with other processes.
#include "cachet/load.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>
#include <unordered_map>

namespace cachet::detail {

struct LoadFlight {
  std::string name;  // the cluster, '\0', the stored key
  std::thread::id leader;
  bool done = false;
  Result<std::string> outcome;
  std::condition_variable finished;
};

namespace {

// One mutex for every flight and the table of who waits for what: joins and ends are rare
// (misses only) and short, and one lock makes the wait-cycle check below exact.
std::mutex flights_mutex;
std::unordered_map<std::string, std::shared_ptr<LoadFlight>> flights;
// The flight each waiting thread waits for: a join that would close a cycle fails instead.
std::unordered_map<std::thread::id, LoadFlight*> waiting;

Error load_failed(std::string message) { return Error{Errc::load_failed, "", "", std::move(message)}; }

std::string flight_name(std::string_view cluster, std::string_view key) {
  std::string name;
  name.reserve(cluster.size() + 1 + key.size());
  name.append(cluster).push_back('\0');
  name.append(key);
  return name;
}

}  // namespace

std::size_t load_waiters(std::string_view cluster, std::string_view key) {
  std::lock_guard lock(flights_mutex);
  auto it = flights.find(flight_name(cluster, key));
  if (it == flights.end()) return 0;
  std::size_t n = 0;
  for (const auto& [thread, flight] : waiting) n += flight == it->second.get() ? 1 : 0;
  return n;
}

Result<FlightSeat> FlightSeat::join(std::string_view cluster, std::string_view key) {
  std::string name = flight_name(cluster, key);
  const auto me = std::this_thread::get_id();
  std::lock_guard lock(flights_mutex);
  auto it = flights.find(name);
  if (it == flights.end()) {
    auto flight = std::make_shared<LoadFlight>();
    flight->name = std::move(name);
    flight->leader = me;
    flights.emplace(flight->name, flight);
    return FlightSeat(std::move(flight), true);
  }
  // Waiting for a leader that waits, perhaps through others, for this thread would never end.
  for (auto t = it->second->leader;;) {
    if (t == me) {
      return std::unexpected(load_failed(
          "the load of this key waits for this very call (a loader calling get_or_set on its own key, "
          "directly or through other loads)"));
    }
    auto w = waiting.find(t);
    if (w == waiting.end()) break;
    t = w->second->leader;
  }
  waiting[me] = it->second.get();
  return FlightSeat(it->second, false);
}

FlightSeat::FlightSeat(FlightSeat&& other) noexcept : flight_(std::move(other.flight_)), leads_(other.leads_) {}

FlightSeat::~FlightSeat() {
  if (!flight_) return;
  if (leads_) {
    // Only a loader's exception leaves a flight unfinished (lead_load finishes it otherwise).
    finish(std::unexpected(load_failed("the loader threw an exception")));
  } else {
    std::lock_guard lock(flights_mutex);
    waiting.erase(std::this_thread::get_id());
  }
}

Result<std::string> FlightSeat::wait() {
  std::unique_lock lock(flights_mutex);
  flight_->finished.wait(lock, [&] { return flight_->done; });
  waiting.erase(std::this_thread::get_id());
  Result<std::string> outcome = flight_->outcome;
  flight_.reset();
  lock.unlock();
  if (outcome) return outcome;
  if (outcome.error().code == Errc::load_failed) return std::unexpected(load_failed(outcome.error().message));
  return std::unexpected(load_failed("the load by another caller failed: " + outcome.error().what()));
}

void FlightSeat::finish(const Result<std::string>& outcome) {
  if (!flight_ || !leads_) return;
  {
    std::lock_guard lock(flights_mutex);
    if (flight_->done) return;
    flight_->outcome = outcome;
    flight_->done = true;
    auto it = flights.find(flight_->name);
    if (it != flights.end() && it->second == flight_) flights.erase(it);
  }
  flight_->finished.notify_all();
}

std::string load_lock_key(std::string_view key) {
  std::string out = "__cachet/lock/";
  out.append(key);
  return out;
}

Result<void> check_load_options(const LoadOptions& options) {
  if (options.lock.count() < 0) return fail(Errc::invalid_value, "LoadOptions::lock must not be negative");
  if (options.lock.count() > 9'000'000'000'000) {
    return fail(Errc::out_of_range, "LoadOptions::lock is beyond 9e12 milliseconds (about 285 years)");
  }
  return {};
}

namespace {

// The value under `key`: nullopt for a miss, an error for anything else that went wrong.
Result<std::optional<std::string>> look(engine::StringStorage& strings, std::string_view key) {
  auto value = strings.get(key);
  if (value) return std::optional<std::string>(std::move(*value));
  if (value.error().code == Errc::miss) return std::nullopt;
  return std::unexpected(std::move(value.error()));
}

// Releases a lock key this caller took, also when the loader throws. A failed release is left
// to the lock's TTL: the value is stored already, or the load failed anyway.
struct LockRelease {
  engine::KeyStorage& keys;
  std::optional<std::string> key;
  ~LockRelease() {
    if (!key) return;
    const std::string one[] = {*key};
    (void)keys.del(one);
  }
};

Result<std::string> load(FlightSeat& seat, engine::StringStorage& strings, engine::KeyStorage& keys,
                         std::string_view key, const LoadOptions& options, engine::ExpiryAction expiry,
                         Loader loader) {
  // A flight that ended between this caller's miss and its join may have stored the value.
  auto found = look(strings, key);
  if (!found) return std::unexpected(std::move(found.error()));
  if (*found) return std::move(**found);

  LockRelease release{keys, std::nullopt};
  if (options.lock.count() > 0) {
    // Another process holding the lock is loading: poll for its value, a twentieth of the lock
    // at a time (1 to 50 ms), until the lock is ours or `lock` has passed.
    const std::string lock_key = load_lock_key(key);
    const std::string holder = "pid " + std::to_string(::getpid());
    const auto deadline = std::chrono::steady_clock::now() + options.lock;
    const auto poll = std::clamp<std::chrono::milliseconds>(options.lock / 20, std::chrono::milliseconds(1),
                                                            std::chrono::milliseconds(50));
    for (;;) {
      auto took = strings.set(lock_key, holder, engine::SetCondition::if_absent,
                              engine::ExpiryAction::after(options.lock));
      if (!took) return std::unexpected(std::move(took.error()));
      if (*took) {
        release.key = lock_key;
        break;
      }
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) break;  // waited `lock` out: load without it
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(poll, deadline - now));
      found = look(strings, key);
      if (!found) return std::unexpected(std::move(found.error()));
      if (*found) return std::move(**found);
    }
    if (release.key) {
      // The previous holder may have stored the value and released the lock just before.
      found = look(strings, key);
      if (!found) return std::unexpected(std::move(found.error()));
      if (*found) return std::move(**found);
    }
  }

  Result<std::string> loaded;
  try {
    loaded = loader.run(loader.context);
  } catch (...) {
    // The exception reaches this caller; the waiters learn what it said.
    std::string what = "the loader threw an exception";
    try {
      throw;
    } catch (const std::exception& e) {
      what += ": ";
      what += e.what();
    } catch (...) {
    }
    seat.finish(std::unexpected(load_failed(std::move(what))));
    throw;
  }
  if (!loaded) return loaded;
  auto written = strings.set(key, *loaded, engine::SetCondition::always, expiry);
  if (!written) return std::unexpected(std::move(written.error()));
  return loaded;
}

}  // namespace

Result<std::string> lead_load(FlightSeat& seat, engine::StringStorage& strings, engine::KeyStorage& keys,
                              std::string_view key, const LoadOptions& options, engine::ExpiryAction expiry,
                              Loader loader) {
  Result<std::string> outcome = load(seat, strings, keys, key, options, expiry, loader);
  seat.finish(outcome);
  return outcome;
}

}  // namespace cachet::detail
