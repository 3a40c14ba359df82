"""What the statistics endpoints take and answer."""

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

GroupBy = Literal["document_type", "type", "agency", "port", "trade_mode", "country"]
Period = Literal["day", "month", "year"]
ExportFormat = Literal["json", "csv", "xlsx"]
MAX_DAYS = 3_660
"""Ten years: a longer window is a mistake more often than a question."""
MAX_DAILY_CLEARANCE_DAYS = 31
"""Clearance times per day cover a month at most: a year of them is 3,285 series of percentiles,
over 1.5 s even from the platform's summaries; longer windows go per month."""


class Window(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: date | None = Field(
        None, description="First day (in the reporting zone), inclusive; default 29 days before `until`"
    )
    until: date | None = Field(None, description="Last day (in the reporting zone), inclusive; default today")
    period: Period | None = Field(None, description="Split the figures per day, month or year")
    format: ExportFormat = Field("json", description="json, or csv / xlsx to download")


class StatisticsQuery(Window):
    group_by: GroupBy = "document_type"
    document_type: str | None = Field(None, max_length=40)
    type: str | None = Field(None, max_length=16, description="import, export, ... (the kind within the document type)")


class ClearanceQuery(Window):
    group_by: Literal["none", "agency", "port"] = "none"
    port: str | None = Field(None, max_length=40, description="UN/LOCODE of the domestic port")
    agency: str | None = Field(None, max_length=40)


class VolumeRow(BaseModel):
    period: str
    value: str
    declarations: int
    amended: int
    inspected: int
    rejected: int
    released: int
    cancelled: int


class RateRow(BaseModel):
    period: str
    value: str
    declarations: int
    inspection_rate: float | None
    rejection_rate: float | None
    amendment_rate: float | None
    release_rate: float | None


class Volumes(BaseModel):
    since: date
    until: date
    group_by: GroupBy
    period: Period | None
    rows: list[VolumeRow]


class Rates(BaseModel):
    since: date
    until: date
    group_by: GroupBy
    period: Period | None
    rows: list[RateRow]


class ClearanceRow(BaseModel):
    period: str
    interval: str
    agency: str
    port: str
    count: int
    median_seconds: float | None
    p90_seconds: float | None
    p99_seconds: float | None
    share: float | None = Field(description="For a step: its median's share of the sum of the steps' medians")
    dominant: bool = Field(description="The step with the largest median share in its period, agency and port")


class ClearanceTimes(BaseModel):
    since: date
    until: date
    group_by: Literal["none", "agency", "port"]
    period: Period | None
    relative_error: float = Field(description="Bound on a reported duration's relative error (bucket width)")
    rows: list[ClearanceRow]
