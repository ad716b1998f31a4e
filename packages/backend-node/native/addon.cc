// N-API addon of @isotropy/backend-node: batched SGEMM through OpenBLAS (when built with it)
// or the bundled kernel, with a thread setting shared by both, and the registration of the other
// kernels (elementwise, reduce, scatter, pad, transpose, the fused bilinear layer: one file each,
// see bindings.h).
#include <node_api.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "bindings.h"
#include "parallel.h"
#include "napi_util.h"
#include "sgemm.h"

#ifdef ISOTROPY_OPENBLAS
#include <cblas.h>
extern "C" void openblas_set_num_threads(int);
extern "C" int openblas_get_num_threads(void);
extern "C" char* openblas_get_config(void);
#endif

namespace {

int default_threads() {
  const char* env = std::getenv("ISOTROPY_NODE_THREADS");
  if (env != nullptr) {
    const int n = std::atoi(env);
    if (n >= 1) return n;
  }
  // All cores but one: V8's garbage collector marks concurrently on a helper thread, and the
  // tensors of a training step keep it busy (external ArrayBuffer memory triggers a full GC every
  // few dozen milliseconds). On 2 cores an EMLP step measured ~25% slower with both cores given
  // to the kernels than with one.
  const unsigned hw = std::thread::hardware_concurrency();
  return hw <= 2 ? 1 : static_cast<int>(hw) - 1;
}

// Every tensor a kernel returns is a new zero-filled ArrayBuffer, which V8 takes from calloc.
// glibc serves a block over its mmap threshold (128 KiB at first; a [500, 432] float tensor is
// 864 KB) with fresh pages from the kernel and gives freed heap tops back: each such tensor then
// pays a page fault per 4 KiB page (an elementwise add of that size measured 0.66 ms against 0.15
// ms with the reuse below). Raising both thresholds keeps freed blocks for the next tensor of the
// step. ISOTROPY_NODE_MALLOC=system leaves glibc's defaults. Returns what is in effect.
const char* tune_malloc() {
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
  const char* env = std::getenv("ISOTROPY_NODE_MALLOC");
  if (env != nullptr && std::strcmp(env, "system") == 0) return "system";
  const bool ok = mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1;
  return ok ? "reuse" : "system";
#else
  return "system";
#endif
}

const char* malloc_mode = "system";

void set_threads(int n) {
  isotropy::set_threads(n);
#ifdef ISOTROPY_OPENBLAS
  openblas_set_num_threads(isotropy::threads());
#endif
}

#define CHECK(call) ISO_CHECK(call)

bool get_f32(napi_env env, napi_value v, float** data, size_t* length) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return false;
  napi_typedarray_type type;
  void* ptr = nullptr;
  if (napi_get_typedarray_info(env, v, &type, length, &ptr, nullptr, nullptr) != napi_ok)
    return false;
  if (type != napi_float32_array) return false;
  *data = static_cast<float*>(ptr);
  return true;
}

bool get_u32(napi_env env, napi_value v, uint32_t** data, size_t* length) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return false;
  napi_typedarray_type type;
  void* ptr = nullptr;
  if (napi_get_typedarray_info(env, v, &type, length, &ptr, nullptr, nullptr) != napi_ok)
    return false;
  if (type != napi_uint32_array) return false;
  *data = static_cast<uint32_t*>(ptr);
  return true;
}

napi_value throw_type(napi_env env, const char* msg) {
  napi_throw_type_error(env, nullptr, msg);
  return nullptr;
}

struct Job {
  bool transA, transB;
  int M, N, K;
  const float* A;
  const float* B;
  float* C;
  const uint32_t* aOff;
  const uint32_t* bOff;
  size_t batch;
  bool bundled;
  bool accumulate;  // C += the product (beta = 1)
};

