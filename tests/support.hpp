// What several test files share: printing results in failed checks, and letting time pass.
#pragma once

#include <cachet/cachet.hpp>
#include <cachet/testing.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <concepts>
#include <cstdint>
#include <iomanip>
#include <vector>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string_view>
#include <unistd.h>
#include <thread>
#include <optional>
#include <ostream>
#include <string>

namespace cachet {

inline std::ostream& operator<<(std::ostream& os, Errc code) { return os << errc_name(code); }
inline std::ostream& operator<<(std::ostream& os, const Error& e) { return os << e.what(); }

}  // namespace cachet

namespace test {

// Everything written to stderr while `f` runs.
template <class F>
std::string capture_stderr(F&& f) {
  std::fflush(stderr);
  FILE* file = std::tmpfile();
  const int saved = dup(2);
  dup2(fileno(file), 2);
  f();
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  std::rewind(file);
  std::string out;
  char buffer[512];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, file)) out.append(buffer, n);
  std::fclose(file);
  return out;
}

// The value of one sample in Prometheus text, by its name and labels exactly as written
// ("cachet_keys{cluster=\"x\"}"); 0 when the text has no such sample.
inline double sample(const std::string& text, std::string_view series) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > series.size() && line.starts_with(series) && line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return 0;
}

// The error code of a failed result (fails the check when the result succeeded).
template <class T>
cachet::Errc code(const cachet::Result<T>& r) {
  REQUIRE_MESSAGE(!r.has_value(), "expected an error");
  return r.error().code;
}

// Whether the suite runs against a server (CACHET_TEST_URL) rather than the memory engine.
inline bool on_server() {
  const char* url = std::getenv("CACHET_TEST_URL");
  return url != nullptr && *url != '\0';
}

// Lets `d` pass: moves the memory backend's clock, and really waits when the suite runs
// against a server, whose clock no test can move. Keep such waits short.
template <class Rep, class Period>
void elapse(std::chrono::duration<Rep, Period> d) {
  if (on_server()) std::this_thread::sleep_for(d);
  else cachet::testing::advance_time(d);  // which refuses to run on a server
}

// For a test case that only the memory engine can run (seeded randomness, engine internals,
// long stretches of time): TEST_CASE("..." * test::memory_only()).
inline auto memory_only() { return doctest::skip(on_server()); }

// For a test case that copies arguments past 512 MiB (the size guards): TEST_CASE("..." *
// test::not_under_thread_sanitizer()). Such a case runs no threads, so ThreadSanitizer has nothing
// to check in it, and its checked copies of gigabytes cost minutes; the plain and AddressSanitizer
// runs still run it.
inline auto not_under_thread_sanitizer() {
#if defined(__SANITIZE_THREAD__)
  return doctest::skip(true);
#else
  return doctest::skip(false);
#endif
}

// The value an operation answered (the check fails, showing the error, when it failed).
template <class T>
T value(const cachet::Result<T>& r) {
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().what()));
  return *r;
}

// The message of a refused configuration (a URL, an option): the check fails unless `r` is
// an error of code not_configured.
template <class T>
std::string refusal(const cachet::Result<T>& r) {
  REQUIRE_MESSAGE(!r.has_value(), "expected a refusal");
  CHECK(r.error().code == cachet::Errc::not_configured);
  return r.error().message;
}

// Whether an operation succeeded; a failure's error is printed.
template <class T>
bool ok(const cachet::Result<T>& r) {
  if (!r) MESSAGE("failed: " << r.error().what());
  return r.has_value();
}

// PTTL of a key's stored form, as Redis answers it: the milliseconds left, -1 for a key
// without a TTL, -2 for no key.
template <class KS>
std::int64_t pttl(const KS& ks, const typename KS::key_type& key) {
  const auto r = ks.cluster().storage().keys().pttl(ks.stored_key(key));
  if (!r) {
    REQUIRE_MESSAGE(r.error().code == cachet::Errc::miss, r.error().what());
    return -2;
  }
  return *r ? (*r)->count() : -1;
}

// Makes `key` of `ks` hold a string, as another program could.
template <class KS>
void write_string(const KS& ks, const typename KS::key_type& key) {
  REQUIRE(ok(ks.cluster().storage().strings()->set(ks.stored_key(key), "text", cachet::engine::SetCondition::always,
                                        cachet::engine::ExpiryAction::persist())));
}

// Prints elements between `open` and `close`, strings quoted, doubles exactly.
template <class V>
std::ostream& print_elements(std::ostream& os, const std::vector<V>& items, char open, char close) {
  os << open << std::setprecision(17);
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) os << ", ";
    if constexpr (std::same_as<V, std::string>) os << std::quoted(items[i]);
    else os << items[i];
  }
  return os << close;
}

// The elements of a list or a set, compared as a whole and printed in failed checks: a list's
// in their order, [a, b]; a set's sorted, {a, b}, since a set's answer has no order of its own.
template <class V, bool is_set>
struct Elements {
  std::vector<V> items;
  Elements(std::initializer_list<V> list) : items(list) { arrange(); }
  template <class Range>
  explicit Elements(const Range& range) : items(range.begin(), range.end()) {
    arrange();
  }
  friend bool operator==(const Elements&, const Elements&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Elements& e) {
    return print_elements(os, e.items, is_set ? '{' : '[', is_set ? '}' : ']');
  }

 private:
  void arrange() {
    if constexpr (is_set) std::sort(items.begin(), items.end());
  }
};
template <class V>
using Seq = Elements<V, false>;
template <class V>
using Members = Elements<V, true>;

// The elements a read answered, in order (the check fails, showing the error, when it failed).
template <class V>
Seq<V> seq(const cachet::Result<std::vector<V>>& r) {
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().what()));
  return Seq<V>(*r);
}
// The members a read answered, sorted (the check fails, showing the error, when it failed).
template <class Range>
Members<typename Range::value_type> sorted(const cachet::Result<Range>& r) {
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().what()));
  return Members<typename Range::value_type>(*r);
}

// Sets (or, with nullopt, unsets) an environment variable for the life of the object.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) setenv(name, value->c_str(), 1);
    else unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) setenv(name_, old_->c_str(), 1);
    else unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace test
