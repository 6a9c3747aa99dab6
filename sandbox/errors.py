"""Every error the sandbox answers, in one table; codes marked simulated are invented.

Codes not marked simulated come from Fortnox's errors page, integrators' support pages
(FORTNOX.md §3 and §8) or answers recorded from production (sandbox/reference/recorded.json).
Clients must key on HTTP status and ErrorInformation, never on codes.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import Response

from sandbox import jsonio


class ErrorKind(NamedTuple):
    """One row of the table: HTTP status, code, Swedish message, whether the code is invented."""

    status: int
    code: int
    message: str
    simulated: bool


E = ErrorKind
ERRORS: dict[str, ErrorKind] = {
    "system": E(500, 1000003, "System exception", False),
    "unavailable": E(503, 1000003, "Tjänsten är tillfälligt otillgänglig.", True),
    "missing_scope": E(403, 2001101, "Det finns ingen aktiv licens för önskat scope", False),
    "rate_limited": E(
        429, 2009001, "För många anrop. Max {count} anrop per {window} sekunder.", True
    ),
    "bad_json": E(400, 2002115, "Error deserializing JSON: JSON_ERROR_SYNTAX", False),
    "no_data": E(400, 2001392, "Ingen eller felaktig typ av data.", False),
    "bad_field": E(400, 2001399, "Felaktigt fältnamn ({value})", False),
    "bad_parameter": E(400, 2000588, "Ogiltig parameter i anropet. ({value})", False),
    "not_numeric": E(400, 2000108, "Värdet måste vara numeriskt ({value})", False),
    "not_boolean": E(400, 2000134, "Värdet måste vara en boolean ({value})", False),
    "required": E(400, 2009002, "Fältet {value} är obligatoriskt.", True),
    "bad_date": E(400, 2009003, "Ogiltigt datum ({value})", True),
    "not_found": E(404, 2009004, "Kan inte hitta {value}.", True),
    # 404s recorded from production (customers/invoices/orders find_failure)
    "customer_not_found": E(404, 2000433, "Kan inte hitta kunden.", False),
    "invoice_not_found": E(404, 2000434, "Kan inte hitta fakturan.", False),
    "order_not_found": E(404, 2000439, "Kan inte hitta ordern.", False),
    "bad_filter": E(400, 2000587, "Ett ogiltigt filter har använts.", False),
    "method": E(405, 2009005, "Metoden stöds inte för resursen.", True),
    # vouchers
    "unbalanced": E(
        400, 2009101, "Verifikationen är inte i balans (debet {debit}, kredit {credit}).", True
    ),
    "no_rows": E(400, 2009102, "Verifikationen saknar rader.", True),
    "row_amount": E(
        400, 2009103, "Felaktigt belopp på rad {row}: ange antingen debet eller kredit.", True
    ),
    "account_missing": E(400, 2001304, "Kunde inte hitta konto ({value})", False),
    "account_inactive": E(400, 2000947, "Kontot {value} är inte aktivt.", False),
    "costcenter_missing": E(400, 2009104, "Kunde inte hitta kostnadsställe ({value})", True),
    "costcenter_inactive": E(400, 2000947, "Kostnadsstället {value} är inte aktivt.", False),
    "costcenter_required": E(400, 2000946, "Konto {value} kräver kostnadsställe.", False),
    "costcenter_not_allowed": E(400, 2009105, "Konto {value} tillåter inte kostnadsställe.", True),
    "series_missing": E(400, 2009106, "Verifikationsserien {value} finns inte.", True),
    "series_not_manual": E(
        400, 2009107, "Verifikationsserien {value} tillåter inte manuell registrering.", True
    ),
    "no_financial_year": E(400, 2009108, "Räkenskapsår saknas för datumet {value}.", True),
    "locked_period": E(400, 2000401, "Datumet {value} ligger i en låst period.", False),
    "year_mismatch": E(400, 2009109, "Datumet {value} ligger utanför valt räkenskapsår.", True),
    "year_overlap": E(400, 2009110, "Räkenskapsåret överlappar ett befintligt år.", True),
    # registers
    "account_exists": E(400, 2009201, "Kontot {value} finns redan.", True),
    "account_range": E(
        400, 2009202, "Kontonummer måste vara mellan 1000 och 9999 ({value}).", True
    ),
    "costcenter_exists": E(400, 2009203, "Kostnadsstället {value} finns redan.", True),
    "series_exists": E(400, 2009204, "Verifikationsserien {value} finns redan.", True),
    "customer_used": E(400, 2000637, "Kundnummer {value} används redan.", False),
    "customer_missing": E(400, 2009205, "Kunde inte hitta kund ({value})", True),
    "bad_enum": E(400, 2009206, "Ogiltigt värde för {value}.", True),
    "too_long": E(400, 2009207, "Fältet {value} får vara högst {max} tecken.", True),
    # invoices and orders
    "vat_missing": E(400, 2009301, "Kunde inte hitta moms ({value})", True),
    "document_booked": E(400, 2009302, "Dokumentet är bokfört och kan inte ändras.", True),
    "document_cancelled": E(400, 2009303, "Dokumentet är makulerat.", True),
    "order_invoiced": E(400, 2009304, "Ordern är redan fakturerad.", True),
    # files: inbox, archive, voucher file connections
    "bad_content_type": E(400, 1000031, "Invalid content type", False),
    "file_connected": E(400, 2009401, "Filen {value} är redan kopplad till en verifikation.", True),
}


class ApiError(Exception):
    """Raised anywhere in a request; answered as Fortnox's ErrorInformation."""

    def __init__(self, kind: str, **values: object) -> None:
        super().__init__(kind)
        self.kind = kind
        self.values = values

    @property
    def row(self) -> ErrorKind:
        """The table row of this error."""
        return ERRORS[self.kind]

    def response(self) -> Response:
        """The HTTP answer."""
        return error_response(self.kind, **self.values)


def error_response(kind: str, headers: dict[str, str] | None = None, **values: object) -> Response:
    """Fortnox's error body for one row of the table (a 404 in PascalCase, as recorded)."""
    row = ERRORS[kind]
    message = row.message.format_map(_Lenient(values))
    keys = ("Error", "Message", "Code") if row.status == 404 else ("error", "message", "code")
    body = {"ErrorInformation": dict(zip(keys, (1, message, row.code), strict=True))}
    return jsonio.respond(body, row.status, headers)


def unauthorized() -> Response:
    """An unknown or expired bearer token: 401 {"message": "unauthorized"}, as recorded."""
    return jsonio.respond({"message": "unauthorized"}, 401)


class _Lenient(dict):
    """format_map mapping that leaves unknown placeholders empty."""

    def __missing__(self, key: str) -> str:
        return ""
