"""Runs last among the OpenSearch tests: it stops a node of the session's cluster."""
import pytest

from indexer.searching import OpenSearchService, SearchRequest


def test_a_search_still_answers_after_one_of_two_nodes_is_stopped(cluster, os_config, service):
    if cluster.home is None or cluster.nodes < 2:
        pytest.skip("needs the two-node cluster the tests start themselves (BRIEVEN_OPENSEARCH_URL is set)")
    expected = service.search(SearchRequest(query="dialoog met Rusland")).total
    cluster.stop_node(1)  # every shard has a copy on node-0 (one replica)
    fresh = OpenSearchService(os_config)  # asks node-0, which now stands alone
    result = fresh.search(SearchRequest(query="dialoog met Rusland"))
    assert result.total == expected and result.hits
