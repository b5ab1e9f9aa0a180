"""Stand-ins for the PDF worker that fail the way a native parser can: `.crash` (SIGSEGV) or `.hang`.

Each is its own module (`python -m tests.support.misbehaving_worker.crash`): the worker's child gets no
environment variable from the test to choose by.
"""
