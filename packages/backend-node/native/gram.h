// Sums over samples of products of rows: C = A B^T where A's and B's rows are long and
// contiguous in the sample index (the weight gradients of the fused layers: dtheta = dY v^T,
// dC = dY z^T). OpenBLAS packs both operands on every such call; on these thin products (M and N
// in the tens to hundreds, K in the thousands) its calls ran at about 21 G multiply-adds/s in the
// training step. Here every operand is read in place.
#pragma once
#include <cstddef>
#include <vector>

namespace isotropy {

// C[i * N + j] = sum_{k < K} A[i * K + k] * B[j * K + k] for i < M, j < N (C overwritten).
// Threads over the larger operand's rows when the pool has more than one.
void sum_products(int M, int N, size_t K, const float* A, const float* B, float* C);

// The same with A's and B's rows given by pointers (rows of K floats anywhere): the operands'
// rows are read where they lie, with no gathered copy.
void sum_products(int M, int N, size_t K, const float* const* A, const float* const* B,
                  float* C);

// Row pointers of a contiguous [rows, K] operand, kept in out.
const float* const* block_rows(const float* M, int rows, size_t K, std::vector<const float*>& out);

}  // namespace isotropy
