"""Swedish texts of the PDF report; `python -m app.reports.translations.catalog` rebuilds them."""

from __future__ import annotations

SV = {
    "matched": "avstämd",
    "pending": "väntar",
    "held": "parkerad",
    "failed": "misslyckad",
    "mismatch": "avvikelse",
    "missing": "saknas",
    "duplicate": "dubblett",
    "superseded": "ersatt",
    "closure received": "dagsavslut mottaget",
    "closures uploaded": "dagsavslut uppladdade",
    "payload refused": "data avvisad",
    "refused payload resolved": "avvisad data åtgärdad",
    "put on hold": "parkerad",
    "retry scheduled": "nytt försök schemalagt",
    "posting failed": "bokföring misslyckades",
    "retried": "nytt försök gjort",
    "approved": "godkänd",
    "note added": "kommentar tillagd",
    "voucher posted": "verifikation bokförd",
    "invoice posted": "faktura skapad",
    "order posted": "order skapad",
    "reversal posted": "vändningsverifikation bokförd",
    "superseded document cancelled": "ersatt dokument makulerat",
    "superseded document already bookkept": "ersatt dokument redan bokfört",
    "bookkept document left to be credited by hand": (
        "bokfört dokument lämnat att krediteras för hand"
    ),
    "correction requested": "rättelse begärd",
    "nothing to book": "inget att bokföra",
    "marked reviewed": "markerad som granskad",
    "Z-report attached to the voucher": "Z-rapport kopplad till verifikationen",
    "bank statement imported": "kontoutdrag importerat",
    "bank statement refused": "kontoutdrag avvisat",
    "settlement report imported": "avräkning importerad",
    "settlement report refused": "avräkning avvisad",
    "settlement profile saved": "avräkningsformat sparat",
    "fee voucher posted": "avgiftsverifikation bokförd",
    "fee voucher put on hold": "avgiftsverifikation parkerad",
    "fee voucher retry scheduled": "nytt försök med avgiftsverifikation schemalagt",
    "fee voucher failed": "avgiftsverifikation misslyckades",
    "fee voucher retried": "nytt försök med avgiftsverifikation gjort",
    "fees changed after their voucher was posted": (
        "avgifter ändrade efter att verifikationen bokförts"
    ),
    "matched by hand": "matchad för hand",
    "match undone by hand": "matchning ångrad för hand",
    "hand match forgotten": "handmatchning borttagen",
    "clearing late-after days saved": "antal bankdagar till sen avstämning sparat",
    "clearing alias added": "avstämningsalias tillagt",
    "clearing alias removed": "avstämningsalias borttaget",
    "mapping saved": "kontering sparad",
    "store-day reviewed": "butiksdag granskad",
    "Fortnox connected": "Fortnox anslutet",
    "Fortnox disconnected": "Fortnox frånkopplat",
    "Fortnox connection lost": "Fortnox-anslutningen bruten",
    "Fortnox consent denied": "Fortnox-medgivande nekat",
    "Fortnox authorization link created": "Fortnox-auktoriseringslänk skapad",
    "Fortnox company with another organisation number confirmed": (
        "Fortnox-företag med annat organisationsnummer bekräftat"
    ),
    "Fortnox token encryption keys rotated": "krypteringsnycklar för Fortnox-token bytta",
    # E: the create-cost-center fix (issue 15.14)
    "cost center created in Fortnox": "kostnadsställe skapat i Fortnox",
    "Fortnox web address kept for links": "Fortnox webbadress sparad för länkar",
    "Z-chain break explained": "brott i Z-kedjan förklarat",
    "SIE 4 file downloaded": "SIE 4-fil hämtad",
    "company created": "företag skapat",
    "member added": "användare tillagd",
    "member changed": "användare ändrad",
    "member removed": "användare borttagen",
    "store created": "butik skapad",
    "store changed": "butik ändrad",
    "stores imported": "butiker importerade",
    "API token created": "API-nyckel skapad",
    "API token revoked": "API-nyckel spärrad",
    "Reviewed": "Granskad",
    "settings changed": "inställningar ändrade",
    "report ordered": "rapport beställd",
    "report built": "rapport skapad",
    "report downloaded": "rapport nedladdad",
    "report file deleted (retention)": "rapportfil raderad (gallring)",
    "Audit report": "Revisionsrapport",
    "Organisation number": "Organisationsnummer",
    "Period": "Period",
    "Stores": "Butiker",
    "All stores": "Alla butiker",
    "Ordered by": "Beställd av",
    "Ordered at": "Beställd",
    "SHA-256 of the data covered": "SHA-256 för underlaget",
    "The fingerprint is computed over every closure revision in the period and stores (closure "
    "id, revision, payload hash, state, status, voucher and reversal references), the "
    "reconciliation's store-day totals, the Z-chain's breaks with their explanations and the VAT "
    "tie-outs of the period's months and the clearing accounts' roll-forwards and unsettled "
    "items. It changes when any of them changes, and only then; who "
    "ordered the report and when do not enter it.": (
        "Fingeravtrycket beräknas över varje revision av dagsavsluten i perioden och butikerna "
        "(avslutets id, revision, hash av innehållet, tillstånd, status, verifikation och "
        "vändningsverifikation), avstämningens summor per butiksdag, brotten i Z-kedjan med sina "
        "förklaringar och momsavstämningarna för periodens månader samt clearingkontonas "
        "avstämning och ej reglerade poster. Det ändras när något av dem "
        "ändras, och bara då; vem som beställde rapporten och när ingår inte."
    ),
    "Audit trail hash chain verified intact, with the company's %(n)s events.": (
        "Granskningsloggens hashkedja kontrollerad och obruten, med företagets %(n)s händelser."
    ),
    "link to the previous event broken": "länken till föregående händelse är bruten",
    "content altered after it was written": "innehållet ändrat efter att det skrevs",
    "Audit trail hash chain BROKEN at event %(id)s: %(problem)s.": (
        "Granskningsloggens hashkedja är BRUTEN vid händelse %(id)s: %(problem)s."
    ),
    "Contents": "Innehåll",
    "Summary": "Sammanfattning",
    "Closures per store and day": "Dagsavslut per butik och dag",
    "Exceptions and their resolution": "Avvikelser och hur de åtgärdades",
    "Mapping versions in force": "Gällande konteringsversioner",
    "Audit trail of the period": "Periodens granskningslogg",
    "Reason": "Orsak",
    "Resolution": "Åtgärd",
    "now matched": "nu avstämd",
    "resolved by Kassabok's automatic retries; now matched": (
        "löst av Kassaboks automatiska nya försök; nu avstämd"
    ),
    "open": "öppen",
    "When": "När",
    "Who": "Vem",
    "What": "Vad",
    "Detail": "Detaljer",
    "No exceptions: every closure revision in the period was matched without a hold, failure "
    "or retry.": (
        "Inga avvikelser: varje dagsavslut i perioden stämde utan parkering, fel eller nytt försök."
    ),
    "Version %(n)s": "Version %(n)s",
    "Saved %(when)s by %(who)s.": "Sparad %(when)s av %(who)s.",
    "Used by %(n)s closure revisions in the report.": ("Används av %(n)s dagsavslut i rapporten."),
    "Key": "Nyckel",
    "Account": "Konto",
    "Changed from the version before": "Ändrat sedan versionen före",
    "Before": "Före",
    "After": "Efter",
    "No mapping version was saved for this company.": "Ingen konteringsversion har sparats.",
    "Date": "Datum",
    "Z": "Z",
    "Sales incl. VAT": "Förs. inkl. moms",
    "VAT": "Moms",
    "Payments": "Betalningar",
    "Voucher (year)": "Verifikation (år)",
    "Status": "Status",
    "cost center": "kostnadsställe",
    "Total": "Summa",
    "No closures in the period.": "Inga dagsavslut i perioden.",
    "Totals count each closure's newest revision; older revisions are shown in grey with their "
    "reversal voucher (↺).": (
        "Summorna räknar varje avsluts senaste revision; äldre revisioner visas i grått med sin "
        "vändningsverifikation (↺)."
    ),
    "Closures": "Dagsavslut",
    "Count": "Antal",
    "Closures (newest revision)": "Dagsavslut (senaste revision)",
    "Revisions received": "Mottagna revisioner",
    "Business days": "Affärsdagar",
    "Sales by VAT rate": "Försäljning per momssats",
    "VAT rate": "Momssats",
    "Net": "Netto",
    "Incl. VAT": "Inkl. moms",
    "Payments by method": "Betalningar per betalsätt",
    "Payment method": "Betalsätt",
    "Amount": "Belopp",
    "POS against Fortnox": "Kassa mot Fortnox",
    "Sales according to the POS": "Försäljning enligt kassan",
    "of which booked in Fortnox (matched)": "varav bokfört i Fortnox (avstämt)",
    "of which not booked": "varav ej bokfört",
    "According to Fortnox": "Enligt Fortnox",
    "No reconciliation with Fortnox has run for this period: posted closures not yet checked "
    "against Fortnox show as pending.": (
        "Ingen avstämning mot Fortnox har körts för perioden: bokförda dagsavslut som ännu inte "
        "kontrollerats mot Fortnox visas som väntande."
    ),
    "Difference (POS less Fortnox)": "Differens (kassan minus Fortnox)",
    "Fortnox": "Fortnox",
    "Store-days where the POS and Fortnox differ": "Butiksdagar där kassan och Fortnox skiljer sig",
    "Store": "Butik",
    "POS": "Kassan",
    "Difference": "Differens",
    # B: the differing store-days an account a line, and who reviewed them
    "reviewed": "granskad",
    "reviewed: the difference is explained": "granskad: differensen är förklarad",
    "Reviewed by": "Granskad av",
    "Not reviewed.": "Inte granskad.",
    "Fortnox less POS": "Fortnox minus kassan",
    "day total": "dagens summa",
    "Each account on which Fortnox holds another balance (debit less credit) than the POS's "
    "closures booked, so two accounts that cancel each other out both show.": (
        "Varje konto där Fortnox har ett annat saldo (debet minus kredit) än kassans dagsavslut "
        "bokförde, så att två konton som tar ut varandra båda syns."
    ),
    "corrected: reversed by %(voucher)s and replaced by a newer revision": (
        "rättad: vänd med %(voucher)s och ersatt av en nyare revision"
    ),
    "Statuses": "Statusar",
    "Closure revisions": "Revisioner",
    "Events recorded during the period, and later events about its closures, oldest first.": (
        "Händelser under perioden och senare händelser om dess dagsavslut, äldst först."
    ),
    "What people and Kassabok did": "Vad personer och Kassabok gjorde",
    "Target": "Objekt",
    "No events.": "Inga händelser.",
    "Closures received and posted": "Mottagna och bokförda dagsavslut",
    "Kassabok's automatic events, one line each: number, time, actor, event, target, voucher "
    "(year) or revision.": (
        "Kassaboks automatiska händelser, en rad var: nummer, tid, aktör, händelse, objekt, "
        "verifikation (år) eller revision."
    ),
    "Page": "Sida",
    "of": "av",
    # B2: a review whose day's differences changed after it (issue 15.8)
    "the difference changed since: was %(was)s, now %(now)s": (
        "differensen har ändrats sedan dess: var %(was)s, nu %(now)s"
    ),
    # A: the Z-chain of each register and the VAT tie-out of each month (issue 16)
    "Z-chain of each register": "Z-kedjan per kassa",
    "Per store and register, the Z numbers must run without gaps and, where the register sends "
    "its grand totals, each Z-report must raise them by exactly its own sales and returns, to the "
    "öre. The last Z-report before the period is read to chain from; a break is shown on the "
    "business day of the later Z-report.": (
        "Per butik och kassa ska Z-numren löpa utan luckor och, där kassan skickar sina grand "
        "totals, ska varje Z-rapport höja dem med exakt sin egen försäljning och sina returer, på "
        "öret. Den sista Z-rapporten före perioden läses för att kedjan ska gå att följa; ett "
        "brott visas på affärsdagen för den senare Z-rapporten."
    ),
    "No Z-reports in the period.": "Inga Z-rapporter i perioden.",
    "The Z-chain is unbroken.": "Z-kedjan är obruten.",
    "Every register's Z numbers run without gaps, and every grand total sent rose by exactly its "
    "Z-report's sales and returns.": (
        "Varje kassas Z-nummer löper utan luckor, och varje grand total som skickats steg med "
        "exakt sin Z-rapports försäljning och returer."
    ),
    "Every register's Z numbers run without gaps. No register sent its grand totals, so only the "
    "Z numbers could be checked.": (
        "Varje kassas Z-nummer löper utan luckor. Ingen kassa skickade sina grand totals, så bara "
        "Z-numren kunde kontrolleras."
    ),
    "Breaks in the Z-chain: %(n)s, of which explained by an accountant: %(explained)s.": (
        "Brott i Z-kedjan: %(n)s, varav förklarade av en redovisningsekonom: %(explained)s."
    ),
    "Register": "Kassa",
    "Z-reports": "Z-rapporter",
    "First and last Z": "Första och sista Z",
    "Grand totals": "Grand total",
    "Chain": "Kedja",
    "Breaks explained": "Förklarade brott",
    "sent": "skickas",
    "not sent": "skickas inte",
    "breaks: %(n)s": "brott: %(n)s",
    "unbroken": "obruten",
    "%(explained)s of %(n)s": "%(explained)s av %(n)s",
    "Breaks in the Z-chain": "Brott i Z-kedjan",
    "Break": "Brott",
    "Explained by": "Förklarat av",
    "Not explained.": "Inte förklarat.",
    "VAT tie-out": "Momsavstämning",
    "Per month and VAT rate: the output VAT the tills reported; the VAT on the rate's VAT account "
    "in Kassabok's vouchers and invoices in Fortnox; the VAT booked on that account by anything "
    "else (other series, hand entries); and the difference, booked less the tills. Each month as "
    "last read from Fortnox on the VAT page, which an accountant runs; building this report reads "
    "no Fortnox data. A tie-out covers a whole calendar month and every store of the company.": (
        "Per månad och momssats: den utgående moms som kassorna rapporterade; momsen på "
        "momssatsens momskonto i Kassaboks verifikationer och fakturor i Fortnox; momsen som "
        "bokförts på kontot av något annat (andra serier, manuella verifikationer); och "
        "differensen, bokfört minus kassorna. Varje månad som den senast lästes från Fortnox på "
        "momssidan, som en redovisningsekonom kör; när rapporten skapas läses inget från Fortnox. "
        "En avstämning gäller en hel kalendermånad och alla företagets butiker."
    ),
    "the report's period covers part of the month": "rapportens period täcker en del av månaden",
    "No VAT tie-out was run for %(month)s.": "Ingen momsavstämning har körts för %(month)s.",
    "Nothing in this report shows whether the month's VAT ties out: an accountant runs the "
    "tie-out on the VAT page, then the report is built again.": (
        "Inget i rapporten visar om månadens moms stämmer: en redovisningsekonom kör "
        "avstämningen på momssidan, och sedan skapas rapporten på nytt."
    ),
    "Read from Fortnox %(when)s by %(who)s.": "Läst från Fortnox %(when)s av %(who)s.",
    "Read from Fortnox %(when)s.": "Läst från Fortnox %(when)s.",
    "Rate": "Sats",
    "VAT account": "Momskonto",
    "Tills": "Kassorna",
    "Kassabok's vouchers": "Kassaboks verifikationer",
    "Kassabok's invoices": "Kassaboks fakturor",
    "Booked by others": "Bokfört av andra",
    "The VAT ties out at every rate.": "Momsen stämmer för varje momssats.",
    "What makes up the difference": "Vad differensen består av",
    "Document": "Underlag",
    "VAT deviations": "Momsavvikelser",
    "Vouchers booking sales whose VAT is more than one percentage point off the rate's share of "
    "those sales.": (
        "Verifikationer med försäljning där momsen avviker mer än en procentenhet från "
        "momssatsens andel av försäljningen."
    ),
    "Voucher": "Verifikation",
    "Sales": "Försäljning",
    "VAT share": "Momsandel",
    "Made by": "Gjord av",
    "someone else": "någon annan",
    "No voucher deviates.": "Ingen verifikation avviker.",
    "Clearing accounts: till to bank": "Clearingkonton: kassa till bank",
    "No bank statement or settlement report was matched for this period.": (
        "Inget kontoutdrag eller någon avräkning matchades för perioden."
    ),
    "Per clearing account and month: opening + sales − refunds − fees − payouts = closing; the "
    "closing is what is in transit, the findings, and what is unexplained. As last matched in "
    "Kassabok; building this report reads no Fortnox data.": (
        "Per clearingkonto och månad: ingående + försäljning − returer − avgifter − utbetalningar"
        " = utgående; det utgående saldot är det som är på väg, avvikelserna och det oförklarade."
        " Som senast matchat i Kassabok; rapporten läser inga data från Fortnox."
    ),
    "Month": "Månad",
    "Opening": "Ingående",
    "Refunds": "Returer",
    "Fees": "Avgifter",
    "Payouts": "Utbetalningar",
    "Closing": "Utgående",
    "What the closing is": "Vad det utgående saldot består av",
    "In transit": "På väg",
    "Findings": "Avvikelser",
    "Unexplained": "Oförklarat",
    "Method": "Betalsätt",
    "Reference": "Referens",
    "Unsettled items": "Ej reglerade poster",
    "Age (banking days)": "Ålder (bankdagar)",
    "Every store-day's takings reached the bank.": "Varje butiksdags intäkter nådde banken.",
    "late": "försenad",
    "short": "för lite",
    "payout differs": "utbetalning avviker",
    "missing payout": "utbetalning saknas",
    "payout late": "utbetalning försenad",
    "short deposit": "för liten insättning",
    "Swish short in the bank": "för lite Swish i banken",
    "in transit": "på väg",
}


def main() -> None:
    """Extract the report's texts, fill in the Swedish, write reports.po and compile reports.mo."""
    import subprocess
    import sys
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po

    here = Path(__file__).resolve().parent
    pot = here / "reports.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(here / "babel.cfg"),
            "-k",
            "_",
            "-k",
            "N_",
            "--no-location",
            "--omit-header",
            "-o",
            str(pot),
            ".",
        ],
        check=True,
        cwd=here.parents[2],
        capture_output=True,
    )
    with pot.open("rb") as f:
        catalog = read_po(f, locale="sv")
    pot.unlink()
    missing = [m.id for m in catalog if m.id and m.id not in SV]
    for message in catalog:
        if message.id:
            message.string = SV.get(message.id, "")
    out = here / "sv" / "LC_MESSAGES"
    with (out / "reports.po").open("wb") as f:
        write_po(f, catalog, omit_header=False, width=100)
    with (out / "reports.mo").open("wb") as f:
        write_mo(f, catalog)
    print(f"{len(catalog)} texts; untranslated: {missing or 'none'}")


if __name__ == "__main__":
    main()
