{
  "variables": {
    "use_openblas%": "<!(node scripts/detect-blas.cjs)",
    "openblas_include%": "<!(node scripts/detect-blas.cjs --include)"
  },
  "targets": [
    {
      "target_name": "isotropy_backend_node",
      "sources": [
        "native/adam.cc",
        "native/addon.cc",
        "native/assemble.cc",
        "native/bilinear.cc",
        "native/elementwise.cc",
        "native/gram.cc",
        "native/gate.cc",
        "native/linear.cc",
        "native/pad.cc",
        "native/parallel.cc",
        "native/reduce.cc",
        "native/rows.cc",
        "native/scatter.cc",
        "native/sgemm.cc",
        "native/small_gemm.cc",
        "native/transpose.cc"
      ],
      "cflags_cc!": ["-fno-exceptions", "-O2", "-O3"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno", "-fno-trapping-math", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "conditions": [
        ["target_arch=='x64'", { "cflags_cc": ["-march=x86-64-v2", "-mtune=generic"] }],
        [
          "use_openblas==1",
          {
            "defines": ["ISOTROPY_OPENBLAS"],
            "include_dirs": ["<(openblas_include)"],
            "libraries": ["-lopenblas"]
          }
        ]
      ]
    }
  ]
}
