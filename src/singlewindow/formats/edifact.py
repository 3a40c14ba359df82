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
PARTIES = {"consignor": "CZ", "consignee": "CN", "notify_party": "N1"}
"""UNCL 3035 party function codes: CZ consignor, CN consignee, N1 notify party no. 1 (manifests only)."""
_PORTS = {"port_of_loading": "9", "port_of_discharge": "11"}
_COUNTRY_QUALIFIER = {"import": "35", "export": "28"}
_ISO = "5"
_UNECE = "6"
_MUTUAL = "ZZZ"
_WEIGHTS = {"G": "gross_weight_kg", "AAL": "net_weight_kg"}
_MEASUREMENT = "AAE"
_HS = "HS"
_TRADE_MODE_LIST = "TRM"
_DUTY_EXEMPTION_LIST = "DEN"
_CHARGES = {"freight": ("64", "ZFR"), "insurance": ("157", "ZIN")}
"""Per charge: its UNCL 5025 amount qualifier (64 freight charge, 157 insurance value) and the
project's mutually defined UNCL 5245 percentage qualifier for a charge declared as a rate."""
_ORIGIN_CERTIFICATE = "861"
"""UNCL 1001: certificate of origin, cited per goods item for a preferential rate."""
_CERTIFICATE_LIST = "SCC"
_ITEM_AMOUNT = "38"
_ITEM_COUNT = "5"
_OLDEST_RELEASE = 1996.2  # D.96B

Element = str | list[str]


def chunks(text: str) -> list[str]:
    return [text[i : i + _COMPONENT] for i in range(0, len(text), _COMPONENT)] or [""]


def number(value: Any) -> str:
    return format(Decimal(str(value)), "f")


@dataclass(frozen=True, slots=True)
class Envelope:
    sender: str
    recipient: str
    control_reference: str
    prepared: datetime


def build_interchange(envelope: Envelope, message_type: str, segments: list[Segment]) -> str:
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


def party_segment(qualifier: str, party: dict[str, Any]) -> Segment:
    """NAD: C082 identification (USCC, agency ZZZ), C080 name, C059 street, 3207 country."""
    identification: Element = [party["uscc"], "", _MUTUAL] if party.get("uscc") else ""
    address: Element = chunks(party["address"]) if party.get("address") else ""
    return Segment(
        "NAD",
        qualifier,
        identification,
        "",
        chunks(party.get("name", "")),
        address,
        "",
        "",
        "",
        party.get("country", ""),
    )


def _total(goods: list[dict[str, Any]]) -> str | None:
    values = [item.get("value") for item in goods]
    if not values or any(v is None for v in values):
        return None
    return number(sum((Decimal(str(v)) for v in values), Decimal(0)))


def _header_segments(document: dict[str, Any], function: str, subject: tuple[str, int] | None) -> Iterator[Segment]:
    """The header section in the directory's order: BGM, CST, LOC, GIS, EQD/SEL, then groups 1, DOC, 4, 6, 7, 8."""
    kind = document.get("type", "")
    yield Segment("BGM", _DOCUMENT_CODES.get(kind, kind), document.get("reference", ""), function)
    if "trade_mode" in document:
        yield Segment("CST", "", [document["trade_mode"], _TRADE_MODE_LIST, _MUTUAL])
    for field, qualifier in _PORTS.items():
        if field in document:
            yield Segment("LOC", qualifier, [document[field], "", _UNECE])
    if "country" in document:
        yield Segment("LOC", _COUNTRY_QUALIFIER.get(kind, "35"), [document["country"], "", _ISO])
    if "duty_exemption" in document:
        yield Segment("GIS", [document["duty_exemption"], _DUTY_EXEMPTION_LIST, _MUTUAL])
    for container in document.get("containers", []):
        yield Segment("EQD", "CN", container["number"], [container.get("size_type", ""), "102", _ISO])
        if container.get("seal"):
            yield Segment("SEL", container["seal"])
    if subject:
        yield Segment("RFF", ["ABT", subject[0], "", str(subject[1])])
    if "bill_of_lading" in document:
        yield Segment("RFF", ["BM", document["bill_of_lading"]])
    for attached in document.get("documents", []):
        yield Segment("DOC", [attached["code"], _CERTIFICATE_LIST, _MUTUAL], attached["number"])
    if "transport_mode" in document:
        yield Segment("TDT", "20", "", document["transport_mode"])
    for field, qualifier in PARTIES.items():
        if field in document:
            yield party_segment(qualifier, document[field])
    if "incoterm" in document:
        yield Segment("TOD", "6", "", document["incoterm"])
    if "currency" in document:
        total = _total(document.get("goods", []))
        yield Segment("MOA", ["39", total] if total is not None else "39")
        yield Segment("CUX", ["2", document["currency"], "4"])
    yield from _charge_segments(document)


