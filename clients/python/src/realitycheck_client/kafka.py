"""Follows the ``realitycheck.evaluations`` topic on Kafka (confluent_kafka), without the services."""

from __future__ import annotations

import time
import uuid
from typing import Iterator, Optional

from realitycheck_client._generated import realitycheck_v1_records_pb2 as records_pb2
from realitycheck_client.client import result_to_dict

EVALUATIONS_TOPIC = "realitycheck.evaluations"
"""The topic's name (``dev.realitycheck.transport.Topics.EVALUATIONS`` on the Java side)."""


def follow_evaluations(bootstrap_servers: str = "localhost:9092", *, experiment: str = "",
                       group_id: Optional[str] = None, from_beginning: bool = True,
                       idle_timeout: Optional[float] = None, config: Optional[dict] = None) -> Iterator[dict]:
    """Yields each ``EvaluationResult`` on the topic as a plain dict (:func:`result_to_dict`),
    only the ``experiment``'s when one is given.

    Without ``group_id`` a fresh group reads the whole topic (``from_beginning``) or only what is
    published from now on. With ``idle_timeout`` the iteration ends once no record came for that
    many seconds; without it, it follows until the caller stops. ``config`` adds librdkafka
    settings (TLS/SASL: ``security.protocol``, ``sasl.mechanism``...). Records that are not an
    ``EvaluationResult`` raise ``google.protobuf.message.DecodeError``.
    """
    from confluent_kafka import Consumer, KafkaException

    settings = {
        "bootstrap.servers": bootstrap_servers,
        "group.id": group_id or f"realitycheck-client-{uuid.uuid4()}",
        "auto.offset.reset": "earliest" if from_beginning else "latest",
        "enable.auto.commit": group_id is not None,
    }
    settings.update(config or {})
    consumer = Consumer(settings)
    try:
        consumer.subscribe([EVALUATIONS_TOPIC])
        last = time.monotonic()
        while idle_timeout is None or time.monotonic() - last < idle_timeout:
            record = consumer.poll(0.5)
            if record is None:
                continue
            if record.error():
                if record.error().fatal():
                    raise KafkaException(record.error())
                continue  # partition EOF, topic not created yet, broker reconnecting: keep polling
            last = time.monotonic()
            result = records_pb2.EvaluationResult.FromString(record.value())
            if not experiment or result.experiment_id == experiment:
                yield result_to_dict(result)
    finally:
        consumer.close()
