"""Write docs/formats.md: every worked example in it is produced by the code it documents.

    .venv/bin/python scripts/generate_format_docs.py          # rewrite the document
    .venv/bin/python scripts/generate_format_docs.py --check  # exit 1 if it is out of date

tests/unit/formats/test_docs.py runs the check, so a change to a format that is not
reflected in the document fails the suite.
"""

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from singlewindow.catalogue import document_types
from singlewindow.catalogue.agency_requirements import derive, requirements
from singlewindow.declarations.schemas import CargoDeclaration
from singlewindow.formats import cuscar, document_xml, edifact, outbound, wco, xml
from singlewindow.formats.parsed import validate
from singlewindow.formats.responses import wco_mapping

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "docs" / "formats.md"
EXAMPLE = REPO / "docs" / "examples" / "import-declaration.json"
WCO_EXAMPLE = REPO / "tests" / "data" / "xml" / "wco-dm-import-cn.xml"
MANIFEST_EXAMPLE = REPO / "tests" / "data" / "documents" / "cargo_manifest.json"
PREPARED = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
DECLARATION_ID = "01943a4e-5f00-7000-8000-000000000001"

EDIFACT_MAPPING = """\
| canonical field | CUSDEC D.96B segment / element | where in the message |
| --- | --- | --- |
| `type` | `BGM` C002/1001 | header; 929 goods declaration for importation, 830 for exportation |
| `reference` | `BGM` C106/1004 | header; BGM 1225 is 9 (original), 5 (amendment) or 1 (withdrawal) |
| `trade_mode` | `CST` C246/7361, list (1131) `TRM`, agency (3055) `ZZZ` | header CST: China Customs supervision mode |
| `port_of_loading` / `port_of_discharge` | `LOC+9` / `LOC+11` C517/3225, agency 6 | header; UN/LOCODE |
| `country` | `LOC+35` (import, dispatch) / `LOC+28` (export, destination), agency 5 | header; ISO 3166 |
| `duty_exemption` | `GIS` C529/7365, list `DEN`, agency `ZZZ` | header; China Customs 征免性质 |
| `containers[]` | `EQD+CN` C237/8260, C224/8155 (list 102, agency 5); `SEL` 9308 | header; ISO 6346 |
| — | `RFF+ABT` C506/1154, 4000 | segment group 1; outbound only: the platform's declaration id and revision |
| `bill_of_lading` | `RFF+BM` C506/1154 | segment group 1 |
| `documents[]` | `DOC` C002/1001 (list `SCC`, agency `ZZZ`), C503/1004 | header; one per 随附单证 |
| `transport_mode` | `TDT+20` C220/8067 | segment group 4; UN/ECE Rec 19 |
| `consignor` / `consignee` | `NAD+CZ` / `NAD+CN`: C082/3039 (USCC, agency ZZZ), C080, C059, 3207 | segment group 6 |
| `incoterm` | `TOD+6` C100/4053 | segment group 7; Incoterms 2020 |
| `currency` | `MOA+39` (invoice total, if every item has one), `CUX+2` C504/6345 | groups 8–9; ISO 4217 |
| `freight` / `insurance`: total | `MOA+64` / `MOA+157` C516/5004, C516/6345 | groups 8–9; UNCL 5025 |
| `freight` / `insurance`: rate | `PCD+ZFR` / `PCD+ZIN` C501/5482 | groups 8–9; qualifiers of this project |
| — | `UNS+D` | section control: the goods items follow |
| `goods[]`, `goods[].hs_code` | `CST` 1496 (item number), C246/7361, 1131 `HS` | segment group 30, one per item |
| `goods[].description` | `FTX+AAA` C108/4440 | group 30 |
| `goods[].origin_country` | `LOC+27` C517/3225, agency 5 | group 30 |
| `goods[].gross_weight_kg` / `net_weight_kg` | `MEA+AAE+G` / `MEA+AAE+AAL` C174 (KGM) | group 30 |
| `goods[].quantity`, `unit` | `MEA+AAE` with no 6313, C174/6411 unit (Rec 20), 6314 value | group 30 |
| `goods[].package_count`, `package_type` | `PAC` 7224, C202/7065 | segment group 31; Rec 21 |
| `goods[].value` | `MOA+38` C516/5004 | segment group 33; in the `CUX` currency |
| `goods[].licence_number` | `RFF+IP` C506/1154 | segment group 35 |
| `goods[].origin_certificate_number` | `DOC+861` C503/1004 | group 30; UNCL 1001 861 certificate of origin |
| — | `UNS+S`, `CNT+5` C270/6066 | summary: number of goods items, checked on receipt |
"""