def _charge_segments(document: dict[str, Any]) -> Iterator[Segment]:
    """Freight and insurance the price leaves out: ``MOA`` with the amount and its currency, or ``PCD`` as a rate."""
    for field, (amount_qualifier, rate_qualifier) in _CHARGES.items():
        charge = document.get(field) or {}
        if charge.get("amount") is not None:
            yield Segment("MOA", [amount_qualifier, number(charge["amount"]), charge.get("currency", "")])
        if charge.get("rate_percent") is not None:
            yield Segment("PCD", [rate_qualifier, number(charge["rate_percent"])])


def _item_segments(seq: int, item: dict[str, Any]) -> Iterator[Segment]:
    """Group 30, one per goods item: CST (1496 item number, C246 commodity code), FTX, LOC, MEA, PAC, MOA, RFF."""
    yield Segment("CST", str(item.get("seq", seq)), [item.get("hs_code", ""), _HS])
    if "description" in item:
        yield Segment("FTX", "AAA", "", "", chunks(item["description"]))
    if "origin_country" in item:
        yield Segment("LOC", "27", [item["origin_country"], "", _ISO])
    for attribute, field in _WEIGHTS.items():
        if field in item:
            yield Segment("MEA", _MEASUREMENT, attribute, ["KGM", number(item[field])])
    if "quantity" in item:
        yield Segment("MEA", _MEASUREMENT, "", [item.get("unit", ""), number(item["quantity"])])
    if "package_count" in item or "package_type" in item:
        yield Segment("PAC", str(item.get("package_count", "")), "", item.get("package_type", ""))
    if "value" in item:
        yield Segment("MOA", [_ITEM_AMOUNT, number(item["value"])])
    if "licence_number" in item:
        yield Segment("RFF", ["IP", item["licence_number"]])
    if "origin_certificate_number" in item:
        yield Segment("DOC", _ORIGIN_CERTIFICATE, item["origin_certificate_number"])


def build_cusdec(
    document: dict[str, Any], envelope: Envelope, *, kind: str = "declaration", subject: tuple[str, int] | None = None
) -> str:
    """A D.96B CUSDEC for a whole declaration or an agency's view of one (absent fields are left out).

    Header section, ``UNS+D``, one group 30 (``CST``) per goods item, ``UNS+S``, ``CNT``. ``subject``
    (declaration id, revision) goes in ``RFF+ABT`` so that the agency's CUSRES can refer to it.
    """
    segments = list(_header_segments(document, _FUNCTIONS.get(kind, "9"), subject))
    segments.append(Segment("UNS", "D"))
    goods = document.get("goods", [])
    for seq, item in enumerate(goods, start=1):
        segments.extend(_item_segments(seq, item))
    segments.append(Segment("UNS", "S"))
    segments.append(Segment("CNT", [_ITEM_COUNT, str(len(goods))]))
    return build_interchange(envelope, "CUSDEC", segments)


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
        segments.append(Segment("FTX", "ACD", "", "", chunks(response["payload"]["reason"])))
    return build_interchange(envelope, "CUSRES", segments)


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


def message_body(data: bytes | str, expected: str) -> tuple[list[Segment], Interchange]:
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
    identifier = components(segments[start], 1)
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


def components(segment: Segment, index: int) -> list[str]:
    elements = segment.elements
    if index >= len(elements):
        return []
    value = elements[index]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def first(segment: Segment, index: int) -> str:
    found = components(segment, index)
    return found[0] if found else ""


