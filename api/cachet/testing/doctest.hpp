// Include once in a doctest test program (after <doctest/doctest.h>): every test case, and
// every run of a test case that doctest re-enters for its subcases, gets a fresh
// cachet::testing::Scope, so tests need no cleanup and never see each other's keys.
#pragma once

#include "../engine/require_cxx23.hpp"

#include "../testing.hpp"

#include <doctest/doctest.h>

#include <optional>

namespace cachet::testing::detail {

class DoctestScopes final : public doctest::IReporter {
 public:
  explicit DoctestScopes(const doctest::ContextOptions&) {}

  void test_case_start(const doctest::TestCaseData&) override { renew(); }
  void test_case_reenter(const doctest::TestCaseData&) override { renew(); }
  void test_case_end(const doctest::CurrentTestCaseStats&) override { scope_.reset(); }

  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}

 private:
  void renew() {
    scope_.reset();
    scope_.emplace();
  }
  std::optional<Scope> scope_;
};

REGISTER_LISTENER("cachet-scopes", 1, DoctestScopes);

}  // namespace cachet::testing::detail
