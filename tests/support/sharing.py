"""Data classes and helpers the sharing tests share."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

API = "/api/v1/sharing"
RELEASED_CARGO: dict[str, Any] = {
    "code": "customs.released-cargo",
    "name_zh": "已放行进出口货物报关单",
    "name_en": "Released import and export cargo declarations",
    "description": "Every cargo declaration once all agencies have released it.",
    "source": "released_declarations",
    "document_types": ["cargo_declaration"],
    "elements": ["SW0001", "SW0003", "SW0007", "SW0010", "SW0018", "SW0024"],
}
CREDIT: dict[str, Any] = {
    "code": "customs.credit-levels",
    "name_zh": "企业信用等级",
    "name_en": "Enterprise credit levels",
    "source": "enterprise_credit",
    "elements": ["SW0006", "SW0003", "SW0054"],
}


def tomorrow() -> str:
    return (datetime.now(UTC) + timedelta(days=1)).isoformat()


Share = Callable[..., Awaitable[dict[str, Any]]]
CONTAINER_EVENTS: dict[str, Any] = {
    "code": "maritime.container-events",
    "name_zh": "集装箱作业事件",
    "name_en": "Container events",
    "description": "What terminals report of each container: discharge, gate-in, gate-out, loading, departure.",
    "source": "container_events",
    "elements": ["SW0015", "SW0079", "SW0080", "SW0034", "SW0014", "SW0030", "SW0031"],
}
RISK_FINDINGS: dict[str, Any] = {
    "code": "customs.risk-findings",
    "name_zh": "企业风险处置记录",
    "name_en": "Enterprise risk findings",
    "description": "Customs' inspections, rejections and inspection results, with the finding, per enterprise.",
    "source": "risk_findings",
    "elements": ["SW0006", "SW0003", "SW0082", "SW0083", "SW0080"],
}