// Rows [m0, m1) of product bi: OpenBLAS (with its own threads) or the bundled kernel (one
// thread).
void run_rows(const Job& j, size_t bi, int m0, int m1) {
  const float* a = j.A + j.aOff[bi];
  const float* b = j.B + j.bOff[bi];
  float* c = j.C + bi * static_cast<size_t>(j.M) * j.N;
#ifdef ISOTROPY_OPENBLAS
  if (!j.bundled) {
    const int lda = j.transA ? j.M : j.K, ldb = j.transB ? j.K : j.N;
    // Row m of op(A) is column m of a stored transposed A.
    const float* ar = j.transA ? a + m0 : a + static_cast<size_t>(m0) * j.K;
    cblas_sgemm(CblasRowMajor, j.transA ? CblasTrans : CblasNoTrans,
                j.transB ? CblasTrans : CblasNoTrans, m1 - m0, j.N, j.K, 1.0f, ar, lda, b, ldb,
                j.accumulate ? 1.0f : 0.0f, c + static_cast<size_t>(m0) * j.N, j.N);
    return;
  }
#endif
  isotropy::sgemm_bundled_rows(j.transA, j.transB, j.M, j.N, j.K, a, b, c, m0, m1, j.accumulate);
}

// Multiply-adds below which a share of a product is not worth handing to another thread.
constexpr double kGemmGrain = 1 << 19;

// OpenBLAS threads each product itself (openblas_set_num_threads follows the thread setting), so
// its calls stay on this thread, one product after another: OpenBLAS 0.3.21 serialises
// concurrent callers on its buffer lock (spinning on sched_yield), which measured slower than
// letting it split the product. The bundled kernel uses the addon's pool: threads split the batch
// when it has enough products, else the rows of each product (in slivers of 4, its row block).
void run_gemm(const Job& j) {
#ifdef ISOTROPY_OPENBLAS
  if (!j.bundled) {
    for (size_t bi = 0; bi < j.batch; bi++) run_rows(j, bi, 0, j.M);
    return;
  }
#endif
  const double per = static_cast<double>(j.M) * j.N * j.K;
  const size_t t = static_cast<size_t>(isotropy::threads());
  if (j.batch >= 2 * t || per * t < kGemmGrain) {
    const size_t grain = static_cast<size_t>(std::max(1.0, kGemmGrain / std::max(per, 1.0)));
    isotropy::parallel_for(j.batch, grain, [&j](size_t b0, size_t b1) {
      for (size_t bi = b0; bi < b1; bi++) run_rows(j, bi, 0, j.M);
    });
    return;
  }
  const size_t slivers = (static_cast<size_t>(j.M) + 3) / 4;
  const double per_sliver = 4.0 * j.N * j.K;
  const size_t grain = static_cast<size_t>(std::max(1.0, kGemmGrain / per_sliver));
  for (size_t bi = 0; bi < j.batch; bi++) {
    isotropy::parallel_for(slivers, grain, [&j, bi](size_t s0, size_t s1) {
      run_rows(j, bi, static_cast<int>(s0 * 4), static_cast<int>(std::min<size_t>(j.M, s1 * 4)));
    });
  }
}

// batchMatMul(a, b, c, M, N, K, transA, transB, aOffsets, bOffsets, bundled)
// c (Float32Array of batch*M*N) is overwritten; batch = aOffsets.length; a product bi reads
// a[aOffsets[bi]...] and b[bOffsets[bi]...] (element offsets, so broadcasting is free).
napi_value BatchMatMul(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (argc < 11) return throw_type(env, "batchMatMul: 11 arguments expected");
  Job j{};
  float *A, *B, *C;
  size_t la, lb, lc, lao, lbo;
  uint32_t *aOff, *bOff;
  if (!get_f32(env, argv[0], &A, &la) || !get_f32(env, argv[1], &B, &lb) ||
      !get_f32(env, argv[2], &C, &lc))
    return throw_type(env, "batchMatMul: a, b, c must be Float32Arrays");
  int32_t M, N, K;
  CHECK(napi_get_value_int32(env, argv[3], &M));
  CHECK(napi_get_value_int32(env, argv[4], &N));
  CHECK(napi_get_value_int32(env, argv[5], &K));
  bool tA, tB, bundled;
  CHECK(napi_get_value_bool(env, argv[6], &tA));
  CHECK(napi_get_value_bool(env, argv[7], &tB));
  if (!get_u32(env, argv[8], &aOff, &lao) || !get_u32(env, argv[9], &bOff, &lbo))
    return throw_type(env, "batchMatMul: offsets must be Uint32Arrays");
  CHECK(napi_get_value_bool(env, argv[10], &bundled));
  if (M < 0 || N < 0 || K < 0 || lao != lbo)
    return throw_type(env, "batchMatMul: bad sizes");
  const size_t batch = lao;
  const size_t mk = static_cast<size_t>(M) * K, kn = static_cast<size_t>(K) * N,
               mn = static_cast<size_t>(M) * N;
  if (lc < batch * mn) return throw_type(env, "batchMatMul: c too small");
  for (size_t bi = 0; bi < batch; bi++) {
    if (static_cast<size_t>(aOff[bi]) + mk > la || static_cast<size_t>(bOff[bi]) + kn > lb)
      return throw_type(env, "batchMatMul: offset out of range");
  }
  if (batch == 0 || mn == 0) return nullptr;
  if (K == 0) {
    std::memset(C, 0, sizeof(float) * batch * mn);
    return nullptr;
  }
  j = Job{tA, tB, M, N, K, A, B, C, aOff, bOff, batch, bundled};
  if (isotropy::small_gemm_fits(M, N, K, batch)) {
    isotropy::small_gemm_batched(tA, tB, M, N, K, A, B, C, aOff, bOff, batch);
    return nullptr;
  }
  run_gemm(j);
  return nullptr;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  int32_t n = 0;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1)
    return throw_type(env, "setThreads: a positive integer expected");
  set_threads(n);
  return nullptr;
}

