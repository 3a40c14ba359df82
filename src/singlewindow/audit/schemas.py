"""What an auditor reads back from a verification."""

from pydantic import BaseModel


class VerificationOut(BaseModel):
    intact: bool
    sealed: int
    unsealed: int
    problems: list[str]
