"""The public HTTP API's wire models, by area, and their mapping to and from the domain.

These are the wire shapes of docs/interface.md; the domain models never go on the wire directly, but
each view is built on the domain's `PublicRecord` (its fields are never written again here).
`common` holds what every area shares; `deposits`, `records`, `learning` and `cursors` one area each.
"""
