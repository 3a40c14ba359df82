"""Documented examples for certificates of origin and export tax refunds; tests change one thing to make their point."""

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from singlewindow.origin.schemas import CertificateContent
from support.documents import EXAMPLES

EXPORT = EXAMPLES / "export-declaration.json"
ORIGIN_APPLICATION = EXAMPLES / "origin-certificate-application.json"


def export_declaration(**changes: Any) -> dict[str, Any]:
    """Laptops, Li-ion batteries and aluminium plates from Shanghai to Laem Chabang."""
    document: dict[str, Any] = json.loads(EXPORT.read_text(encoding="utf-8"))
    document.update(changes)
    return document


def origin_application(**changes: Any) -> dict[str, Any]:
    """An RCEP certificate of origin application for the laptops and batteries of that export."""
    document: dict[str, Any] = json.loads(ORIGIN_APPLICATION.read_text(encoding="utf-8"))
    document.update(changes)
    return document


def certificate_content(**changes: Any) -> CertificateContent:
    """The signed content a certificate for ``origin_application()`` carries."""
    issued = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    application = origin_application()
    document: dict[str, Any] = {
        "number": "CN-RCEP-2026-000001",
        "issued_at": issued,
        "valid_until": issued + timedelta(days=365),
        "issuer": {"country": "CN", "code": "customs", "name": "General Administration of Customs"},
        "agreement": "RCEP",
        "exporting_country": "CN",
        "importing_country": "TH",
        "exporter": {"name": application["exporter"]["name"], "country": "CN", "identifier": "91310000MA1FL8TQ36"},
        "consignee": {"name": application["consignee"]["name"], "country": "TH"},
        "transport": {"mode": "1", "port_of_loading": "CNSGH", "port_of_discharge": "THLCH"},
        "invoice": {"number": application["invoice_number"], "date": application["invoice_date"]},
        "goods": [
            {
                **{k: item[k] for k in ("hs_code", "description", "quantity", "unit", "gross_weight_kg", "value")},
                "origin_criterion": item["origin_criterion"],
                "seq": seq,
            }
            for seq, item in enumerate(copy.deepcopy(application["goods"]), start=1)
        ],
    }
    document.update(changes)
    return CertificateContent.model_validate(document)
