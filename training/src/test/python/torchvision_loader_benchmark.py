"""torchvision's DataLoader on the JPEGs bin/bench-images generated, with the Java pipeline's training
transforms: ImageFolder + Resize(256) + RandomResizedCrop(227, scale 0.16-1) + RandomHorizontalFlip
+ ToTensor + Normalize(ImageNet), batch 32, num_workers 0, 1, 2. Prints images/s and images per
CPU-second (this process and its reaped workers), the best of 3 epochs after a warm-up epoch."""
import resource
import sys
import time

import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(root):
    torch.set_num_threads(1)
    transform = transforms.Compose([
        transforms.Resize(256),
        transforms.RandomResizedCrop(227, scale=(0.16, 1.0)),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])
    data = datasets.ImageFolder(root, transform=transform)
    print(f"# torchvision {torchvision.__version__} (torch {torch.__version__}), {len(data)} images from {root}")
    print("| case | workers | images/s | images per CPU-second |")
    print("|---|---|---|---|")
    for workers in (0, 1, 2):
        loader = DataLoader(data, batch_size=32, num_workers=workers, shuffle=False)
        best_wall = best_cpu = 0.0
        for epoch in range(4):
            cpu0, t0 = cpu_seconds(), time.perf_counter()
            images = sum(batch.shape[0] for batch, _ in loader)
            wall, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
            if epoch > 0:
                best_wall, best_cpu = max(best_wall, images / wall), max(best_cpu, images / cpu)
        print(f"| torchvision DataLoader from files | {workers} | {best_wall:.0f} | {best_cpu:.0f} |")


if __name__ == "__main__":
    main(sys.argv[1])