def part(segment: Segment, index: int, component: int) -> str:
    parts = components(segment, index)
    return parts[component] if len(parts) > component else ""


def text(segment: Segment, index: int) -> str:
    return "".join(components(segment, index))


@dataclass
class Reader:
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
        code = first(segment, index)
        parts = components(segment, index)
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

    def listed(self, segment: Segment, index: int, code_list: str, agency: str, where: str, what: str) -> str:
        """A code with its code list (1131) and agency (3055): another country's list is refused, not guessed."""
        parts = [*components(segment, index), "", "", ""]
        code, given_list, given_agency = parts[0], parts[1], parts[2]
        if given_list not in {"", code_list} or (agency and given_agency not in {"", agency}):
            self.problems.append(
                Problem(
                    where,
                    f"{what} {code!r} is from code list {given_list!r} (agency {given_agency!r}); this single "
                    f"window takes list {code_list!r} here",
                    type="foreign_code_list",
                )
            )
        return code


def read_party(reader: Reader, pos: int, segment: Segment, at: tuple[str | int, ...]) -> bool:
    """A consignor (NAD+CZ), consignee (NAD+CN) or notify party (NAD+N1) under ``at``; False for any other."""
    field = {v: k for k, v in PARTIES.items()}.get(first(segment, 0))
    if field is None:
        return False
    where = reader.where(pos, segment, "")
    put = reader.parsed.put
    put((*at, field, "name"), text(segment, 3), where + "C080/3036")
    put((*at, field, "country"), first(segment, 8), where + "3207")
    if components(segment, 1) and first(segment, 1):
        put((*at, field, "uscc"), first(segment, 1), where + "C082/3039")
    if text(segment, 4):
        put((*at, field, "address"), text(segment, 4), where + "C059/3042")
    return True


def read_container(reader: Reader, pos: int, segment: Segment, at: tuple[str | int, ...]) -> None:
    put = reader.parsed.put
    put((*at, "number"), first(segment, 1), reader.where(pos, segment, "C237/8260"))
    put((*at, "size_type"), first(segment, 2), reader.where(pos, segment, "C224/8155"))


def read_count(reader: Reader, pos: int, segment: Segment) -> int | None:
    count = part(segment, 0, 1)
    if count.isdigit():
        return int(count)
    reader.problems.append(Problem(reader.where(pos, segment, "C270/6066"), f"{count!r} is not a count"))
    return None


@dataclass
class _Sections:
    """Where the reader is: the header, a goods item of the detail section (UNS+D), or the summary (UNS+S)."""

    section: str = "header"
    item: int = -1
    container: int = -1
    document: int = -1
    declared_items: int | None = None


def parse_cusdec(data: bytes | str) -> Parsed:
    """The canonical declaration a D.96B CUSDEC carries; refuses with every problem it found."""
    body, interchange = message_body(data, "CUSDEC")
    reader = Reader(Parsed({}), [], interchange.characters.decimal_point)
    reader.parsed.sources["$"] = "UNH"
    at = _Sections()
    for pos, segment in enumerate(body, start=2):
        if segment.tag == "UNS":
            _read_section(reader, pos, segment, at)
        elif at.section == "header":
            _read_header_segment(reader, pos, segment, at)
        elif at.section == "detail":
            _read_detail_segment(reader, pos, segment, at)
        elif segment.tag == "CNT" and first(segment, 0) == _ITEM_COUNT:
            at.declared_items = read_count(reader, pos, segment)
    if at.section == "header":
        reader.problems.append(Problem("UNS", "no section control UNS+D separates the header from the goods items"))
    if at.declared_items is not None and at.declared_items != at.item + 1:
        reader.problems.append(
            Problem("CNT/C270/6066", f"says {at.declared_items} goods items, the message has {at.item + 1}")
        )
    if "type" not in reader.parsed.document:
        reader.problems.append(Problem("BGM", "the message has no BGM segment (document name and number)"))
    if reader.problems:
        raise MessageRefused(reader.problems)
    return reader.parsed


