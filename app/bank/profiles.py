"""A settlement CSV profile: how one acquirer writes its report, checked before it is used."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any

from app.bank.shipped import SHIPPED
from app.closures.problems import _

FIELDS = (
    "transaction_date",
    "store",
    "payment_method",
    "payout_reference",
    "payout_date",
    "currency",
    "type",
    "reference",
)
MONEY = ("gross", "fee", "net", "amount")
KINDS = ("sale", "refund", "fee", "payout", "other", "skip")
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{1,39}")


@dataclass(frozen=True)
class Profile:
    """A checked profile: the file's shape and where each of Kassabok's fields is."""

    name: str
    label: str
    delimiter: str = ","
    encoding: str = "utf-8"
    decimal: str = "."
    thousands: str = ""
    minor_units: bool = False
    date_format: str = "%Y-%m-%d"
    header: bool = True
    skip_lines: int = 0
    currency: str = "SEK"
    source: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # a field: a column name (or "#n")
    money: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "-Col" subtracts Col
    optional: tuple[str, ...] = ()  # fields read only when the file has their column
    types: dict[str, str] = field(default_factory=dict)  # the report's type: a kind

    def as_dict(self) -> dict[str, Any]:
        """The definition as it is stored (and as the form shows it)."""
        return {
            "label": self.label,
            "delimiter": self.delimiter,
            "encoding": self.encoding,
            "decimal": self.decimal,
            "thousands": self.thousands,
            "minor_units": self.minor_units,
            "date_format": self.date_format,
            "header": self.header,
            "skip_lines": self.skip_lines,
            "currency": self.currency,
            "source": self.source,
            "columns": dict(self.columns),
            "money": {k: list(v) for k, v in self.money.items()},
            "optional": list(self.optional),
            "types": dict(self.types),
        }


class ProfileProblems(ValueError):
    """What is wrong with a profile definition, one message per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def check_profile(name: str, data: dict[str, Any]) -> Profile:
    """A Profile from a stored or typed definition; ProfileProblems says what to fix."""
    problems: list[str] = []
    if not NAME.fullmatch(name or ""):
        problems.append(
            _("The name must be 2–40 lower-case letters, digits, - or _ (e.g. nets-se).")
        )
    delimiter = str(data.get("delimiter", ","))
    if delimiter == "\\t":
        delimiter = "\t"
    if len(delimiter) != 1 or delimiter in '"\r\n':
        problems.append(_("The delimiter must be one character, such as , ; or a tab (\\t)."))
    encoding = str(data.get("encoding", "utf-8"))
    try:
        codecs.lookup(encoding)
    except LookupError:
        problems.append(
            _("{0} is not an encoding Kassabok knows; use utf-8, cp1252 or latin-1.").format(
                encoding
            )
        )
    decimal, thousands = str(data.get("decimal", ".")), str(data.get("thousands", ""))
    if decimal not in (".", ","):
        problems.append(_("The decimal mark must be . or ,."))
    if thousands not in ("", " ", ".", ",", "'") or thousands == decimal:
        problems.append(
            _("The thousands separator must be empty, a space, . , or ' and not the decimal mark.")
        )
    date_format = str(data.get("date_format", "%Y-%m-%d"))
    if date_format != "iso" and "%" not in date_format:
        problems.append(
            _("The date format must be iso or use strftime codes, such as %Y-%m-%d or %d.%m.%Y.")
        )
    columns = {k: str(v).strip() for k, v in (data.get("columns") or {}).items() if str(v).strip()}
    money = {
        k: tuple(str(c).strip() for c in v if str(c).strip())
        for k, v in (data.get("money") or {}).items()
    }
    money = {k: v for k, v in money.items() if v}
    problems += _field_problems(columns, money, data)
    types = {str(k): str(v) for k, v in (data.get("types") or {}).items()}
    bad = sorted({v for v in types.values() if v not in KINDS})
    if bad:
        problems.append(
            _("Types map to sale, refund, fee, payout, other or skip, not {0}.").format(
                ", ".join(bad)
            )
        )
    if "amount" in money and not types:
        problems.append(_("With one amount column, say which type is a sale, a fee or a payout."))
    if problems:
        raise ProfileProblems(problems)
    return Profile(
        name=name,
        label=str(data.get("label") or name),
        delimiter=delimiter,
        encoding=encoding,
        decimal=decimal,
        thousands=thousands,
        minor_units=bool(data.get("minor_units")),
        date_format=date_format,
        header=bool(data.get("header", True)),
        skip_lines=int(data.get("skip_lines") or 0),
        currency=str(data.get("currency") or "SEK")[:3],
        source=str(data.get("source", "")),
        columns=columns,
        money=money,
        optional=tuple(str(o) for o in data.get("optional") or ()),
        types=types,
    )


def _field_problems(
    columns: dict[str, str], money: dict[str, tuple[str, ...]], data: dict[str, Any]
) -> list[str]:
    """What is missing or unknown among the fields a profile names."""
    problems = []
    unknown = sorted(set(columns) - set(FIELDS)) + sorted(set(money) - set(MONEY))
    if unknown:
        problems.append(_("Unknown fields: {0}.").format(", ".join(unknown)))
    if "transaction_date" not in columns:
        problems.append(_("Name the column that holds the transaction date."))
    if ("gross" in money) == ("amount" in money):
        problems.append(
            _("Name the gross amount column(s), or one amount column with a type column.")
        )
    if "amount" in money and "type" not in columns:
        problems.append(_("One amount column needs the type column that says what each row is."))
    if not data.get("header", True):
        named = [c for c in columns.values()] + [c.lstrip("-") for v in money.values() for c in v]
        if any(not re.fullmatch(r"#\d+", c) for c in named):
            problems.append(
                _("A file without a header row names its columns by position: #1, #2 …")
            )
    skip = data.get("skip_lines") or 0
    if not str(skip).isdigit() or int(skip) > 50:
        problems.append(_("Lines to skip before the header must be a number from 0 to 50."))
    return problems


def shipped_profiles() -> dict[str, Profile]:
    """The profiles Kassabok ships, by name (docs/bank/profiles.md says where each comes from)."""
    return {name: check_profile(name, data) for name, data in SHIPPED.items()}
