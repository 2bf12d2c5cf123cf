"""A minimal CBOR (RFC 8949) encoder, enough for Smithy RPC v2 CBOR error and result bodies.

Decoding is left to botocore's own CBOR parser (see :func:`decode`), so the two sides of
the protocol are never out of step with the client under test.
"""

from __future__ import annotations

import datetime as _dt
import struct
from typing import Any


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([(major << 5) | value])
    if value < 0x100:
        return bytes([(major << 5) | 24, value])
    if value < 0x10000:
        return bytes([(major << 5) | 25]) + struct.pack(">H", value)
    if value < 0x100000000:
        return bytes([(major << 5) | 26]) + struct.pack(">I", value)
    return bytes([(major << 5) | 27]) + struct.pack(">Q", value)


def encode(value: Any) -> bytes:
    """Encode None, bool, int, float, str, bytes, list/tuple, dict and datetime (tag 1, epoch seconds)."""
    out = bytearray()
    _encode_into(out, value)
    return bytes(out)


def _encode_into(out: bytearray, value: Any) -> None:
    if value is None:
        out.append(0xF6)
    elif value is True:
        out.append(0xF5)
    elif value is False:
        out.append(0xF4)
    elif isinstance(value, int):
        out += _head(0, value) if value >= 0 else _head(1, -1 - value)
    elif isinstance(value, float):
        out += b"\xfb" + struct.pack(">d", value)
    elif isinstance(value, str):
        data = value.encode("utf-8")
        out += _head(3, len(data)) + data
    elif isinstance(value, bytes | bytearray):
        out += _head(2, len(value)) + bytes(value)
    elif isinstance(value, list | tuple):
        out += _head(4, len(value))
        for item in value:
            _encode_into(out, item)
    elif isinstance(value, dict):
        out += _head(5, len(value))
        for key, item in value.items():
            _encode_into(out, str(key))
            _encode_into(out, item)
    elif isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.UTC)
        out += _head(6, 1)
        _encode_into(out, value.timestamp())
    else:
        raise TypeError(f"cannot CBOR-encode {type(value).__name__}")


def decode(data: bytes) -> Any:
    """Decode one CBOR data item with botocore's parser (the same code the Python client uses)."""
    if not data:
        return {}
    from botocore.parsers import RpcV2CBORParser

    parser = RpcV2CBORParser()
    return parser.parse_data_item(parser.get_peekable_stream_from_bytes(data))
