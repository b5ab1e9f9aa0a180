"""The search index on OpenSearch: documents, queries, the index behind its alias, and its upkeep."""
