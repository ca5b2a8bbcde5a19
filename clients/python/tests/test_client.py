"""realitycheck_client's tests. Those marked ``live`` need a running stack with a served checkpoint:
e2e's PipelineEndToEndTest runs them once its experiment is trained, scored and served, with
REALITYCHECK_EMBEDDING, REALITYCHECK_EVALUATION, REALITYCHECK_BOOTSTRAP_SERVERS,
REALITYCHECK_EXPERIMENT and REALITYCHECK_CHECKPOINT set; without them they are skipped."""

import os
import socket

import grpc
import numpy as np
import pytest

from realitycheck_client import Client, RealityCheckError, follow_evaluations, result_to_dict
from realitycheck_client._generated import realitycheck_v1_evaluation_pb2 as evaluation_pb2
from realitycheck_client._generated import realitycheck_v1_records_pb2 as records_pb2

LIVE = os.environ.get("REALITYCHECK_EMBEDDING")
live = pytest.mark.skipif(not LIVE, reason="no stack: REALITYCHECK_EMBEDDING is not set (e2e's PipelineEndToEndTest sets it)")


@pytest.fixture(scope="module")
def client():
    with Client(os.environ["REALITYCHECK_EMBEDDING"], os.environ["REALITYCHECK_EVALUATION"], timeout=120) as c:
        yield c


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(7).integers(0, 256, size=(6, 28, 28), dtype=np.uint8)


# -- without a stack ---------------------------------------------------------------------------

def test_results_are_flat_plain_dicts():
    result = records_pb2.EvaluationResult(run_id="exp.contrastive.fold0.seed0", iteration=40, split=2, baseline=True)
    result.metrics.mean_average_precision_at_r = 0.25
    result.metrics.recall_at_k[4] = 0.5
    result.metrics.query_count = 2 ** 40
    result.evaluated_at.FromSeconds(1_700_000_000)
    row = result_to_dict(result)
    assert row["run_id"] == "exp.contrastive.fold0.seed0" and row["iteration"] == 40
    assert row["split"] == "test" and row["baseline"] is True
    assert row["mean_average_precision_at_r"] == 0.25 and row["recall_at_4"] == 0.5
    assert row["query_count"] == 2 ** 40 and isinstance(row["query_count"], int)
    assert "precision_at_1" not in row, "an unset optional metric is left out, not 0"
    assert row["evaluated_at"].timestamp() == 1_700_000_000
    assert "metrics" not in row


def test_leaderboard_entries_keep_their_nested_summaries():
    entry = evaluation_pb2.LeaderboardEntry(rank=1, loss_name="contrastive", runs_evaluated=1, runs_total=2)
    entry.value.mean = 0.5
    entry.value.n = 1
    row = result_to_dict(entry)
    assert row["value"] == {"mean": 0.5, "n": 1}
    assert (row["rank"], row["loss_name"], row["runs_evaluated"], row["runs_total"]) == (1, "contrastive", 1, 2)


def test_nothing_listening_is_one_error_naming_the_address():
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{s.getsockname()[1]}"
    with Client(address, address, timeout=5) as c, pytest.raises(RealityCheckError) as raised:
        c.embed(np.zeros((1, 28, 28), np.uint8))
    assert raised.value.code == grpc.StatusCode.UNAVAILABLE
    assert raised.value.message.startswith(f"nothing answers at {address} (start the local stack with `bin/realitycheck up`)")


def test_arguments_are_checked_before_any_call():
    with Client("127.0.0.1:1", "127.0.0.1:1") as c:
        with pytest.raises(ValueError, match="exactly one of image, vector or item_id"):
            c.search("g", k=3)
        with pytest.raises(ValueError, match="split must be 'validation' or 'test'"):
            c.leaderboard("exp", split="train")
        with pytest.raises(TypeError, match="wrap one encoded image in a list"):
            c.embed(b"\x89PNG")
    with pytest.raises(ValueError, match="timeout must be positive"):
        Client(timeout=0)


# -- against the stack -------------------------------------------------------------------------

@live
def test_embed_turns_a_batch_of_images_into_unit_rows(client, images):
    model = client.model()
    assert model["checkpoint_id"] == os.environ["REALITYCHECK_CHECKPOINT"]
    vectors = client.embed(images)
    assert vectors.dtype == np.float32
    assert vectors.shape == (6, model["manifest"]["embedding_size"])
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    # the same pixels as floats (a list of arrays with a channel axis) give the same embeddings
    as_floats = client.embed([image.astype(np.float32)[..., None] for image in images])
    np.testing.assert_allclose(as_floats, vectors, atol=1e-5)


