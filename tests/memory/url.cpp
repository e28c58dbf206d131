// The memory backend's URL: memory://?max_keys=N&max_memory=256mb&samples=5, and nothing else.
#include "../support.hpp"

#include "backends/memory/memory_url.hpp"
#include "engine/url.hpp"

#include <string>

namespace {

// The options of a memory:// URL, or its refusal.
cachet::Result<cachet::memory::MemoryOptions> parse(std::string_view text) {
  auto url = cachet::engine::parse_url(text);
  if (!url) return std::unexpected(url.error());
  return cachet::memory::parse_url(*url);
}

}  // namespace

TEST_CASE("memory:// takes max_keys, max_memory with Redis's units, and samples") {
  auto r = parse("memory://?max_keys=1000&max_memory=256mb&samples=10");
  REQUIRE(r);
  CHECK(r->max_keys == 1000);
  CHECK(r->max_memory == 256u * 1024 * 1024);
  CHECK(r->samples == 10);
  r = parse("memory://");
  REQUIRE(r);
  CHECK(r->max_keys == 0);
  CHECK(r->max_memory == 0);
  CHECK(r->samples == 5);
  CHECK(parse("memory://?max_memory=2GB")->max_memory == 2ull * 1024 * 1024 * 1024);
  CHECK(parse("memory://?max_memory=1000k")->max_memory == 1000u * 1000);
  CHECK(parse("memory://?max_memory=512")->max_memory == 512);
  CHECK(parse("memory:///")->max_keys == 0);
}

TEST_CASE("memory:// refuses a host, a bad number and another backend's option, naming each") {
  CHECK(test::refusal(parse("memory://somehost")).find("no host") != std::string::npos);
  CHECK(test::refusal(parse("memory://user:pw@")).find("no host") != std::string::npos);
  CHECK(test::refusal(parse("memory://?max_keys=lots")).find("max_keys \"lots\"") != std::string::npos);
  CHECK(test::refusal(parse("memory://?max_memory=12parsecs")).find("max_memory") != std::string::npos);
  CHECK(test::refusal(parse("memory://?samples=0")).find("samples \"0\"") != std::string::npos);
  CHECK(test::refusal(parse("memory://?samples=65")).find("samples") != std::string::npos);
  CHECK(test::refusal(parse("memory://?pool_size=2")).find("unknown option") != std::string::npos);
}
