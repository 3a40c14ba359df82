"""UN/EDIFACT CUSDEC (declarations) and CUSRES (responses), directory D.96B, built and read with pydifact.

The segment mapping is the table in docs/formats.md. Text longer than one 35-character
component is carried in consecutive components so that nothing is cut; character set UNOW
(UTF-8, syntax version 4) so that Chinese names travel unchanged.
"""

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydifact.exceptions import MissingImplementationWarning
from pydifact.segmentcollection import Interchange, Message
from pydifact.segments import Segment

from singlewindow.formats.errors import MessageRefused, Problem, refuse
from singlewindow.formats.parsed import Parsed

CONTENT_TYPE = "application/EDIFACT"
DIRECTORY = ("D", "96B", "UN")
SYNTAX = ("UNOW", 4)
_COMPONENT = 35
_DOCUMENT_CODES = {"import": "929", "export": "830"}
_DOCUMENT_TYPES = {code: kind for kind, code in _DOCUMENT_CODES.items()}
_FUNCTIONS = {"declaration": "9", "amendment": "5", "withdrawal": "1"}
_PARTIES = {"consignor": "CZ", "consignee": "CN"}
_PORTS = {"port_of_loading": "9", "port_of_discharge": "11"}
_COUNTRY_QUALIFIER = {"import": "35", "export": "28"}
_ISO = "5"
_UNECE = "6"
_MUTUAL = "ZZZ"
_WEIGHTS = {"G": "gross_weight_kg", "AAL": "net_weight_kg"}
_OLDEST_RELEASE = 1996.2  # D.96B

Element = str | list[str]


def _chunks(text: str) -> list[str]:
    return [text[i : i + _COMPONENT] for i in range(0, len(text), _COMPONENT)] or [""]


def _number(value: Any) -> str:
    return format(Decimal(str(value)), "f")


@dataclass(frozen=True, slots=True)
class Envelope:
    sender: str
    recipient: str
    control_reference: str
    prepared: datetime


def _interchange(envelope: Envelope, message_type: str, segments: list[Segment]) -> str:
    interchange = Interchange(
        sender=envelope.sender,
        recipient=envelope.recipient,
        control_reference=envelope.control_reference,
        syntax_identifier=SYNTAX,
        timestamp=envelope.prepared,
    )
    message = Message("1", [message_type, *DIRECTORY])
    for segment in segments:
        message.add_segment(segment)
    interchange.add_message(message)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingImplementationWarning)
        return str(interchange.serialize())


def _party_segment(qualifier: str, party: dict[str, Any]) -> Segment:
    identification: Element = [party["uscc"], "", _MUTUAL] if party.get("uscc") else ""
    address: Element = _chunks(party["address"]) if party.get("address") else ""
    return Segment(
        "NAD",
        qualifier,
        identification,
        "",
        _chunks(party.get("name", "")),
        address,
        "",
        "",
        "",
        party.get("country", ""),
    )


def _header_segments(document: dict[str, Any], function: str) -> Iterator[Segment]:
    kind = document.get("type", "")
    yield Segment("BGM", _DOCUMENT_CODES.get(kind, kind), document.get("reference", ""), function)
    if "trade_mode" in document:
        yield Segment("GIS", [document["trade_mode"], "TRM", _MUTUAL])
    if "transport_mode" in document:
        yield Segment("TDT", "20", "", document["transport_mode"])
    for field, qualifier in _PORTS.items():
        if field in document:
            yield Segment("LOC", qualifier, [document[field], "", _UNECE])
    if "country" in document:
        yield Segment("LOC", _COUNTRY_QUALIFIER.get(kind, "35"), [document["country"], "", _ISO])
    if "currency" in document:
        yield Segment("CUX", ["2", document["currency"], "4"])
    if "incoterm" in document:
        yield Segment("TOD", "6", "", document["incoterm"])
    if "bill_of_lading" in document:
        yield Segment("RFF", ["BM", document["bill_of_lading"]])
    for field, qualifier in _PARTIES.items():
        if field in document:
            yield _party_segment(qualifier, document[field])
    for container in document.get("containers", []):
        yield Segment("EQD", "CN", container["number"], [container.get("size_type", ""), "102", _ISO])
        if container.get("seal"):
            yield Segment("SEL", container["seal"])


