"""The stored index: letters become documents on disk, and snapshots that searches read.

Building and updating (`updating`: incremental by content hash; `parallel` and `segment_writer`:
a rebuild on every core, segments written in bulk), the schema and its Whoosh field types
(`schema`, `fields`), the document layout (`documents`), the directory and its lock
(`directory`, `locking`), watching the corpus (`watch`), and reading: `interface` says what the
search service asks of an index (a Store of Snapshots), `snapshot` and `postings` answer it for
the embedded Whoosh index. A second backend implements `interface`.

Exports: update_index, IndexSummary, open_index, IndexMissing, IndexBusy, index_lock,
LOCK_TIMEOUT, indexed_letters, letter_documents, tag_letter, decode_abbreviation, term_text, watch;
Store, Snapshot, Postings, TermPositions, WhooshStore; OpenSearch (`opensearch_*`: the cluster's address and
errors, the mapping with our analysed terms, indexing in bulk behind an alias):
OpenSearchConfig, ClusterUnavailable, IndexAbsent, update_opensearch, documents_of, guarded.
"""
from indexer.store.directory import IndexMissing, open_index
from indexer.store.documents import decode_abbreviation, letter_documents, tag_letter, term_text
from indexer.store.interface import Postings, Snapshot, Store, TermPositions
from indexer.store.opensearch_connection import ClusterUnavailable, IndexAbsent, OpenSearchConfig, guarded
from indexer.store.opensearch_indexing import documents_of, update_opensearch
from indexer.store.locking import LOCK_TIMEOUT, IndexBusy, index_lock
from indexer.store.snapshot import WhooshStore
from indexer.store.updating import IndexSummary, indexed_content, indexed_letters, update_index
from indexer.store.watch import watch

__all__ = [
    "IndexMissing", "open_index", "decode_abbreviation", "letter_documents", "tag_letter", "term_text",
    "Postings", "Snapshot", "Store", "TermPositions", "LOCK_TIMEOUT", "IndexBusy", "index_lock", "WhooshStore",
    "IndexSummary", "indexed_content", "indexed_letters", "update_index", "watch",
    "OpenSearchConfig", "ClusterUnavailable", "IndexAbsent", "update_opensearch", "documents_of", "guarded",
]
