"""Adapters: the only code that talks to AWS or OpenSearch. Each takes an injected client."""
