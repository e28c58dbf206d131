// The key patterns registered in one cluster (engine/pattern_registry.hpp): when two
// conflict, and the registry that refuses the second. Through keyspaces: tests/api/key_pattern.cpp.
#include "../support.hpp"

#include "engine/pattern_registry.hpp"

#include <set>

using cachet::engine::patterns_conflict;

TEST_CASE("patterns conflict where a literal faces a placeholder, or where their shapes are the same") {
  struct Case {
    const char* a;
    const char* b;
    bool conflict;
  };
  const Case cases[] = {
      {"foo/:a", "foo/bar/:b", true},   // literal "bar" faces placeholder ":a"
      {":key/x", "foo/:key", true},     // at the first segment already
      {"s/:key", "s/:key", true},       // the same shape
      {"s/:key", "s/:other", true},     // placeholders' names do not matter
      {"a", "a", true},
      {"a/:id", "a/:id/b", false},      // one runs out first
      {"a", "a/b", false},
      {"a/:x", "b/:x", false},          // two different literals
      {"r/:u/x/:p", "r/:u/y/:p", false},
      // A hash tag's braces are part of their segments: values never write a brace, so
      // segments with braces in different places never meet ...
      {"{:a}/x", ":a/x", false},
      {"{:a}/x", "{:a/x}", false},
      {"{a}/:k", "a/:k", false},
      // ... and with the same braces the segments compare as without them.
      {"{:a}/x", "{:b}/x", true},
      {"f/{:a}/:b", "f/{:c}/:d", true},
      {"{x}/:k", "{:k}/x", true},
      {"{t/:a}/x", "{t/:b}/y", false},  // two different literals after the tag
      {"{t/:a}/x", "{u/:b}/x", false},  // ... or in it
  };
  for (const Case& c : cases) {
    CAPTURE(c.a);
    CAPTURE(c.b);
    CHECK(patterns_conflict(c.a, c.b) == c.conflict);
    CHECK(patterns_conflict(c.b, c.a) == c.conflict);
  }
}

TEST_CASE("the registry refuses a conflicting pattern naming both, and takes it once the other is released") {
  cachet::engine::PatternRegistry registry;
  const auto first = registry.add("x/:key");
  const auto second = registry.add("y/:key");
  CHECK(first != second);
  CHECK_THROWS_WITH_AS(registry.add("x/:id"),
                       doctest::Contains("key pattern \"x/:id\" conflicts with key pattern \"x/:key\""),
                       cachet::ConfigError);
  registry.release(first);
  const auto again = registry.add("x/:id");
  CHECK(again != second);
  registry.release(12345);  // an unknown handle: nothing happens
  CHECK_THROWS_AS(registry.add("y/:other"), cachet::ConfigError);
  std::set<std::uint64_t> handles{first, second, again};
  CHECK(handles.size() == 3);  // a handle is never handed out twice
}
