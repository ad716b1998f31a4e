// Single-precision matrix product for @isotropy/backend-node.
// Row-major: C[M x N] = op(A)[M x K] * op(B)[K x N], C overwritten (or, with `accumulate`,
// C += op(A) op(B)).
#pragma once
#include <cstddef>
#include <cstdint>

namespace isotropy {

// The bundled, cache-blocked kernel (always compiled), single thread.
void sgemm_bundled(bool transA, bool transB, int M, int N, int K, const float* A, const float* B,
                   float* C);

// Rows [m0, m1) of C only (for splitting one product across threads).
void sgemm_bundled_rows(bool transA, bool transB, int M, int N, int K, const float* A,
                        const float* B, float* C, int m0, int m1, bool accumulate = false);

// Whether a batch of M x K by K x N products is small enough for the direct loop
// (native/small_gemm.cc) to beat one BLAS call per product.
bool small_gemm_fits(int M, int N, int K, size_t batch);

// The batch through the direct loop, threads across the batch; offsets as in batchMatMul.
void small_gemm_batched(bool transA, bool transB, int M, int N, int K, const float* A,
                        const float* B, float* C, const uint32_t* aOff, const uint32_t* bOff,
                        size_t batch);

// One product through the addon's SGEMM path (native/addon.cc): OpenBLAS unless `bundled` (or
// not linked), else the bundled kernel with its rows split over the pool. Call it from the JS
// thread, not from inside parallel_for (OpenBLAS threads itself). With `accumulate`, C += the
// product (BLAS beta = 1): a caller whose destination rows are contiguous skips a scratch
// product, its zeroing and the pass that adds it in.
void sgemm(bool transA, bool transB, int M, int N, int K, const float* A, const float* B, float* C,
           bool bundled, bool accumulate = false);

// Name of the instruction set the bundled kernel dispatches to at run time.
const char* sgemm_bundled_isa();

}  // namespace isotropy
