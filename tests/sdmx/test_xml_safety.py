"""The safe XML settings and byte limits every SDMX-ML reader relies on."""

from __future__ import annotations

import contextlib
import gzip
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from lxml import etree

from dataops.errors import MalformedMessage, TooLarge
from dataops.sdmx.xml_safety import DTD_REFUSED, gunzip, limit_bytes, parse_tree, safe_parser

pytestmark = pytest.mark.timeout(30)


def _text(doc: bytes) -> str:
    """The text content of ``doc`` read with the safe parser alone (no DOCTYPE refusal on top)."""
    return "".join(etree.fromstring(doc, safe_parser()).itertext())


def test_entities_are_never_expanded():
    # Small enough to stay under libxml2's own amplification guard: only the setting stops it.
    doc = b'<!DOCTYPE r [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;">]><r>&b;</r>'
    assert "lol" not in _text(doc)


def test_a_billion_laughs_bomb_is_refused_without_expanding(tmp_path):
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 12))
    bomb = f'<?xml version="1.0"?>\n<!DOCTYPE r [{entities}]>\n<r>&a11;</r>'.encode()
    with pytest.raises(MalformedMessage, match="DTD"):
        parse_tree(bomb, "bomb.xml")
    try:  # the parser alone: libxml2 may refuse outright; if it reads, nothing was expanded
        assert "lol" not in _text(bomb)
    except etree.XMLSyntaxError as err:
        assert "amplification" in str(err)


def test_an_external_entity_does_not_read_the_local_file(tmp_path):
    secret = tmp_path / "credentials.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    doc = f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><r>&x;</r>'.encode()
    assert "TOP-SECRET" not in _text(doc)


def test_a_dtd_file_the_message_names_is_not_read(tmp_path):
    dtd = tmp_path / "message.dtd"
    dtd.write_text('<!ELEMENT r ANY><!ENTITY x "FROM-LOCAL-DTD">')
    root = etree.fromstring(f'<!DOCTYPE r SYSTEM "file://{dtd}"><r>&x;</r>'.encode(), safe_parser())
    assert root.getroottree().docinfo.externalDTD is None
    assert "FROM-LOCAL-DTD" not in "".join(root.itertext())


@pytest.fixture
def listener():
    """A local HTTP server that records every request it gets (it should get none)."""
    seen: list[str] = []

    class Record(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            body = b'<!ENTITY x "FETCHED-FROM-NETWORK">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Record)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()
    server.server_close()


def test_no_dtd_or_entity_is_fetched_from_the_network(listener):
    url, seen = listener
    docs = [
        f'<!DOCTYPE r SYSTEM "{url}/r.dtd"><r>&x;</r>',
        f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]><r>&x;</r>',
        f'<!DOCTYPE r [<!ENTITY x SYSTEM "{url}/x.txt">]><r>&x;</r>',
    ]
    for doc in docs:
        with contextlib.suppress(etree.XMLSyntaxError):
            assert "FETCHED" not in _text(doc.encode())
    assert seen == []


def test_a_deeply_nested_document_is_refused_as_beyond_the_limits():
    deep = ("<a>" * 300 + "</a>" * 300).encode()
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(deep, safe_parser())
    with pytest.raises(MalformedMessage, match="beyond the safety limits of the XML parser"):
        parse_tree(deep, "deep.xml")


def test_a_huge_text_node_is_refused_as_beyond_the_limits():
    huge = b"<a>" + b"x" * 11_000_000 + b"</a>"
    with pytest.raises(MalformedMessage, match="beyond the safety limits of the XML parser") as err:
        parse_tree(huge, "huge.xml")
    assert "huge.xml" in err.value.message


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


def test_parse_tree_reads_a_plain_document():
    root = parse_tree(b'<?xml version="1.0"?>\n<r>\n  <a>1</a>\n</r>', "plain.xml")
    assert [(el.tag, el.text) for el in root] == [("a", "1")]


@pytest.mark.parametrize("doctype", ["<!DOCTYPE r>", '<!DOCTYPE r SYSTEM "http://127.0.0.1:9/r.dtd">'])
def test_parse_tree_refuses_a_doctype_without_an_internal_subset(doctype):
    with pytest.raises(MalformedMessage) as err:
        parse_tree(f"{doctype}<r/>".encode(), "structure.xml")
    assert err.value.message == f"structure.xml {DTD_REFUSED}"


def test_a_syntax_error_names_the_file_the_line_and_libxml2s_reason_once():
    with pytest.raises(MalformedMessage) as err:
        parse_tree(b"<a>\n<b>\n</c>\n</a>", "f.xml")
    assert err.value.message == (
        "f.xml is not well-formed XML at line 3: Opening and ending tag mismatch: b line 2 and c. "
        "The file may be truncated or damaged."
    )
    assert err.value.details == {"line": 3}


def test_the_size_limit_sentence_says_how_to_get_the_data():
    with pytest.raises(TooLarge) as err:
        list(limit_bytes([b"abcd"], 3, "The message"))
    assert err.value.message == (
        "The message is larger than the limit of 3 bytes, so reading stopped before it could exhaust "
        "memory. Narrow the query (fewer series or periods) or raise max_bytes."
    )


def test_a_gzip_bomb_is_never_inflated_whole():
    bomb = gzip.compress(b"\0" * 50_000_000)  # about 50 kB on the wire
    sizes = [len(piece) for piece in gunzip([bomb])]  # one chunk holding all of it
    assert max(sizes) <= 1 << 20
    assert sum(sizes) == 50_000_000  # nothing lost between the pieces


def test_damaged_and_truncated_gzip_streams_are_refused_with_a_sentence():
    packed = gzip.compress(b"<r/>" * 1000)
    damaged = packed[:20] + bytes(b ^ 0xFF for b in packed[20:40]) + packed[40:]
    with pytest.raises(MalformedMessage, match="^The gzip-compressed message is damaged: "):
        list(gunzip([damaged]))
    with pytest.raises(MalformedMessage) as err:
        list(gunzip([packed[:-8]]))
    assert err.value.message == "The gzip-compressed message ends early: it was truncated in transfer."


def test_a_broken_doctype_is_refused_as_a_dtd_with_the_line():
    with pytest.raises(MalformedMessage) as err:
        parse_tree(b'<?xml version="1.0"?>\n<!DOCTYPE>\n<r/>', "structure.xml")
    assert err.value.message == f"structure.xml {DTD_REFUSED} (line 2: Space required after 'DOCTYPE')"
    assert err.value.details == {"line": 2}


def test_an_entity_a_message_uses_without_a_dtd_is_refused_with_the_line():
    with pytest.raises(MalformedMessage) as err:
        parse_tree(b"<r>\n<a>&x;</a>\n</r>", "structure.xml")
    assert err.value.message == f"structure.xml {DTD_REFUSED} (line 2: Entity 'x' not defined)"
    assert err.value.details == {"line": 2}


def test_a_message_beyond_the_limits_names_its_line():
    deep = b"<r>\n" + b"<a>" * 300 + b"</a>" * 300 + b"\n</r>"
    with pytest.raises(MalformedMessage) as err:
        parse_tree(deep, "deep.xml")
    assert err.value.message.startswith(
        "deep.xml has a value or element beyond the safety limits of the XML parser (line 2: Excessive depth"
    )
    assert err.value.details == {"line": 2}
