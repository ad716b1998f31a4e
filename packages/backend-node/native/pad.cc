// PadV2 (the gradient of Slice): the output is filled with the constant, then x is copied in as
// rows. Trailing dimensions without padding are contiguous in both x and the output, so they
// join the row: padding [81,500] to [432,500] along axis 0 is a single copy.
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
}

// padV2(x, shape, paddings, constant, out): x and out both Float32Array or both Int32Array;
// paddings flat [before0, after0, before1, after1, ...] (non-negative); constant already in x's
// type (the caller truncates it for int32). out is overwritten.
napi_value PadV2(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  View x, o;
  std::vector<int64_t> shape, pads;
  double constant = 0;
  if (argc < 5 || !get_view(env, argv[0], &x) || !get_view(env, argv[4], &o) ||
      !get_dims(env, argv[1], &shape) || !get_dims(env, argv[2], &pads) ||
      napi_get_value_double(env, argv[3], &constant) != napi_ok)
    return throw_type(env, "padV2: (x, shape, paddings, constant, out) expected");
  if (x.type != o.type || !(x.f32() || x.i32())) return throw_type(env, "padV2: unsupported dtype");
  const size_t r = shape.size();
  if (pads.size() != 2 * r) return throw_type(env, "padV2: paddings do not match the rank");
  std::vector<int64_t> oshape(r);
  for (size_t d = 0; d < r; d++) oshape[d] = pads[2 * d] + shape[d] + pads[2 * d + 1];
  if (static_cast<int64_t>(x.length) != product(shape) ||
      static_cast<int64_t>(o.length) != product(oshape))
    return throw_type(env, "padV2: array lengths do not match the shapes");
  // Fill with the constant's bit pattern (4-byte elements either way).
  uint32_t bits = 0;
  if (x.f32()) {
    const float f = static_cast<float>(constant);
    std::memcpy(&bits, &f, 4);
  } else {
    const int32_t i = static_cast<int32_t>(constant);
    std::memcpy(&bits, &i, 4);
  }
  uint32_t* out = static_cast<uint32_t*>(o.data);
  const uint32_t* in = static_cast<const uint32_t*>(x.data);
  if (bits == 0) {
    std::memset(out, 0, o.length * 4);
  } else {
    std::fill(out, out + o.length, bits);
  }
  if (x.length == 0) return nullptr;
  if (r == 0) {
    out[0] = in[0];
    return nullptr;
  }
  // k: the outermost dimension such that all dimensions after it are unpadded.
  size_t k = r - 1;
  while (k > 0 && pads[2 * k] == 0 && pads[2 * k + 1] == 0) k--;
  std::vector<int64_t> ostride(r);
  int64_t acc = 1;
  for (size_t d = r; d-- > 0;) {
    ostride[d] = acc;
    acc *= oshape[d];
  }
  size_t row = 1;
  for (size_t d = k; d < r; d++) row *= static_cast<size_t>(shape[d]);
  const size_t rows = x.length / row;
  int64_t base = 0;
  for (size_t d = 0; d < r; d++) base += pads[2 * d] * ostride[d];
  parallel_for(rows, std::max<size_t>(1, kParallelGrain / row), [&](size_t r0, size_t r1) {
    // Odometer over dimensions [0, k) of x, started at row r0.
    std::vector<int64_t> idx(k);
    int64_t po = base;
    size_t rem = r0;
    for (size_t d = k; d-- > 0;) {
      idx[d] = static_cast<int64_t>(rem % static_cast<size_t>(shape[d]));
      rem /= static_cast<size_t>(shape[d]);
      po += idx[d] * ostride[d];
    }
    for (size_t i = r0; i < r1; i++) {
      std::memcpy(out + po, in + i * row, row * 4);
      for (size_t d = k; d-- > 0;) {
        po += ostride[d];
        if (++idx[d] < shape[d]) break;
        po -= idx[d] * ostride[d];
        idx[d] = 0;
      }
    }
  });
  return nullptr;
}

}  // namespace isotropy
