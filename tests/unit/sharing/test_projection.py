"""A projection never leaks a field the grant does not name, and keeps every one it does."""

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.cargo_strategies import declarations

from singlewindow.declarations.schemas import CargoDeclaration
from singlewindow.sharing.projection import covered, leaf_paths, project, values_at
from singlewindow.sharing.sources import CREDIT_DOCUMENT, facets, field_map, passes

_SLOW_MACHINE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
"""Generation speed is not what these tests judge (a loaded CI machine must not fail them)."""
_NAMES = st.sampled_from(["a", "b", "c", "goods", "name", "hs_code", "x1"])
_SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=5)
documents = st.dictionaries(
    _NAMES,
    st.recursive(
        _SCALARS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_NAMES, inner, max_size=4),
        max_leaves=20,
    ),
    max_size=5,
)


@st.composite
def grants(draw: st.DrawFn, document: dict[str, Any]) -> list[str]:
    """Some of the document's own paths (or their parents), and some paths it does not have."""
    own = sorted(set(leaf_paths(document)))
    chosen = draw(st.lists(st.sampled_from(own), max_size=len(own))) if own else []
    parents = [p.rsplit(".", 1)[0] for p in chosen if "." in p and draw(st.booleans())]
    made_up = draw(st.lists(st.lists(_NAMES, min_size=1, max_size=3).map(".".join), max_size=3))
    return [p for p in chosen + parents + made_up if p]


@_SLOW_MACHINE
@given(st.data(), documents)
def test_a_projection_holds_only_granted_paths(data: st.DataObject, document: dict[str, Any]) -> None:
    granted = data.draw(grants(document))
    projected = project(document, granted)
    leaked = [p for p in leaf_paths(projected) if not covered(p, granted)]
    assert leaked == []
    assert set(leaf_paths(projected)) <= set(leaf_paths(document))


@_SLOW_MACHINE
@given(st.data(), documents)
def test_a_projection_keeps_every_granted_value(data: st.DataObject, document: dict[str, Any]) -> None:
    granted = data.draw(grants(document))
    projected = project(document, granted)
    for path in granted:
        assert list(values_at(projected, path)) == list(values_at(document, path))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(declarations(), st.sets(st.sampled_from(sorted({e for _, e in field_map("cargo_declaration")}))))
def test_a_declaration_shows_only_fields_of_granted_elements(declaration: CargoDeclaration, elements: set[str]) -> None:
    document = declaration.model_dump(mode="json", exclude_none=True)
    fields = field_map("cargo_declaration")
    granted = [path for path, element in fields if element in elements]
    element_of = dict(fields)
    projected = project(document, granted)
    assert {element_of[p] for p in leaf_paths(projected)} <= elements


def test_facets_read_the_fields_of_their_elements() -> None:
    document = {
        "type": "import",
        "trade_mode": "0110",
        "port_of_loading": "DEHAM",
        "port_of_discharge": "CNSGH",
        "goods": [{"hs_code": "847130"}],
    }
    found = facets("cargo_declaration", document)
    assert {("trade_mode", "0110"), ("port", "DEHAM"), ("port", "CNSGH"), ("declaration_type", "import")} <= found
    assert passes(found, {"port": ["CNSGH", "CNNGB"], "trade_mode": ["0110"]})
    assert not passes(found, {"port": ["CNSGH"], "trade_mode": ["1210"]})
    credit = facets(CREDIT_DOCUMENT, {"uscc": "x", "name": "y", "credit_level": "general"})
    assert credit == {("document_type", CREDIT_DOCUMENT), ("credit_level", "general"), ("enterprise", "x")}
