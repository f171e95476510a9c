"""Reading an uploaded CSV file: encoding, separator, column names, and the
spellings of sectors and yes/no we accept. The import workflow is in importing.py."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from backbone.spreadsheets import CsvFileError, cell_unescape, csv_table

from .models import ImportKind, Sector

MAX_BYTES = 5 * 1024 * 1024

COLUMNS = {
    ImportKind.CONTACTS: [
        "first_name",
        "last_name",
        "email",
        "phone",
        "partner",
        "sector",
        "lived_experience",
        "tags",
        "consent",
        "notes",
    ],
    ImportKind.PARTNERS: ["name", "sector", "website", "notes"],
}
REQUIRED = {ImportKind.CONTACTS: ["first_name", "sector"], ImportKind.PARTNERS: ["name", "sector"]}
ALIASES = {
    "e_mail": "email",
    "email_address": "email",
    "first": "first_name",
    "firstname": "first_name",
    "given_name": "first_name",
    "last": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "family_name": "last_name",
    "organization": "partner",
    "organisation": "partner",
    "works_at": "partner",
    "lived_experience_yes_no": "lived_experience",
    "email_consent": "consent",
    "partner_name": "name",
}
YES = {"yes", "y", "true", "1", "oui", "x"}
NO = {"no", "n", "false", "0", "non", ""}

SECTOR_WORDS = {value: value for value in Sector.values}
SECTOR_WORDS.update({str(label).lower(): value for value, label in Sector.choices})
SECTOR_WORDS.update(
    {
        "nonprofit": Sector.NON_PROFIT,
        "non-profit": Sector.NON_PROFIT,
        "non profit": Sector.NON_PROFIT,
        "charity": Sector.NON_PROFIT,
        "community group": Sector.COMMUNITY,
        "community": Sector.COMMUNITY,
        "lived experience": Sector.COMMUNITY,
        "community member": Sector.COMMUNITY,
        "school": Sector.EDUCATION,
        "municipal": Sector.GOVERNMENT,
        "private": Sector.BUSINESS,
        "foundation": Sector.FUNDER,
    }
)


class ImportFileError(Exception):
    """The whole file can't be read; the message says why and what to do."""


@dataclass
class ParsedFile:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, values)


def header_key(name: str) -> str:
    key = name.strip().strip('"').lower().replace("-", "_").replace(" ", "_").replace("/", "_")
    return ALIASES.get(key, key)


def csv_read(raw: bytes, kind: str) -> ParsedFile:
    """Decode and split the upload, or raise ImportFileError saying what is wrong."""
    if not raw.strip():
        raise ImportFileError(_("The file is empty."))
    if len(raw) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB. Split it into smaller files."))
    if raw[:4] == b"PK\x03\x04" or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _(
                "This is a spreadsheet file, not CSV. In your spreadsheet, choose "
                "“Save as” → “CSV UTF-8”, then upload that file."
            )
        )
    if b"\x00" in raw[:4096]:
        raise ImportFileError(_("This is not a CSV text file. Upload a .csv file."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            _(
                "The file is not UTF-8 text (first unreadable character on line %(line)s). "
                "Save it as “CSV UTF-8” and upload it again."
            )
            % {"line": line}
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        table = csv_table(text, delimiter=delimiter)
    except CsvFileError as exc:
        raise ImportFileError(str(exc)) from None
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [header_key(name) for name in table[0]]
    known = COLUMNS[kind]
    unknown = [
        raw_name for raw_name, key in zip(table[0], header, strict=True) if key not in known and key
    ]
    if unknown:
        raise ImportFileError(
            _("Unknown column(s): %(unknown)s. The columns we read are: %(known)s.")
            % {"unknown": ", ".join(f"“{u}”" for u in unknown), "known": ", ".join(known)}
        )
    missing = [name for name in REQUIRED[kind] if name not in header]
    if missing:
        raise ImportFileError(
            _(
                "Missing column(s): %(missing)s. The first line must name the columns, e.g. %(known)s."
            )
            % {"missing": ", ".join(missing), "known": ", ".join(known)}
        )
    duplicated = {key for key in header if key and header.count(key) > 1}
    if duplicated:
        raise ImportFileError(
            _("Column(s) named twice: %(names)s.") % {"names": ", ".join(sorted(duplicated))}
        )
    rows = []
    for index, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = dict.fromkeys(known, "")
        for key, cell in zip(header, cells, strict=False):
            if key:
                values[key] = cell_unescape(cell)
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            values["__extra__"] = "1"
        rows.append((index, values))
    if not rows:
        raise ImportFileError(_("The file has column names but no rows."))
    return ParsedFile(columns=header, rows=rows)


def cell_error(line: int, column: str, message: str) -> str:
    return _("Row %(row)s, column “%(column)s”: %(message)s") % {
        "row": line,
        "column": column,
        "message": message,
    }


def yes_no(value: str) -> bool | None:
    word = value.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    return None
