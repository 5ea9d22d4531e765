// parallel_for: every index exactly once on any thread count, the first exception rethrown after the
// workers stop.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "glutelab/math/parallel.hpp"

namespace glutelab {
namespace {

TEST(ParallelFor, EveryIndexOnce) {
  for (const int threads : {0, 1, 2, 7, 64}) {
    std::vector<std::atomic<int>> hits(37);
    parallel_for(37, threads, [&](int i) { ++hits[static_cast<std::size_t>(i)]; });
    for (const auto& h : hits) EXPECT_EQ(h.load(), 1) << threads << " threads";
  }
  int calls = 0;
  parallel_for(0, 4, [&](int) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(ParallelFor, RethrowsTheJobsError) {
  std::atomic<int> ran{0};
  EXPECT_THROW(parallel_for(100, 2,
                            [&](int i) {
                              ++ran;
                              if (i == 5) throw std::runtime_error("job 5 failed");
                            }),
               std::runtime_error);
  EXPECT_GE(ran.load(), 6);
}

}  // namespace
}  // namespace glutelab
