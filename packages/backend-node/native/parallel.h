// The addon's one thread setting (ISOTROPY_NODE_THREADS, setThreads) and a small persistent pool:
// spawning std::threads per call costs tens of microseconds, more than many kernels take.
#pragma once
#include <cstddef>
#include <functional>

namespace isotropy {

int threads();
void set_threads(int n);

// Runs fn(begin, end) over [0, n) in at most threads() contiguous chunks of at least `grain`
// items each; the calling thread takes part. Serial (one call fn(0, n)) when one chunk suffices
// or when another thread is already using the pool.
void parallel_for(size_t n, size_t grain, const std::function<void(size_t, size_t)>& fn);

}  // namespace isotropy
