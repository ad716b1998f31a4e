// Single-precision matrix product for @isotropy/backend-node.
// Row-major: C[M x N] = op(A)[M x K] * op(B)[K x N], C overwritten.
#pragma once
#include <cstddef>

namespace isotropy {

// The bundled, cache-blocked kernel (always compiled), single thread.
void sgemm_bundled(bool transA, bool transB, int M, int N, int K, const float* A, const float* B,
                   float* C);

// Rows [m0, m1) of C only (for splitting one product across threads).
void sgemm_bundled_rows(bool transA, bool transB, int M, int N, int K, const float* A,
                        const float* B, float* C, int m0, int m1);

// Name of the instruction set the bundled kernel dispatches to at run time.
const char* sgemm_bundled_isa();

}  // namespace isotropy
