"""UN/EDIFACT CUSCAR (customs cargo report), directory D.96B: the cargo manifest as a carrier reports it.

Header: ``BGM+85`` (customs cargo report) with the voyage number, ``RFF+ABT`` (outbound: the
platform's id and revision), ``TDT+20`` with the voyage, the mode and the vessel (C222: IMO
number, agency 11 Lloyd's Register, vessel name), ``LOC+9``/``LOC+11`` the ports. Then one
consignment group per bill of lading, opened by ``CNI`` (1490 sequence, C503/1004 the bill of
lading): ``NAD+CZ``/``NAD+CN``/``NAD+N1`` (notify party), ``EQD``/``SEL`` for its containers and one ``GID`` goods item
group each (``GID`` 1496 sequence and C213 packages, ``PIA`` the HS code, ``FTX+AAA``, ``MEA``
gross weight). ``CNT+5`` counts the consignments and is checked on receipt. The layout is the
one of the public D.95B CUSCAR in tests/data/edifact/cuscar-d95b-sample.edi.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydifact.segments import Segment

from singlewindow.formats.edifact import (
    PARTIES,
    Envelope,
    Reader,
    build_interchange,
    chunks,
    first,
    message_body,
    number,
    part,
    party_segment,
    read_container,
    read_count,
    read_party,
    text,
)
from singlewindow.formats.errors import MessageRefused, Problem
from singlewindow.formats.parsed import Parsed

MESSAGE = "CUSCAR"
_CARGO_REPORT = "85"
_FUNCTIONS = {"declaration": "9", "amendment": "5", "withdrawal": "1"}
_PORTS = {"port_of_loading": "9", "port_of_discharge": "11"}
_LLOYDS = "11"
_UNECE = "6"
_CONSIGNMENTS = "5"


def _consignment(seq: int, consignment: dict[str, Any]) -> Iterator[Segment]:
    yield Segment("CNI", str(consignment.get("seq", seq)), consignment.get("bill_of_lading", ""))
    for field, qualifier in PARTIES.items():
        if field in consignment:
            yield party_segment(qualifier, consignment[field])
    for container in consignment.get("containers", []):
        yield Segment("EQD", "CN", container["number"], [container.get("size_type", ""), "102", "5"])
        if container.get("seal"):
            yield Segment("SEL", container["seal"])
    for n, item in enumerate(consignment.get("goods", []), start=1):
        yield Segment("GID", str(n), [str(item.get("package_count", "")), item.get("package_type", "")])
        if "hs_code" in item:
            yield Segment("PIA", "5", [item["hs_code"], "HS"])
        if "description" in item:
            yield Segment("FTX", "AAA", "", "", chunks(item["description"]))
        if "gross_weight_kg" in item:
            yield Segment("MEA", "AAE", "G", ["KGM", number(item["gross_weight_kg"])])


def build_cuscar(
    manifest: dict[str, Any], envelope: Envelope, *, kind: str = "declaration", subject: tuple[str, int] | None = None
) -> str:
    """A CUSCAR for a whole manifest or an agency's view of one (absent fields are left out)."""
    segments = [Segment("BGM", _CARGO_REPORT, manifest.get("voyage_number", ""), _FUNCTIONS.get(kind, "9"))]
    if subject:
        segments.append(Segment("RFF", ["ABT", subject[0], "", str(subject[1])]))
    vessel = [manifest.get("imo_number", ""), "", _LLOYDS, manifest.get("vessel_name", "")]
    segments.append(
        Segment(
            "TDT", "20", manifest.get("voyage_number", ""), manifest.get("transport_mode", ""), "", "", "", "", vessel
        )
    )
    segments += [
        Segment("LOC", qualifier, [manifest[field], "", _UNECE])
        for field, qualifier in _PORTS.items()
        if field in manifest
    ]
    consignments = manifest.get("consignments", [])
    for seq, consignment in enumerate(consignments, start=1):
        segments.extend(_consignment(seq, consignment))
    segments.append(Segment("CNT", [_CONSIGNMENTS, str(len(consignments))]))
    return build_interchange(envelope, MESSAGE, segments)


@dataclass
class _Position:
    consignment: int = -1
    container: int = -1
    item: int = -1
    declared: int | None = None


