// N-API addon of @isotropy/backend-node: batched SGEMM through OpenBLAS (when built with it)
// or the bundled kernel, with a thread setting shared by both.
#include <node_api.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "sgemm.h"

#ifdef ISOTROPY_OPENBLAS
#include <cblas.h>
extern "C" void openblas_set_num_threads(int);
extern "C" int openblas_get_num_threads(void);
extern "C" char* openblas_get_config(void);
#endif

namespace {

int g_threads = 1;

int default_threads() {
  const char* env = std::getenv("ISOTROPY_NODE_THREADS");
  if (env != nullptr) {
    const int n = std::atoi(env);
    if (n >= 1) return n;
  }
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

void set_threads(int n) {
  g_threads = std::max(1, n);
#ifdef ISOTROPY_OPENBLAS
  openblas_set_num_threads(g_threads);
#endif
}

#define CHECK(call)                                                  \
  do {                                                               \
    if ((call) != napi_ok) {                                         \
      napi_throw_error(env, nullptr, "isotropy addon: " #call " failed"); \
      return nullptr;                                                \
    }                                                                \
  } while (0)

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
};

void run_one(const Job& j, size_t bi, int m0, int m1) {
  const float* a = j.A + j.aOff[bi];
  const float* b = j.B + j.bOff[bi];
  float* c = j.C + bi * static_cast<size_t>(j.M) * j.N;
  isotropy::sgemm_bundled_rows(j.transA, j.transB, j.M, j.N, j.K, a, b, c, m0, m1);
}

// The bundled path: batches split across threads when there are enough of them, else the rows
// of each product.
void run_bundled(const Job& j) {
  const double work = static_cast<double>(j.M) * j.N * j.K * static_cast<double>(j.batch);
  int t = g_threads;
  if (work < 64.0 * 64 * 64) t = 1;
  if (t <= 1) {
    for (size_t bi = 0; bi < j.batch; bi++) run_one(j, bi, 0, j.M);
    return;
  }
  std::vector<std::thread> pool;
  if (j.batch >= static_cast<size_t>(t)) {
    for (int w = 0; w < t; w++) {
      pool.emplace_back([&j, w, t] {
        for (size_t bi = w; bi < j.batch; bi += t) run_one(j, bi, 0, j.M);
      });
    }
  } else {
    const int slivers = (j.M + 3) / 4;
    const int parts = std::min(t, slivers);
    for (size_t bi = 0; bi < j.batch; bi++) {
      pool.clear();
      for (int w = 1; w < parts; w++) {
        const int m0 = std::min(j.M, slivers * w / parts * 4);
        const int m1 = std::min(j.M, slivers * (w + 1) / parts * 4);
        pool.emplace_back([&j, bi, m0, m1] { run_one(j, bi, m0, m1); });
      }
      run_one(j, bi, 0, std::min(j.M, slivers / parts * 4));
      for (auto& th : pool) th.join();
    }
    return;
  }
  for (auto& th : pool) th.join();
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
#ifdef ISOTROPY_OPENBLAS
  if (!bundled) {
    const int lda = tA ? M : K, ldb = tB ? K : N;
    for (size_t bi = 0; bi < batch; bi++) {
      cblas_sgemm(CblasRowMajor, tA ? CblasTrans : CblasNoTrans, tB ? CblasTrans : CblasNoTrans,
                  M, N, K, 1.0f, A + aOff[bi], lda, B + bOff[bi], ldb, 0.0f, C + bi * mn, N);
    }
    return nullptr;
  }
#endif
  run_bundled(j);
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
  CHECK(napi_create_int32(env, g_threads, &v));
  CHECK(napi_set_named_property(env, obj, "threads", v));
  CHECK(napi_create_string_utf8(env, isotropy::sgemm_bundled_isa(), NAPI_AUTO_LENGTH, &v));
  CHECK(napi_set_named_property(env, obj, "bundledIsa", v));
  return obj;
}

napi_value Init(napi_env env, napi_value exports) {
  set_threads(default_threads());
  napi_property_descriptor props[] = {
      {"batchMatMul", nullptr, BatchMatMul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  if (napi_define_properties(env, exports, 3, props) != napi_ok) return nullptr;
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
