"""The numpy peer of `realitycheck evaluate` for large k (bin/bench-peers), where faiss' k-NN search
needs more memory than the machine has (k = 7,000 over 35,000 rows: 9.2 GB).

python3 numpy_evaluate.py EMBEDDINGS.npy LABELS.npy prints MAP@R over every row as a query of all
the others (cosine: rows L2-normalised), with the same k as the tool (the largest class's size minus
one) and pytorch-metric-learning's definition of MAP@R, as faiss_evaluate.py does: blocks of query
rows times all rows with one matrix product, the query itself left out, np.argpartition for the k
best, then those k ordered by score and, among equal scores, by index.
"""
import sys

import numpy as np

x = np.ascontiguousarray(np.load(sys.argv[1]), dtype=np.float32)
y = np.load(sys.argv[2]).astype(np.int64)
n = len(y)
x /= np.linalg.norm(x, axis=1, keepdims=True)
_, inverse, counts = np.unique(y, return_inverse=True, return_counts=True)
r = counts[inverse] - 1  # relevant references of each query: its class less itself
k = int(r.max())
total = 0.0
block = max(1, min(n, (64 << 20) // (4 * n)))  # about 64 MB of scores at a time
for start in range(0, n, block):
    end = min(n, start + block)
    scores = x[start:end] @ x.T
    scores[np.arange(end - start), np.arange(start, end)] = -np.inf  # the query itself
    best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.lexsort((best, -np.take_along_axis(scores, best, axis=1)))
    neighbours = np.take_along_axis(best, order, axis=1)
    rq = r[start:end]
    relevant = (y[neighbours] == y[start:end, None]) & (np.arange(k)[None, :] < rq[:, None])
    precision = np.cumsum(relevant, axis=1) / np.arange(1, k + 1)
    scored = rq > 0
    total += ((precision * relevant).sum(axis=1)[scored] / rq[scored]).sum()
print("MAP@R %.4f k = %d" % (total / np.count_nonzero(r > 0), k))
