"""Where a word survives in a PDF file: its bytes, every stream decoded, every string and name of every object.

Two readings, so that neither parser's blind spot hides a trace: a scan of the raw bytes that needs no PDF
parser (each `stream … endstream` inflated where it is Flate, hex strings decoded), and pypdf's reading of
every object in the cross-reference table (reachable or not), each string, name and decoded stream.
"""

from __future__ import annotations

import io
import re
import zlib
from typing import Any

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_HEX_STRING = re.compile(rb"<([0-9A-Fa-f\s]+)>")


def traces(pdf: bytes, word: str) -> list[str]:
    """Every place `word` is found (any case), described; empty when the file holds no trace of it."""
    found = [f"raw bytes: {where}" for where in _found_in(pdf, word)]
    for number, match in enumerate(_STREAM.finditer(pdf)):
        inflated = _inflate(match.group(1))
        if inflated is not None:
            found += [f"raw stream #{number}, inflated: {where}" for where in _found_in(inflated, word)]
    found += _traces_in_objects(pdf, word)
    return found


def _encodings(word: str) -> list[bytes]:
    forms = [word.encode("utf-8"), word.encode("utf-16-be"), word.encode("utf-16-le")]
    forms.append(word.replace(" ", "#20").encode("utf-8"))  # in a name
    return list(dict.fromkeys(forms))


def _found_in(data: bytes, word: str) -> list[str]:
    lowered = data.lower()
    found = [f"as {encoded!r}" for encoded in _encodings(word.lower()) if encoded in lowered]
    for hex_string in _HEX_STRING.finditer(data):
        digits = re.sub(rb"\s", b"", hex_string.group(1))
        decoded = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()).lower()
        found += [f"in hex string {hex_string.group(0)[:40]!r}" for e in _encodings(word.lower()) if e in decoded]
    return found


def _inflate(data: bytes) -> bytes | None:
    try:
        return zlib.decompressobj().decompress(data)
    except zlib.error:
        return None


def _traces_in_objects(pdf: bytes, word: str) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    found: list[str] = []
    numbers = {(number, generation) for generation, entries in reader.xref.items() for number in entries}
    numbers |= {(number, 0) for number in reader.xref_objStm}
    for number, generation in sorted(numbers):
        value = reader.get_object(number) if generation == 0 else None
        if value is None:
            continue
        found += [f"object {number}: {where}" for where in _traces_in_value(value, word.lower(), set())]
    found += [f"trailer: {where}" for where in _traces_in_value(reader.trailer, word.lower(), set())]
    return found


def _traces_in_value(value: Any, word: str, seen: set[int]) -> list[str]:
    from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, IndirectObject, StreamObject

    if isinstance(value, IndirectObject) or id(value) in seen:
        return []  # every indirect object is read on its own
    seen.add(id(value))
    found: list[str] = []
    if isinstance(value, StreamObject):
        found += [f"decoded stream {where}" for where in _found_in(value.get_data(), word)]
    if isinstance(value, DictionaryObject):
        for key, item in dict.items(value):
            if word in str(key).lower():
                found.append(f"name {key}")
            found += _traces_in_value(item, word, seen)
    elif isinstance(value, ArrayObject):
        for item in list.__iter__(value):
            found += _traces_in_value(item, word, seen)
    elif isinstance(value, ByteStringObject):
        found += [f"byte string {where}" for where in _found_in(bytes(value), word)]
    elif isinstance(value, str) and word in value.lower():
        found.append(f"string or name {value[:60]!r}")
    return found
