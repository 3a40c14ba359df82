"""Webhook bodies."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$", max_length=500)]


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url
    secret: Annotated[str, StringConstraints(min_length=16, max_length=100)] | None = None


class WebhookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    url: str
    active: bool
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str