def parse_cuscar(data: bytes | str) -> Parsed:
    """The canonical cargo manifest a CUSCAR carries; refuses with every problem it found."""
    body, interchange = message_body(data, MESSAGE)
    reader = Reader(Parsed({}), [], interchange.characters.decimal_point)
    reader.parsed.sources["$"] = "UNH"
    at = _Position()
    for pos, segment in enumerate(body, start=2):
        if segment.tag == "CNI":
            at.consignment, at.container, at.item = at.consignment + 1, -1, -1
            where = reader.where(pos, segment, "C503/1004")
            reader.parsed.put(("consignments", at.consignment, "bill_of_lading"), first(segment, 1), where)
        elif at.consignment >= 0 and segment.tag in {"NAD", "EQD", "SEL", "GID", "PIA", "FTX", "MEA"}:
            _read_consignment_segment(reader, pos, segment, at)
        elif segment.tag == "CNT" and first(segment, 0) == _CONSIGNMENTS:
            at.declared = read_count(reader, pos, segment)
        else:
            _read_header_segment(reader, pos, segment)
    if at.declared is not None and at.declared != at.consignment + 1:
        reader.problems.append(
            Problem("CNT/C270/6066", f"says {at.declared} consignments, the message has {at.consignment + 1}")
        )
    if "voyage_number" not in reader.parsed.document:
        reader.problems.append(Problem("BGM", "the message has no BGM segment (document name and number)"))
    if reader.problems:
        raise MessageRefused(reader.problems)
    return reader.parsed


def _read_header_segment(reader: Reader, pos: int, segment: Segment) -> None:
    put, where, qualifier = reader.parsed.put, reader.where, first(segment, 0)
    if segment.tag == "BGM":
        if qualifier != _CARGO_REPORT:
            reader.problems.append(
                Problem(where(pos, segment, "C002/1001"), f"document name code {qualifier!r} is not 85 (cargo report)")
            )
        put(("voyage_number",), first(segment, 1), where(pos, segment, "C106/1004"))
    elif segment.tag == "TDT" and qualifier == "20":
        put(("transport_mode",), first(segment, 2), where(pos, segment, "C220/8067"))
        put(("imo_number",), part(segment, 7, 0), where(pos, segment, "C222/8213"))
        put(("vessel_name",), part(segment, 7, 3), where(pos, segment, "C222/8212"))
    elif segment.tag == "LOC":
        ports = {v: k for k, v in _PORTS.items()}
        if qualifier in ports:
            w = where(pos, segment, "C517/3225")
            put((ports[qualifier],), reader.coded(segment, 1, _UNECE, w, "UN/LOCODE"), w)


def _read_consignment_segment(reader: Reader, pos: int, segment: Segment, at: _Position) -> None:
    put, where, tag = reader.parsed.put, reader.where, segment.tag
    consignment: tuple[str | int, ...] = ("consignments", at.consignment)
    if tag == "NAD":
        read_party(reader, pos, segment, consignment)
    elif tag == "EQD":
        at.container += 1
        read_container(reader, pos, segment, (*consignment, "containers", at.container))
    elif tag == "SEL" and at.container >= 0:
        put((*consignment, "containers", at.container, "seal"), first(segment, 0), where(pos, segment, "9308"))
    elif tag == "GID":
        at.item += 1
        _read_goods_item(reader, pos, segment, (*consignment, "goods", at.item))
    elif at.item < 0:
        reader.problems.append(Problem(where(pos, segment, ""), f"{tag} before the first GID goods item"))
    else:
        item = (*consignment, "goods", at.item)
        if tag == "PIA":
            w = where(pos, segment, "C212/7140")
            put((*item, "hs_code"), reader.listed(segment, 1, "HS", "", w, "commodity code"), w)
        elif tag == "FTX" and first(segment, 0) == "AAA":
            put((*item, "description"), text(segment, 3), where(pos, segment, "C108/4440"))
        elif tag == "MEA" and first(segment, 1) == "G":
            w = where(pos, segment, "C174/6314")
            put((*item, "gross_weight_kg"), reader.number(part(segment, 2, 1), w), w)


def _read_goods_item(reader: Reader, pos: int, segment: Segment, item: tuple[str | int, ...]) -> None:
    count, kind = part(segment, 1, 0), part(segment, 1, 1)
    if count:
        w = reader.where(pos, segment, "C213/7224")
        reader.parsed.put((*item, "package_count"), int(count) if count.isdigit() else count, w)
    if kind:
        reader.parsed.put((*item, "package_type"), kind, reader.where(pos, segment, "C213/7065"))
