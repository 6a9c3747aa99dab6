"""A new tenant's books: a BAS chart, voucher series, cost centers, years and customers."""

from __future__ import annotations

from datetime import date, datetime

from sandbox.store import Store

# number | name | flags: i = inactive, m = cost center mandatory, n = cost center not allowed,
# VAT code after a colon. The §6 accounts and Kassabok's default mapping are all here, active.
BAS_CHART = """
1010|Utvecklingsutgifter|
1110|Byggnader|
1210|Maskiner och andra tekniska anläggningar|
1220|Inventarier och verktyg|
1229|Ackumulerade avskrivningar på inventarier och verktyg|
1250|Datorer|
1460|Lager av handelsvaror|
1510|Kundfordringar|
1513|Kundfordringar - delad faktura|i
1580|Fordringar för kontokort och kuponger|
1630|Avräkning för skatter och avgifter (skattekonto)|
1650|Momsfordran|n
1710|Förutbetalda hyreskostnader|
1790|Övriga förutbetalda kostnader och upplupna intäkter|
1910|Kassa|
1920|PlusGiro|i
1930|Företagskonto / checkkonto / affärskonto|
1940|Övriga bankkonton|
2010|Eget kapital|n
2081|Aktiekapital|n
2091|Balanserad vinst eller förlust|n
2099|Årets resultat|n
2330|Checkräkningskredit|
2350|Andra långfristiga skulder till kreditinstitut|
2420|Förskott från kunder|
2421|Ej inlösta presentkort|i
2440|Leverantörsskulder|
2610|Utgående moms, 25 %|
2611|Utgående moms på försäljning inom Sverige, 25 %|
2620|Utgående moms, 12 %|
2621|Utgående moms på försäljning inom Sverige, 12 %|
2630|Utgående moms, 6 %|
2631|Utgående moms på försäljning inom Sverige, 6 %|
2640|Ingående moms|n
2641|Debiterad ingående moms|n
2650|Redovisningskonto för moms|n
2710|Personalskatt|
2731|Avräkning lagstadgade sociala avgifter|
2890|Övriga kortfristiga skulder|
2910|Upplupna löner|
2920|Upplupna semesterlöner|
2990|Övriga upplupna kostnader och förutbetalda intäkter|
3001|Försäljning inom Sverige, 25 % moms|:MP1
3002|Försäljning inom Sverige, 12 % moms|:MP2
3003|Försäljning inom Sverige, 6 % moms|:MP3
3004|Försäljning inom Sverige, momsfri|:MF
3041|Försäljning tjänst inom Sverige, 25 % moms|:MP1
3051|Försäljning varor till land utanför EU|i
3590|Övriga sidointäkter|
3731|Lämnade kassarabatter|
3740|Öres- och kronutjämning|
3960|Valutakursvinster på fordringar och skulder av rörelsekaraktär|
3990|Övriga ersättningar och intäkter|
4010|Inköp av handelsvaror|m
4011|Inköp av varor från Sverige, 25 % moms|m
4012|Inköp av varor från Sverige, 12 % moms|m
4535|Inköp av varor från annat EU-land, 25 %|i
4990|Förändring av lager och pågående arbeten|
5010|Lokalhyra|m
5060|Städning och renhållning|
5090|Övriga lokalkostnader|
5410|Förbrukningsinventarier|
5460|Förbrukningsmaterial|
5610|Personbilskostnader|i
5800|Resekostnader|
5910|Annonsering|
6071|Representation, avdragsgill|
6110|Kontorsmateriel|
6212|Mobiltelefon|
6230|Datakommunikation|
6250|Postbefordran|
6310|Företagsförsäkringar|
6530|Redovisningstjänster|
6540|IT-tjänster|
6570|Bankkostnader|
6990|Övriga externa kostnader|
7010|Löner till kollektivanställda|m
7210|Löner till tjänstemän|m
7510|Arbetsgivaravgifter|
7690|Övriga personalkostnader|
7832|Avskrivningar på inventarier och verktyg|
7990|Övriga rörelsekostnader|
8310|Ränteintäkter från omsättningstillgångar|
8410|Räntekostnader för långfristiga skulder|
8910|Skatt som belastar årets resultat|n
8999|Årets resultat|n
"""

SERIES = (
    ("A", "Redovisning", True),
    ("B", "Kundfakturor", False),
    ("C", "Kundinbetalningar", False),
    ("D", "Leverantörsfakturor", False),
    ("E", "Leverantörsutbetalningar", False),
)
COST_CENTERS = (
    ("S12", "Café Centrum", True),
    ("S14", "Café Hamnen", True),
    ("S20", "Restaurang Torget", True),
    ("LAGER", "Centrallager", True),
    ("S09", "Kiosken (stängd)", False),
)
CUSTOMERS = (
    ("1001", "Bygg & Betong i Mälardalen AB", "556677-8899", "ekonomi@byggbetong.example"),
    ("1002", "Konferens Norr AB", "556123-4567", "faktura@konferensnorr.example"),
    ("1003", "Anna Lindqvist", "", "anna.lindqvist@example.com"),
)


def chart() -> list[dict]:
    """The BAS accounts as Fortnox Account bodies (without @url and Year)."""
    accounts = []
    for line in BAS_CHART.strip().splitlines():
        number, name, flags = line.split("|")
        flags, _, vat_code = flags.partition(":")
        settings = "MANDATORY" if "m" in flags else "NOTALLOWED" if "n" in flags else "ALLOWED"
        accounts.append(
            {
                "Number": int(number),
                "Description": name,
                "Active": "i" not in flags,
                "CostCenterSettings": settings,
                "ProjectSettings": "ALLOWED",
                "TransactionInformationSettings": "ALLOWED",
                "QuantitySettings": "ALLOWED",
                "VATCode": vat_code,
                "SRU": 0,
            }
        )
    return accounts


def create_tenant(store: Store, name: str, orgnr: str, seed: str = "bas") -> int:
    """Create a company; with seed "bas" it gets a full set of books."""
    with store.write() as conn:
        cur = conn.execute(
            "INSERT INTO tenants(name, orgnr, created) VALUES (?,?,?)",
            (name, orgnr, datetime.now().isoformat(timespec="seconds")),
        )
        tenant = int(cur.lastrowid or 0)
        if seed == "bas":
            seed_books(store, tenant)
    return tenant


def seed_books(store: Store, tenant: int) -> None:
    """Accounts, series, cost centers, last and this calendar year, customers."""
    from sandbox import registers

    this_year = date.today().year
    for year in (this_year - 1, this_year):
        registers.add_financial_year(store, tenant, f"{year}-01-01", f"{year}-12-31")
    for account in chart():
        store.put(tenant, "account", str(account["Number"]), account)
    for code, description, manual in SERIES:
        registers.save_series(
            store, tenant, {"Code": code, "Description": description, "Manual": manual}
        )
    for code, description, active in COST_CENTERS:
        body = {"Code": code, "Description": description, "Note": "", "Active": active}
        store.put(tenant, "costcenter", code, body)
    for number, name, orgnr, email in CUSTOMERS:
        body = {"CustomerNumber": number, "Name": name, "OrganisationNumber": orgnr, "Email": email}
        registers.save_customer(store, tenant, body)
