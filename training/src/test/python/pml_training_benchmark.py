"""The harness protocol of TrainingBenchmarkTest#againstPyTorch on PyTorch + pytorch-metric-learning.

Fashion-MNIST training images of classes 0-4 (read from the gzipped IDX files in the directory given
as the first argument), MLP 784-256-128 (Linear, ReLU, Linear) on pixels / 255, batch 256 of m = 64 images
from each of 4 classes, Adam 1e-3, and one of: contrastive (PML defaults: pos 0, neg 1),
triplet margin 0.1 over all triplets, triplet margin 0.1 with the semihard TripletMarginMiner
(margin 0.1), multi-similarity (PML defaults: alpha 2, beta 50, base 0.5).

A long-lived worker, so the Java side can interleave its repetitions with these: each line on stdin,
``<loss> <threads> <warmup> <measured> <seed>``, runs warmup + measured steps of a fresh model with
torch.set_num_threads(threads) and answers one line on stdout,
``RESULT <wall seconds> <process CPU seconds> <last loss>`` over the measured steps. The batches
are drawn before the clock starts. pytorch-metric-learning comes from PYTHONPATH (its source,
not installed: see bin/bench-training).
"""
import ctypes
import gzip
import os
import sys
import time

import numpy as np
import torch
from pytorch_metric_learning import losses, miners

BATCH, M, CLASSES = 256, 64, 5


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(directory):
    images = idx(os.path.join(directory, "train-images-idx3-ubyte.gz"))
    labels = idx(os.path.join(directory, "train-labels-idx1-ubyte.gz"))
    keep = labels < CLASSES
    x = torch.from_numpy(images[keep].reshape(-1, 784).astype(np.float32) / 255.0)
    return x, torch.from_numpy(labels[keep].astype(np.int64))


def batches(y, steps, seed):
    """Each batch: BATCH / M classes drawn without replacement, M images of each (as PML's
    MPerClassSampler composes them; its module is not imported because its package pulls in
    scikit-learn). Drawn before the clock starts, so it costs the timing nothing."""
    rng = np.random.default_rng(seed)
    by_class = [np.flatnonzero(y.numpy() == c) for c in range(CLASSES)]
    out = np.empty((steps, BATCH), dtype=np.int64)
    for s in range(steps):
        classes = rng.choice(CLASSES, BATCH // M, replace=False)
        out[s] = np.concatenate([rng.choice(by_class[c], M, replace=False) for c in classes])
    return torch.from_numpy(out)


def blas_thread_setter():
    """OpenBLAS's openblas_set_num_threads from the library this process loaded, or None.

    Debian's torch calls the system BLAS (OpenBLAS), whose threads torch.set_num_threads does not
    limit: without this, a "1 thread" step ran its matrix products on every core.
    """
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "blas" in line and ".so" in line})
    for path in paths:
        try:
            return ctypes.CDLL(path).openblas_set_num_threads
        except (OSError, AttributeError):
            continue
    return None


BLAS_THREADS = blas_thread_setter()


def run(x, y, loss_name, threads, warmup, measured, seed):
    torch.set_num_threads(threads)
    if BLAS_THREADS is not None:
        BLAS_THREADS(threads)
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    miner = None
    if loss_name == "contrastive":
        loss_fn = losses.ContrastiveLoss()
    elif loss_name == "triplet_margin":
        loss_fn = losses.TripletMarginLoss(margin=0.1)
    elif loss_name == "triplet_margin+semihard":
        loss_fn = losses.TripletMarginLoss(margin=0.1)
        miner = miners.TripletMarginMiner(margin=0.1, type_of_triplets="semihard")
    elif loss_name == "multi_similarity":
        loss_fn = losses.MultiSimilarityLoss()
    else:
        raise ValueError("unknown loss " + loss_name)
    steps = warmup + measured
    order = batches(y, steps, seed)

    def step(i):
        batch = order[i]
        xb, yb = x[batch], y[batch]
        e = model(xb)
        loss = loss_fn(e, yb, miner(e, yb)) if miner is not None else loss_fn(e, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    for i in range(warmup):
        step(i)
    wall, cpu = time.perf_counter(), time.process_time()
    last = float("nan")
    for i in range(warmup, steps):
        last = step(i)
    return time.perf_counter() - wall, time.process_time() - cpu, last


def main():
    x, y = load(sys.argv[1])
    print("READY torch %s threads-default %d blas-threads %s" % (torch.__version__, torch.get_num_threads(),
          "pinned" if BLAS_THREADS is not None else "not pinned (no OpenBLAS found)"), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        wall, cpu, last = run(x, y, parts[0], int(parts[1]), int(parts[2]), int(parts[3]), int(parts[4]))
        print("RESULT %.6f %.6f %.6f" % (wall, cpu, last), flush=True)


if __name__ == "__main__":
    main()