CUSCAR_MAPPING = """\
| canonical field | CUSCAR segment / element |
| --- | --- |
| `voyage_number` | `BGM+85` C106/1004 and `TDT+20` 8028 |
| `transport_mode` | `TDT+20` C220/8067 |
| `imo_number`, `vessel_name` | `TDT+20` C222/8213 (agency 11, Lloyd's Register), C222/8212 |
| `port_of_loading` / `port_of_discharge` | `LOC+9` / `LOC+11` C517/3225, agency 6 |
| `consignments[]`, `bill_of_lading` | `CNI` 1490 (sequence), C503/1004 |
| `consignments[].consignor` / `consignee` | `NAD+CZ` / `NAD+CN`, as in CUSDEC |
| `consignments[].containers[]` | `EQD+CN`, `SEL` |
| `consignments[].goods[]`, `package_count`, `package_type` | `GID` 1496, C213/7224, 7065 |
| `consignments[].goods[].hs_code` | `PIA+5` C212/7140 with 7143 `HS` |
| `consignments[].goods[].description` | `FTX+AAA` C108/4440 |
| `consignments[].goods[].gross_weight_kg` | `MEA+AAE+G` C174 (KGM) |
| — | `CNT+5` C270/6066: number of consignments, checked on receipt |
"""

NO_EDIFACT = {
    "vessel_declaration": "CUSREP (customs conveyance report) is the UN message for it; the platform does not build "
    "CUSREP, so a requirement row for it may ask for json or xml only",
    "licence_application": "no UN/EDIFACT message in D.96B is an application to a licensing authority",
    "origin_certificate_application": "D.96B has no certificate-of-origin application message; origin data "
    "travel as e-CO XML (docs/origin.md)",
    "export_tax_refund_application": "no UN/EDIFACT message covers a tax refund application",
}


def _canonical() -> dict[str, Any]:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return CargoDeclaration.model_validate(document).model_dump(mode="json", exclude_none=True)


def _cusres() -> str:
    response = {
        "message_id": "CUS-20260105-000042",
        "issued_at": PREPARED.isoformat(),
        "subject_id": DECLARATION_ID,
        "revision": 1,
        "payload": {"decision": "inspect", "reason": "Random selection for physical inspection"},
    }
    return edifact.build_cusres(response, edifact.Envelope("CUSTOMS", "SINGLEWINDOW", "42", PREPARED))


def _agency_message(document: dict[str, Any]) -> bytes:
    envelope = {
        "message_id": "01943a4e-5f00-7000-8000-000000000002",
        "kind": "declaration",
        "subject_id": DECLARATION_ID,
        "revision": 1,
        "payload": {
            "document_type": "cargo_declaration",
            "routing_rule": "sea-cargo",
            "declarant": {"name": "上海示范进出口有限公司", "uscc": "91310000MA1FL8TQ36"},
            "declaration": derive("cargo_declaration", "maritime", document),
        },
    }
    return xml.build_message(envelope)


def _manifest() -> dict[str, Any]:
    document = json.loads(MANIFEST_EXAMPLE.read_text(encoding="utf-8"))
    return document_types.validate("cargo_manifest", document)


def _formats_table() -> str:
    rows = [
        "| document type | formats | UN/EDIFACT | formats its requirement rows name now |",
        "| --- | --- | --- | --- |",
    ]
    for code, document_type in document_types.document_types().items():
        named = sorted({str(rule.get("format", "json")) for rule in requirements().get(code, {}).values()})
        message = document_type.edifact_message
        why = f"{message} (D.96B)" if message else f"none: {NO_EDIFACT[code]}"
        rows.append(f"| `{code}` | {', '.join(outbound.formats_of(code))} | {why} | {', '.join(named)} |")
    return "\n".join(rows)


