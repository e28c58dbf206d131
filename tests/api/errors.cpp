// Errors: what() reads as api.md shows, and Errc plugs into std::error_code.
#include "../support.hpp"

#include <system_error>

TEST_CASE("what() formats as: cachet: op \"key\": message") {
  const cachet::Error e{cachet::Errc::miss, "get", "requests/u1", "cache miss"};
  CHECK(e.what() == "cachet: get \"requests/u1\": cache miss");
  const cachet::Error no_key{cachet::Errc::not_configured, "verify", "", "CACHET_ENV is wrong"};
  CHECK(no_key.what() == "cachet: verify: CACHET_ENV is wrong");
  const cachet::Error no_message{cachet::Errc::timeout, "get", "k", ""};
  CHECK(no_message.what() == "cachet: get \"k\": the backend did not answer in time");
}

TEST_CASE("Errc converts to std::error_code in the category named cachet") {
  const std::error_code ec = cachet::make_error_code(cachet::Errc::wrong_type);
  CHECK(ec);
  CHECK(std::string(ec.category().name()) == "cachet");
  CHECK(ec.message() == "the key holds another kind of value");
  const std::error_code implicit = cachet::Errc::miss;  // is_error_code_enum
  CHECK(implicit == cachet::Errc::miss);
  CHECK(implicit != cachet::Errc::key_exists);
  const cachet::Error e{cachet::Errc::timeout, "get", "k", "slow"};
  CHECK(e.error_code() == cachet::Errc::timeout);
}

TEST_CASE("every Errc has a name and a message") {
  CHECK(cachet::errc_name(cachet::Errc::unsupported) == "unsupported");
  CHECK(cachet::errc_name(cachet::Errc::load_failed) == "load_failed");
  for (int i = 1; i <= int(cachet::Errc::load_failed); ++i) {
    const auto code = static_cast<cachet::Errc>(i);
    CAPTURE(i);
    CHECK(cachet::errc_name(code) != "unknown");
    CHECK(cachet::make_error_code(code).message().find("unknown") == std::string::npos);
  }
}
