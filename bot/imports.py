"""An uploaded file through to its preview, the same for Slack and the command line: the bytes
read into rows (documents/), then previewed against the plan (governance/)."""

from __future__ import annotations

from documents.spreadsheets import read_spreadsheet
from governance.actor import Actor
from governance.database import UnitOfWork
from governance.imports.inputs import ImportFile
from governance.imports.use_cases import FindOwner, Progress, no_progress, preview_import
from governance.imports.views import ImportPreviewView

# Row notes listed in a preview; the rest are counted.
NOTES_SHOWN = 25


def preview_file(
    uow: UnitOfWork,
    actor: Actor,
    content: bytes,
    data: ImportFile,
    find_owner: FindOwner,
    *,
    keep: bool = True,
    progress: Progress = no_progress,
) -> ImportPreviewView:
    """What importing `content` (a file called `data.file_name`) would do; kept as a preview
    to apply unless `keep` is off."""
    workbook = read_spreadsheet(content, data.file_name)
    return preview_import(uow, actor, data, workbook, find_owner, keep=keep, progress=progress)
