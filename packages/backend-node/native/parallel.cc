// A persistent worker pool with one mailbox per worker. The caller splits a job into contiguous
// chunks, hands chunk w to worker w (fields first, then a release store of the worker's sequence
// number), runs chunk 0 itself, and waits until every worker it used has published that sequence
// number as done. A worker only ever reads a job addressed to it, and the caller returns only when
// all of them have finished, so no job outlives its caller.
//
// Workers spin and yield for a while (Backoff) before sleeping on a condition variable: the
// kernels of a training step arrive tens of microseconds apart, and waking a sleeping thread
// costs about as much as a small kernel. Workers are detached and never destroyed, so exit never waits on them.
#include "parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ISOTROPY_PAUSE() _mm_pause()
#else
#define ISOTROPY_PAUSE() std::this_thread::yield()
#endif

namespace isotropy {
namespace {

std::atomic<int> g_threads{1};

// Waiting for another thread: a few microseconds of pause-spinning, then sched_yield until
// kSpin has passed (step() then returns false: a worker goes to sleep, a caller keeps yielding).
// Yielding matters when both threads share a core (a fresh thread starts on its creator's core
// until the balancer moves it): pure spinning there costs the other one a whole time slice.
constexpr auto kSpin = std::chrono::microseconds(50);

struct Backoff {
  int spins = 0;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  bool step() {
    if (++spins < 100) {
      ISOTROPY_PAUSE();
      return true;
    }
    std::this_thread::yield();
    return std::chrono::steady_clock::now() - start < kSpin;
  }
};

struct Worker {
  std::atomic<unsigned long long> seq{0}, done{0};
  std::atomic<bool> sleeping{false};
  std::mutex m;
  std::condition_variable cv;
  const std::function<void(size_t, size_t)>* fn = nullptr;
  size_t begin = 0, end = 0;

  void loop() {
    unsigned long long seen = 0;
    for (;;) {
      Backoff backoff;
      while (seq.load(std::memory_order_acquire) == seen) {
        if (backoff.step()) continue;
        std::unique_lock<std::mutex> lk(m);
        sleeping.store(true);
        cv.wait(lk, [&] { return seq.load() != seen; });
        sleeping.store(false);
        break;
      }
      seen = seq.load(std::memory_order_acquire);
      (*fn)(begin, end);
      done.store(seen, std::memory_order_release);
    }
  }

  void post(const std::function<void(size_t, size_t)>* f, size_t b, size_t e) {
    fn = f;
    begin = b;
    end = e;
    seq.store(seq.load() + 1);  // seq_cst: ordered before the sleeping check below
    if (sleeping.load()) {
      std::lock_guard<std::mutex> lk(m);
      cv.notify_one();
    }
  }

  void wait() {
    const unsigned long long target = seq.load();
    Backoff backoff;
    while (done.load(std::memory_order_acquire) != target) backoff.step();
  }
};

struct Pool {
  std::mutex submit;  // one job at a time; a second caller runs serially instead of waiting
  std::vector<std::unique_ptr<Worker>> workers;

  void ensure(size_t count) {
    while (workers.size() < count) {
      workers.push_back(std::make_unique<Worker>());
      Worker* w = workers.back().get();
      std::thread([w] { w->loop(); }).detach();
    }
  }
};

Pool& pool() {
  static Pool* p = new Pool();  // leaked on purpose: see the file comment
  return *p;
}

}  // namespace

int threads() { return g_threads.load(); }
void set_threads(int n) { g_threads.store(std::max(1, n)); }

void parallel_for(size_t n, size_t grain, const std::function<void(size_t, size_t)>& fn) {
  if (n == 0) return;
  const size_t t = static_cast<size_t>(threads());
  const size_t parts = std::min(t, n / std::max<size_t>(grain, 1));
  if (parts <= 1) {
    fn(0, n);
    return;
  }
  Pool& p = pool();
  std::unique_lock<std::mutex> submit(p.submit, std::try_to_lock);
  if (!submit.owns_lock()) {
    fn(0, n);
    return;
  }
  p.ensure(parts - 1);
  for (size_t w = 1; w < parts; w++) p.workers[w - 1]->post(&fn, n * w / parts, n * (w + 1) / parts);
  fn(0, n / parts);
  for (size_t w = 1; w < parts; w++) p.workers[w - 1]->wait();
}

}  // namespace isotropy