def _item_segments(seq: int, item: dict[str, Any]) -> Iterator[Segment]:
    yield Segment("LIN", str(item.get("seq", seq)), "", [item.get("hs_code", ""), "HS"])
    if "description" in item:
        yield Segment("FTX", "AAA", "", "", _chunks(item["description"]))
    if "quantity" in item:
        yield Segment("QTY", ["47", _number(item["quantity"]), item.get("unit", "")])
    for qualifier, field in _WEIGHTS.items():
        if field in item:
            yield Segment("MEA", "WT", qualifier, ["KGM", _number(item[field])])
    if "value" in item:
        yield Segment("MOA", ["203", _number(item["value"])])
    if "origin_country" in item:
        yield Segment("LOC", "27", [item["origin_country"], "", _ISO])
    if "package_count" in item or "package_type" in item:
        yield Segment("PAC", str(item.get("package_count", "")), "", item.get("package_type", ""))
    if "licence_number" in item:
        yield Segment("RFF", ["IP", item["licence_number"]])


def build_cusdec(
    document: dict[str, Any], envelope: Envelope, *, kind: str = "declaration", subject: tuple[str, int] | None = None
) -> str:
    """A CUSDEC interchange for a whole declaration or an agency's view of one (absent fields are left out).

    ``subject`` (declaration id, revision) goes in RFF+ABT so that the agency's CUSRES can refer to it.
    """
    segments = list(_header_segments(document, _FUNCTIONS.get(kind, "9")))
    if subject:
        segments.insert(1, Segment("RFF", ["ABT", subject[0], "", str(subject[1])]))
    goods = document.get("goods", [])
    for seq, item in enumerate(goods, start=1):
        segments.extend(_item_segments(seq, item))
    segments.append(Segment("CNT", ["5", str(len(goods))]))
    return _interchange(envelope, "CUSDEC", segments)


def build_cusres(response: dict[str, Any], envelope: Envelope) -> str:
    """A CUSRES carrying one agency decision on one declaration revision."""
    issued = datetime.fromisoformat(str(response["issued_at"])).astimezone(UTC)
    segments = [
        Segment("BGM", "962", str(response["message_id"]), "9"),
        Segment("DTM", ["137", f"{issued:%Y%m%d%H%M%S}", "204"]),
        Segment("RFF", ["ABT", str(response["subject_id"]), "", str(response["revision"])]),
        Segment("GIS", [response["payload"]["decision"], "SWD", _MUTUAL]),
    ]
    if response["payload"].get("reason"):
        segments.append(Segment("FTX", "ACD", "", "", _chunks(response["payload"]["reason"])))
    return _interchange(envelope, "CUSRES", segments)


# Reading --------------------------------------------------------------------------------------------


def _read_interchange(data: bytes | str) -> tuple[Interchange, list[Segment]]:
    """pydifact raises many exception types on malformed input; all of them mean the same to a sender."""
    text = data.decode("utf-8", errors="strict") if isinstance(data, bytes) else data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingImplementationWarning)
        try:
            interchange = Interchange.from_str(text.strip())
            segments = list(interchange.segments)
        except Exception as exc:  # the library's errors are not one hierarchy (see module docstring)
            raise refuse("interchange", f"not a UN/EDIFACT interchange: {exc}") from None
    return interchange, segments


