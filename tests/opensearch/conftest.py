"""A real OpenSearch cluster for these tests: two nodes on 127.0.0.1, started once per session
with the project's own launcher (opensearch/cluster.sh, which builds it with Maven the first
time), or the cluster at BRIEVEN_OPENSEARCH_URL when that is set. Never a mock."""
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from indexer.searching import OpenSearchService
from indexer.store import OpenSearchConfig, update_opensearch

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = ROOT / "opensearch" / "cluster.sh"
HTTP_PORT, TRANSPORT_PORT = 9250, 9350  # not the ports `make opensearch` uses


class Cluster:
    def __init__(self, url: str, home: Path | None, nodes: int):
        self.url, self.home, self.nodes = url, home, nodes

    def env(self) -> dict:
        return {"BRIEVEN_OPENSEARCH_HTTP_PORT": str(HTTP_PORT), "BRIEVEN_OPENSEARCH_TRANSPORT_PORT": str(TRANSPORT_PORT),
                "BRIEVEN_OPENSEARCH_HOME": str(self.home)}

    def stop_node(self, n: int) -> None:
        """Stop one node (as a crash would, but cleanly), and wait until it is gone."""
        pid = int((self.home / f"node-{n}" / "pid").read_text())
        os.kill(pid, 15)
        for _ in range(60):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.5)
        os.kill(pid, 9)


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    url = os.environ.get("BRIEVEN_OPENSEARCH_URL")
    if url:
        yield Cluster(url.rstrip("/"), None, 1)
        return
    assert shutil.which("java") and shutil.which("mvn"), "the OpenSearch tests need Java 17 and Maven"
    home = tmp_path_factory.mktemp("opensearch")
    cluster = Cluster(f"http://127.0.0.1:{HTTP_PORT}", home, 2)
    env = {**os.environ, **cluster.env()}
    started = subprocess.run([str(SCRIPT), "start", "2"], env=env, capture_output=True, text=True, timeout=900)
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        yield cluster
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, text=True, timeout=120)


def config_for(cluster: Cluster, alias: str, **env) -> OpenSearchConfig:
    return OpenSearchConfig.from_env({"BRIEVEN_OPENSEARCH_URL": cluster.url, "BRIEVEN_OPENSEARCH_INDEX": alias,
                                      **env}, Path("corpus"))


@pytest.fixture(scope="session")
def make_config(cluster):
    """A configuration for an alias of its own in the session's cluster."""
    return lambda alias, **env: config_for(cluster, alias, **env)


@pytest.fixture(scope="session")
def os_config(cluster, corpus_dir) -> OpenSearchConfig:
    """The seed letters indexed into the cluster: two shards, one replica each (with two nodes,
    every shard has a copy on each node)."""
    replicas = "1" if cluster.nodes > 1 else "0"
    config = config_for(cluster, "brieven-test-seeds", BRIEVEN_OPENSEARCH_SHARDS="2",
                        BRIEVEN_OPENSEARCH_REPLICAS=replicas)
    summary = update_opensearch(config, corpus_dir, rebuild=True)
    assert summary.skipped == [] and summary.paragraphs > 100
    if cluster.nodes > 1:  # replicas assigned: the failover test depends on it
        with urllib.request.urlopen(f"{cluster.url}/_cluster/health/{config.alias}?wait_for_status=green&timeout=60s") as r:
            assert b'"green"' in r.read()
    return config


@pytest.fixture(scope="session")
def os_service(os_config):
    service = OpenSearchService(os_config)
    yield service
    service.close()
