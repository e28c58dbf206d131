// Set keyspace tests: being written.
#include "support.hpp"
