// emlp's bilinear layer y = W(x) x in one call (core's BILINEAR_KERNEL and its gradient).
//
// The work runs on transposed activations (rows.h). Per (out type, in type) pair, with
// Z_m[a,b] = x^T row z[(a*si+b)*n+m] and X_c[b] = x^T row xi[b*cI+c]:
//   "zx": v^T[(m,c), (a,s)] = sum_b Z X (loops), then the product Theta^T[o, (m,c)] . v^T;
//   "wx": t^T[(m,o), (b,s)] = Theta'^T[(m,o), c] . X^T[c, (b,s)] (a product), then sum_{b,m} Z t;
// Theta = gain * theta packed per call. The products run per block of samples beside their loops
// (panel.h); the theta gradients, sums over samples, are one call each of gram.h's kernel, which
// reads both operands in place. The forward keeps v (or t) in its plan (Kept), and the
// gradient of that same forward reads them back, in the forward's orders; any other gradient
// call recomputes them (a loop pass for zx, one product of 3 for wx).
// Each pair runs in whichever order is cheaper here (choose_orders), not necessarily the plan's,
// which was costed for other backends; both give the same values.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#include "bindings.h"
#include "gram.h"
#include "napi_util.h"
#include "parallel.h"
#include "panel.h"
#include "rows.h"
#include "sgemm.h"
#include "simd.h"

