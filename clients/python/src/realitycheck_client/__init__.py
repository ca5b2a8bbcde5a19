"""Python client of Reality Check: embeddings, search, evaluations and leaderboards.

>>> from realitycheck_client import Client
>>> rc = Client()                                  # the local stack: localhost:8082 and :8083
>>> vectors = rc.embed(images)                     # (n, 28, 28) uint8 -> (n, d) float32
>>> hits = rc.search("fmnist-test", image=images[0], k=5)
>>> rows = rc.evaluations("exp-...")               # list of plain dicts
>>> for result in rc.watch_evaluations("exp-..."): ...

The gRPC stubs (``realitycheck_client._generated``) are generated from the repository's
``proto/src/main/proto`` when the wheel is built (``clients/python/build``).
"""

from realitycheck_client.client import Client, RealityCheckError, result_to_dict
from realitycheck_client.kafka import follow_evaluations

__all__ = ["Client", "RealityCheckError", "follow_evaluations", "result_to_dict"]
