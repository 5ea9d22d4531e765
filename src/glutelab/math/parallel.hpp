// Independent jobs spread over a pool of threads.
#pragma once

#include <functional>

namespace glutelab {

/// Calls job(i) once for every i in [0, count) on `threads` workers (<= 0: all cores; never more
/// workers than jobs). Workers take the next index as they finish (uneven jobs balance out); job must
/// only touch data of its own index. The first exception a job throws is rethrown after every worker
/// has stopped (the remaining indices are skipped).
void parallel_for(int count, int threads, const std::function<void(int)>& job);

}  // namespace glutelab
