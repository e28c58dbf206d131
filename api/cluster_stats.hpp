// What metrics_text() asks of the clusters: each declared cluster's name and its backend's
// figures, without opening a backend that was not used yet.
#pragma once

#include "engine/storage.hpp"

#include <string>
#include <vector>

namespace cachet::detail {

struct ClusterStats {
  std::string cluster;
  engine::StorageStats stats;
};

// Every declared cluster whose storage is open: in an active test scope, the scope's storage
// of it; else its environment's storage (counters summed over every storage it opened, so
// that configure() never makes one go down; gauges from the one in use).
std::vector<ClusterStats> cluster_stats();

}  // namespace cachet::detail
