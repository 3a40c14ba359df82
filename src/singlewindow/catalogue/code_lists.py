"""The code lists that data elements take their values from.

Every list is a snapshot shipped as package data (see ``data/README.md``), never
fetched or read from outside the package, so a declaration validates the same way
offline, in tests and in production until the snapshot is deliberately rebuilt with
``scripts/build_code_lists.py``.
"""

import csv
import gzip
import io
import json
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable

_DATA = files("singlewindow.catalogue") / "data"
_HS_CONDITIONS_FILE = "hs-regulatory-conditions.csv"
_LAZY = frozenset({"locode", "hs"})
_HS_CODE_LENGTHS = frozenset({6, 8, 10})
_NAME_SEPARATOR = "\x00"


@dataclass(frozen=True, slots=True)
class CodeEntry:
    code: str
    name_en: str
    name_zh: str | None = None


_SearchRow = tuple[str, str, CodeEntry]


@dataclass(frozen=True, slots=True)
class _Spec:
    name: str
    file: str
    version: str
    source: str


class CodeList:
    """One code list; it carries its version so a rejection can name the edition."""

    def __init__(
        self,
        name: str,
        version: str,
        source: str,
        entries: Mapping[str, CodeEntry],
    ) -> None:
        self.name = name
        self.version = version
        self.source = source
        self._entries = entries
        self._search_rows: list[_SearchRow] | None = None

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._entries

    def get(self, code: str) -> CodeEntry | None:
        return self._entries.get(code)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[CodeEntry]:
        return iter(self._entries.values())

    def __repr__(self) -> str:
        return f"<CodeList {self.name} ({self.version}), {len(self)} codes>"

    def search(self, text: str, limit: int = 20) -> list[CodeEntry]:
        """Code-prefix matches first: typing "DE" means Germany before Bangladesh."""
        needle = text.strip().casefold()
        if not needle or limit <= 0:
            return []
        by_code: list[CodeEntry] = []
        by_name: list[CodeEntry] = []
        for code, names, entry in self._search_index():
            if code.startswith(needle):
                by_code.append(entry)
                if len(by_code) == limit:
                    break
            elif needle in names:
                by_name.append(entry)
        return (by_code + by_name)[:limit]

    def _search_index(self) -> list[_SearchRow]:
        """Built on the first search, so that lists nobody searches cost no memory."""
        if self._search_rows is None:
            entries = self._entries.values()
            self._search_rows = [(e.code.casefold(), _folded(e), e) for e in entries]
        return self._search_rows


class CodeLists:
    """All code lists, plus the lookups that combine a list with other package data."""

    def __init__(self, specs: Iterable[_Spec], conditions: dict[str, frozenset[str]]):
        self._specs = {spec.name: spec for spec in specs}
        self._conditions = conditions
        self.hs_conditions = lru_cache(maxsize=65536)(self._hs_conditions)
        """Memoised: routing asks for every goods item under every rule (bounded, as codes come from clients)."""
        self._loaded: dict[str, CodeList] = {}
        self._locodes = _LocodeRows("")
        self._lock = threading.Lock()
        for name in self._specs.keys() - _LAZY:
            self.get(name)

    def get(self, name: str) -> CodeList:
        loaded = self._loaded.get(name)
        if loaded is not None:
            return loaded
        spec = self._specs.get(name)
        if spec is None:
            known = ", ".join(self.names())
            raise KeyError(f"no code list named {name!r}; the code lists are: {known}")
        with self._lock:
            if name not in self._loaded:
                self._loaded[name] = self._load(spec)
            return self._loaded[name]

    def names(self) -> list[str]:
        return list(self._specs)

    def _hs_conditions(self, hs_code: str) -> frozenset[str]:
        """A union over prefixes: a condition on a chapter binds every code in it."""
        found: set[str] = set()
        for end in range(1, len(hs_code) + 1):
            found |= self._conditions.get(hs_code[:end], frozenset())
        return frozenset(found)

    def is_hs_subheading(self, hs_code: str) -> bool:
        """National tariff lines (8 or 10 digits) pass when their HS2022 root exists."""
        digits = hs_code.isascii() and hs_code.isdigit()
        if not digits or len(hs_code) not in _HS_CODE_LENGTHS:
            return False
        return hs_code[:6] in self.get("hs")

    def locode_function(self, locode: str) -> str | None:
        """The UN/LOCODE function classifier, e.g. "1-3-----" (seaport, road terminal).

        The code alone does not tell a seaport from an airport; this string does.
        """
        self.get("locode")  # replaces the empty placeholder in self._locodes
        return self._locodes.function(locode)

    def _load(self, spec: _Spec) -> CodeList:
        text = _text(_DATA / spec.file)
        entries: Mapping[str, CodeEntry]
        if spec.name == "locode":
            entries = self._locodes = _LocodeRows(text)
        else:
            entries = {entry.code: entry for entry in map(_entry, _read_csv(text))}
        return CodeList(spec.name, spec.version, spec.source, entries)


class _LocodeRows(Mapping[str, CodeEntry]):
    """UN/LOCODE rows kept as text until one is asked for.

    Most uses are membership checks; building all 116k entries up front would triple the
    load time. Every row is "CCLLL<tab>name<tab>function", the code always 5 characters.
    """

    def __init__(self, text: str) -> None:
        self._rows = {line[:5]: line[6:] for line in text.splitlines()[1:]}

    def __getitem__(self, code: str) -> CodeEntry:
        name, _, _ = self._rows[code].rpartition("\t")
        return CodeEntry(code, name)

    def __contains__(self, code: object) -> bool:
        return code in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def function(self, code: str) -> str | None:
        row = self._rows.get(code)
        return None if row is None else row.rpartition("\t")[2]


@cache
def code_lists() -> CodeLists:
    """Loaded once per process; locode and hs wait for their first use."""
    manifest: dict[str, dict[str, str]] = json.loads(_text(_DATA / "manifest.json"))
    specs = [_Spec(name=name, **item) for name, item in manifest.items()]
    return CodeLists(specs, _read_hs_conditions(_DATA / _HS_CONDITIONS_FILE))


def _folded(entry: CodeEntry) -> str:
    return f"{entry.name_en}{_NAME_SEPARATOR}{entry.name_zh or ''}".casefold()


def _text(resource: Traversable) -> str:
    data = resource.read_bytes()
    if resource.name.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8")


def _read_csv(text: str) -> Iterator[dict[str, str]]:
    return csv.DictReader(io.StringIO(text))


def _entry(row: dict[str, str]) -> CodeEntry:
    return CodeEntry(row["code"], row["name_en"], row.get("name_zh") or None)


def _read_hs_conditions(resource: Traversable) -> dict[str, frozenset[str]]:
    rows = _read_csv(_text(resource))
    return {row["hs_prefix"]: frozenset(row["conditions"]) for row in rows}
