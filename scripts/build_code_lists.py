"""Derive the code-list package data of the catalogue from the shared reference data.

Run by hand when a source is updated (never at run time, never in tests), then
review the diff of ``src/singlewindow/catalogue/data/`` like any other change:

    .venv/bin/python scripts/build_code_lists.py [--source ../shared/data]

The output is deterministic (sorted rows, gzip without a timestamp), so an unchanged
source gives an empty diff. The hand-transcribed lists (transport modes, Incoterms,
trade modes, regulatory conditions, HS conditions) are not generated: the script only
checks them, so that a typo in them fails here rather than in a declaration.
"""

import argparse
import csv
import gettext
import gzip
import importlib.metadata
import io
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import iso4217
import pycountry

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "src" / "singlewindow" / "catalogue" / "data"
DEFAULT_SOURCE = REPO.parent / "shared" / "data"

VOCAB_CODES = "uncefact/vocab-codes afbf662"
VOCAB_LOCODE = "uncefact/vocab-locode e845bd9"
HS_SOURCE = "datasets/harmonized-system 905e5a0"
HS_CONDITIONS = "hs-regulatory-conditions.csv"

Row = tuple[str, ...]
Meta = dict[str, str]

CURATED: dict[str, Meta] = {
    "transport_mode": {
        "file": "transport-mode.csv",
        "version": "UN/ECE Recommendation 19 (2001)",
        "source": "UN/ECE Recommendation 19, Codes for modes of transport",
    },
    "incoterm": {
        "file": "incoterm.csv",
        "version": "Incoterms 2020",
        "source": "ICC Incoterms 2020 rule codes",
    },
    "trade_mode": {
        "file": "trade-mode.csv",
        "version": "China Customs 监管方式代码 (subset)",
        "source": "China Customs supervision mode code table, transcribed subset",
    },
    "regulatory_condition": {
        "file": "regulatory-condition.csv",
        "version": "China Customs 监管证件代码表 (32 codes, 1 to b)",
        "source": "China Customs supervision certificate codes, transcribed from the published code table",
    },
    "duty_exemption": {
        "file": "duty-exemption-nature.csv",
        "version": "China Customs 征免性质代码表 (as published 2010-02-01)",
        "source": "China Customs duty-exemption nature codes, transcribed from the published code table",
    },
    "vessel_movement": {
        "file": "vessel-movement.csv",
        "version": "Single Window 2026.2",
        "source": "Defined by this project: arrival or departure of a vessel (FAL Form 1 covers both)",
    },
    "dangerous_goods_class": {
        "file": "dangerous-goods-class.csv",
        "version": "UN Model Regulations Rev. 23, Part 2",
        "source": "UN Recommendations on the Transport of Dangerous Goods, Model Regulations: classes and divisions"
        " (the same in the IMDG Code, ADR and the IATA DGR); Chinese names as in GB 6944-2012",
    },
    "packing_group": {
        "file": "packing-group.csv",
        "version": "UN Model Regulations Rev. 23, 2.0.1.3",
        "source": "UN Recommendations on the Transport of Dangerous Goods, Model Regulations 2.0.1.3: packing groups",
    },
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_text(path: Path, text: str) -> None:
    """Gzip without a timestamp so that rebuilding unchanged data changes no byte."""
    data = text.encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data, compresslevel=9, mtime=0)
    path.write_bytes(data)


def write_csv(path: Path, header: Row, rows: list[Row]) -> int:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    write_text(path, buffer.getvalue())
    return len(rows)


def write_tsv(path: Path, header: Row, rows: list[Row]) -> int:
    write_text(path, "".join("\t".join(row) + "\n" for row in [header, *rows]))
    return len(rows)


def tidy(*fields: str) -> Row:
    """Sources pad some names ("Carton "), which would make exact comparisons miss."""
    return tuple(field.strip() for field in fields)


def unique(rows: Iterable[Row]) -> Iterator[Row]:
    """Keep a code's first row: later ones repeat it under another group or name."""
    seen: set[str] = set()
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            yield row


def chinese(domain: str) -> Callable[[str], str]:
    """gettext falls back to the English text; an empty name says "untranslated"."""
    zh_cn = gettext.translation(domain, pycountry.LOCALES_DIR, languages=["zh_CN"])

    def translate(name_en: str) -> str:
        name_zh = zh_cn.gettext(name_en)
        return "" if name_zh == name_en else name_zh

    return translate


def countries() -> list[Row]:
    zh = chinese("iso3166-1")
    return sorted((c.alpha_2, c.name, zh(c.name)) for c in pycountry.countries)


def currencies() -> list[Row]:
    """ISO 4217 List One as shipped by ``iso4217``, which holds current codes only."""
    zh = chinese("iso4217")
    rows = []
    for currency in iso4217.Currency:
        known = pycountry.currencies.get(alpha_3=currency.code)
        name_zh = zh(known.name) if known else ""
        rows.append((currency.code, currency.currency_name, name_zh))
    return sorted(rows)


ANNEX_2_3 = REPO / "scripts" / "sources" / "rec20-annex-2-3.csv"


def units(source: Path) -> list[Row]:
    """Rec 20 Annexes I, II and III without deprecated ('D') and deleted ('X') codes.

    Annex I holds the SI-style units; the units of count traders declare most (H87 piece,
    PR pair, SET, DZN dozen, NAR articles) are in Annexes II and III, a file kept in
    scripts/sources/ because ../shared/data has Annex I only. '¦' marks a changed entry.
    """
    annex_1 = read_csv(source / "uncefact" / "rec20-units.csv")
    annex_2_3 = read_csv(ANNEX_2_3)
    current = [tidy(r["Common Code"], r["Name"]) for r in annex_1 if not r["Status"]]
    current += [tidy(r["CommonCode"], r["Name"]) for r in annex_2_3 if r["Status"] in ("", "¦")]
    return list(unique(current))


