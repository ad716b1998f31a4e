// Transpose of 4-byte elements (float32, int32), any rank. Size-1 dimensions are dropped and
// dimensions that stay neighbours in order are merged, so most permutations collapse to a
// (batched) 2-D transpose. When the innermost dimension stays innermost, rows are copied whole;
// otherwise tiles of the two dimensions that are innermost in x and in the output are copied
// block by block (reads and writes both stay within a few cache lines), for every index of the
// remaining dimensions.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "bindings.h"
#include "napi_util.h"
#include "parallel.h"

namespace isotropy {
namespace {

constexpr size_t kParallelGrain = 1 << 17;
constexpr int64_t kTile = 32;

struct Dim {
  int64_t size, in_stride, out_stride;
};

// Decodes a linear index over `dims` into input and output offsets.
inline void offsets(const std::vector<Dim>& dims, size_t index, int64_t* pi, int64_t* po) {
  *pi = 0;
  *po = 0;
  for (size_t d = dims.size(); d-- > 0;) {
    const int64_t i = static_cast<int64_t>(index % static_cast<size_t>(dims[d].size));
    index /= static_cast<size_t>(dims[d].size);
    *pi += i * dims[d].in_stride;
    *po += i * dims[d].out_stride;
  }
}

}  // namespace

// transpose(x, shape, perm, out): out[...] = x permuted so that output dimension i is input
// dimension perm[i]; x and out both Float32Array or both Int32Array of one length.
napi_value Transpose(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  View x, o;
  std::vector<int64_t> shape, perm;
  if (argc < 4 || !get_view(env, argv[0], &x) || !get_view(env, argv[3], &o) ||
      !get_dims(env, argv[1], &shape) || !get_dims(env, argv[2], &perm))
    return throw_type(env, "transpose: (x, shape, perm, out) expected");
  if (x.type != o.type || !(x.f32() || x.i32()) || x.length != o.length)
    return throw_type(env, "transpose: unsupported arrays");
  const size_t r = shape.size();
  if (perm.size() != r || static_cast<int64_t>(x.length) != product(shape))
    return throw_type(env, "transpose: perm or length does not match the shape");
  std::vector<bool> seen(r, false);
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(r) || seen[p]) return throw_type(env, "transpose: bad perm");
    seen[p] = true;
  }
  const uint32_t* in = static_cast<const uint32_t*>(x.data);
  uint32_t* out = static_cast<uint32_t*>(o.data);
  if (x.length == 0) return nullptr;
  // Strides of x; output dims in output order, size-1 ones dropped, in-order neighbours merged.
  std::vector<int64_t> istride(r);
  int64_t acc = 1;
  for (size_t d = r; d-- > 0;) {
    istride[d] = acc;
    acc *= shape[d];
  }
  std::vector<Dim> dims;  // output order, outermost first; out_stride filled below
  for (size_t i = 0; i < r; i++) {
    const int64_t p = perm[i];
    if (shape[p] == 1) continue;
    if (!dims.empty() && dims.back().in_stride == istride[p] * shape[p]) {
      dims.back().size *= shape[p];
      dims.back().in_stride = istride[p];
      continue;
    }
    dims.push_back({shape[p], istride[p], 0});
  }
  acc = 1;
  for (size_t d = dims.size(); d-- > 0;) {
    dims[d].out_stride = acc;
    acc *= dims[d].size;
  }
  if (dims.size() <= 1) {
    std::memcpy(out, in, x.length * 4);
    return nullptr;
  }
  const Dim inner = dims.back();
  if (inner.in_stride == 1) {
    // The innermost dimension stays innermost: whole rows.
    std::vector<Dim> outer(dims.begin(), dims.end() - 1);
    const size_t row = static_cast<size_t>(inner.size);
    const size_t rows = x.length / row;
    parallel_for(rows, std::max<size_t>(1, kParallelGrain / row), [&](size_t r0, size_t r1) {
      for (size_t i = r0; i < r1; i++) {
        int64_t pi, po;
        offsets(outer, i, &pi, &po);
        std::memcpy(out + po, in + pi, row * 4);
      }
    });
    return nullptr;
  }
  // Y: the output's innermost dimension (strided in x); X: x's innermost dimension (stride 1).
  size_t xq = 0;
  for (size_t d = 0; d < dims.size(); d++)
    if (dims[d].in_stride == 1) xq = d;
  const Dim X = dims[xq];
  std::vector<Dim> rest;
  for (size_t d = 0; d + 1 < dims.size(); d++)
    if (d != xq) rest.push_back(dims[d]);
  size_t outer = 1;
  for (const Dim& d : rest) outer *= static_cast<size_t>(d.size);
  const int64_t ny = inner.size, nx = X.size, sy = inner.in_stride, ox = X.out_stride;
  const size_t yblocks = static_cast<size_t>((ny + kTile - 1) / kTile);
  const size_t tasks = outer * yblocks;
  const size_t per_task = static_cast<size_t>(std::min(ny, kTile) * nx);
  parallel_for(tasks, std::max<size_t>(1, kParallelGrain / per_task), [&](size_t t0, size_t t1) {
    for (size_t t = t0; t < t1; t++) {
      int64_t pi, po;
      offsets(rest, t / yblocks, &pi, &po);
      const int64_t y0 = static_cast<int64_t>(t % yblocks) * kTile;
      const int64_t y1 = std::min(ny, y0 + kTile);
      for (int64_t x0 = 0; x0 < nx; x0 += kTile) {
        const int64_t x1 = std::min(nx, x0 + kTile);
        for (int64_t xi = x0; xi < x1; xi++) {
          uint32_t* __restrict dst = out + po + xi * ox;
          const uint32_t* __restrict s = in + pi + xi;
          for (int64_t y = y0; y < y1; y++) dst[y] = s[y * sy];
        }
      }
    }
  });
  return nullptr;
}

}  // namespace isotropy
