"""The gRPC client: embedding service (embed, search, galleries) and evaluation service."""

from __future__ import annotations

import datetime
import os
import re
from typing import Any, Iterable, Iterator, Optional, Sequence, Union

import grpc
import numpy as np
from google.protobuf import timestamp_pb2
from google.protobuf.descriptor import FieldDescriptor

from realitycheck_client._generated import realitycheck_v1_common_pb2 as common_pb2
from realitycheck_client._generated import realitycheck_v1_embedding_pb2 as embedding_pb2
from realitycheck_client._generated import realitycheck_v1_embedding_pb2_grpc as embedding_grpc
from realitycheck_client._generated import realitycheck_v1_evaluation_pb2 as evaluation_pb2
from realitycheck_client._generated import realitycheck_v1_evaluation_pb2_grpc as evaluation_grpc
from realitycheck_client._generated import realitycheck_v1_experiment_pb2 as experiment_pb2

Image = Union[np.ndarray, bytes]
"""One item: raw pixels (any shape whose size is the model's input size) or PNG/JPEG bytes."""

LOCAL_EMBEDDING = "localhost:8082"
LOCAL_EVALUATION = "localhost:8083"


class RealityCheckError(Exception):
    """A failed call: ``code`` is the gRPC status (``grpc.StatusCode``), ``message`` the service's text."""

    def __init__(self, code: grpc.StatusCode, message: str, address: str):
        self.code = code
        self.message = message
        self.address = address
        super().__init__(f"{code.name}: {message}")

    @classmethod
    def of(cls, error: grpc.RpcError, address: str) -> "RealityCheckError":
        code, message = error.code(), error.details() or ""
        if code == grpc.StatusCode.UNAVAILABLE:
            message = f"nothing answers at {address} (start the local stack with `bin/realitycheck up`): {message}"
        return cls(code, message, address)