def _message(data: bytes | str, expected: str) -> tuple[list[Segment], Interchange]:
    try:
        interchange, segments = _read_interchange(data)
    except UnicodeDecodeError:
        raise refuse("interchange", "not UTF-8 text (the platform reads UNOW/UNOC interchanges as UTF-8)") from None
    headers = [i for i, s in enumerate(segments) if s.tag == "UNH"]
    trailers = [i for i, s in enumerate(segments) if s.tag == "UNT"]
    if len(headers) != 1:
        raise refuse("UNH", f"expected exactly one message (one UNH segment), found {len(headers)}")
    start = headers[0]
    if not trailers or trailers[0] < start:
        raise refuse("UNT", "the message is not closed by a UNT segment")
    identifier = _components(segments[start], 1)
    message_type = identifier[0] if identifier else ""
    if message_type != expected:
        raise refuse("UNH/S009/0065", f"message type is {message_type!r}; this endpoint takes {expected}")
    version = identifier[1:3] if len(identifier) >= 3 else []
    if not _release_supported(version):
        raise refuse("UNH/S009/0052", f"directory {'.'.join(version) or '?'} is older than D.96B")
    return segments[start + 1 : trailers[0]], interchange


def _release_supported(version: list[str]) -> bool:
    if len(version) != 2 or version[0] != "D" or len(version[1]) != 3 or not version[1][:2].isdigit():
        return False
    year = int(version[1][:2])
    full = 1900 + year if year >= 90 else 2000 + year
    return full + (ord(version[1][2].upper()) - ord("A") + 1) / 10 >= _OLDEST_RELEASE


def _components(segment: Segment, index: int) -> list[str]:
    elements = segment.elements
    if index >= len(elements):
        return []
    value = elements[index]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def _first(segment: Segment, index: int) -> str:
    found = _components(segment, index)
    return found[0] if found else ""


def _part(segment: Segment, index: int, component: int) -> str:
    parts = _components(segment, index)
    return parts[component] if len(parts) > component else ""


def _text(segment: Segment, index: int) -> str:
    return "".join(_components(segment, index))


@dataclass
class _Reader:
    parsed: Parsed
    problems: list[Problem]
    decimal_mark: str

    def where(self, position: int, segment: Segment, element: str) -> str:
        return f"segment {position} {segment.tag}/{element}"

    def number(self, raw: str, where: str) -> Decimal | str:
        try:
            return Decimal(raw.replace(self.decimal_mark, "."))
        except InvalidOperation:
            self.problems.append(Problem(where, f"{raw!r} is not a number"))
            return raw

    def coded(self, segment: Segment, index: int, agency: str, where: str, what: str) -> str:
        """A code with its list's responsible agency; a national list of another country is refused here."""
        code = _first(segment, index)
        parts = _components(segment, index)
        given = parts[2] if len(parts) > 2 else ""
        if given and given != agency:
            names = {_ISO: "ISO", _UNECE: "UN/ECE", _MUTUAL: "mutually defined"}
            self.problems.append(
                Problem(
                    where,
                    f"{what} {code!r} is from code list agency {given!r}; this single window takes "
                    f"{names.get(agency, agency)} codes (agency {agency!r}) here",
                    type="foreign_code_list",
                )
            )
        return code


def _read_party(reader: _Reader, pos: int, segment: Segment) -> dict[str, Any] | None:
    qualifier = _first(segment, 0)
    field = {v: k for k, v in _PARTIES.items()}.get(qualifier)
    if field is None:
        return None
    where = reader.where(pos, segment, "")
    put = reader.parsed.put
    put((field, "name"), _text(segment, 3), where + "C080/3036")
    put((field, "country"), _first(segment, 8), where + "3207")
    if _components(segment, 1) and _first(segment, 1):
        put((field, "uscc"), _first(segment, 1), where + "C082/3039")
    if _text(segment, 4):
        put((field, "address"), _text(segment, 4), where + "C059/3042")
    return reader.parsed.document[field]  # type: ignore[no-any-return]


