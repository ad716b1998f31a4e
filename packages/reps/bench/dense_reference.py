"""Dense reference for the basis benchmark: the full stacked constraint matrix of emlp's method
(rho(h) - I for discrete generators, drho(A) for Lie generators, on V^{(x)k}), solved with LAPACK
(numpy's eigh of C^T C). Reads JSON cases on stdin, prints JSON timings on stdout."""
import json
import sys
import time

import numpy as np


def kron_all(ms):
    out = np.ones((1, 1))
    for m in ms:
        out = np.kron(out, m)
    return out


def kron_sum(a, k):
    d = a.shape[0]
    n = d**k
    out = np.zeros((n, n))
    for i in range(k):
        ms = [np.eye(d)] * k
        ms[i] = a
        out += kron_all(ms)
    return out


def solve(case):
    k = case["k"]
    rows = []
    for h in case["discrete"]:
        h = np.array(h)
        rows.append(kron_all([h] * k) - np.eye(h.shape[0] ** k))
    for a in case["lie"]:
        rows.append(kron_sum(np.array(a), k))
    t0 = time.perf_counter()
    c = np.concatenate(rows, axis=0)
    gram = c.T @ c
    w, _ = np.linalg.eigh(gram)
    scale = max(w[-1], 1e-300)
    dim = int(np.sum(w < 1e-9 * scale))
    return {"name": case["name"], "seconds": time.perf_counter() - t0, "dim": dim}


cases = json.load(sys.stdin)
print(json.dumps([solve(c) for c in cases]))