def _read_section(reader: Reader, pos: int, segment: Segment, at: _Sections) -> None:
    wanted = {"header": "D", "detail": "S"}.get(at.section)
    given = first(segment, 0)
    if given != wanted:
        expected = f"UNS+{wanted}" if wanted else "no further UNS"
        reader.problems.append(Problem(reader.where(pos, segment, "0081"), f"UNS+{given} where {expected} belongs"))
        return
    at.section = "detail" if given == "D" else "summary"


def _read_header_segment(reader: Reader, pos: int, segment: Segment, at: _Sections) -> None:
    put, where, tag = reader.parsed.put, reader.where, segment.tag
    qualifier = first(segment, 0)
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
        put(("reference",), first(segment, 1), where(pos, segment, "C106/1004"))
    elif tag == "CST":
        w = where(pos, segment, "C246/7361")
        put(("trade_mode",), reader.listed(segment, 1, _TRADE_MODE_LIST, _MUTUAL, w, "trade mode"), w)
    elif tag == "LOC":
        _read_header_location(reader, pos, segment)
    elif tag == "EQD":
        at.container += 1
        read_container(reader, pos, segment, ("containers", at.container))
    elif tag == "SEL" and at.container >= 0:
        put(("containers", at.container, "seal"), first(segment, 0), where(pos, segment, "9308"))
    elif tag == "RFF" and qualifier == "BM":
        put(("bill_of_lading",), part(segment, 0, 1), where(pos, segment, "C506/1154"))
    elif tag == "GIS":
        w = where(pos, segment, "C529/7365")
        nature = reader.listed(segment, 0, _DUTY_EXEMPTION_LIST, _MUTUAL, w, "duty-exemption nature")
        put(("duty_exemption",), nature, w)
    elif tag == "DOC":
        at.document += 1
        w = where(pos, segment, "C002/1001")
        code = reader.listed(segment, 0, _CERTIFICATE_LIST, _MUTUAL, w, "supervision certificate")
        put(("documents", at.document, "code"), code, w)
        put(("documents", at.document, "number"), first(segment, 1), where(pos, segment, "C503/1004"))
    elif tag == "TDT" and qualifier == "20":
        put(("transport_mode",), first(segment, 2), where(pos, segment, "C220/8067"))
    elif tag == "NAD":
        read_party(reader, pos, segment, ())
    elif tag == "TOD":
        put(("incoterm",), first(segment, 2), where(pos, segment, "C100/4053"))
    elif tag == "CUX":
        put(("currency",), part(segment, 0, 1), where(pos, segment, "C504/6345"))
    elif tag in ("MOA", "PCD"):
        _read_charge(reader, pos, segment)


def _read_charge(reader: Reader, pos: int, segment: Segment) -> None:
    qualifier = first(segment, 0)
    for field, (amount_qualifier, rate_qualifier) in _CHARGES.items():
        if segment.tag == "MOA" and qualifier == amount_qualifier:
            w = reader.where(pos, segment, "C516/5004")
            reader.parsed.put((field, "amount"), reader.number(part(segment, 0, 1), w), w)
            reader.parsed.put((field, "currency"), part(segment, 0, 2), reader.where(pos, segment, "C516/6345"))
        elif segment.tag == "PCD" and qualifier == rate_qualifier:
            w = reader.where(pos, segment, "C501/5482")
            reader.parsed.put((field, "rate_percent"), reader.number(part(segment, 0, 1), w), w)


def _read_header_location(reader: Reader, pos: int, segment: Segment) -> None:
    qualifier = first(segment, 0)
    where = reader.where(pos, segment, "C517/3225")
    ports = {v: k for k, v in _PORTS.items()}
    if qualifier in ports:
        reader.parsed.put((ports[qualifier],), reader.coded(segment, 1, _UNECE, where, "UN/LOCODE"), where)
    elif qualifier in _COUNTRY_QUALIFIER.values():
        reader.parsed.put(("country",), reader.coded(segment, 1, _ISO, where, "country"), where)