def parse_cusdec(data: bytes | str) -> Parsed:
    """The canonical declaration a CUSDEC interchange carries; refuses with every problem it found."""
    body, interchange = _message(data, "CUSDEC")
    reader = _Reader(Parsed({}), [], interchange.characters.decimal_point)
    reader.parsed.sources["$"] = "UNH"
    item = -1
    container = -1
    lines = 0
    declared_lines: int | None = None
    for pos, segment in enumerate(body, start=2):
        tag = segment.tag
        if tag == "LIN":
            item += 1
            lines += 1
            _read_line(reader, pos, segment, item)
        elif item >= 0 and tag in {"FTX", "QTY", "MEA", "MOA", "LOC", "PAC", "RFF"}:
            _read_item_segment(reader, pos, segment, item)
        elif tag == "EQD":
            container += 1
            _read_container(reader, pos, segment, container)
        elif tag == "SEL" and container >= 0:
            reader.parsed.put(("containers", container, "seal"), _first(segment, 0), reader.where(pos, segment, "9308"))
        elif tag == "CNT" and _first(segment, 0) == "5":
            count = _part(segment, 0, 1)
            declared_lines = int(count) if count.isdigit() else -1
        else:
            _read_header_segment(reader, pos, segment)
    if declared_lines is not None and declared_lines != lines:
        reader.problems.append(Problem("CNT/C270/6066", f"says {declared_lines} goods items, the message has {lines}"))
    if "type" not in reader.parsed.document:
        reader.problems.append(Problem("BGM", "the message has no BGM segment (document name and number)"))
    if reader.problems:
        raise MessageRefused(reader.problems)
    return reader.parsed


def _read_header_segment(reader: _Reader, pos: int, segment: Segment) -> None:
    put, where, tag = reader.parsed.put, reader.where, segment.tag
    qualifier = _first(segment, 0)
    if tag == "BGM":
        kind = _DOCUMENT_TYPES.get(qualifier)
        if kind is None:
            reader.problems.append(
                Problem(
                    where(pos, segment, "C002/1001"),
                    f"document name code {qualifier!r} is not a goods declaration for importation (929) "
                    "or exportation (830)",
                )
            )
            kind = qualifier
        put(("type",), kind, where(pos, segment, "C002/1001"))
        put(("reference",), _first(segment, 1), where(pos, segment, "C106/1004"))
    elif tag == "GIS":
        w = where(pos, segment, "C529/7365")
        put(("trade_mode",), reader.coded(segment, 0, _MUTUAL, w, "trade mode"), w)
    elif tag == "TDT" and qualifier == "20":
        put(("transport_mode",), _first(segment, 2), where(pos, segment, "C220/8067"))
    elif tag == "LOC":
        _read_header_location(reader, pos, segment)
    elif tag == "CUX":
        put(("currency",), _part(segment, 0, 1), where(pos, segment, "C504/6345"))
    elif tag == "TOD":
        put(("incoterm",), _first(segment, 2), where(pos, segment, "C100/4053"))
    elif tag == "RFF" and qualifier == "BM":
        put(("bill_of_lading",), _part(segment, 0, 1), where(pos, segment, "C506/1154"))
    elif tag == "NAD":
        _read_party(reader, pos, segment)


def _read_header_location(reader: _Reader, pos: int, segment: Segment) -> None:
    qualifier = _first(segment, 0)
    where = reader.where(pos, segment, "C517/3225")
    ports = {v: k for k, v in _PORTS.items()}
    if qualifier in ports:
        reader.parsed.put((ports[qualifier],), reader.coded(segment, 1, _UNECE, where, "UN/LOCODE"), where)
    elif qualifier in _COUNTRY_QUALIFIER.values():
        reader.parsed.put(("country",), reader.coded(segment, 1, _ISO, where, "country"), where)


def _read_line(reader: _Reader, pos: int, segment: Segment, item: int) -> None:
    where = reader.where(pos, segment, "C212/7140")
    parts = _components(segment, 2)
    if len(parts) > 1 and parts[1] not in {"", "HS"}:
        reader.problems.append(
            Problem(where, f"item number type {parts[1]!r} is not HS (7143 'HS')", type="foreign_code_list")
        )
    reader.parsed.put(("goods", item, "hs_code"), parts[0] if parts else "", where)


