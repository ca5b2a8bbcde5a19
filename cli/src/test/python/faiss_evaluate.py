"""The peer of `realitycheck evaluate` in bin/bench-startup and bin/bench-peers: faiss' whole process on the
same files.

python3 faiss_evaluate.py EMBEDDINGS.npy LABELS.npy prints MAP@R over every row as a query of all
the others (cosine: rows L2-normalised, faiss.IndexFlatIP exact search), with the same k as the
tool (the largest class's size minus one) and pytorch-metric-learning's definition of MAP@R. Debian:
apt-get install python3-faiss (a benchmark peer only; no test needs it).
"""
import sys

import faiss
import numpy as np

x = np.ascontiguousarray(np.load(sys.argv[1]), dtype=np.float32)
y = np.load(sys.argv[2]).astype(np.int64)
n = len(y)
faiss.normalize_L2(x)
_, inverse, counts = np.unique(y, return_inverse=True, return_counts=True)
r = counts[inverse] - 1  # relevant references of each query: its class less itself
k = int(r.max())
index = faiss.IndexFlatIP(x.shape[1])
index.add(x)
_, neighbours = index.search(x, k + 1)
own = neighbours == np.arange(n)[:, None]
own[own.sum(axis=1) == 0, k] = True  # a query whose own row is not among its k + 1 drops its last
neighbours = neighbours[~own].reshape(n, k)
relevant = (y[neighbours] == y[:, None]) & (np.arange(k)[None, :] < r[:, None])
precision = np.cumsum(relevant, axis=1) / np.arange(1, k + 1)
scored = r > 0
print("MAP@R %.4f k = %d" % (np.mean((precision * relevant).sum(axis=1)[scored] / r[scored]), k))
