"""Dask: a LocalCluster gives the serial tables; a user's Client or address is reused."""

import os

import pytest

import myoemg
from myoemg.batching._dask import PLUGIN_NAME
from myoemg.batching._executors import user_sets_threads

from ._helpers import tables

distributed = pytest.importorskip("distributed")


def test_dask_local_cluster_matches_serial(reference, dataset, tmp_path):
    res_ref, ref_out = reference
    res = myoemg.batch(dataset, tmp_path / "out", scheduler="local", jobs=2, report=False)
    assert res.counts == res_ref.counts
    assert tables(tmp_path / "out") == tables(ref_out)
    workers = res.manifest["workers"]
    assert 1 <= len(workers) <= 2 and str(os.getpid()) not in workers
    assert res.manifest["parameters"]["scheduler"] == "local"
    if not user_sets_threads():
        assert {w["blas_threads"] for w in workers.values()} == {1}


def test_users_client_and_address_are_reused_and_left_as_they_were(reference, dataset,
                                                                  tmp_path):
    _, ref_out = reference
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        res = myoemg.batch(dataset, tmp_path / "a", scheduler=client, report=False)
        assert tables(tmp_path / "a") == tables(ref_out)
        assert client.status == "running"  # not closed: it is the user's
        plugins = client.run(lambda dask_worker: list(dask_worker.plugins))
        assert all(PLUGIN_NAME not in names for names in plugins.values())
        assert res.manifest["parameters"]["scheduler"] == cluster.scheduler_address
        res = myoemg.batch(dataset, tmp_path / "b", scheduler=cluster.scheduler_address,
                           report=False)
        assert tables(tmp_path / "b") == tables(ref_out)
        assert client.submit(sum, [1, 2]).result() == 3  # the cluster is still there
