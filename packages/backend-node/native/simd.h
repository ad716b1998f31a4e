// Function multiversioning for the arithmetic loops: GCC builds an AVX2+FMA copy beside the
// baseline (x86-64-v2) one and picks at load time. The clone is "arch=x86-64-v3", not
// "arch=haswell": the latter's resolver asks whether the CPU *is* a Haswell, which AMD EPYC
// (AVX2 and FMA included) is not, so it silently ran the baseline copy there.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define ISOTROPY_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#define ISOTROPY_HAS_CLONES 1
#else
#define ISOTROPY_CLONES
#define ISOTROPY_HAS_CLONES 0
#endif
