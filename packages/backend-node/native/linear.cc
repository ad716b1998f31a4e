// An equivariant linear layer y = x W^T without W (core's LINEAR_KERNEL and its gradient).
//
// Per block pair, W's block between out copy o and in copy i is sum_j C[o, i, j] B_j, with the
// pair's basis B_j (so x si, a handful of nonzeros) shared by every copy. So the map is applied
// as two small steps instead of one product with the dense W (whose size is copies x leaf size
// squared, 5-25 times the work for vector and matrix leaves). On transposed activations
// (rows.h), per pair, either
//   "basis first": z^T[(i,j), (a,s)] = sum_b B_j[a,b] x^T[in(i,b)] (loops over B's nonzeros),
//                  then the product Y[o, (a,s)] = C[o, (i,j)] . z^T, added at out(o, a);
//   "coefficients first": u^T[(o,j), (b,s)] = C'[(o,j), i] . X^T[i, (b,s)] (a product on the in
//                  rows), then y^T[out(o,a)] += sum_{j,b} B_j[a,b] u^T (loops),
//   "dense": the pair's own block of W, [mo * so, mi * si], assembled per call and applied by one
//                  product (for pairs whose basis is not sparse, such as T(3) -> T(3) under O(3),
//                  where the steps above would cost more than the block itself),
// whichever costs least for the pair's sizes (choose_orders); all give the same values. The
// products run per block of samples beside their loops (panel.h), with C packed per call; only
// the coefficient gradients, sums over samples, are one call each of gram.h's kernel. C is the
// coefficient input as laid out ([mo * mi, r] row-major is C[o, (i,j)]). The gradient recomputes
// z instead of keeping it: the kernel pair has no state.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "bindings.h"
#include "gram.h"
#include "napi_util.h"
#include "panel.h"
#include "rows.h"
#include "simd.h"

