"""XML read safely (defusedxml: no DOCTYPE, entities or external references), lines kept.

Problems are English, as the API answers them; pages translate them through the `problem` filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser

from app.closures.problems import _


@dataclass(frozen=True)
class FileProblem:
    """What is wrong with a received file: where (an element path, a row), its line, what to fix."""

    where: str
    line: int | None
    message: str

    def as_dict(self) -> dict[str, object]:
        """The problem as the API answers it and the file keeps it."""
        return {"where": self.where, "line": self.line, "message": self.message}


class FileRefused(Exception):
    """The file cannot be read; its problems say what and where."""

    def __init__(self, *problems: FileProblem) -> None:
        super().__init__(problems[0].message)
        self.problems = list(problems)


class Lined(Element):
    """An element that remembers the line its start tag is on."""

    line: int = 0


class _Builder(TreeBuilder):
    """A tree builder that writes the parser's current line on each element it starts."""

    def __init__(self) -> None:
        super().__init__(element_factory=Lined)
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:  # type: ignore[override]
        element = super().start(tag, attrs)
        if self.parser is not None:
            element.line = self.parser.parser.CurrentLineNumber  # type: ignore[attr-defined]
        return element


def read_xml(raw: bytes) -> Lined:
    """The document's root element, or FileRefused naming what is wrong and on which line."""
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(raw)
        root = parser.close()
    except DTDForbidden:
        line = parser.parser.CurrentLineNumber
        msg = _(
            "The file declares a DOCTYPE (a DTD), which a camt.053 statement never has and "
            "Kassabok does not read, as it can carry entity attacks; send the bank's file as it "
            "came, without a DOCTYPE."
        )
        raise FileRefused(FileProblem("DOCTYPE", line, msg)) from None
    except (EntitiesForbidden, DefusedXmlException):
        line = parser.parser.CurrentLineNumber
        msg = _("The file declares XML entities or external references, which are refused.")
        raise FileRefused(FileProblem("ENTITY", line, msg)) from None
    except ParseError as error:
        line, column = getattr(error, "position", (None, None))
        reason = str(error).split(":")[0]
        msg = _("The file is not well-formed XML ({0}) at line {1}, column {2}.")
        raise FileRefused(FileProblem("", line, msg.format(reason, line, column))) from None
    return root  # type: ignore[return-value]
