"""Helpers the tests share: sample events, PDFs and the moto-backed stack."""