class Client:
    """Calls the embedding service (``embedding``) and the evaluation service (``evaluation``).

    Addresses are ``host:port``; the defaults are the local stack's. ``timeout`` is the deadline of
    each unary call in seconds. ``token`` is the bearer JWT sent as ``authorization`` metadata with
    every call (default: ``$REALITYCHECK_TOKEN``; the local stack writes one to
    ``.run/credentials/reader.token`` and ``operator.token``). Use it as a context manager, or call
    :meth:`close`.
    """

    def __init__(self, embedding: str = LOCAL_EMBEDDING, evaluation: str = LOCAL_EVALUATION,
                 *, timeout: float = 30.0, credentials: Optional[grpc.ChannelCredentials] = None,
                 token: Optional[str] = None):
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        self.embedding_address = embedding
        self.evaluation_address = evaluation
        self.timeout = timeout
        token = token if token is not None else os.environ.get("REALITYCHECK_TOKEN", "").strip()
        self._metadata = (("authorization", "Bearer " + token),) if token else ()
        open_channel = (lambda a: grpc.secure_channel(a, credentials)) if credentials else grpc.insecure_channel
        self._embedding_channel = open_channel(embedding)
        self._evaluation_channel = open_channel(evaluation)
        self._embedding = embedding_grpc.EmbeddingServiceStub(self._embedding_channel)
        self._evaluation = evaluation_grpc.EvaluationServiceStub(self._evaluation_channel)

    def close(self) -> None:
        self._embedding_channel.close()
        self._evaluation_channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- embedding service ---------------------------------------------------------------------

    def model(self) -> dict:
        """The served checkpoint: ``checkpoint_id``, ``policy``, ``manifest`` (input shape, embedding size)."""
        return result_to_dict(self._call(self._embedding.GetModel, embedding_pb2.GetModelRequest(),
                                         self.embedding_address))

    def embed(self, images: Union[np.ndarray, Sequence[Image]], *, checkpoint: str = "") -> np.ndarray:
        """Embeds a batch: an array whose first axis is the items (e.g. ``(n, 28, 28)``), or a list
        of arrays and/or PNG/JPEG bytes. Returns ``(n, embedding_size)`` float32, L2-normalised rows."""
        items = [_item(image, str(i)) for i, image in enumerate(_as_items(images))]
        response = self._call(self._embedding.Embed, embedding_pb2.EmbedRequest(
            items=items, checkpoint_id=checkpoint, vector_encoding=common_pb2.VECTOR_ENCODING_FLOAT32_LE),
            self.embedding_address)
        return np.stack([_vector(e) for e in response.embeddings])

    def add_to_gallery(self, gallery: str, images: Union[np.ndarray, Sequence[Image]],
                       labels: Optional[Iterable[int]] = None, ids: Optional[Sequence[str]] = None,
                       *, replace: bool = False) -> int:
        """Embeds ``images`` into the named gallery (created on first use); returns its size."""
        batch = _as_items(images)
        ids = list(ids) if ids is not None else [str(i) for i in range(len(batch))]
        labels = list(labels) if labels is not None else [None] * len(batch)
        if not len(ids) == len(labels) == len(batch):
            raise ValueError(f"{len(batch)} images, {len(ids)} ids and {len(labels)} labels: give one each")
        items = [embedding_pb2.GalleryItem(item=_item(image, item_id), label=label)
                 for image, item_id, label in zip(batch, ids, labels)]
        return self._call(self._embedding.AddToGallery, embedding_pb2.AddToGalleryRequest(
            gallery=gallery, items=embedding_pb2.GalleryItems(items=items), replace=replace),
            self.embedding_address).gallery_size

    def add_dataset_to_gallery(self, gallery: str, dataset: str, split: str = "test", *, fold: int = 0,
                               replace: bool = False) -> int:
        """Fills the gallery with a split (``"test"`` or ``"validation"``) of a dataset the service knows."""
        source = embedding_pb2.DatasetSplitSource(dataset=experiment_pb2.DatasetSpec(name=dataset),
                                                  split=_split(split), fold=fold)
        return self._call(self._embedding.AddToGallery, embedding_pb2.AddToGalleryRequest(
            gallery=gallery, dataset_split=source, replace=replace), self.embedding_address).gallery_size

    def search(self, gallery: str, *, image: Optional[Image] = None, vector: Optional[np.ndarray] = None,
               item_id: Optional[str] = None, k: int = 10, checkpoint: str = "") -> list[dict]:
        """The ``k`` nearest gallery items of one query (an image, an embedding or a gallery item id),
        nearest first: dicts with ``item_id``, ``label``, ``distance``, ``rank``."""
        given = [q for q in (image, vector, item_id) if q is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of image, vector or item_id")
        request = embedding_pb2.SearchRequest(gallery=gallery, k=k, checkpoint_id=checkpoint)
        if image is not None:
            request.item.CopyFrom(_item(image, "query"))
        elif vector is not None:
            request.vector.values.extend(np.asarray(vector, dtype=np.float32).ravel().tolist())
        else:
            request.gallery_item_id = item_id
        response = self._call(self._embedding.Search, request, self.embedding_address)
        return [result_to_dict(n) for n in response.neighbors]

    # -- evaluation service --------------------------------------------------------------------

    def evaluations(self, experiment: str = "", *, run: str = "", split: Optional[str] = None) -> list[dict]:
        """Every evaluation result so far (all pages), one flat dict each (see :func:`result_to_dict`)."""
        rows, token = [], ""
        while True:
            page = self._call(self._evaluation.ListEvaluations, evaluation_pb2.ListEvaluationsRequest(
                experiment_id=experiment, run_id=run, split=_split(split), page_size=500, page_token=token),
                self.evaluation_address)
            rows.extend(result_to_dict(r) for r in page.evaluations)
            token = page.next_page_token
            if not token:
                return rows

    def watch_evaluations(self, experiment: str = "", *, run: str = "", split: Optional[str] = None,
                          include_existing: bool = True, timeout: Optional[float] = None) -> Iterator[dict]:
        """Follows results as they are published (the server's WatchEvaluations stream), history
        first when ``include_existing``. Ends after ``timeout`` seconds if one is given."""
        stream = self._evaluation.WatchEvaluations(evaluation_pb2.WatchEvaluationsRequest(
            experiment_id=experiment, run_id=run, split=_split(split), include_existing=include_existing),
            timeout=timeout, metadata=self._metadata)
        try:
            for result in stream:
                yield result_to_dict(result)
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.DEADLINE_EXCEEDED or timeout is None:
                raise RealityCheckError.of(e, self.evaluation_address) from None
        finally:
            stream.cancel()

    def leaderboard(self, experiment: str, *, split: str = "test", metric: str = "") -> list[dict]:
        """The experiment's ranking on ``split``: one dict per loss (``rank``, ``loss_name``, ``value``...)."""
        board = self._call(self._evaluation.GetLeaderboard, evaluation_pb2.GetLeaderboardRequest(
            experiment_id=experiment, split=_split(split), metric=metric), self.evaluation_address)
        return [result_to_dict(e) for e in board.entries]

    def _call(self, method, request, address):
        try:
            return method(request, timeout=self.timeout, metadata=self._metadata)
        except grpc.RpcError as e:
            raise RealityCheckError.of(e, address) from None


def result_to_dict(message) -> dict:
    """A protobuf message as plain Python: enums by short lower-case name (``SPLIT_TEST`` is
    ``"test"``), timestamps as ``datetime``, int64 as ``int``, unset optional fields left out. An
    ``EvaluationResult``'s metrics are lifted to the top level (``mean_average_precision_at_r``,
    ``recall_at_1``...), so a list of them is one table."""
    row = _plain(message)
    metrics = row.pop("metrics", None) if message.DESCRIPTOR.name == "EvaluationResult" else None
    for name, value in (metrics or {}).items():
        if isinstance(value, dict):
            row.update({name.replace("_at_k", f"_at_{k}"): v for k, v in value.items()})
        else:
            row[name] = value
    return row


def _plain(message) -> dict:
    if isinstance(message, timestamp_pb2.Timestamp):
        return message.ToDatetime(tzinfo=datetime.timezone.utc)
    out = {}
    for field in message.DESCRIPTOR.fields:
        if field.has_presence and not message.HasField(field.name):
            continue
        value = getattr(message, field.name)
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            out[field.name] = {k: _scalar(value_field, v) for k, v in value.items()}
        elif field.label == FieldDescriptor.LABEL_REPEATED:
            out[field.name] = [_scalar(field, v) for v in value]
        else:
            out[field.name] = _scalar(field, value)
    return out


def _scalar(field, value):
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        return _plain(value)
    if field.type == FieldDescriptor.TYPE_ENUM:
        name = field.enum_type.values_by_number[value].name if value in field.enum_type.values_by_number else str(value)
        prefix = _enum_prefix(field.enum_type)
        return name[len(prefix):].lower() if name.startswith(prefix) else name
    return value


def _enum_prefix(enum_type) -> str:
    # SPLIT_VALIDATION -> "validation": the enum's name in upper snake case is the prefix
    return re.sub(r"(?<!^)(?=[A-Z])", "_", enum_type.name).upper() + "_"


def _split(split: Optional[str]) -> int:
    if split is None or split == "":
        return common_pb2.SPLIT_UNSPECIFIED
    try:
        return common_pb2.Split.Value("SPLIT_" + split.upper())
    except ValueError:
        raise ValueError(f"split must be 'validation' or 'test', got {split!r}") from None


def _as_items(images) -> list:
    if isinstance(images, (bytes, bytearray)):
        raise TypeError("embed takes a batch: wrap one encoded image in a list")
    return [images[i] for i in range(len(images))] if isinstance(images, np.ndarray) else list(images)


def _item(image: Image, item_id: str) -> common_pb2.Item:
    if isinstance(image, (bytes, bytearray)):
        return common_pb2.Item(id=item_id, image=common_pb2.EncodedImage(data=bytes(image)))
    pixels = np.asarray(image)
    # An empty shape is the model's input flattened (the server checks the size), so (28, 28)
    # and (28, 28, 1) both fit a [28, 28, 1] model.
    if pixels.dtype == np.uint8:
        tensor = common_pb2.DenseTensor(uint8=pixels.tobytes())
    else:
        tensor = common_pb2.DenseTensor(float32_le=np.ascontiguousarray(pixels, dtype="<f4").tobytes())
    return common_pb2.Item(id=item_id, tensor=tensor)


def _vector(embedding) -> np.ndarray:
    if embedding.float32_le:
        return np.frombuffer(embedding.float32_le, dtype="<f4").astype(np.float32)
    return np.asarray(embedding.values, dtype=np.float32)