napi_value Info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj, v;
  CHECK(napi_create_object(env, &obj));
#ifdef ISOTROPY_OPENBLAS
  CHECK(napi_create_string_utf8(env, "openblas", NAPI_AUTO_LENGTH, &v));
  CHECK(napi_set_named_property(env, obj, "blas", v));
  CHECK(napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &v));
  CHECK(napi_set_named_property(env, obj, "blasConfig", v));
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &v));
  CHECK(napi_set_named_property(env, obj, "blasThreads", v));
#else
  CHECK(napi_create_string_utf8(env, "bundled", NAPI_AUTO_LENGTH, &v));
  CHECK(napi_set_named_property(env, obj, "blas", v));
#endif
  CHECK(napi_create_int32(env, isotropy::threads(), &v));
  CHECK(napi_set_named_property(env, obj, "threads", v));
  CHECK(napi_create_string_utf8(env, isotropy::sgemm_bundled_isa(), NAPI_AUTO_LENGTH, &v));
  CHECK(napi_set_named_property(env, obj, "bundledIsa", v));
  CHECK(napi_create_string_utf8(env, malloc_mode, NAPI_AUTO_LENGTH, &v));
  CHECK(napi_set_named_property(env, obj, "malloc", v));
  return obj;
}

napi_value Init(napi_env env, napi_value exports) {
  set_threads(default_threads());
  malloc_mode = tune_malloc();
  napi_property_descriptor props[] = {
      {"batchMatMul", nullptr, BatchMatMul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, isotropy::Binary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sigmoid", nullptr, isotropy::Sigmoid, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addN", nullptr, isotropy::AddN, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sum", nullptr, isotropy::Sum, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"scatterNd", nullptr, isotropy::ScatterNd, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"padV2", nullptr, isotropy::PadV2, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"transpose", nullptr, isotropy::Transpose, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"bilinearPlan", nullptr, isotropy::BiLinearPlan, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"bilinear", nullptr, isotropy::BiLinear, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"bilinearGrad", nullptr, isotropy::BiLinearGrad, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"linearPlan", nullptr, isotropy::LinearPlan, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"linear", nullptr, isotropy::Linear, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"linearGrad", nullptr, isotropy::LinearGrad, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"assemble", nullptr, isotropy::Assemble, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"assembleGrad", nullptr, isotropy::AssembleGrad, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"adamUpdate", nullptr, isotropy::AdamUpdate, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"gate", nullptr, isotropy::Gate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gateGrad", nullptr, isotropy::GateGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok)
    return nullptr;
  return exports;
}

}  // namespace

void isotropy::sgemm(bool transA, bool transB, int M, int N, int K, const float* A,
                     const float* B, float* C, bool bundled, bool accumulate) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate) std::memset(C, 0, sizeof(float) * static_cast<size_t>(M) * N);
    return;
  }
  const uint32_t zero = 0;
  run_gemm(Job{transA, transB, M, N, K, A, B, C, &zero, &zero, 1, bundled, accumulate});
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
