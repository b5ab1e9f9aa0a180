"""The HTTP API: its wire models, its routers (board, search, digest links, operations) and its problems."""
