"""Hypothesis strategies for valid canonical cargo declarations, for the formats' round-trip tests."""

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from singlewindow.catalogue.check_digits import iso6346_problem
from singlewindow.catalogue.code_lists import code_lists
from singlewindow.declarations.schemas import CargoDeclaration
from support.documents import import_declaration

_CHARACTERS = st.characters(
    blacklist_categories=("Cs", "Cc", "Cn", "Co"), blacklist_characters="\ufeff"
) | st.sampled_from("?+:'&<>\"中文报关单")


def text(max_size: int) -> st.SearchStrategy[str]:
    return st.text(_CHARACTERS, min_size=1, max_size=max_size).map(str.strip).filter(bool)


def amounts(digits: int, places: int) -> st.SearchStrategy[Decimal]:
    top = Decimal(10) ** (digits - places) - 1
    return st.decimals(min_value=0, max_value=top, places=places, allow_nan=False, allow_infinity=False)


def _container_number(serial: int) -> str:
    stem = f"CSQU{serial:06d}"
    return next(stem + str(d) for d in range(10) if iso6346_problem(stem + str(d)) is None)


@st.composite
def goods_items(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    item = dict(base)
    item["description"] = draw(text(255))
    item["quantity"] = draw(amounts(14, 4))
    gross = draw(amounts(14, 4))
    item["gross_weight_kg"], item["net_weight_kg"] = gross, draw(amounts(14, 4).filter(lambda n: n <= gross))
    item["value"] = draw(amounts(14, 2))
    for optional in ("package_count", "package_type"):
        if draw(st.booleans()):
            item.pop(optional, None)
    if draw(st.booleans()):
        item["licence_number"] = draw(text(35))
    if draw(st.booleans()):
        item["origin_certificate_number"] = draw(text(40))
    return item


@st.composite
def charges(draw: st.DrawFn) -> dict[str, Any]:
    """Freight or insurance as the declaration states it: a total in a currency, or a rate."""
    if draw(st.booleans()):
        return {"amount": draw(amounts(14, 2)), "currency": draw(st.sampled_from(["CNY", "EUR", "USD"]))}
    return {"rate_percent": draw(amounts(6, 4))}


@st.composite
def declarations(draw: st.DrawFn) -> CargoDeclaration:
    document = import_declaration()
    document["reference"] = draw(text(35))
    document["consignor"] = {**document["consignor"], "name": draw(text(200)), "address": draw(text(300))}
    if draw(st.booleans()):
        document["consignor"].pop("address")
    document["consignee"] = {**document["consignee"], "name": draw(text(200))}
    document["bill_of_lading"] = draw(text(35))
    serials = draw(st.lists(st.integers(0, 999_999), max_size=4, unique=True))
    document["containers"] = [
        {"number": _container_number(s), "size_type": "45G1", **({"seal": str(s)} if s % 2 else {})} for s in serials
    ]
    if draw(st.booleans()):
        document["duty_exemption"] = draw(st.sampled_from([e.code for e in code_lists().get("duty_exemption")]))
    for charge in ("freight", "insurance"):
        if draw(st.booleans()):
            document[charge] = draw(charges())
    certificates = [e.code for e in code_lists().get("regulatory_condition")]
    document["documents"] = draw(
        st.lists(st.fixed_dictionaries({"code": st.sampled_from(certificates), "number": text(35)}), max_size=3)
    )
    bases = document["goods"]
    document["goods"] = draw(st.lists(st.sampled_from(bases).flatmap(goods_items), min_size=1, max_size=6))
    return CargoDeclaration.model_validate(document)