def _read_item_segment(reader: _Reader, pos: int, segment: Segment, item: int) -> None:
    put, where, tag = reader.parsed.put, reader.where, segment.tag
    qualifier = _first(segment, 0)
    at: tuple[str | int, ...] = ("goods", item)
    if tag == "FTX" and qualifier == "AAA":
        put((*at, "description"), _text(segment, 3), where(pos, segment, "C108/4440"))
    elif tag == "QTY":
        parts = _components(segment, 0)
        w = where(pos, segment, "C186/6060")
        put((*at, "quantity"), reader.number(parts[1] if len(parts) > 1 else "", w), w)
        put((*at, "unit"), parts[2] if len(parts) > 2 else "", where(pos, segment, "C186/6411"))
    elif tag == "MEA" and _first(segment, 1) in _WEIGHTS:
        parts = _components(segment, 2)
        w = where(pos, segment, "C174/6314")
        if parts and parts[0] != "KGM":
            reader.problems.append(Problem(where(pos, segment, "C174/6411"), f"weights are in KGM, not {parts[0]!r}"))
        put((*at, _WEIGHTS[_first(segment, 1)]), reader.number(parts[1] if len(parts) > 1 else "", w), w)
    elif tag == "MOA" and qualifier == "203":
        parts = _components(segment, 0)
        w = where(pos, segment, "C516/5004")
        put((*at, "value"), reader.number(parts[1] if len(parts) > 1 else "", w), w)
    elif tag == "LOC" and qualifier == "27":
        w = where(pos, segment, "C517/3225")
        put((*at, "origin_country"), reader.coded(segment, 1, _ISO, w, "country"), w)
    elif tag == "PAC":
        _read_packages(reader, pos, segment, item)
    elif tag == "RFF" and qualifier == "IP":
        parts = _components(segment, 0)
        put((*at, "licence_number"), parts[1] if len(parts) > 1 else "", where(pos, segment, "C506/1154"))


def _read_packages(reader: _Reader, pos: int, segment: Segment, item: int) -> None:
    count = _first(segment, 0)
    if count:
        w = reader.where(pos, segment, "7224")
        reader.parsed.put(("goods", item, "package_count"), int(count) if count.isdigit() else count, w)
    if _first(segment, 2):
        reader.parsed.put(("goods", item, "package_type"), _first(segment, 2), reader.where(pos, segment, "C202/7065"))


def _read_container(reader: _Reader, pos: int, segment: Segment, container: int) -> None:
    put = reader.parsed.put
    put(("containers", container, "number"), _first(segment, 1), reader.where(pos, segment, "C237/8260"))
    put(("containers", container, "size_type"), _first(segment, 2), reader.where(pos, segment, "C224/8155"))


def parse_cusres(data: bytes | str) -> Parsed:
    """An agency decision (the exchange's inbound envelope) from a CUSRES interchange."""
    body, _ = _message(data, "CUSRES")
    parsed = Parsed({"kind": "decision", "payload": {}})
    problems: list[Problem] = []
    for pos, segment in enumerate(body, start=2):
        where = f"segment {pos} {segment.tag}/"
        qualifier = _first(segment, 0)
        if segment.tag == "BGM":
            parsed.put(("message_id",), _first(segment, 1), where + "C106/1004")
        elif segment.tag == "DTM" and qualifier == "137":
            parsed.put(("issued_at",), _timestamp(_components(segment, 0), where, problems), where + "C507/2380")
        elif segment.tag == "RFF" and qualifier == "ABT":
            parts = [*_components(segment, 0), "", "", "", ""]
            parsed.put(("subject_id",), parts[1], where + "C506/1154")
            parsed.put(("revision",), int(parts[3]) if parts[3].isdigit() else parts[3], where + "C506/4000")
        elif segment.tag == "GIS":
            parsed.put(("payload", "decision"), qualifier, where + "C529/7365")
        elif segment.tag == "FTX" and qualifier == "ACD":
            parsed.put(("payload", "reason"), _text(segment, 3), where + "C108/4440")
    if problems:
        raise MessageRefused(problems)
    return parsed


def _timestamp(parts: list[str], where: str, problems: list[Problem]) -> str:
    raw = parts[1] if len(parts) > 1 else ""
    try:
        return datetime.strptime(raw, "%Y%m%d%H%M%S").replace(tzinfo=UTC).isoformat()
    except ValueError:
        problems.append(Problem(where + "C507/2380", f"{raw!r} is not CCYYMMDDHHMMSS (format 204, UTC)"))
        return raw
