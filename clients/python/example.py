"""The Python recipe of docs/clients.md, run by the package's tests against a live stack:
python3 example.py [embedding host:port] [evaluation host:port] [Kafka bootstrap servers]"""
import sys

import numpy as np

from realitycheck_client import Client, RealityCheckError, follow_evaluations

defaults = ["localhost:8082", "localhost:8083", "localhost:9092"]   # the local stack's
embedding, evaluation, kafka = sys.argv[1:4] + defaults[len(sys.argv[1:4]):]

with Client(embedding, evaluation) as rc:
    print("serving", rc.model()["checkpoint_id"])

    images = np.zeros((2, 28, 28), dtype=np.uint8)     # a batch of raw pixels, 0..255
    vectors = rc.embed(images)                         # (2, embedding size) float32, L2-normalised rows
    print("embeddings", vectors.shape)

    rc.add_dataset_to_gallery("fmnist-test", "fashion-mnist", "test", replace=True)
    for hit in rc.search("fmnist-test", image=images[0], k=5):
        print(hit["rank"], hit["item_id"], "label", hit["label"], "distance", round(hit["distance"], 4))

    rows = rc.evaluations()                            # every result so far, one plain dict each
    scored = [r for r in rows if not r["error"] and r["split"] == "validation" and not r["baseline"]]
    print(len(rows), "results; last validation MAP@R", scored[-1]["run_id"], scored[-1]["mean_average_precision_at_r"])
    for entry in rc.leaderboard(scored[-1]["experiment_id"], split="test"):
        print(entry["rank"], entry["loss_name"], round(entry["value"]["mean"], 4), "baseline" if entry["baseline"] else "")

    try:
        rc.embed([np.zeros(10, np.float32)])           # not the model's input size
    except RealityCheckError as e:
        print(e)                                       # INVALID_ARGUMENT: items[0].tensor...

# the same results from Kafka, without the services: stops after 5 s without a new record
print(sum(1 for _ in follow_evaluations(kafka, idle_timeout=5)), "results on realitycheck.evaluations")