def _read_detail_segment(reader: Reader, pos: int, segment: Segment, at: _Sections) -> None:
    put, where, tag = reader.parsed.put, reader.where, segment.tag
    if tag == "CST":
        at.item += 1
        w = where(pos, segment, "C246/7361")
        put(("goods", at.item, "hs_code"), reader.listed(segment, 1, _HS, "", w, "commodity code"), w)
        return
    if at.item < 0:
        reader.problems.append(Problem(where(pos, segment, ""), "a goods item (group 30) must start with CST"))
        return
    qualifier = first(segment, 0)
    item: tuple[str | int, ...] = ("goods", at.item)
    if tag == "FTX" and qualifier == "AAA":
        put((*item, "description"), text(segment, 3), where(pos, segment, "C108/4440"))
    elif tag == "LOC" and qualifier == "27":
        w = where(pos, segment, "C517/3225")
        put((*item, "origin_country"), reader.coded(segment, 1, _ISO, w, "country"), w)
    elif tag == "MEA":
        _read_measurement(reader, pos, segment, item)
    elif tag == "PAC":
        _read_packages(reader, pos, segment, item)
    elif tag == "MOA" and qualifier == _ITEM_AMOUNT:
        w = where(pos, segment, "C516/5004")
        put((*item, "value"), reader.number(part(segment, 0, 1), w), w)
    elif tag == "RFF" and qualifier == "IP":
        put((*item, "licence_number"), part(segment, 0, 1), where(pos, segment, "C506/1154"))
    elif tag == "DOC" and qualifier == _ORIGIN_CERTIFICATE:
        put((*item, "origin_certificate_number"), first(segment, 1), where(pos, segment, "C503/1004"))


def _read_measurement(reader: Reader, pos: int, segment: Segment, item: tuple[str | int, ...]) -> None:
    attribute = first(segment, 1)
    unit, value = part(segment, 2, 0), part(segment, 2, 1)
    w = reader.where(pos, segment, "C174/6314")
    if attribute in _WEIGHTS:
        if unit != "KGM":
            reader.problems.append(
                Problem(reader.where(pos, segment, "C174/6411"), f"weights are in KGM, not {unit!r}")
            )
        reader.parsed.put((*item, _WEIGHTS[attribute]), reader.number(value, w), w)
    elif not attribute:
        reader.parsed.put((*item, "quantity"), reader.number(value, w), w)
        reader.parsed.put((*item, "unit"), unit, reader.where(pos, segment, "C174/6411"))


def _read_packages(reader: Reader, pos: int, segment: Segment, item: tuple[str | int, ...]) -> None:
    count = first(segment, 0)
    if count:
        w = reader.where(pos, segment, "7224")
        reader.parsed.put((*item, "package_count"), int(count) if count.isdigit() else count, w)
    if first(segment, 2):
        reader.parsed.put((*item, "package_type"), first(segment, 2), reader.where(pos, segment, "C202/7065"))


def parse_cusres(data: bytes | str) -> Parsed:
    """An agency decision (the exchange's inbound envelope) from a CUSRES interchange."""
    body, _ = message_body(data, "CUSRES")
    parsed = Parsed({"kind": "decision", "payload": {}})
    problems: list[Problem] = []
    for pos, segment in enumerate(body, start=2):
        where = f"segment {pos} {segment.tag}/"
        qualifier = first(segment, 0)
        if segment.tag == "BGM":
            parsed.put(("message_id",), first(segment, 1), where + "C106/1004")
        elif segment.tag == "DTM" and qualifier == "137":
            parsed.put(("issued_at",), _timestamp(components(segment, 0), where, problems), where + "C507/2380")
        elif segment.tag == "RFF" and qualifier == "ABT":
            parts = [*components(segment, 0), "", "", "", ""]
            parsed.put(("subject_id",), parts[1], where + "C506/1154")
            parsed.put(("revision",), int(parts[3]) if parts[3].isdigit() else parts[3], where + "C506/4000")
        elif segment.tag == "GIS":
            parsed.put(("payload", "decision"), qualifier, where + "C529/7365")
        elif segment.tag == "FTX" and qualifier == "ACD":
            parsed.put(("payload", "reason"), text(segment, 3), where + "C108/4440")
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