def _wco_table() -> str:
    table = wco.mapping()
    rows = [
        "| canonical field | catalogue element | WCO DM id | XPath (relative to `Declaration`, `d:` = DEC-DMS:2) |",
        "| --- | --- | --- | --- |",
        f"| `type` | SW0001 | | `{table['type_code']['xpath']}` (IM… import, EX… export) |",
    ]
    by_kind = {kind: wco.targets(kind) for kind in table["header_by_kind"]}
    shared = [t for t in by_kind["import"]["header"] if t in by_kind["export"]["header"]]
    rows += [_wco_row(f"`{t.field}`", t, "") for t in shared]
    for kind, mapped in by_kind.items():
        rows += [_wco_row(f"`{t.field}` ({kind})", t, "") for t in mapped["header"] if t not in shared]
    for kind, parties in table["parties"].items():
        rows += [f"| `{party}` ({kind}) | | | `{xpath}` |" for party, xpath in parties.items()]
    mapped = by_kind["import"]
    rows += [_wco_row(f"party `{t.field}`", t, "") for t in mapped["party"]]
    for group in wco.GROUPS:
        context = table[group]["context"]
        rows += [_wco_row(f"`{group}[].{t.field}`", t, f"{context}/") for t in mapped[group]]
    for charge in wco.CHARGES:
        context = table["charges"][charge]["context"]
        rows += [_wco_row(f"`{charge}.{t.field}`", t, f"{context}/") for t in mapped[charge]]
    return "\n".join(rows)


def _wco_row(field: str, target: wco.Target, context: str) -> str:
    return f"| {field} | {target.element} | {target.wco_id or ''} | `{context}{target.xpath}` |"


