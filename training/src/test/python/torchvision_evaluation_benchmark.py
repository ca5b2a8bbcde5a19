"""torchvision's side of ImageEvaluationBenchmarkTest (bin/bench-images -Dtest=ImageEvaluationBenchmarkTest):
the same generated 500x375 JPEGs (ImageFolder over the folder the Java side wrote) through a DataLoader with
the evaluation transform, Resize(256) + CenterCrop(227) + ToTensor + Normalize(ImageNet), batches of 64,
num_workers 2 (the Java pipeline's 2 workers), into the project's small CNN written in torch with the same
layer shapes (conv 3x3 16, BatchNorm, ReLU, max-pool 2; conv 3x3 32, BatchNorm, ReLU, max-pool 2; flatten;
dense 128; L2 normalisation), random weights, eval mode, no gradients, torch threads = cores (TensorFlow's
default intra-op pool). One timed pass, as on the Java side; the time inside the model's calls is printed too. Prints one line (wall time, images/s, peak
resident memory of this process and of the largest DataLoader worker) and appends it to the markdown file.
Arguments: the image folder, the number of images the Java side embedded, the markdown file."""
import os
import resource
import sys
import time

import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def small_cnn(side):
    pooled = side // 2 // 2
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 16, 3, padding=1, bias=False), torch.nn.BatchNorm2d(16, eps=1e-3), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 3, padding=1, bias=False), torch.nn.BatchNorm2d(32, eps=1e-3), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(pooled * pooled * 32, 128))


def peak_mib(who):
    return resource.getrusage(who).ru_maxrss / 1024.0  # Linux: KiB


def main(root, count, markdown):
    workers, batch, side = 2, 64, 227
    torch.manual_seed(1)
    torch.set_num_threads(os.cpu_count())
    transform = transforms.Compose([
        transforms.Resize(256),
        transforms.CenterCrop(side),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])
    data = datasets.ImageFolder(root, transform=transform)
    # the Java side's files img<i>.jpg, i < count (a folder left by a larger earlier run holds more)
    data.samples = [s for s in data.samples if int(os.path.basename(s[0])[3:-4]) < count]
    net = small_cnn(side).eval()
    loader = DataLoader(data, batch_size=batch, num_workers=workers, shuffle=False)
    embedded = 0
    model = 0.0
    t0 = time.perf_counter()
    with torch.no_grad():
        for images, _ in loader:
            m0 = time.perf_counter()
            e = torch.nn.functional.normalize(net(images))
            model += time.perf_counter() - m0
            assert e.shape == (images.shape[0], 128)
            embedded += e.shape[0]
    wall = time.perf_counter() - t0
    assert embedded == count, (embedded, count)
    line = (f"torchvision {torchvision.__version__} (torch {torch.__version__}): {embedded} JPEGs embedded (DataLoader"
            f" {workers} workers, batches of {batch}: Resize 256, CenterCrop {side}, ToTensor, Normalize; small CNN"
            f" {side}x{side}x3 -> 128, {torch.get_num_threads()} threads) in {wall:.1f} s = {embedded / wall:.0f}"
            f" images/s (model calls {model:.1f} s); peak resident memory {peak_mib(resource.RUSAGE_SELF):.0f} MiB (largest worker"
            f" {peak_mib(resource.RUSAGE_CHILDREN):.0f} MiB); {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    print(line)
    with open(markdown, "a", encoding="utf-8") as out:
        out.write(f"- {line}\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
