"""The documents of a declaration: those it cites (licences, bills of lading, invoices) and those it produced.

Cited documents are read from the declared data through the document type's catalogue
definition: a field counts when its data element is a document reference, wherever it sits
(the header or every goods item). Produced documents come from the contexts that issue
them, through their services: payment orders for duties, the certificate of origin issued
on a released application.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from singlewindow.catalogue import document_types
from singlewindow.identity.permissions import allowed
from singlewindow.identity.principal import Principal
from singlewindow.origin import service as origin
from singlewindow.payments import service as payments
from singlewindow.portal.i18n import N_

REFERENCES = {
    "SW0014": N_("Bill of lading"),
    "SW0028": N_("Licence"),
    "SW0047": N_("Commercial invoice"),
    "SW0049": N_("Export declaration"),
    "SW0051": N_("VAT invoice"),
}
"""Data elements whose value is the number of another document, with what that document is."""
LINKED = {"SW0014": "/logistics?number={}", "SW0028": "/licences/{}"}
"""Where the portal shows the cited document itself (tracking of the bill, the licence and its balance)."""
ORIGIN_APPLICATION = "origin_certificate_application"


@dataclass(frozen=True, slots=True)
class Attached:
    kind: str
    """An msgid: what the document is."""
    number: str
    element: str
    where: str
    """The field that cites it (``goods[1].licence_number``)."""
    link: str | None = None
    status: str | None = None


def cited(document_type: str, data: dict[str, Any]) -> list[Attached]:
    """Each distinct document the declared data refers to, in the order of the form."""
    found: dict[tuple[str, str], Attached] = {}
    for use in document_types.fields(document_type):
        if use.element not in REFERENCES:
            continue
        for where, value in _values(data, use.path.split(".")):
            number = str(value)
            link = LINKED[use.element].format(number) if use.element in LINKED else None
            found.setdefault((use.element, number), Attached(REFERENCES[use.element], number, use.element, where, link))
    return list(found.values())


def _values(node: Any, parts: list[str], at: str = "") -> list[tuple[str, Any]]:
    if not parts:
        return [] if node in (None, "") else [(at, node)]
    if not isinstance(node, dict):
        return []
    head, rest = parts[0], parts[1:]
    name = head.removesuffix("[]")
    inside = f"{at}.{name}" if at else name
    if head.endswith("[]"):
        items = node.get(name) or []
        return [v for i, item in enumerate(items) for v in _values(item, rest, f"{inside}[{i + 1}]")]
    return _values(node.get(name), rest, inside)


async def produced(
    session: AsyncSession, principal: Principal, declaration_id: uuid.UUID, document_type: str
) -> list[Attached]:
    """Documents issued because of this declaration, as far as the principal may see them."""
    issued: list[Attached] = []
    if allowed(principal, "payment:read"):
        for order in await payments.orders_for_declaration(session, principal, declaration_id):
            link = f"/payments/{order.id}" if principal.is_enterprise else None
            issued.append(
                Attached(N_("Payment order"), order.reference, "", f"r{order.revision}", link, order.status.value)
            )
    if document_type == ORIGIN_APPLICATION and allowed(principal, "origin:read"):
        for certificate in await origin.certificates(session, principal):
            if certificate.declaration_id == declaration_id:
                link = f"/origin/verify/{certificate.number}"
                issued.append(
                    Attached(N_("Certificate of origin"), certificate.number, "", "", link, certificate.status.value)
                )
    return issued