def render() -> str:
    document = _canonical()
    manifest = _manifest()
    envelope = edifact.Envelope("DEMOTRADER", "SINGLEWINDOW", "1", PREPARED)
    cusdec = edifact.build_cusdec(document, envelope)
    own_xml = xml.build_declaration(document).decode()
    wco_text = WCO_EXAMPLE.read_text(encoding="utf-8")
    from_wco = validate(wco.parse_declaration(WCO_EXAMPLE.read_bytes()), CargoDeclaration)
    decisions = wco_mapping()["decisions"]
    return f"""# Formats: one declaration, in JSON, XML and UN/EDIFACT

<!-- Generated by scripts/generate_format_docs.py from the code; do not edit by hand. -->

The platform keeps one canonical declaration (`CargoDeclaration`, canonical JSON). Every
other format is a mapping onto it, in `src/singlewindow/formats/`:

| direction | format | content type | where |
| --- | --- | --- | --- |
| in | canonical JSON | `application/json` | `POST /api/v1/declarations` |
| in | UN/EDIFACT CUSDEC, D.96B or later | `application/EDIFACT` | `POST /api/v1/declarations` |
| in | the project's XML (`{xml.NAMESPACE}`) | `application/xml` | `POST /api/v1/declarations` |
| in | WCO Data Model 3.x declaration (`{wco.NAMESPACE}`) | `application/xml` | `POST /api/v1/declarations` |
| in | UN/EDIFACT CUSRES (agency decision) | `application/EDIFACT` | `POST /api/v1/exchange/inbound/formatted` |
| in | WCO DM 3.x response (`{wco_mapping()["namespace"]}`) | `application/xml` | the same `…/inbound/formatted` |
| out | canonical JSON envelope | `application/json` | agency requirement `"format": "json"` |
| out | the project's XML `Message` of the document type | `application/xml` | `"format": "xml"` |
| out | UN/EDIFACT CUSDEC or CUSCAR (D.96B) | `application/EDIFACT` | `"format": "edifact"` |

## Which format an agency receives

The agency requirement row (`src/singlewindow/catalogue/data/agency_requirements.json`,
per document type and agency) names the format; the message written to the outbox carries
it (`payload.format`) with the agency's view, and the counterparty's `http` adapter renders
it on the way out (`src/singlewindow/formats/outbound.py`). The counterparty row chooses
only the transport and the endpoint (`json-http` is the former name of `http`). Editing the
row — its fields or its format — changes that agency's next message:
`tests/integration/formats/test_agency_formats.py` does exactly that. A row that asks for
EDIFACT for a type with no UN/EDIFACT form is refused by `singlewindow catalogue import`.

{_formats_table()}

Whatever the format, the decoded declaration is validated by the same `CargoDeclaration`
model and deployment rules as JSON. A refusal is a 422 `application/problem+json` whose
`errors[].loc` points into the message itself — `segment 15 CUX/C504/6345` or
`/Declaration/GoodsShipment/Importer/ID` — and whose `errors[].field` is the canonical JSON
path. A code from another country's list (a code list agency other than the one this
single window uses, a national tariff number typed `TSP` instead of `HS`, a UK procedure code
where a Chinese supervision mode is due) is refused the same way, with type
`foreign_code_list` or the catalogue's own message. Malformed input of any kind — truncated
interchanges, binary noise, XML bombs — gets the same kind of answer, never a 500:
`tests/unit/formats/test_fuzz.py` checks this with hypothesis.

XML is parsed with `resolve_entities=False`, `no_network=True`, `load_dtd=False` and
`huge_tree=False` (entities are never expanded), and a document carrying a DOCTYPE is refused.

From the command line, `SW_API_KEY=<trader key> singlewindow declarations submit FILE`
(`.json`, `.xml`, `.edi`) posts the file to the API as that trader: the command holds no more
authority than the key, which it reads from the environment and never from an argument.

## Canonical JSON

`docs/examples/import-declaration.json`, as the platform stores it:

```json
{json.dumps(document, ensure_ascii=False, indent=2)}
```

## UN/EDIFACT CUSDEC (D.96B)

Built with pydifact, syntax level UNOW (UTF-8, syntax version 4) so that Chinese names pass
unchanged; text longer than one 35-character component continues in the next components.
The message follows the D.96B CUSDEC structure: the header section (BGM, CST, LOC, EQD/SEL,
then segment groups 1 RFF, 4 TDT, 6 NAD, 7 TOD, 8–9 MOA/CUX), `UNS+D`, one segment group 30
opened by `CST` per goods item, `UNS+S` and `CNT`. Reading it back checks the section
controls and the item count, and refuses a code from another list (a commodity code whose
1131 is not `HS`, a location whose 3055 is not the expected agency) with type
`foreign_code_list`. The same declaration (line breaks added after each segment terminator
for reading):

```
{cusdec.replace("'", "'" + chr(10)).strip()}
```

Segment mapping:

{EDIFACT_MAPPING}
## The project's XML

Validated against `src/singlewindow/formats/data/cargo-declaration.xsd` on the way in and on
the way out; one element per canonical field, same names, lists wrapped
(`containers/container`, `goods/item`):

```xml
{own_xml.strip()}
```

What an agency whose requirement row says `"format": "xml"` receives — here maritime, whose
view (from `catalogue/data/agency_requirements.json`) has no values, currency or parties:

```xml
{_agency_message(document).decode().strip()}
```

## The project's XML for the other document types

Each data-defined document type has its own namespace (`urn:singlewindow:<type>:1`) and an
XSD generated from the catalogue, shipped in `src/singlewindow/formats/data/xsd/`
(`python -m singlewindow.formats.document_xml` rewrites them; a test fails when a shipped
file differs). Repeating groups wrap one `item` per entry. The cargo manifest of
`tests/data/documents/cargo_manifest.json`:

```xml
{document_xml.build_document("cargo_manifest", manifest).decode().strip()}
```

## UN/EDIFACT CUSCAR (D.96B): the cargo manifest

The same manifest as a customs cargo report:

```
{cuscar.build_cuscar(manifest, envelope).replace("'", "'" + chr(10)).strip()}
```

{CUSCAR_MAPPING}
## WCO Data Model 3.x declarations

The mapping is data (`src/singlewindow/formats/data/wco-dec-dms.json`). Each XPath is keyed by
the data element it fills: by the WCO DM id the catalogue (`catalogue/data/elements.csv`) records
for that element, or by the catalogue id where the element has no WCO id; the canonical field is
the one the model declares for that element. Moving a WCO id to another element in the catalogue
moves the value with it; a key no element (or the model) has is refused as a mapping error.
The table below is resolved from the catalogue as it is now:

{_wco_table()}

Example (`tests/data/xml/wco-dm-import-cn.xml`):

```xml
{wco_text.strip()}
```

becomes the canonical declaration with reference `{from_wco.reference}`, consignee
`{from_wco.consignee.name}` and goods `{", ".join(g.hs_code for g in from_wco.goods)}`.

## Agency responses: CUSRES and WCO DM

A decision as CUSRES (`GIS` C529/7365 carries `release`, `inspect`, `reject`,
`inspection_passed` or `inspection_failed`; `RFF+ABT` the declaration id and revision;
`DTM+137` format 204 the UTC time of the decision; `FTX+ACD` the reason):

```
{_cusres().replace("'", "'" + chr(10)).strip()}
```

A WCO DM response carries the decision in `Response/FunctionCode`, mapped by
`src/singlewindow/formats/data/wco-res-dms.json`: {", ".join(f"`{k}` → {v}" for k, v in decisions.items())}.
Either is deduplicated on its message id (BGM 1004 or `Response/ID`) and applied exactly like
a JSON envelope on `/api/v1/exchange/inbound`.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if docs/formats.md is out of date")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run scripts/generate_format_docs.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