def packs(source: Path) -> list[Row]:
    """Rec 21 without deleted ('X') codes; '¦' marks a changed code, still current."""
    rows = read_csv(source / "uncefact" / "rec21-package-types.csv")
    current = (tidy(r["Code"], r["Name"]) for r in rows if r["Status"] != "X")
    return list(unique(current))


def hs(source: Path) -> list[Row]:
    """Chapters, headings and subheadings; the source's "TOTAL" row is no code."""
    rows = read_csv(source / "hs" / "harmonized-system.csv")
    kept = (r for r in rows if r["level"] in {"2", "4", "6"})
    return [tidy(r["hscode"], r["level"], r["description"]) for r in kept]


def locodes(source: Path) -> list[Row]:
    """One row per five-character code, without country rows, references and deletions.

    Country header rows and '=' reference rows have no location code. Both 'X' and the
    stray lowercase 'x' carry "Use ..." remarks and status XX, so both mean deletion. A
    code listed twice is one place under two names (Brussel/Bruxelles): the first stays.
    """
    rows: list[Row] = []
    for path in sorted((source / "unlocode" / "locodes").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for change, country, location, name, *rest in csv.reader(handle):
                if location and change.upper() != "X":
                    rows.append(tidy(country + location, name, rest[2]))
    return sorted(unique(rows))


def check_curated() -> dict[str, set[str]]:
    codes: dict[str, set[str]] = {}
    for name, meta in CURATED.items():
        rows = read_csv(OUT / meta["file"])
        listed = [row["code"] for row in rows]
        if len(set(listed)) != len(listed) or not all(r["name_en"] for r in rows):
            raise SystemExit(f"{meta['file']}: duplicate codes or empty names")
        codes[name] = set(listed)
    return codes


def check_hs_conditions(conditions: set[str], hs_codes: set[str]) -> None:
    for row in read_csv(OUT / HS_CONDITIONS):
        prefix, wanted = row["hs_prefix"], set(row["conditions"])
        if prefix not in hs_codes:
            raise SystemExit(f"{HS_CONDITIONS}: {prefix} is not an HS2022 code")
        if not wanted or wanted - conditions:
            raise SystemExit(f"{HS_CONDITIONS}: {prefix} has unknown conditions")


def derived(source: Path, hs_rows: list[Row]) -> dict[str, tuple[Meta, int]]:
    """Write each derived list; returns its manifest entry and its number of rows."""
    names = ("code", "name_en", "name_zh")
    pycountry_version = importlib.metadata.version("pycountry")
    iso4217_edition = f"{iso4217.__published__} (iso4217 {iso4217.__version__})"
    meta: dict[str, Meta] = {
        "country": {
            "file": "country.csv",
            "version": f"ISO 3166-1 (pycountry {pycountry_version})",
            "source": "ISO 3166-1 alpha-2 via pycountry, Chinese from its zh_CN locale",
        },
        "currency": {
            "file": "currency.csv",
            "version": f"ISO 4217 List One {iso4217_edition}",
            "source": "ISO 4217 via iso4217, Chinese from pycountry's zh_CN locale",
        },
        "unit": {
            "file": "unit.csv",
            "version": f"UN/ECE Recommendation 20 Annex I ({VOCAB_CODES})",
            "source": "UN/CEFACT Recommendation 20, units of measure",
        },
        "package_type": {
            "file": "package-type.csv",
            "version": f"UN/ECE Recommendation 21 ({VOCAB_CODES})",
            "source": "UN/CEFACT Recommendation 21, types of cargo and packages",
        },
        "locode": {
            "file": "locode.tsv.gz",
            "version": f"UN/LOCODE ({VOCAB_LOCODE})",
            "source": "UN/LOCODE (UNECE) via github.com/uncefact/vocab-locode",
        },
        "hs": {
            "file": "hs.csv.gz",
            "version": "HS2022",
            "source": f"WCO Harmonized System as published by UN Comtrade, {HS_SOURCE}",
        },
    }
    locode_header = ("code", "name", "function")
    counts = {
        "country": write_csv(OUT / "country.csv", names, countries()),
        "currency": write_csv(OUT / "currency.csv", names, currencies()),
        "unit": write_csv(OUT / "unit.csv", names[:2], units(source)),
        "package_type": write_csv(OUT / "package-type.csv", names[:2], packs(source)),
        "locode": write_tsv(OUT / "locode.tsv.gz", locode_header, locodes(source)),
        "hs": write_csv(OUT / "hs.csv.gz", ("code", "level", "name_en"), hs_rows),
    }
    return {name: (meta[name], counts[name]) for name in meta}


def build(source: Path) -> None:
    hs_rows = hs(source)
    lists = derived(source, hs_rows)
    curated_codes = check_curated()
    hs_codes = {row[0] for row in hs_rows}
    check_hs_conditions(curated_codes["regulatory_condition"], hs_codes)
    manifest = {name: meta for name, (meta, _) in lists.items()} | CURATED
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    write_text(OUT / "manifest.json", text)
    for name, (meta, count) in lists.items():
        print(f"{name:<14} {count:>7} rows -> {meta['file']}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Derive the code-list package data.")
    parser.add_argument(
        "--source",
        type=Path,
        default=DEFAULT_SOURCE,
        help="the shared reference data folder (default: ../shared/data)",
    )
    build(parser.parse_args().source)


if __name__ == "__main__":
    main()
