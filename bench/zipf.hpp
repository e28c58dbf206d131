// Zipf-distributed ranks, for the cache workloads: a few keys are hot, most are cold.
//
// The inverse-CDF method over a precomputed table: exact for the universe sizes used here
// (10^5), and cheap enough that sequences of millions are generated in well under a second.
// Everything is pre-generated before timing starts, so the generator's speed never shows.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace bench {

class Zipf {
 public:
  // Ranks 0..n-1, P(rank k) proportional to 1 / (k + 1)^s.
  Zipf(std::size_t n, double s) : cdf_(n) {
    double sum = 0;
    for (std::size_t k = 0; k < n; ++k) {
      sum += 1.0 / std::pow(double(k + 1), s);
      cdf_[k] = sum;
    }
    for (double& c : cdf_) c /= sum;
    cdf_.back() = 1.0;  // no rounding gap above the last rank
  }

  template <class Rng>
  std::size_t operator()(Rng& rng) const {
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    return std::size_t(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
  }

  std::size_t size() const { return cdf_.size(); }

 private:
  std::vector<double> cdf_;
};

}  // namespace bench
