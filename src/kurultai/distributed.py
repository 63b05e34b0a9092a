"""Extraction on a Dask cluster: `kurultai ingest --dask tcp://HOST:8786` (a running dask.distributed
scheduler, whose workers have Kurultai installed) or `--dask local:N` (a LocalCluster of N worker
processes on this machine, made for the run and closed after it).

The client (the `ingest` process) reads the sources, runs the prefilter and writes the store; the
workers only extract. Each worker loads the models once, when it joins (`PipelinePlugin`, a worker
plugin: a worker that joins later or is restarted loads them too). At most WINDOW_PER_WORKER documents
per worker thread are in flight, and results come back in the order they were sent (`ingest.in_order`),
so memory stays flat and the store is the one a single process makes. A worker that dies takes its
tasks with it and the scheduler gives them to another (up to `distributed.scheduler.allowed-failures`
times); a task that keeps killing workers, or fails after RETRIES retries, becomes an error row of its
document, never a lost shard. Everything written goes through the store's own writes, so two ingests
of the same shards at once store each document once (the content check and its insert are one step
under the store's write lock).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import chain

from kurultai.clean import InputError
from kurultai.models import Document

RETRIES = 2  # a task that raised (not an InputError) is tried this many more times
CONNECT_TIMEOUT = "20s"
_LOCAL = re.compile(r"local:(\d{1,3})")
_REMOTE = re.compile(r"(tcp|tls|ws|wss|inproc)://\S+")


class DaskError(Exception):
    """The cluster cannot be reached or the address is not one: a one-line message."""


def parse(spec: str) -> tuple[str, int | str]:
    """("local", N) or ("remote", address) from what `--dask` was given."""
    spec = spec.strip()
    if m := _LOCAL.fullmatch(spec):
        n = int(m.group(1))
        if not 1 <= n <= 64:
            raise DaskError(f"--dask {spec}: a local cluster has 1 to 64 workers")
        return "local", n
    if _REMOTE.fullmatch(spec):
        return "remote", spec
    raise DaskError(f"--dask {spec!r}: give a scheduler address (tcp://HOST:8786) or local:N")


def _plugin():
    from distributed.diagnostics.plugin import WorkerPlugin

    class PipelinePlugin(WorkerPlugin):
        """Loads Kurultai's models once in every worker, as it joins the cluster."""

        name = "kurultai-pipeline"

        def setup(self, worker) -> None:  # noqa: ARG002 - the worker is not needed
            from kurultai.ingest import _init_worker

            _init_worker(worker=True)

    return PipelinePlugin()


@contextmanager
def connect(spec: str):
    """A Client on the cluster `spec` names, with the model-loading plugin registered; a local cluster
    is made for it and closed with it."""
    from distributed import Client, LocalCluster

    kind, where = parse(spec)
    cluster = None
    try:
        if kind == "local":
            cluster = LocalCluster(n_workers=int(where), threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster, timeout=CONNECT_TIMEOUT)
        else:
            client = Client(str(where), timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise DaskError(f"cannot reach the Dask scheduler at {where}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    try:
        client.register_plugin(_plugin())
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _failure(exc: Exception) -> InputError:
    """Why a document's task failed on the cluster, as the document's error."""
    reason = str(exc).splitlines()[0] if str(exc) else ""
    return InputError(f"extraction failed on the cluster: {type(exc).__name__}: {reason}"[:500])


def extract_on_dask(docs: Iterable[Document], spec: str) -> Iterator[tuple[Document, object]]:
    """(document, `Incoming` or `InputError`) for every document, in order, extracted on the cluster."""
    from kurultai.ingest import WINDOW_PER_WORKER, _extract_for_store, in_order

    docs = iter(docs)
    first = next(docs, None)
    if first is None:  # everything already stored, skipped or failed: no cluster needed
        return
    with connect(spec) as client:
        threads = max(1, sum(client.nthreads().values()))

        def submit(doc: Document):
            return client.submit(_extract_for_store, doc, pure=False, retries=RETRIES)

        yield from in_order(chain([first], docs), submit, threads * WINDOW_PER_WORKER, failure=_failure)
