// ScatterNd as the layers use it (a row gather's gradient): out = zeros(shape), then for each
// update i, out[row(i)] += updates[i] over a slice of sliceSize values, duplicates summed in
// update order like the cpu kernel. Rows are resolved and bounds-checked first, so a bad index
// leaves nothing half done; wide slices are split by columns across threads (no two threads
// ever add into one value).
#include <algorithm>
#include <vector>

#include "bindings.h"
#include "napi_util.h"
#include "parallel.h"

namespace isotropy {
namespace {

constexpr size_t kParallelGrain = 1 << 17;

template <class T>
inline T add(T a, T b) {
  return a + b;
}
template <>
inline int32_t add(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

template <class T>
void scatter(const std::vector<int64_t>& rows, const T* upd, T* out, size_t slice) {
  const size_t n = rows.size();
  if (slice == 1) {
    for (size_t i = 0; i < n; i++) out[rows[i]] = add(out[rows[i]], upd[i]);
    return;
  }
  const size_t total = n * slice;
  const size_t grain = std::max<size_t>(8, kParallelGrain / std::max<size_t>(n, 1));
  auto cols = [&](size_t c0, size_t c1) {
    for (size_t i = 0; i < n; i++) {
      T* __restrict o = out + static_cast<size_t>(rows[i]) * slice;
      const T* __restrict u = upd + i * slice;
      for (size_t c = c0; c < c1; c++) o[c] = add(o[c], u[c]);
    }
  };
  if (total < 2 * kParallelGrain)
    cols(0, slice);
  else
    parallel_for(slice, grain, cols);
}

}  // namespace

// scatterNd(indices, updates, out, sliceRank, sliceSize, strides): indices Int32Array of
// numUpdates x sliceRank; updates and out both Float32Array or both Int32Array, out zeroed by the
// caller; strides[d] the row stride (in slices) of index component d. Returns -1 when done, or
// the first update whose index falls outside out (out then untouched).
napi_value ScatterNd(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  View idx, upd, out;
  int32_t slice_rank = 0;
  int64_t slice_size = 0;
  std::vector<int64_t> strides;
  if (argc < 6 || !get_view(env, argv[0], &idx) || !get_view(env, argv[1], &upd) ||
      !get_view(env, argv[2], &out) || !idx.i32() ||
      napi_get_value_int32(env, argv[3], &slice_rank) != napi_ok ||
      napi_get_value_int64(env, argv[4], &slice_size) != napi_ok ||
      !get_dims(env, argv[5], &strides))
    return throw_type(env, "scatterNd: (indices, updates, out, sliceRank, sliceSize, strides)");
  if (upd.type != out.type || !(upd.f32() || upd.i32()))
    return throw_type(env, "scatterNd: unsupported dtype");
  if (slice_rank < 1 || slice_size < 1 || strides.size() < static_cast<size_t>(slice_rank) ||
      idx.length % static_cast<size_t>(slice_rank) != 0)
    return throw_type(env, "scatterNd: bad slice sizes");
  const size_t n = idx.length / static_cast<size_t>(slice_rank);
  const size_t slice = static_cast<size_t>(slice_size);
  if (upd.length != n * slice || out.length % slice != 0)
    return throw_type(env, "scatterNd: updates or out do not match the slices");
  const int64_t num_rows = static_cast<int64_t>(out.length / slice);
  const int32_t* ind = static_cast<const int32_t*>(idx.data);
  std::vector<int64_t> rows(n);
  for (size_t i = 0; i < n; i++) {
    int64_t r = 0;
    for (int32_t d = 0; d < slice_rank; d++) r += static_cast<int64_t>(ind[i * slice_rank + d]) * strides[d];
    if (r < 0 || r >= num_rows) {
      napi_value bad;
      ISO_CHECK(napi_create_int64(env, static_cast<int64_t>(i), &bad));
      return bad;
    }
    rows[i] = r;
  }
  if (upd.f32())
    scatter(rows, static_cast<const float*>(upd.data), static_cast<float*>(out.data), slice);
  else
    scatter(rows, static_cast<const int32_t*>(upd.data), static_cast<int32_t*>(out.data), slice);
  napi_value done;
  ISO_CHECK(napi_create_int32(env, -1, &done));
  return done;
}

}  // namespace isotropy
