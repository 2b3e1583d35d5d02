"""Validated inputs for imports: which plan, what the file holds, and which preview."""

from __future__ import annotations

from pydantic import Field, field_validator

from governance.imports.columns import Kind
from governance.imports.models import FILE_NAME_MAX
from governance.inputs import Input
from governance.parsing.references import format_ref, parse_ref


class ImportFile(Input):
    """`plan import`: a file of actions or risks, and the sheet to read (else the first table)."""

    plan_id: int | None = None
    kind: Kind = "actions"
    file_name: str = Field(min_length=1, max_length=FILE_NAME_MAX)
    sheet: str | None = Field(None, max_length=100)


class ImportRef(Input):
    """A preview `U-<n>`, to import or cancel."""

    plan_id: int | None = None
    ref: str

    @field_validator("ref")
    @classmethod
    def _ref(cls, value: str) -> str:
        return format_ref("U", parse_ref(value, "U"))

    @property
    def number(self) -> int:
        return parse_ref(self.ref, "U")
