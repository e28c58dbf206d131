// The test program: doctest's main, with a fresh cachet scope for every test case run.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cachet/testing/doctest.hpp>
