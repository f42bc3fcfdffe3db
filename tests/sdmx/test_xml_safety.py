"""The safe XML settings and byte limits every SDMX-ML reader relies on."""

from __future__ import annotations

import gzip

import pytest

from dataops.errors import MalformedMessage, TooLarge
from dataops.sdmx.xml_safety import SAFE_PARSER_OPTIONS, gunzip, limit_bytes, parse_tree, safe_parser

pytestmark = pytest.mark.timeout(30)


def test_parser_settings_forbid_dtds_entities_network_and_huge_trees():
    assert SAFE_PARSER_OPTIONS == {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "dtd_validation": False,
        "huge_tree": False,
    }
    assert safe_parser() is not safe_parser()  # a fresh parser per read: no state shared between reads


def test_parse_tree_refuses_any_doctype(tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0")
    doc = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><r>&x;</r>'.encode()
    with pytest.raises(MalformedMessage, match="DTD") as err:
        parse_tree(doc, "structure.xml")
    assert "root:x" not in str(err.value) and "structure.xml" in str(err.value)


def test_parse_tree_names_the_line_of_a_syntax_error():
    with pytest.raises(MalformedMessage, match="line 3"):
        parse_tree(b"<a>\n<b>\n</c>\n</a>", "f.xml")


def test_limit_bytes_stops_at_the_limit_and_passes_smaller_streams():
    assert b"".join(limit_bytes([b"ab", b"cd"], 4, "m")) == b"abcd"
    with pytest.raises(TooLarge, match="limit of 3 bytes"):
        list(limit_bytes([b"ab", b"cd"], 3, "m"))


def test_gunzip_streams_and_detects_truncation():
    packed = gzip.compress(b"x" * 3_000_000)
    pieces = [packed[i : i + 1000] for i in range(0, len(packed), 1000)]
    assert sum(len(c) for c in gunzip(pieces)) == 3_000_000
    with pytest.raises(MalformedMessage, match="truncated"):
        list(gunzip(pieces[:-1]))
