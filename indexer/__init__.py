"""brieven: search Dutch government letters (Kamerbrieven) down to the paragraph.

The package is a library; `indexer.cli` and `search_ui` are thin shells over it.
Data flows one way: letters -> topics -> index -> search -> CLI / web.
"""