@live
def test_search_finds_a_gallery_item_first_for_its_own_image(client, images):
    size = client.add_to_gallery("python-test", images, labels=[0, 1, 2, 3, 4, 5],
                                 ids=[f"img{i}" for i in range(6)], replace=True)
    assert size == 6
    hits = client.search("python-test", image=images[3], k=3)
    assert [h["rank"] for h in hits] == sorted(h["rank"] for h in hits) and len(hits) == 3
    assert hits[0]["item_id"] == "img3" and hits[0]["label"] == 3
    assert hits[0]["distance"] == pytest.approx(0.0, abs=1e-4)
    by_vector = client.search("python-test", vector=client.embed(images[3:4])[0], k=1)
    assert by_vector[0]["item_id"] == "img3"


@live
def test_a_dataset_split_fills_a_gallery(client):
    assert client.add_dataset_to_gallery("python-fmnist-test", "fashion-mnist", "test", replace=True) > 0


@live
def test_errors_carry_the_status_code_and_the_exact_message(client):
    shape = client.model()["manifest"]["input"]["shape"]
    size = int(np.prod(shape))
    with pytest.raises(RealityCheckError) as raised:
        client.embed([np.zeros(10, np.float32)])
    assert raised.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert raised.value.message == (f"items[0].tensor.float32_le has 40 bytes, the model expects {4 * size}"
                                    f" (4 x {size} float32 values, shape [{', '.join(str(s) for s in shape)}])")
    assert str(raised.value) == "INVALID_ARGUMENT: " + raised.value.message
    with pytest.raises(RealityCheckError) as raised:
        client.search("no-such-gallery", vector=np.ones(4), k=1)
    assert raised.value.code == grpc.StatusCode.NOT_FOUND


@live
def test_evaluations_as_a_list_and_as_a_stream(client):
    experiment, checkpoint = os.environ["REALITYCHECK_EXPERIMENT"], os.environ["REALITYCHECK_CHECKPOINT"]
    rows = client.evaluations(experiment)
    mine = {r["split"]: r for r in rows if r["checkpoint_id"] == checkpoint}
    assert set(mine) == {"validation", "test"}
    assert all(0 < r["mean_average_precision_at_r"] <= 1 and r["loss_name"] == "contrastive" for r in mine.values())
    streamed = []
    for row in client.watch_evaluations(experiment, timeout=60):
        streamed.append(row)
        if {(r["checkpoint_id"], r["split"]) for r in streamed} >= {(checkpoint, "validation"), (checkpoint, "test")}:
            break
    assert {r["evaluation_id"] for r in streamed} >= {checkpoint + "/validation", checkpoint + "/test"}


@live
def test_leaderboard_ranks_the_trained_loss(client):
    board = client.leaderboard(os.environ["REALITYCHECK_EXPERIMENT"], split="test")
    row = next(e for e in board if e["loss_name"] == "contrastive")
    assert row["runs_evaluated"] == 1 and row["value"]["n"] == 1 and 0 < row["value"]["mean"] <= 1


@live
def test_the_kafka_helper_yields_the_results_on_the_topic():
    experiment, checkpoint = os.environ["REALITYCHECK_EXPERIMENT"], os.environ["REALITYCHECK_CHECKPOINT"]
    seen = set()
    for row in follow_evaluations(os.environ["REALITYCHECK_BOOTSTRAP_SERVERS"], experiment=experiment, idle_timeout=20):
        assert row["experiment_id"] == experiment
        seen.add(row["evaluation_id"])
        if {checkpoint + "/validation", checkpoint + "/test"} <= seen:
            break
    assert {checkpoint + "/validation", checkpoint + "/test"} <= seen


@live
def test_the_docs_example_runs_as_written():
    import pathlib
    import subprocess
    import sys
    example = pathlib.Path(__file__).parent.parent / "example.py"
    out = subprocess.run([sys.executable, str(example), os.environ["REALITYCHECK_EMBEDDING"],
                          os.environ["REALITYCHECK_EVALUATION"], os.environ["REALITYCHECK_BOOTSTRAP_SERVERS"]],
                         capture_output=True, text=True, timeout=180, check=True).stdout.splitlines()
    assert out[0] == "serving " + os.environ["REALITYCHECK_CHECKPOINT"]
    assert out[1].startswith("embeddings (2, ")
    assert all(line.split()[2] == "label" for line in out[2:7])
    assert any(line.startswith("INVALID_ARGUMENT: items[0].tensor.float32_le has 40 bytes") for line in out)
    assert out[-1].endswith(" results on realitycheck.evaluations") and int(out[-1].split()[0]) >= 2
