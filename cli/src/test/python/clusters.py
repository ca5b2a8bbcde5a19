"""Seeded Gaussian clusters as .npy files: the data of bin/bench-peers and bin/bench-startup.

python3 clusters.py OUT_DIR ROWS DIM SIZES NOISE SEED writes OUT_DIR/emb.npy (float32, ROWS x DIM)
and OUT_DIR/labels.npy (int64). SIZES is one number (classes of that many rows, the last one cut to
fit) or a range MIN-MAX (each class's size drawn uniformly from it, the last one cut to fit). Each
row is its class's centre (standard normal) plus NOISE times standard normal noise; rows in random
order. The same arguments give the same files.
"""
import sys

import numpy as np

out, rows, dim, sizes, noise, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], \
    float(sys.argv[5]), int(sys.argv[6])
rng = np.random.default_rng(seed)
if "-" in sizes:
    low, high = (int(s) for s in sizes.split("-"))
    counts = rng.integers(low, high + 1, size=rows // low + 1)
    classes = int(np.searchsorted(np.cumsum(counts), rows)) + 1
    labels = np.repeat(np.arange(classes), counts[:classes])[:rows]
else:
    classes = rows // int(sizes) + 1
    labels = np.repeat(np.arange(classes), int(sizes))[:rows]
rng.shuffle(labels)
x = rng.standard_normal((classes, dim)).astype(np.float32)[labels] \
    + noise * rng.standard_normal((rows, dim)).astype(np.float32)
np.save(out + "/emb.npy", x.astype(np.float32))
np.save(out + "/labels.npy", labels.astype(np.int64))
print("%d x %d, %d classes of %s rows, noise %g, seed %d" % (rows, dim, len(np.unique(labels)), sizes, noise, seed))
