"""Qualification kinds, the agency that grants each, and request and response bodies."""

import uuid
from datetime import datetime
from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from singlewindow.qualifications.models import QualificationStatus

QualificationKind = Literal[
    "customs_registration",
    "customs_broker",
    "foreign_trade_operator",
    "inspection_registration",
    "carrier_agent",
]
GRANTED_BY = MappingProxyType(
    {
        "customs_registration": "customs",
        "customs_broker": "customs",
        "foreign_trade_operator": "commerce",
        "inspection_registration": "inspection_quarantine",
        "carrier_agent": "maritime",
    }
)
NAMES = MappingProxyType(
    {
        "customs_registration": "进出口货物收发货人备案 Customs registration (consignee/consignor)",
        "customs_broker": "报关企业备案 Customs broker registration",
        "foreign_trade_operator": "对外贸易经营者备案 Foreign trade operator filing",
        "inspection_registration": "报检企业备案 Inspection registration",
        "carrier_agent": "承运人/代理人备案 Carrier or agent filing",
    }
)


class QualificationApply(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: QualificationKind


class QualificationDecision(BaseModel):
    """What the granting agency answers (inbound message kind ``qualification_decision``)."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["granted", "refused"]
    reason: Annotated[str, StringConstraints(max_length=500)] | None = None


class QualificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    party_id: uuid.UUID
    kind: str
    agency: str
    status: QualificationStatus
    reason: str | None
    applied_by: str
    decided_at: datetime | None
    created_at: datetime
