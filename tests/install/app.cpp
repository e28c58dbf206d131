// A program built against an installed cachet, in each way README's "Use it from your build"
// shows (tests/install/use_it.py builds it). It uses a StructKeyspace, so Boost.JSON's link
// flags must come along, and checks what it reads back.
#include <cachet/cachet.hpp>

#include <boost/describe.hpp>

#include <cstdio>
#include <string>

struct Visit {
  std::string page;
  int seconds;
};
BOOST_DESCRIBE_STRUCT(Visit, (), (page, seconds))

inline cachet::Cluster cache("app-cache");
inline cachet::IntKeyspace<std::string> hits(cache, {.key_pattern = "hits/:key"});
inline cachet::StructKeyspace<std::string, Visit> last_visit(cache, {.key_pattern = "last-visit/:key"});

int main() {
  for (int i = 0; i < 3; ++i) {
    if (auto n = hits.increment("home", 1); !n) return std::fprintf(stderr, "%s\n", n.error().what().c_str()), 1;
  }
  if (auto ok = last_visit.set("ana", Visit{"home", 42}); !ok) {
    return std::fprintf(stderr, "%s\n", ok.error().what().c_str()), 1;
  }
  const auto count = hits.get("home");
  const auto visit = last_visit.get("ana");
  if (!count || !visit) return std::fprintf(stderr, "cachet did not give back what was written\n"), 1;
  std::printf("home: %lld hits; ana was last on %s for %d s\n", static_cast<long long>(*count),
              visit->page.c_str(), visit->seconds);
  return 0;
}
