"""Summary tables: counters, one milestones row per declaration, and duration histograms.

Statistics never read the declarations table: every platform page sums a few thousand
summary rows. The summaries are platform-wide; an enterprise's own figures are grouped from
its milestones rows (``own``), since per-enterprise rows would barely add up, except the
figures of its busy months, which are rolled up (``rollups``).
Counters and histograms are written by ``INSERT ... ON CONFLICT DO UPDATE`` in the
transaction that published the event, so they are exactly as current as the declarations.
Both tables hold each figure twice, at two grains: per day (``grain`` "d") and per month
("m", ``day`` is the month's first day). A year is read from twelve monthly rows and the
days of the partial months at its ends, so no page sums more than about two months of
daily rows. Counter keys also carry a ``shard`` (from the declaration id), so concurrent
submissions do not all queue on one row lock; queries sum over shards.
"""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from singlewindow.kit.db import Base

_Count = BigInteger().with_variant(Integer(), "sqlite")

ALL = "*"
"""The value of a rolled-up dimension (every port, every agency)."""


COUNT_KEY = ("dimension", "grain", "day", "document_type", "type", "value", "shard")
DURATION_KEY = ("port", "agency", "grain", "day", "interval", "bucket")
ENTERPRISE_COUNT_KEY = ("party_id", "grain", "day", "dimension", "document_type", "type", "value")
ENTERPRISE_DURATION_KEY = ("party_id", "month", "port", "agency", "interval", "bucket")
DAY, MONTH = "d", "m"


class Measures:
    """The six measures of a counter row (``timeline.MEASURES``), after its key."""

    declarations: Mapped[int] = mapped_column(_Count, default=0)
    amended: Mapped[int] = mapped_column(_Count, default=0)
    inspected: Mapped[int] = mapped_column(_Count, default=0)
    rejected: Mapped[int] = mapped_column(_Count, default=0)
    released: Mapped[int] = mapped_column(_Count, default=0)
    cancelled: Mapped[int] = mapped_column(_Count, default=0)


class Count(Measures, Base):
    """Declarations of one day, document type and type, under one value of one dimension."""

    __tablename__ = "analytics_counts"

    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    grain: Mapped[str] = mapped_column(String(1), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    document_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    type: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(40), primary_key=True)
    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True)


class Milestones(Base):
    """What analytics knows of one declaration: the facts it is counted under and when each step happened.

    A row may exist before the declaration does (an arrival recorded by logistics first);
    the facts arrive with the submission.
    """

    __tablename__ = "analytics_milestones"
    __table_args__ = (Index("ix_analytics_milestones_party_day", "party_id", "day"),)

    declaration_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    party_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    document_type: Mapped[str | None] = mapped_column(String(40), default=None)
    type: Mapped[str | None] = mapped_column(String(16), default=None)
    day: Mapped[date | None] = mapped_column(Date, default=None)
    port: Mapped[str | None] = mapped_column(String(40), default=None)
    trade_mode: Mapped[str | None] = mapped_column(String(40), default=None)
    country: Mapped[str | None] = mapped_column(String(40), default=None)
    arrival_at: Mapped[datetime | None] = mapped_column(default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    """When the last routed agency gave its first decision."""
    payment_at: Mapped[datetime | None] = mapped_column(default=None)
    released_at: Mapped[datetime | None] = mapped_column(default=None)
    gate_out_at: Mapped[datetime | None] = mapped_column(default=None)
    agencies: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Per routed agency: its first decision time and the measures already counted for it."""
    counted: Mapped[list[Any]] = mapped_column(default=list)
    """Measures already counted for the declaration, so a second inspection is not a second one."""


class Duration(Base):
    """How many intervals of one kind fell into one log-spaced bucket, per day, agency and port."""

    __tablename__ = "analytics_durations"

    port: Mapped[str] = mapped_column(String(40), primary_key=True)
    agency: Mapped[str] = mapped_column(String(40), primary_key=True)
    grain: Mapped[str] = mapped_column(String(1), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    interval: Mapped[str] = mapped_column(String(32), primary_key=True)
    bucket: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    count: Mapped[int] = mapped_column(_Count, default=0)


class EnterpriseMonth(Base):
    """A month of one enterprise whose counters and histograms are rolled up and kept current."""

    __tablename__ = "analytics_enterprise_months"

    party_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    """The month's first day."""
    declarations: Mapped[int] = mapped_column(_Count)
    """How many it held when rolled up: why it was worth it."""
    rolled_up_at: Mapped[datetime]


class EnterpriseCount(Measures, Base):
    """One enterprise's declarations of a day or month of a rolled-up month, under one value of one dimension."""

    __tablename__ = "analytics_enterprise_counts"

    party_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    grain: Mapped[str] = mapped_column(String(1), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    document_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    type: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(40), primary_key=True)


class EnterpriseDuration(Base):
    """How many of one enterprise's intervals of one kind fell into one bucket in a rolled-up month."""

    __tablename__ = "analytics_enterprise_durations"

    party_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    port: Mapped[str] = mapped_column(String(40), primary_key=True)
    agency: Mapped[str] = mapped_column(String(40), primary_key=True)
    interval: Mapped[str] = mapped_column(String(32), primary_key=True)
    bucket: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    count: Mapped[int] = mapped_column(_Count, default=0)