namespace isotropy {
namespace {

using rows::Acc;
using rows::Buf;
using rows::get_f32;

// A nonzero of the pair's basis: B_j[a, b] = v.
struct Entry {
  int j, a, b;
  float v;
};

// Entries grouped by a key: those of key k are at[start[k] .. start[k+1]).
struct Groups {
  std::vector<int> start, at;
  template <class Key>
  void build(const std::vector<Entry>& nz, int keys, const Key& key) {
    start.assign(keys + 1, 0);
    for (const Entry& e : nz) start[key(e) + 1]++;
    for (int k = 0; k < keys; k++) start[k + 1] += start[k];
    at.resize(nz.size());
    std::vector<int> fill(start.begin(), start.end() - 1);
    for (size_t n = 0; n < nz.size(); n++) at[fill[key(nz[n])]++] = static_cast<int>(n);
  }
};

enum class Order { kBasis, kCoeff, kDense };

struct Pair {
  int so, si, r, mo, mi;
  Order fwd, bwd;             // the orders for the forward, for the gradient
  const int32_t* out;         // mo * so: y column of out copy o, component a at o * so + a
  const int32_t* in;          // mi * si: x column of in copy i, component b at i * si + b
  // out[0] (in[0]) when out (in) is consecutive rows, out[n] = out[0] + n: the products then
  // read and write those rows in place, without a gathered copy or a scratch product added in
  // afterwards. -1 otherwise.
  int out0 = -1, in0 = -1;
  std::vector<float> B;       // r * so * si, entry (j, a, b) at (j * so + a) * si + b
  std::vector<Entry> nz;      // B's nonzeros
  Groups by_ja, by_b, by_a, by_jb;
};

struct Plan {
  int inputSize = 0, outputSize = 0;
  std::vector<Pair> pairs;
  std::vector<int32_t> idx;
};

struct Ctx {
  size_t ld;
  const float* xT;   // [inputSize, ld]
  const float* dyT;  // [outputSize, ld] (gradient)
  float* yT;         // [outputSize, ld] (forward, accumulated)
  float* dxT;        // [inputSize, ld] (gradient, accumulated)
};

struct Scratch {
  Buf xT, yT, dxT, c, dc, z, y, g, w, dw, ap;
};
thread_local Scratch scratch;

// The cheapest order by multiply-adds per sample, a loop multiply-add counted as kLoop of an
// SGEMM's (as in bilinear.cc: the loops read a row per multiply-add). The forward is one product
// and one pass for the factored orders, one product for "dense"; the gradient is 2 products and
// 2 passes basis first (z is recomputed), 2 and 1 coefficients first, 2 products dense. The
// per-call assembly of the dense block (and of its coefficient gradient) does not grow with the
// batch and is left out.
constexpr double kLoop = 4.0;
void choose_orders(Pair* p) {
  const double nnz = static_cast<double>(p->nz.size());
  const double g_basis = static_cast<double>(p->mo) * p->mi * p->r * p->so;
  const double g_coeff = static_cast<double>(p->mo) * p->r * p->mi * p->si;
  const double g_dense = static_cast<double>(p->mo) * p->so * p->mi * p->si;
  const double l_basis = static_cast<double>(p->mi) * nnz, l_coeff = static_cast<double>(p->mo) * nnz;
  const auto pick = [](double basis, double coeff, double dense) {
    if (dense < basis && dense < coeff) return Order::kDense;
    return basis <= coeff ? Order::kBasis : Order::kCoeff;
  };
  p->fwd = pick(g_basis + kLoop * l_basis, g_coeff + kLoop * l_coeff, g_dense);
  p->bwd = pick(2 * g_basis + 2 * kLoop * l_basis, 2 * g_coeff + kLoop * l_coeff, 2 * g_dense);
}

// z[(i,j), a] = sum_b B_j[a,b] x^T[in(i,b)] over one block of samples, (i,j)'s row at
// zT + (i * r + j) * row, its component a at + a * zld (zT points at the block's columns).
template <int NV>
__attribute__((always_inline)) inline void basis_z(const Pair& p, const Ctx& c, float* zT,
                                                   size_t row, size_t zld, size_t s) {
  const size_t ld = c.ld;
  for (int i = 0; i < p.mi; i++)
    for (int j = 0; j < p.r; j++)
      for (int a = 0; a < p.so; a++) {
        const int k = j * p.so + a;
        Acc<NV> acc;
        acc.zero();
        for (int n = p.by_ja.start[k]; n < p.by_ja.start[k + 1]; n++) {
          const Entry& e = p.nz[p.by_ja.at[n]];
          acc.axpy(e.v, c.xT + p.in[i * p.si + e.b] * ld + s);
        }
        acc.put(zT + (i * p.r + j) * row + a * zld);
      }
}

// dx^T[in(i,b)] += sum_{j,a} B_j[a,b] dz[(i,j), a], dz laid out as basis_z's z.
template <int NV>
__attribute__((always_inline)) inline void basis_dx(const Pair& p, const Ctx& c, const float* dzT,
                                                    size_t row, size_t zld, size_t s) {
  const size_t ld = c.ld;
  for (int i = 0; i < p.mi; i++)
    for (int b = 0; b < p.si; b++) {
      if (p.by_b.start[b] == p.by_b.start[b + 1]) continue;
      Acc<NV> acc;
      acc.zero();
      for (int n = p.by_b.start[b]; n < p.by_b.start[b + 1]; n++) {
        const Entry& e = p.nz[p.by_b.at[n]];
        acc.axpy(e.v, dzT + (i * p.r + e.j) * row + e.a * zld);
      }
      acc.add_to(c.dxT + p.in[i * p.si + b] * ld + s);
    }
}

// y^T[out(o,a)] += sum_{j,b} B_j[a,b] u[(o,j), b], (o,j)'s row at uT + (o * r + j) * row, its
// component b at + b * uld (uT points at the block's columns).
template <int NV>
__attribute__((always_inline)) inline void coeff_y(const Pair& p, const Ctx& c, const float* uT,
                                                   size_t row, size_t uld, size_t s) {
  const size_t ld = c.ld;
  for (int o = 0; o < p.mo; o++)
    for (int a = 0; a < p.so; a++) {
      if (p.by_a.start[a] == p.by_a.start[a + 1]) continue;
      Acc<NV> acc;
      acc.zero();
      for (int n = p.by_a.start[a]; n < p.by_a.start[a + 1]; n++) {
        const Entry& e = p.nz[p.by_a.at[n]];
        acc.axpy(e.v, uT + (o * p.r + e.j) * row + e.b * uld);
      }
      acc.add_to(c.yT + p.out[o * p.so + a] * ld + s);
    }
}

// du^T[(o,j), b*ld + s] = sum_a B_j[a,b] dy^T[out(o,a)].
template <int NV>
ISOTROPY_CLONES void coeff_du(const Pair& p, const Ctx& c, float* duT, size_t s) {
  const size_t ld = c.ld, row = p.si * ld;
  for (int o = 0; o < p.mo; o++)
    for (int j = 0; j < p.r; j++)
      for (int b = 0; b < p.si; b++) {
        const int k = j * p.si + b;
        Acc<NV> acc;
        acc.zero();
        for (int n = p.by_jb.start[k]; n < p.by_jb.start[k + 1]; n++) {
          const Entry& e = p.nz[p.by_jb.at[n]];
          acc.axpy(e.v, c.dyT + p.out[o * p.so + e.a] * ld + s);
        }
        acc.put(duT + (o * p.r + j) * row + b * ld + s);
      }
}

// z over the whole batch (for the coefficient gradient dY z^T).
template <int NV>
ISOTROPY_CLONES void basis_z_rows(const Pair& p, const Ctx& c, float* zT, size_t s) {
  basis_z<NV>(p, c, zT + s, p.so * c.ld, c.ld, s);
}

// The products per block of samples (panel.h), each next to the loop that feeds or reads it, with
// A packed per call by pack_coeffs.
thread_local Buf panel_buf;

// Basis first: the block's z, then y[out(o,a)] += C z.
template <int NV>
ISOTROPY_CLONES void basis_forward_block(const Pair& p, const Ctx& c, const float* Ap, size_t s) {
  const size_t ld = c.ld, W = 8 * NV, so = p.so;
  const int K = p.mi * p.r;
  float* zb = panel_buf.get(K * so * W);
  basis_z<NV>(p, c, zb, so * W, W, s);
  for (int a = 0; a < p.so; a++)
    panel::block<NV, true>(
        p.mo, K, Ap, [&](int k) { return zb + (k * so + a) * W; },
        [&](int o) { return c.yT + p.out[o * p.so + a] * ld + s; });
}

// Coefficients first: the block's u = C' X per in component b, then the loop into y.
template <int NV>
ISOTROPY_CLONES void coeff_forward_block(const Pair& p, const Ctx& c, const float* Ap, size_t s) {
  const size_t ld = c.ld, W = 8 * NV, si = p.si;
  const int M = p.mo * p.r;
  float* ub = panel_buf.get(M * si * W);
  for (int b = 0; b < p.si; b++)
    panel::block<NV, false>(
        M, p.mi, Ap, [&](int i) { return c.xT + p.in[i * p.si + b] * ld + s; },
        [&](int oj) { return ub + (oj * si + b) * W; });
  coeff_y<NV>(p, c, ub, si * W, W, s);
}

// Dense: y[out(n)] += W x[in].
template <int NV>
ISOTROPY_CLONES void dense_forward_block(const Pair& p, const Ctx& c, const float* Ap, size_t s) {
  const size_t ld = c.ld;
  panel::block<NV, true>(
      p.mo * p.so, p.mi * p.si, Ap, [&](int k) { return c.xT + p.in[k] * ld + s; },
      [&](int n) { return c.yT + p.out[n] * ld + s; });
}

// Basis first, gradient: the block's dz = C^T dY per out component a, then the loop into dx.
template <int NV>
ISOTROPY_CLONES void basis_backward_block(const Pair& p, const Ctx& c, const float* Ap, size_t s) {
  const size_t ld = c.ld, W = 8 * NV, so = p.so;
  const int K = p.mi * p.r;
  float* zb = panel_buf.get(K * so * W);
  for (int a = 0; a < p.so; a++)
    panel::block<NV, false>(
        K, p.mo, Ap, [&](int o) { return c.dyT + p.out[o * p.so + a] * ld + s; },
        [&](int k) { return zb + (k * so + a) * W; });
  basis_dx<NV>(p, c, zb, so * W, W, s);
}

// Coefficients first, gradient: the block's du (into duT, for dC'), then dx += C'^T du.
template <int NV>
ISOTROPY_CLONES void coeff_backward_block(const Pair& p, const Ctx& c, const float* Ap, float* duT,
                                          size_t s) {
  const size_t ld = c.ld, row = p.si * ld;
  coeff_du<NV>(p, c, duT, s);
  for (int b = 0; b < p.si; b++)
    panel::block<NV, true>(
        p.mi, p.mo * p.r, Ap, [&](int oj) { return duT + oj * row + b * ld + s; },
        [&](int i) { return c.dxT + p.in[i * p.si + b] * ld + s; });
}

// Dense, gradient: dx[in(k)] += W^T dy[out].
template <int NV>
ISOTROPY_CLONES void dense_backward_block(const Pair& p, const Ctx& c, const float* Ap, size_t s) {
  const size_t ld = c.ld;
  panel::block<NV, true>(
      p.mi * p.si, p.mo * p.so, Ap, [&](int n) { return c.dyT + p.out[n] * ld + s; },
      [&](int k) { return c.dxT + p.in[k] * ld + s; });
}

// C[(o*mi + i)*r + j] from C'[(o,j), i] (a gradient's layout back).
void coeff_unlayout(const Pair& p, const float* dCp, float* dC) {
  for (int o = 0; o < p.mo; o++)
    for (int i = 0; i < p.mi; i++)
      for (int j = 0; j < p.r; j++) dC[(o * p.mi + i) * p.r + j] = dCp[(o * p.r + j) * p.mi + i];
}

// The pair's block of W: W[(o*so + a), (i*si + b)] = sum_j C[(o*mi + i)*r + j] B_j[a, b], from B's
// nonzeros (a T(3) -> T(3) basis under O(3) is a quarter full). They are in (j, a, b) order, so
// each entry of W sums over j in the order of the dense formula, and gets the same value.
void dense_block(const Pair& p, const float* C, float* W) {
  const size_t cols = static_cast<size_t>(p.mi) * p.si;
  std::memset(W, 0, sizeof(float) * p.mo * p.so * cols);
  for (int o = 0; o < p.mo; o++)
    for (int i = 0; i < p.mi; i++) {
      const float* c = C + (static_cast<size_t>(o) * p.mi + i) * p.r;
      float* w = W + static_cast<size_t>(o) * p.so * cols + static_cast<size_t>(i) * p.si;
      for (const Entry& e : p.nz) w[e.a * cols + e.b] += c[e.j] * e.v;
    }
}

// dC[(o*mi + i)*r + j] = sum_{a,b} dW[(o*so + a), (i*si + b)] B_j[a, b], over B's nonzeros (in
// (a, b) order for each j, as the dense sum).
void dense_block_grad(const Pair& p, const float* dW, float* dC) {
  const size_t cols = static_cast<size_t>(p.mi) * p.si;
  for (int o = 0; o < p.mo; o++)
    for (int i = 0; i < p.mi; i++) {
      float* dc = dC + (static_cast<size_t>(o) * p.mi + i) * p.r;
      const float* dw = dW + static_cast<size_t>(o) * p.so * cols + static_cast<size_t>(i) * p.si;
      std::fill(dc, dc + p.r, 0.0f);
      // The entries of one j are consecutive: one running sum each, not a load and store per term.
      for (size_t n = 0; n < p.nz.size();) {
        const int j = p.nz[n].j;
        float acc = 0.0f;
        for (; n < p.nz.size() && p.nz[n].j == j; n++) {
          const Entry& e = p.nz[n];
          acc += dw[e.a * cols + e.b] * e.v;
        }
        dc[j] = acc;
      }
    }
}

// m[0] when m[n] = m[0] + n for n < len, else -1.
int consecutive_rows(const int32_t* m, size_t len) {
  for (size_t n = 0; n < len; n++)
    if (m[n] != m[0] + static_cast<int32_t>(n)) return -1;
  return m[0];
}

// The A of a block product, packed (panel.h): basis first C [o, (i,j)] (C^T for the gradient),
// coefficients first C' [(o,j), i] (C'^T), dense the pair's block W (W^T).
const float* pack_coeffs(const Pair& p, Order order, bool forward, const float* C) {
  const int mo = p.mo, mi = p.mi, r = p.r;
  int M, K;
  switch (order) {
    case Order::kBasis: M = mo, K = mi * r; break;
    case Order::kCoeff: M = mo * r, K = mi; break;
    default: M = mo * p.so, K = mi * p.si; break;
  }
  if (!forward) std::swap(M, K);
  float* Ap = scratch.ap.get(panel::packed_size(M, K));
  panel::clear_padding(M, K, Ap);
  const auto put = [&](int i, int k, float v) {
    forward ? panel::put(Ap, K, i, k, v) : panel::put(Ap, K, k, i, v);
  };
  if (order == Order::kDense) {
    const int rows_out = mo * p.so, rows_in = mi * p.si;
    float* W = scratch.w.get(static_cast<size_t>(rows_out) * rows_in);
    dense_block(p, C, W);
    for (int n = 0; n < rows_out; n++)
      for (int k = 0; k < rows_in; k++) put(n, k, W[static_cast<size_t>(n) * rows_in + k]);
    return Ap;
  }
  for (int o = 0; o < mo; o++)
    for (int i = 0; i < mi; i++)
      for (int j = 0; j < r; j++) {
        const float v = C[(o * mi + i) * r + j];
        if (order == Order::kBasis)
          put(o, i * r + j, v);
        else
          put(o * r + j, i, v);
      }
  return Ap;
}

void forward_pair(const Pair& p, Order order, const Ctx& c, const float* C) {
  const size_t ld = c.ld, nnz = p.nz.size();
  const size_t mo = p.mo, mi = p.mi, r = p.r, so = p.so, si = p.si;
  const float* Ap = pack_coeffs(p, order, true, C);
  switch (order) {
    case Order::kBasis:
      ISO_BLOCKS(ld, mi * nnz + mo * mi * r * so, basis_forward_block<NV>(p, c, Ap, s));
      return;
    case Order::kCoeff:
      ISO_BLOCKS(ld, mo * nnz + mo * r * mi * si, coeff_forward_block<NV>(p, c, Ap, s));
      return;
    case Order::kDense:
      ISO_BLOCKS(ld, mo * so * mi * si, dense_forward_block<NV>(p, c, Ap, s));
      return;
  }
}

thread_local std::vector<const float*> rows_a, rows_b;

void backward_pair(const Pair& p, Order order, const Ctx& c, const float* C, float* dC) {
  const size_t ld = c.ld, nnz = p.nz.size();
  const size_t mo = p.mo, mi = p.mi, r = p.r, so = p.so, si = p.si;
  switch (order) {
    case Order::kBasis: {
      const size_t row = so * ld;
      float* zT = scratch.z.get(mi * r * row);
      ISO_BLOCKS(ld, mi * nnz, basis_z_rows<NV>(p, c, zT, s));
      const float* const* dY =
          rows::operand_rows(p.out, p.mo, p.so, p.so, 1, p.out0, c.dyT, ld, scratch.y, rows_a);
      sum_products(p.mo, p.mi * p.r, row, dY, block_rows(zT, p.mi * p.r, row, rows_b),
                   dC);  // dC = dY z^T
      const float* Ap = pack_coeffs(p, order, false, C);
      ISO_BLOCKS(ld, mi * nnz + mo * mi * r * so, basis_backward_block<NV>(p, c, Ap, s));
      return;
    }
    case Order::kCoeff: {
      const size_t row = si * ld;
      const size_t nc = mo * mi * r;
      float* dCp = scratch.dc.get(nc);
      float* duT = scratch.y.get(mo * r * row);
      const float* Ap = pack_coeffs(p, order, false, C);
      ISO_BLOCKS(ld, mo * nnz + mo * r * mi * si, coeff_backward_block<NV>(p, c, Ap, duT, s));
      const float* const* XT =
          rows::operand_rows(p.in, p.mi, p.si, p.si, 1, p.in0, c.xT, ld, scratch.z, rows_b);
      sum_products(p.mo * p.r, p.mi, row, block_rows(duT, p.mo * p.r, row, rows_a), XT,
                   dCp);  // dC' = du X^T
      coeff_unlayout(p, dCp, dC);
      return;
    }
    case Order::kDense: {
      const int rows_out = p.mo * p.so, rows_in = p.mi * p.si;
      float* dW = scratch.dw.get(static_cast<size_t>(rows_out) * rows_in);
      const float* const* XT =
          rows::operand_rows(p.in, rows_in, 1, 1, 1, p.in0, c.xT, ld, scratch.z, rows_b);
      const float* const* dY =
          rows::operand_rows(p.out, rows_out, 1, 1, 1, p.out0, c.dyT, ld, scratch.y, rows_a);
      sum_products(rows_out, rows_in, ld, dY, XT, dW);  // dW = dY X^T
      dense_block_grad(p, dW, dC);
      const float* Ap = pack_coeffs(p, order, false, C);
      ISO_BLOCKS(ld, mo * so * mi * si, dense_backward_block<NV>(p, c, Ap, s));
      return;
    }
  }
}

const napi_type_tag kPlanTag = {0x1c0e6a7d5f2b4e91ULL, 0xa45d3c8e17b0f626ULL};

// coeffs: a JS array of Float32Arrays of the plan's coefficient sizes (mo * mi * r each).
bool get_coeffs(napi_env env, napi_value arr, const Plan& plan, std::vector<float*>* out) {
  return rows::get_f32_list(env, arr, plan.pairs.size(), [&](size_t k) {
    const Pair& p = plan.pairs[k];
    return static_cast<size_t>(p.mo) * p.mi * p.r;
  }, out);
}

// The order argument of linear / linearGrad: 0 the pair's own, else one for every pair.
bool get_order(napi_env env, napi_value v, int* order) {
  return napi_get_value_int32(env, v, order) == napi_ok && *order >= 0 && *order <= 3;
}
Order forced(int order, Order own) {
  return order == 0 ? own : static_cast<Order>(order - 1);
}

// Whether every SGEMM dimension (at most max(so, si) * ld) fits the SGEMM interface's int.
bool batch_fits(const Plan& plan, size_t bs) {
  const size_t ld = rows::leading(bs);
  for (const Pair& p : plan.pairs)
    if (static_cast<size_t>(std::max(p.so, p.si)) * ld >= (size_t{1} << 31)) return false;
  return true;
}

}  // namespace

// linearPlan(meta, idx, bases): meta Int32Array [inputSize, outputSize, then per pair so, si, r,
// mo, mi]; idx Int32Array the pairs' out (mo * so) and in (mi * si) maps concatenated in pair
// order; bases Float32Array the pairs' B (r * so * si, entry (j, a, b) at (j * so + a) * si + b)
// concatenated. Returns an External owning a checked copy.
napi_value LinearPlan(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  View meta, idx, bases;
  if (argc < 3 || !get_view(env, argv[0], &meta) || !meta.i32() || !get_view(env, argv[1], &idx) ||
      !idx.i32() || !get_view(env, argv[2], &bases) || !bases.f32())
    return throw_type(env, "linearPlan: Int32Array meta, Int32Array idx, Float32Array bases expected");
  const int32_t* m = static_cast<const int32_t*>(meta.data);
  if (meta.length < 2 || (meta.length - 2) % 5 != 0)
    return throw_type(env, "linearPlan: meta must be [inputSize, outputSize, 5 per pair]");
  if (idx.length >= (size_t{1} << 31)) return throw_type(env, "linearPlan: idx too long");
  auto plan = std::make_unique<Plan>();
  plan->inputSize = m[0];
  plan->outputSize = m[1];
  if (m[0] < 1 || m[1] < 1) return throw_type(env, "linearPlan: sizes must be positive");
  plan->idx.assign(static_cast<const int32_t*>(idx.data),
                   static_cast<const int32_t*>(idx.data) + idx.length);
  const float* B = static_cast<const float*>(bases.data);
  const size_t pairs = (meta.length - 2) / 5;
  size_t at = 0, bat = 0;
  plan->pairs.resize(pairs);
  for (size_t k = 0; k < pairs; k++) {
    const int32_t* q = m + 2 + 5 * k;
    for (int j = 0; j < 5; j++)
      if (q[j] < 1 || q[j] > (1 << 20)) return throw_type(env, "linearPlan: pair sizes out of range");
    Pair& p = plan->pairs[k];
    p.so = q[0];
    p.si = q[1];
    p.r = q[2];
    p.mo = q[3];
    p.mi = q[4];
    const size_t no = static_cast<size_t>(p.mo) * p.so, ni = static_cast<size_t>(p.mi) * p.si;
    const size_t nb = static_cast<size_t>(p.r) * p.so * p.si;
    if (at + no + ni > idx.length) return throw_type(env, "linearPlan: idx too short");
    if (bat + nb > bases.length) return throw_type(env, "linearPlan: bases too short");
    const int32_t* base = plan->idx.data() + at;
    for (size_t j = 0; j < no; j++)
      if (base[j] < 0 || base[j] >= plan->outputSize)
        return throw_type(env, "linearPlan: a y column is out of range");
    for (size_t j = no; j < no + ni; j++)
      if (base[j] < 0 || base[j] >= plan->inputSize)
        return throw_type(env, "linearPlan: an x column is out of range");
    p.out = base;
    p.in = base + no;
    p.out0 = consecutive_rows(p.out, no);
    p.in0 = consecutive_rows(p.in, ni);
    p.B.assign(B + bat, B + bat + nb);
    for (int j = 0; j < p.r; j++)
      for (int a = 0; a < p.so; a++)
        for (int b = 0; b < p.si; b++) {
          const float v = p.B[(static_cast<size_t>(j) * p.so + a) * p.si + b];
          if (v != 0.0f) p.nz.push_back(Entry{j, a, b, v});
        }
    p.by_ja.build(p.nz, p.r * p.so, [&](const Entry& e) { return e.j * p.so + e.a; });
    p.by_b.build(p.nz, p.si, [](const Entry& e) { return e.b; });
    p.by_a.build(p.nz, p.so, [](const Entry& e) { return e.a; });
    p.by_jb.build(p.nz, p.r * p.si, [&](const Entry& e) { return e.j * p.si + e.b; });
    choose_orders(&p);
    at += no + ni;
    bat += nb;
  }
  if (at != idx.length) return throw_type(env, "linearPlan: idx too long");
  if (bat != bases.length) return throw_type(env, "linearPlan: bases too long");
  return rows::wrap_plan(env, std::move(plan), kPlanTag);
}

// An optional Float32Array argument of n values: true with *out = nullptr when it is null or
// undefined (or absent), true with the data when it fits, false otherwise.
bool get_optional_f32(napi_env env, size_t argc, napi_value* argv, size_t i, size_t n, float** out) {
  *out = nullptr;
  if (i >= argc) return true;
  napi_valuetype t;
  if (napi_typeof(env, argv[i], &t) != napi_ok) return false;
  if (t == napi_null || t == napi_undefined) return true;
  return get_f32(env, argv[i], n, out);
}

// out[o] = the sum of row o of aT (rows of ld, the first bs summed in order). Each row's sum is
// one chain of dependent adds; eight rows summed side by side (eight registers) overlap their
// latencies and keep every row's order, so the sums are the same bits as one row at a time.
namespace {
void row_sums(const float* aT, int rows, size_t bs, size_t ld, float* out) {
  int o = 0;
  for (; o + 8 <= rows; o += 8) {
    const float* r = aT + static_cast<size_t>(o) * ld;
    float a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    for (size_t s = 0; s < bs; s++) {
      a0 += r[s];
      a1 += r[ld + s];
      a2 += r[2 * ld + s];
      a3 += r[3 * ld + s];
      a4 += r[4 * ld + s];
      a5 += r[5 * ld + s];
      a6 += r[6 * ld + s];
      a7 += r[7 * ld + s];
    }
    const float sums[8] = {a0, a1, a2, a3, a4, a5, a6, a7};
    std::copy(sums, sums + 8, out + o);
  }
  for (; o < rows; o++) {
    const float* r = aT + static_cast<size_t>(o) * ld;
    float acc = 0.0f;
    for (size_t s = 0; s < bs; s++) acc += r[s];
    out[o] = acc;
  }
}
}  // namespace

// linear(plan, x, batch, coeffs[], y, order, bias?, featureMajor?): y (batch x
// outputSize) overwritten with x W^T, plus bias (outputSize values) when given; featureMajor: x
// is [inputSize, batch] and y [outputSize, batch] (with a batch that is a multiple of 8, y is
// written in place). y's contents on entry do not matter.
napi_value Linear(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  Plan* plan = nullptr;
  int32_t batch = -1;
  bool fm = false;
  int order = 0;
  if (argc < 6 || !rows::unwrap_plan(env, argv[0], kPlanTag, &plan) ||
      napi_get_value_int32(env, argv[2], &batch) != napi_ok || batch < 0 ||
      !get_order(env, argv[5], &order) || !rows::get_optional_bool(env, argc, argv, 7, &fm))
    return throw_type(env, "linear: (plan, x, batch, coeffs, y, order, bias?, featureMajor?) expected");
  const size_t bs = static_cast<size_t>(batch);
  float *x, *y, *bias;
  std::vector<float*> cs;
  if (!get_f32(env, argv[1], bs * plan->inputSize, &x) ||
      !get_f32(env, argv[4], bs * plan->outputSize, &y) || !get_coeffs(env, argv[3], *plan, &cs) ||
      !get_optional_f32(env, argc, argv, 6, plan->outputSize, &bias))
    return throw_type(env, "linear: x, coeffs, y or bias do not match the plan");
  if (bs == 0) return nullptr;
  if (!batch_fits(*plan, bs)) return throw_type(env, "linear: batch too large");
  try {
    Ctx c{};
    c.ld = rows::leading(bs);
    c.xT = rows::rows_of(fm, x, bs, plan->inputSize, c.ld, scratch.xT);
    c.yT = rows::out_rows(fm, y, plan->outputSize, bs, c.ld, scratch.yT);
    if (bias != nullptr) {
      // Row o of y^T starts at bias[o]: the bias costs no pass of its own.
      for (int o = 0; o < plan->outputSize; o++) std::fill_n(c.yT + o * c.ld, c.ld, bias[o]);
    } else {
      std::memset(c.yT, 0, sizeof(float) * plan->outputSize * c.ld);
    }
    for (size_t k = 0; k < plan->pairs.size(); k++) {
      const Pair& p = plan->pairs[k];
      forward_pair(p, forced(order, p.fwd), c, cs[k]);
    }
    rows::finish_rows(fm, c.yT, bs, plan->outputSize, c.ld, y);
  } catch (const std::bad_alloc&) {
    napi_throw_error(env, nullptr, "linear: out of memory");
  }
  return nullptr;
}

// linearGrad(plan, dy, x, batch, coeffs[], dx, dcoeffs[], order, dbias?, featureMajor?):
// dx and dcoeffs overwritten, and dbias (outputSize values) with the batch's sum of dy when given
// (dy, x and dx feature-major when featureMajor; dx then written in place as linear's y is).
napi_value LinearGrad(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  Plan* plan = nullptr;
  int32_t batch = -1;
  bool fm = false;
  int order = 0;
  if (argc < 8 || !rows::unwrap_plan(env, argv[0], kPlanTag, &plan) ||
      napi_get_value_int32(env, argv[3], &batch) != napi_ok || batch < 0 ||
      !get_order(env, argv[7], &order) || !rows::get_optional_bool(env, argc, argv, 9, &fm))
    return throw_type(env,
                      "linearGrad: (plan, dy, x, batch, coeffs, dx, dcoeffs, order, dbias?, "
                      "featureMajor?) expected");
  const size_t bs = static_cast<size_t>(batch);
  float *dy, *x, *dx, *dbias;
  std::vector<float*> cs, dcs;
  if (!get_f32(env, argv[1], bs * plan->outputSize, &dy) ||
      !get_f32(env, argv[2], bs * plan->inputSize, &x) ||
      !get_f32(env, argv[5], bs * plan->inputSize, &dx) || !get_coeffs(env, argv[4], *plan, &cs) ||
      !get_coeffs(env, argv[6], *plan, &dcs) ||
      !get_optional_f32(env, argc, argv, 8, plan->outputSize, &dbias))
    return throw_type(env, "linearGrad: dy, x, coeffs, dx, dcoeffs or dbias do not match the plan");
  if (!batch_fits(*plan, bs)) return throw_type(env, "linearGrad: batch too large");
  if (dbias != nullptr) std::memset(dbias, 0, sizeof(float) * plan->outputSize);
  if (bs == 0) {
    for (size_t k = 0; k < plan->pairs.size(); k++) {
      const Pair& p = plan->pairs[k];
      std::memset(dcs[k], 0, sizeof(float) * p.mo * p.mi * p.r);
    }
    return nullptr;
  }
  try {
    Ctx c{};
    c.ld = rows::leading(bs);
    const float* dyT = rows::rows_of(fm, dy, bs, plan->outputSize, c.ld, scratch.yT);
    c.xT = rows::rows_of(fm, x, bs, plan->inputSize, c.ld, scratch.xT);
    c.dyT = dyT;
    if (dbias != nullptr) row_sums(dyT, plan->outputSize, bs, c.ld, dbias);
    c.dxT = rows::out_rows(fm, dx, plan->inputSize, bs, c.ld, scratch.dxT);
    std::memset(c.dxT, 0, sizeof(float) * plan->inputSize * c.ld);
    for (size_t k = 0; k < plan->pairs.size(); k++) {
      const Pair& p = plan->pairs[k];
      backward_pair(p, forced(order, p.bwd), c, cs[k], dcs[k]);
    }
    rows::finish_rows(fm, c.dxT, bs, plan->inputSize, c.ld, dx);
  } catch (const std::bad_alloc&) {
    napi_throw_error(env, nullptr, "linearGrad: out of memory");
  }
  return nullptr;
}

}  // namespace isotropy
