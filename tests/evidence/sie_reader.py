"""An SIE 4 reader for the tests, written apart from Kassabok's writer to check what it wrote.

It follows the SIE 4B file format (SIE-Gruppen): one record a line; fields split on blanks and
tabs; a field in double quotes may hold blanks, with \\" for a quote; an object list in braces;
a #VER's #TRANS lines between "{" and "}"; #FORMAT PC8 is code page 437. Every #VER must balance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


class SieError(ValueError):
    """The file breaks a rule of the format."""


@dataclass
class Trans:
    account: str
    objects: tuple[tuple[str, str], ...]
    amount: Decimal
    day: date | None = None
    text: str = ""


@dataclass
class Ver:
    series: str
    number: str
    day: date
    text: str
    trans: list[Trans] = field(default_factory=list)


@dataclass
class Sie:
    labels: dict[str, list[list]] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    objects: dict[tuple[str, str], str] = field(default_factory=dict)
    vouchers: list[Ver] = field(default_factory=list)

    def first(self, label: str) -> list:
        """The fields of the first record with label."""
        return self.labels[label][0]


def fields(line: str) -> list:
    """A record's fields: plain text, quoted text (as str) and object lists (as lists)."""
    out: list = []
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c in " \t":
            i += 1
        elif c == '"':
            i, text = _quoted(line, i + 1)
            out.append(text)
        elif c == "{":
            depth, j, inside = 1, i + 1, False
            while j < n and depth:
                if line[j] == "\\" and inside:
                    j += 2
                    continue
                if line[j] == '"':
                    inside = not inside
                elif not inside and line[j] in "{}":
                    depth += 1 if line[j] == "{" else -1
                j += 1
            if depth:
                raise SieError(f"unclosed object list: {line!r}")
            out.append(fields(line[i + 1 : j - 1]))
            i = j
        else:
            j = i
            while j < n and line[j] not in " \t":
                j += 1
            out.append(line[i:j])
            i = j
    return out


def _quoted(line: str, i: int) -> tuple[int, str]:
    chars = []
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line):
            chars.append(line[i + 1])
            i += 2
        elif line[i] == '"':
            return i + 1, "".join(chars)
        else:
            chars.append(line[i])
            i += 1
    raise SieError(f"unclosed quote: {line!r}")


def _date(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def read(data: bytes) -> Sie:
    """Read an SIE 4 file's records, accounts, objects and balanced vouchers."""
    text = data.decode("cp437")
    sie, open_ver, in_block = Sie(), None, False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line == "{":
            if open_ver is None or in_block:
                raise SieError(f"line {number}: a block without its #VER")
            in_block = True
            continue
        if line == "}":
            if not in_block:
                raise SieError(f"line {number}: a block closed that was not open")
            total = sum((t.amount for t in open_ver.trans), Decimal(0))
            if total != 0:
                raise SieError(f"#VER {open_ver.series} {open_ver.number} sums to {total}")
            sie.vouchers.append(open_ver)
            open_ver, in_block = None, False
            continue
        label, *rest = fields(line)
        if not label.startswith("#"):
            raise SieError(f"line {number}: not a record: {raw!r}")
        if label == "#TRANS":
            if not in_block:
                raise SieError(f"line {number}: #TRANS outside a #VER")
            objects = rest[1] if isinstance(rest[1], list) else []
            pairs = tuple(zip(objects[::2], objects[1::2], strict=True))
            when = _date(rest[3]) if len(rest) > 3 and rest[3] else None
            text_ = rest[4] if len(rest) > 4 else ""
            open_ver.trans.append(Trans(rest[0], pairs, Decimal(rest[2]), when, text_))
            continue
        if in_block:
            continue  # #RTRANS, #BTRANS: not what this reader checks
        sie.labels.setdefault(label, []).append(rest)
        if label == "#VER":
            open_ver = Ver(rest[0], rest[1], _date(rest[2]), rest[3] if len(rest) > 3 else "")
        elif label == "#KONTO":
            sie.accounts[rest[0]] = rest[1]
        elif label == "#OBJEKT":
            sie.objects[rest[0], rest[1]] = rest[2]
    if in_block or open_ver is not None:
        raise SieError("the file ends inside a #VER")
    return sie