namespace isotropy {
namespace {

using rows::Acc;
using rows::Buf;
using rows::get_f32;

struct Pair {
  int so, si, cO, cI, n;
  bool zx;                // the plan's order
  bool zx_fwd, zx_bwd;    // the cheaper order here, for the forward and for the gradient
  float gain;
  const int32_t* z;    // so * si * n
  const int32_t* x;    // si * cI
  const int32_t* out;  // so * cO
  // First row of x's in copies (of y's out copies) when they are consecutive rows, copy by copy
  // (x[b*cI + c] = x0 + c*si + b): the products then read and write those rows in place,
  // without a gathered copy or a scratch product added in afterwards. -1 otherwise.
  int x0, out0;
};

// The first row of a map m[i*copies + c] = m[0] + c*size + i, or -1 if it is not of that form.
int consecutive(const int32_t* m, int size, int copies) {
  for (int i = 0; i < size; i++)
    for (int c = 0; c < copies; c++)
      if (m[i * copies + c] != m[0] + c * size + i) return -1;
  return m[0];
}

// The forward's intermediates (v for "zx" pairs, t for "wx"), kept for the gradient of the same
// call: pair k's rows start at row[k] * ld. The gradient reads them instead of recomputing when
// x, every theta, the batch, the order mode and the layout are those of the forward that filled
// them. tfjs
// tensors are immutable and the gradient's x and thetas are the forward's own saved tensors, so
// equal data pointers mean equal data: a buffer cannot be reused while that tensor is alive.
struct Kept {
  Buf data;
  std::vector<size_t> row;
  const float* x = nullptr;
  std::vector<const float*> th;
  size_t bs = 0;
  bool planOrder = false;
  bool featureMajor = false;
  bool valid = false;
};

// A validated copy of a JS plan, held by a napi External (the TS side caches it per plan).
struct Plan {
  int inputSize = 0, outputSize = 0;
  // y = W(x) x + x: y starts from x, and dx from dy (inputSize == outputSize).
  bool residual = false;
  std::vector<Pair> pairs;
  std::vector<int32_t> idx;
  Kept kept;
};

// One call's transposed arrays: row r of x^T at xT + r * ld, and so on.
struct Ctx {
  size_t bs, ld;
  int inSize, outSize;
  const float* xT;   // [inSize, ld]
  const float* dyT;  // [outSize, ld] (gradient)
  float* yT;         // [outSize, ld] (forward, accumulated)
  float* dxT;        // [inSize, ld] (gradient, accumulated)
  bool bundled;
};

struct Scratch {
  Buf xT, yT, dxT, th, ap, g, t, d, e;
};
thread_local Scratch scratch;

// For j < J: out(j, sum_{k<K} A(k) * B(k, j)) over one block's NV vectors; two j at a time, so
// that each row A(k) is loaded once per two multiply-adds.
template <int NV, class FA, class FB, class FO>
__attribute__((always_inline)) inline void dots(int K, int J, const FA& A, const FB& B,
                                                const FO& out) {
  int j = 0;
  for (; j + 2 <= J; j += 2) {
    Acc<NV> a0, a1;
    a0.zero();
    a1.zero();
    for (int k = 0; k < K; k++) {
      const float* ak = A(k);
      a0.fma(ak, B(k, j));
      a1.fma(ak, B(k, j + 1));
    }
    out(j, a0);
    out(j + 1, a1);
  }
  if (j < J) {
    Acc<NV> a0;
    a0.zero();
    for (int k = 0; k < K; k++) a0.fma(A(k), B(k, j));
    out(j, a0);
  }
}

// Per-block row offsets (k -> a column of a pair's maps), reused across calls.
thread_local std::vector<size_t> offsets_a, offsets_b;

// The loops of one block of samples (columns s.., NV vectors wide). Z_m[a,b] is x^T row
// z[(a*si+b)*n+m], X_c[b] row xi[b*cI+c].

// "zx": v^T[(m,c), a*ld + s] = sum_b Z_m[a,b] X_c[b].
template <int NV>
ISOTROPY_CLONES void zx_v(const Pair& p, const Ctx& c, float* vT, size_t s) {
  const size_t ld = c.ld, row = p.so * ld;
  const float* xT = c.xT + s;
  for (int a = 0; a < p.so; a++)
    for (int m = 0; m < p.n; m++)
      dots<NV>(
          p.si, p.cI, [&](int b) { return xT + p.z[(a * p.si + b) * p.n + m] * ld; },
          [&](int b, int ci) { return xT + p.x[b * p.cI + ci] * ld; },
          [&](int ci, const Acc<NV>& acc) { acc.put(vT + (m * p.cI + ci) * row + a * ld + s); });
}

// "zx" gradient from dv: dx[z[a,b,m]] += sum_c dv X_c[b]; dx[xi[b,c]] += sum_{a,m} Z dv, with
// dv's (m, c) row at dvT + (m * cI + c) * row, its component a at + a * dld (the block's columns).
template <int NV>
__attribute__((always_inline)) inline void zx_back(const Pair& p, const Ctx& c, const float* dvT,
                                                   size_t row, size_t dld, size_t s) {
  const size_t ld = c.ld;
  const float* xT = c.xT + s;
  float* dxT = c.dxT + s;
  for (int a = 0; a < p.so; a++)
    for (int b = 0; b < p.si; b++)
      dots<NV>(
          p.cI, p.n, [&](int ci) { return xT + p.x[b * p.cI + ci] * ld; },
          [&](int ci, int m) { return dvT + (m * p.cI + ci) * row + a * dld; },
          [&](int m, const Acc<NV>& acc) { acc.add_to(dxT + p.z[(a * p.si + b) * p.n + m] * ld); });
  // k = (a, m): Z row and dv column offsets.
  const int K = p.so * p.n;
  offsets_a.resize(K);
  offsets_b.resize(K);
  for (int b = 0; b < p.si; b++) {
    for (int a = 0, k = 0; a < p.so; a++)
      for (int m = 0; m < p.n; m++, k++) {
        offsets_a[k] = p.z[(a * p.si + b) * p.n + m] * ld;
        offsets_b[k] = m * p.cI * row + a * dld;
      }
    const size_t* za = offsets_a.data();
    const size_t* vb = offsets_b.data();
    dots<NV>(
        K, p.cI, [&](int k) { return xT + za[k]; },
        [&](int k, int ci) { return dvT + vb[k] + ci * row; },
        [&](int ci, const Acc<NV>& acc) { acc.add_to(dxT + p.x[b * p.cI + ci] * ld); });
  }
}

// "wx": y[out[a,o]] += sum_{b,m} Z_m[a,b] t^T[(m,o), b*ld + s].
template <int NV>
ISOTROPY_CLONES void wx_y(const Pair& p, const Ctx& c, const float* tT, size_t s) {
  const size_t ld = c.ld, row = p.si * ld;
  const float* xT = c.xT + s;
  float* yT = c.yT + s;
  tT += s;
  // k = (b, m): t column offsets.
  const int K = p.si * p.n;
  offsets_b.resize(K);
  for (int b = 0, k = 0; b < p.si; b++)
    for (int m = 0; m < p.n; m++, k++) offsets_b[k] = m * p.cO * row + b * ld;
  const size_t* tb = offsets_b.data();
  for (int a = 0; a < p.so; a++) {
    const int32_t* za = p.z + a * K;
    dots<NV>(
        K, p.cO, [&](int k) { return xT + za[k] * ld; },
        [&](int k, int o) { return tT + tb[k] + o * row; },
        [&](int o, const Acc<NV>& acc) { acc.add_to(yT + p.out[a * p.cO + o] * ld); });
  }
}

// "wx" gradient: dt^T[(m,o), b*ld + s] = sum_a Z_m[a,b] dy[out[a,o]] and
// dx[z[a,b,m]] += sum_o dy[out[a,o]] t^T[(m,o), b*ld + s].
template <int NV>
ISOTROPY_CLONES void wx_back(const Pair& p, const Ctx& c, const float* tT, float* dtT, size_t s) {
  const size_t ld = c.ld, row = p.si * ld;
  const float* xT = c.xT + s;
  const float* dyT = c.dyT + s;
  float* dxT = c.dxT + s;
  tT += s;
  for (int b = 0; b < p.si; b++)
    for (int m = 0; m < p.n; m++)
      dots<NV>(
          p.so, p.cO, [&](int a) { return xT + p.z[(a * p.si + b) * p.n + m] * ld; },
          [&](int a, int o) { return dyT + p.out[a * p.cO + o] * ld; },
          [&](int o, const Acc<NV>& acc) { acc.put(dtT + (m * p.cO + o) * row + b * ld + s); });
  for (int a = 0; a < p.so; a++)
    for (int b = 0; b < p.si; b++)
      dots<NV>(
          p.cO, p.n, [&](int o) { return dyT + p.out[a * p.cO + o] * ld; },
          [&](int o, int m) { return tT + (m * p.cO + o) * row + b * ld; },
          [&](int m, const Acc<NV>& acc) { acc.add_to(dxT + p.z[(a * p.si + b) * p.n + m] * ld); });
}

// The products per block of samples (panel.h), each next to the loop that feeds or reads it.
// A is gain * theta packed per call: "zx" forward [o, (m,c)], gradient [(m,c), o]; "wx" forward
// [(m,o), c], gradient [c, (m,o)].
thread_local Buf panel_buf;

// "zx" forward: the block's v, then y[out[a,o]] += A v. v also goes to vT (kept for the gradient).
template <int NV>
ISOTROPY_CLONES void zx_forward_block(const Pair& p, const Ctx& c, const float* Ap, float* vT,
                                      size_t s) {
  const size_t ld = c.ld, row = p.so * ld;
  const int K = p.n * p.cI, W = 8 * NV;
  float* vb = panel_buf.get(static_cast<size_t>(K) * W);
  const float* xT = c.xT + s;
  for (int a = 0; a < p.so; a++) {
    for (int m = 0; m < p.n; m++)
      dots<NV>(
          p.si, p.cI, [&](int b) { return xT + p.z[(a * p.si + b) * p.n + m] * ld; },
          [&](int b, int ci) { return xT + p.x[b * p.cI + ci] * ld; },
          [&](int ci, const Acc<NV>& acc) {
            const int k = m * p.cI + ci;
            acc.put(vb + k * W);
            acc.put(vT + k * row + a * ld + s);
          });
    panel::block<NV, true>(
        p.cO, K, Ap, [&](int k) { return vb + k * W; },
        [&](int o) { return c.yT + p.out[a * p.cO + o] * ld + s; });
  }
}

// "wx" forward: the block's t = A X per in component b (into tT, kept), then the loop into y.
template <int NV>
ISOTROPY_CLONES void wx_forward_block(const Pair& p, const Ctx& c, const float* Ap, float* tT,
                                      size_t s) {
  const size_t ld = c.ld, row = p.si * ld;
  for (int b = 0; b < p.si; b++)
    panel::block<NV, false>(
        p.n * p.cO, p.cI, Ap, [&](int ci) { return c.xT + p.x[b * p.cI + ci] * ld + s; },
        [&](int mo) { return tT + mo * row + b * ld + s; });
  wx_y<NV>(p, c, tT, s);
}

// "zx" gradient: the block's dv = A dY (into a block buffer), then the loops into dx.
template <int NV>
ISOTROPY_CLONES void zx_backward_block(const Pair& p, const Ctx& c, const float* Ap, size_t s) {
  const size_t ld = c.ld;
  const int K = p.n * p.cI, W = 8 * NV;
  float* dvb = panel_buf.get(static_cast<size_t>(K) * p.so * W);
  for (int a = 0; a < p.so; a++)
    panel::block<NV, false>(
        K, p.cO, Ap, [&](int o) { return c.dyT + p.out[a * p.cO + o] * ld + s; },
        [&](int k) { return dvb + (static_cast<size_t>(k) * p.so + a) * W; });
  zx_back<NV>(p, c, dvb, static_cast<size_t>(p.so) * W, W, s);
}

// "wx" gradient: the block's dt (into dtT, for dtheta) and dx from t, then dx += A dt.
template <int NV>
ISOTROPY_CLONES void wx_backward_block(const Pair& p, const Ctx& c, const float* Ap,
                                       const float* tT, float* dtT, size_t s) {
  const size_t ld = c.ld, row = p.si * ld;
  wx_back<NV>(p, c, tT, dtT, s);
  for (int b = 0; b < p.si; b++)
    panel::block<NV, true>(
        p.cI, p.n * p.cO, Ap, [&](int mo) { return dtT + mo * row + b * ld + s; },
        [&](int ci) { return c.dxT + p.x[b * p.cI + ci] * ld + s; });
}

// gain * theta[o, c, m] packed as the A of the block products above: theta read in order, each
// value put at its (row, column) of A.
const float* pack_theta(const Pair& p, bool zx, bool forward, const float* th) {
  const int nc = p.n * p.cI, no = p.n * p.cO;
  const int M = zx ? (forward ? p.cO : nc) : (forward ? no : p.cI);
  const int K = zx ? (forward ? nc : p.cO) : (forward ? p.cI : no);
  float* Ap = scratch.ap.get(panel::packed_size(M, K));
  panel::clear_padding(M, K, Ap);
  for (int o = 0; o < p.cO; o++)
    for (int ci = 0; ci < p.cI; ci++)
      for (int m = 0; m < p.n; m++) {
        const float w = p.gain * th[(o * p.cI + ci) * p.n + m];
        const int k = m * p.cI + ci, mo = m * p.cO + o;
        if (zx)
          forward ? panel::put(Ap, K, o, k, w) : panel::put(Ap, K, k, o, w);
        else
          forward ? panel::put(Ap, K, mo, ci, w) : panel::put(Ap, K, ci, mo, w);
      }
  return Ap;
}

// Theta^T[o, (m,c)] ("zx") or Theta'^T[(m,o), c] ("wx") = gain * theta[o, c, m].
void layout_theta(const Pair& p, bool zx, const float* th, float* out) {
  for (int o = 0; o < p.cO; o++)
    for (int ci = 0; ci < p.cI; ci++)
      for (int m = 0; m < p.n; m++) {
        const float w = p.gain * th[(o * p.cI + ci) * p.n + m];
        if (zx)
          out[o * p.n * p.cI + m * p.cI + ci] = w;
        else
          out[(m * p.cO + o) * p.cI + ci] = w;
      }
}

// The inverse of layout_theta for a gradient: dtheta[o, c, m] = gain * d[...].
void unlayout_theta(const Pair& p, bool zx, const float* d, float* dth) {
  for (int o = 0; o < p.cO; o++)
    for (int ci = 0; ci < p.cI; ci++)
      for (int m = 0; m < p.n; m++) {
        const float g = zx ? d[o * p.n * p.cI + m * p.cI + ci] : d[(m * p.cO + o) * p.cI + ci];
        dth[(o * p.cI + ci) * p.n + m] = p.gain * g;
      }
}

// X^T[c, (b,s)] = x^T row xi[b*cI + c]: x^T's own rows when they are consecutive, else a
// gathered copy.
const float* in_rows(const Pair& p, const Ctx& c) {
  if (p.x0 >= 0) return c.xT + static_cast<size_t>(p.x0) * c.ld;
  float* XT = scratch.g.get(static_cast<size_t>(p.cI) * p.si * c.ld);
  for (int ci = 0; ci < p.cI; ci++)
    for (int b = 0; b < p.si; b++)
      std::memcpy(XT + (static_cast<size_t>(ci) * p.si + b) * c.ld, c.xT + p.x[b * p.cI + ci] * c.ld,
                  c.ld * sizeof(float));
  return XT;
}

// Rows of the intermediate a pair keeps for its gradient in the given order: v^T or t^T.
size_t kept_rows(const Pair& p, bool zx) {
  return zx ? static_cast<size_t>(p.n) * p.cI * p.so : static_cast<size_t>(p.n) * p.cO * p.si;
}

// keep: where v^T or t^T goes (kept_rows x ld), so that the gradient can reuse it.
void forward_pair(const Pair& p, bool zx, const Ctx& c, const float* th, float* keep) {
  const float* Ap = pack_theta(p, zx, true, th);
  const size_t so = p.so, si = p.si, n = p.n, cO = p.cO, cI = p.cI;
  if (zx)
    ISO_BLOCKS(c.ld, so * n * cI * (si + cO), zx_forward_block<NV>(p, c, Ap, keep, s));
  else
    ISO_BLOCKS(c.ld, si * n * cO * (cI + so), wx_forward_block<NV>(p, c, Ap, keep, s));
}

// Row pointers for the sums over samples (gram.h).
thread_local std::vector<const float*> rows_dy, rows_x, rows_block;

// kept: the forward's v^T or t^T for this order, or nullptr to recompute it.
void backward_pair(const Pair& p, bool zx, const Ctx& c, const float* th, float* dth,
                   const float* kept) {
  const size_t ld = c.ld;
  const size_t so = p.so, si = p.si, n = p.n, cO = p.cO, cI = p.cI;
  const size_t thn = cO * cI * n;
  float* dTh = scratch.th.get(thn);
  if (zx) {
    const size_t row = so * ld;
    const float* vT = kept;
    if (vT == nullptr) {
      float* v = scratch.t.get(n * cI * row);
      ISO_BLOCKS(c.ld, so * n * cI * si, zx_v<NV>(p, c, v, s));
      vT = v;
    }
    // dY[(o, a), s] = dy^T row out[a*cO + o]: row o of the sum spans the so rows of out copy o.
    const float* const* dY =
        rows::operand_rows(p.out, p.cO, p.so, 1, p.cO, p.out0, c.dyT, ld, scratch.d, rows_dy);
    sum_products(p.cO, p.n * p.cI, row, dY, block_rows(vT, p.n * p.cI, row, rows_block),
                 dTh);  // dY v^T
    const float* Ap = pack_theta(p, true, false, th);
    ISO_BLOCKS(c.ld, so * n * cI * (cO + 2 * si), zx_backward_block<NV>(p, c, Ap, s));
  } else {
    const size_t row = si * ld;
    // X^T as one operand only where t is recomputed by a product; the sum reads x^T's rows.
    const float* XT = kept == nullptr ? in_rows(p, c) : nullptr;
    const size_t nt = n * cO * row;
    float* dtT = scratch.d.get(nt);
    const float* tT = kept;
    if (tT == nullptr) {
      float* Th = scratch.e.get(thn);
      layout_theta(p, false, th, Th);
      float* t = scratch.t.get(nt);
      sgemm(false, false, p.n * p.cO, static_cast<int>(row), p.cI, Th, XT, t, c.bundled);
      tT = t;
    }
    const float* Ap = pack_theta(p, false, false, th);
    ISO_BLOCKS(c.ld, si * n * cO * (2 * so + cI), wx_backward_block<NV>(p, c, Ap, tT, dtT, s));
    // X[c, (b, s)] = x^T row x[b*cI + c].
    const float* const* X =
        XT ? block_rows(XT, p.cI, row, rows_x)
           : rows::operand_rows(p.x, p.cI, p.si, 1, p.cI, p.x0, c.xT, ld, scratch.g, rows_x);
    sum_products(p.n * p.cO, p.cI, row, block_rows(dtT, p.n * p.cO, row, rows_block), X,
                 dTh);  // dt X^T
  }
  unlayout_theta(p, zx, dTh, dth);
}

// The cheaper order on this backend, by multiply-adds per sample: SGEMM work G (one product) and
// loop work L (one pass over Z, x and t or v), a loop multiply-add counted as kLoop of a
// product's (on the EMLP(384) layer the loops, reading two rows per multiply-add, ran ~5x slower
// than OpenBLAS's kernel, whose calls also pay for packing and zeroing). The forward is one
// product and one pass either way; the gradient is 2 products and 3 passes for "zx", 3 and 2 for
// "wx" (t is recomputed by a product, v by a pass). On that layer this moves the V x V -> V pair
// (so = si = 3, n = 9) of the gradient to "zx": ~7% less time than the plan's "wx".
constexpr double kLoop = 4.0;
void choose_orders(Pair* p) {
  const double so = p->so, si = p->si, cO = p->cO, cI = p->cI, n = p->n;
  const double g_zx = so * n * cI * cO, l_zx = so * n * si * cI;
  const double g_wx = si * cI * n * cO, l_wx = so * si * n * cO;
  p->zx_fwd = g_zx + kLoop * l_zx <= g_wx + kLoop * l_wx;
  p->zx_bwd = 2 * g_zx + 3 * kLoop * l_zx <= 3 * g_wx + 2 * kLoop * l_wx;
}

// Marks the Externals of plans, so that no other External is read as one.
const napi_type_tag kPlanTag = {0x6973bd1f0b1a4c55ULL, 0x9e3c41a7b2d85f10ULL};

bool get_plan(napi_env env, napi_value v, Plan** plan) { return rows::unwrap_plan(env, v, kPlanTag, plan); }

// thetas: a JS array of Float32Arrays of the plan's theta sizes.
bool get_thetas(napi_env env, napi_value arr, const Plan& plan, std::vector<float*>* out) {
  return rows::get_f32_list(env, arr, plan.pairs.size(), [&](size_t k) {
    const Pair& p = plan.pairs[k];
    return static_cast<size_t>(p.cO) * p.cI * p.n;
  }, out);
}

// Whether every SGEMM dimension (at most max(so, si) * ld) fits the int of the SGEMM interface.
bool batch_fits(const Plan& plan, size_t bs) {
  const size_t ld = rows::leading(bs);
  for (const Pair& p : plan.pairs)
    if (static_cast<size_t>(std::max(p.so, p.si)) * ld >= (size_t{1} << 31)) return false;
  return true;
}

Ctx make_ctx(const Plan& plan, size_t bs, bool bundled) {
  Ctx c{};
  c.bs = bs;
  c.ld = rows::leading(bs);
  c.inSize = plan.inputSize;
  c.outSize = plan.outputSize;
  c.bundled = bundled;
  return c;
}

}  // namespace

// bilinearPlan(meta, idx, gains, residual?): meta Int32Array [inputSize, outputSize, then per
// pair so, si, cO, cI, n, zx (1 or 0)]; idx Int32Array the pairs' z, x, out maps concatenated in
// pair order; gains Float32Array per pair; residual: y = W(x) x + x (default false). Returns an
// External owning a checked copy.
napi_value BiLinearPlan(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  View meta, idx, gains;
  bool residual = false;
  if (argc < 3 || !get_view(env, argv[0], &meta) || !meta.i32() || !get_view(env, argv[1], &idx) ||
      !idx.i32() || !get_view(env, argv[2], &gains) || !gains.f32() ||
      (argc >= 4 && napi_get_value_bool(env, argv[3], &residual) != napi_ok))
    return throw_type(env,
                      "bilinearPlan: Int32Array meta, Int32Array idx, Float32Array gains, boolean residual expected");
  const int32_t* m = static_cast<const int32_t*>(meta.data);
  if (meta.length < 2 || (meta.length - 2) % 6 != 0 || gains.length != (meta.length - 2) / 6)
    return throw_type(env, "bilinearPlan: meta and gains do not describe the same pairs");
  auto plan = std::make_unique<Plan>();
  plan->inputSize = m[0];
  plan->outputSize = m[1];
  plan->residual = residual;
  if (m[0] < 0 || m[1] < 0) return throw_type(env, "bilinearPlan: negative sizes");
  if (residual && m[0] != m[1])
    return throw_type(env, "bilinearPlan: a residual plan needs inputSize == outputSize");
  // Index arithmetic below is in int: every map (a slice of idx) must fit.
  if (idx.length >= (size_t{1} << 31)) return throw_type(env, "bilinearPlan: idx too long");
  plan->idx.assign(static_cast<const int32_t*>(idx.data),
                   static_cast<const int32_t*>(idx.data) + idx.length);
  size_t at = 0;
  for (size_t k = 0; k < gains.length; k++) {
    const int32_t* q = m + 2 + 6 * k;
    for (int j = 0; j < 5; j++)
      if (q[j] < 1 || q[j] > (1 << 20)) return throw_type(env, "bilinearPlan: pair sizes out of range");
    Pair p{q[0], q[1], q[2], q[3], q[4], q[5] != 0, false, false,
           static_cast<const float*>(gains.data)[k], nullptr, nullptr, nullptr, -1, -1};
    choose_orders(&p);
    const size_t nz = static_cast<size_t>(p.so) * p.si * p.n, nx = static_cast<size_t>(p.si) * p.cI,
                 no = static_cast<size_t>(p.so) * p.cO;
    if (at + nz + nx + no > idx.length) return throw_type(env, "bilinearPlan: idx too short");
    const int32_t* base = plan->idx.data() + at;
    for (size_t j = 0; j < nz + nx; j++)
      if (base[j] < 0 || base[j] >= plan->inputSize)
        return throw_type(env, "bilinearPlan: an x column is out of range");
    for (size_t j = nz + nx; j < nz + nx + no; j++)
      if (base[j] < 0 || base[j] >= plan->outputSize)
        return throw_type(env, "bilinearPlan: a y column is out of range");
    p.z = base;
    p.x = base + nz;
    p.out = base + nz + nx;
    p.x0 = consecutive(p.x, p.si, p.cI);
    p.out0 = consecutive(p.out, p.so, p.cO);
    plan->pairs.push_back(p);
    at += nz + nx + no;
  }
  if (at != idx.length) return throw_type(env, "bilinearPlan: idx too long");
  return rows::wrap_plan(env, std::move(plan), kPlanTag);
}

// bilinear(plan, x, batch, thetas[], y, bundled, planOrder, featureMajor?): y (batch x
// outputSize) overwritten; planOrder: contract in the plan's order rather than the one
// choose_orders picked; featureMajor: x is [inputSize, batch] and y [outputSize, batch] (with a
// batch that is a multiple of 8, y is written in place). y's contents on entry do not matter.
napi_value BiLinear(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  Plan* plan = nullptr;
  int32_t batch = -1;
  bool bundled = false, planOrder = false, fm = false;
  if (argc < 7 || !get_plan(env, argv[0], &plan) ||
      napi_get_value_int32(env, argv[2], &batch) != napi_ok || batch < 0 ||
      napi_get_value_bool(env, argv[5], &bundled) != napi_ok ||
      napi_get_value_bool(env, argv[6], &planOrder) != napi_ok ||
      !rows::get_optional_bool(env, argc, argv, 7, &fm))
    return throw_type(env,
                      "bilinear: (plan, x, batch, thetas, y, bundled, planOrder, featureMajor?) expected");
  const size_t bs = static_cast<size_t>(batch);
  float *x, *y;
  std::vector<float*> th;
  if (!get_f32(env, argv[1], bs * plan->inputSize, &x) ||
      !get_f32(env, argv[4], bs * plan->outputSize, &y) || !get_thetas(env, argv[3], *plan, &th))
    return throw_type(env, "bilinear: x, thetas or y do not match the plan");
  if (bs == 0) return nullptr;
  if (!batch_fits(*plan, bs)) return throw_type(env, "bilinear: batch too large");
  try {
    Ctx c = make_ctx(*plan, bs, bundled);
    const float* xT = rows::rows_of(fm, x, bs, c.inSize, c.ld, scratch.xT);
    c.xT = xT;
    c.yT = rows::out_rows(fm, y, c.outSize, bs, c.ld, scratch.yT);
    if (plan->residual)
      std::memcpy(c.yT, xT, sizeof(float) * c.outSize * c.ld);
    else
      std::memset(c.yT, 0, sizeof(float) * c.outSize * c.ld);
    Kept& kept = plan->kept;
    kept.valid = false;
    kept.row.resize(plan->pairs.size());
    size_t rows = 0;
    for (size_t k = 0; k < plan->pairs.size(); k++) {
      const Pair& p = plan->pairs[k];
      kept.row[k] = rows;
      rows += kept_rows(p, planOrder ? p.zx : p.zx_fwd);
    }
    float* keep = kept.data.get(rows * c.ld);
    for (size_t k = 0; k < plan->pairs.size(); k++) {
      const Pair& p = plan->pairs[k];
      forward_pair(p, planOrder ? p.zx : p.zx_fwd, c, th[k], keep + kept.row[k] * c.ld);
    }
    rows::finish_rows(fm, c.yT, bs, c.outSize, c.ld, y);
    kept.x = x;
    kept.th.assign(th.begin(), th.end());
    kept.bs = bs;
    kept.planOrder = planOrder;
    kept.featureMajor = fm;
    kept.valid = true;
  } catch (const std::bad_alloc&) {
    napi_throw_error(env, nullptr, "bilinear: out of memory");
  }
  return nullptr;
}

// bilinearGrad(plan, dy, x, batch, thetas[], dx, dthetas[], bundled, planOrder, featureMajor?):
// dx and dthetas overwritten (dy, x and dx feature-major when featureMajor; dx then written in
// place as bilinear's y is).
napi_value BiLinearGrad(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  Plan* plan = nullptr;
  int32_t batch = -1;
  bool bundled = false, planOrder = false, fm = false;
  if (argc < 9 || !get_plan(env, argv[0], &plan) ||
      napi_get_value_int32(env, argv[3], &batch) != napi_ok || batch < 0 ||
      napi_get_value_bool(env, argv[7], &bundled) != napi_ok ||
      napi_get_value_bool(env, argv[8], &planOrder) != napi_ok ||
      !rows::get_optional_bool(env, argc, argv, 9, &fm))
    return throw_type(env,
                      "bilinearGrad: (plan, dy, x, batch, thetas, dx, dthetas, bundled, planOrder, "
                      "featureMajor?) expected");
  const size_t bs = static_cast<size_t>(batch);
  float *dy, *x, *dx;
  std::vector<float*> th, dth;
  if (!get_f32(env, argv[1], bs * plan->outputSize, &dy) ||
      !get_f32(env, argv[2], bs * plan->inputSize, &x) ||
      !get_f32(env, argv[5], bs * plan->inputSize, &dx) || !get_thetas(env, argv[4], *plan, &th) ||
      !get_thetas(env, argv[6], *plan, &dth))
    return throw_type(env, "bilinearGrad: dy, x, thetas, dx or dthetas do not match the plan");
  if (!batch_fits(*plan, bs)) return throw_type(env, "bilinearGrad: batch too large");
  if (bs == 0) {
    for (size_t k = 0; k < plan->pairs.size(); k++) {
      const Pair& p = plan->pairs[k];
      std::memset(dth[k], 0, sizeof(float) * p.cO * p.cI * p.n);
    }
    return nullptr;
  }
  try {
    Ctx c = make_ctx(*plan, bs, bundled);
    const float* xT = rows::rows_of(fm, x, bs, c.inSize, c.ld, scratch.xT);
    const float* dyT = rows::rows_of(fm, dy, bs, c.outSize, c.ld, scratch.yT);
    c.xT = xT;
    c.dyT = dyT;
    c.dxT = rows::out_rows(fm, dx, c.inSize, bs, c.ld, scratch.dxT);
    if (plan->residual)
      std::memcpy(c.dxT, dyT, sizeof(float) * c.inSize * c.ld);
    else
      std::memset(c.dxT, 0, sizeof(float) * c.inSize * c.ld);
    // The forward of these very tensors kept its intermediates: use them, in its orders.
    const Kept& kept = plan->kept;
    const bool reuse = kept.valid && kept.x == x && kept.bs == bs &&
                       kept.planOrder == planOrder && kept.featureMajor == fm &&
                       std::equal(th.begin(), th.end(), kept.th.begin(), kept.th.end());
    for (size_t k = 0; k < plan->pairs.size(); k++) {
      const Pair& p = plan->pairs[k];
      if (reuse) {
        backward_pair(p, planOrder ? p.zx : p.zx_fwd, c, th[k], dth[k],
                      kept.data.p + kept.row[k] * c.ld);
      } else {
        backward_pair(p, planOrder ? p.zx : p.zx_bwd, c, th[k], dth[k], nullptr);
      }
    }
    rows::finish_rows(fm, c.dxT, bs, c.inSize, c.ld, dx);
  } catch (const std::bad_alloc&) {
    napi_throw_error(env, nullptr, "bilinearGrad: out of memory");
  }
  return nullptr;
}

}  // namespace isotropy
