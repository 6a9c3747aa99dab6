"""The settlement profiles Kassabok ships, each written from its acquirer's public description.

docs/bank/profiles.md gives each one's source and what the description leaves open. Money lists
add their columns; a leading "-" subtracts one (a report with separate debit and credit columns).
"""

from __future__ import annotations

from typing import Any

SHIPPED: dict[str, dict[str, Any]] = {
    # Adyen "Settlement details report" (settlement_detail_report_batch_N.csv), standard columns:
    # docs.adyen.com/reporting/settlement-detail-report (structure), fees = columns 17-20.
    "adyen": {
        "label": "Adyen – Settlement details report",
        "source": "https://docs.adyen.com/reporting/settlement-reconciliation/transaction-level/settlement-details-report/",
        "delimiter": ",",
        "decimal": ".",
        "date_format": "%Y-%m-%d %H:%M:%S",
        "columns": {
            "transaction_date": "Creation Date",
            "type": "Type",
            "payment_method": "Payment Method",
            "currency": "Net Currency",
            "payout_reference": "Batch Number",
            "reference": "Psp Reference",
            "store": "Store",
        },
        "optional": ["store"],  # "Store" is an additional column, chosen in the Customer Area
        "money": {
            "gross": ["Gross Credit (GC)", "-Gross Debit (GC)"],
            "net": ["Net Credit (NC)", "-Net Debit (NC)"],
            "fee": ["Commission (NC)", "Markup (NC)", "Scheme Fees (NC)", "Interchange (NC)"],
        },
        "types": {
            "Settled": "sale",
            "Refunded": "refund",
            "Chargeback": "refund",
            "SecondChargeback": "refund",
            "ChargebackReversed": "sale",
            "RefundedReversed": "sale",
            "Fee": "fee",
            "MiscCosts": "fee",
            "PaymentCost": "fee",
            "InvoiceDeduction": "fee",
            "MerchantPayout": "payout",
        },
    },
    # Swedbank Pay "Transaction List" v2 (Sales Accounted Transactions), body fields as documented
    # in developer.swedbankpay.com "Settlement & Reconciliation"; fees come on the balance report.
    "swedbank-pay": {
        "label": "Swedbank Pay – Transaction list (v2)",
        "source": "https://developer.swedbankpay.com/checkout-v3/features/core/settlement-reconciliation",
        "delimiter": ";",
        "decimal": ",",
        "thousands": " ",
        "date_format": "%Y-%m-%d %H:%M:%S",
        "columns": {
            "transaction_date": "Date Created",
            "payment_method": "ServiceName",
            "currency": "Currency",
            "payout_reference": "PayExBatchNo",
            "reference": "PayExTransactionNo",
            "store": "Point Of Sale",
        },
        "optional": ["store"],  # "If eligible, POS information as sent by merchant"
        "money": {"gross": ["Amount"]},
    },
    # Zettle Finance API v2, GET /v2/accounts/liquid/transactions, one row per transaction:
    # github.com/iZettle/api-documentation finance-api (amounts in the currency's smallest unit).
    "zettle": {
        "label": "Zettle – Finance API transactions (liquid account)",
        "source": "https://github.com/iZettle/api-documentation/blob/master/finance-api/user-guides/fetch-account-transactions-v2.md",
        "delimiter": ",",
        "decimal": ".",
        "minor_units": True,
        "date_format": "iso",
        "columns": {
            "transaction_date": "timestamp",
            "type": "originatorTransactionType",
            "reference": "originatingTransactionUuid",
        },
        "money": {"amount": ["amount"]},
        "types": {
            "PAYMENT": "sale",
            "INVOICE_PAYMENT": "sale",
            "PAYMENT_FEE": "fee",
            "INVOICE_PAYMENT_FEE": "fee",
            "PAYOUT": "payout",
            "PAYMENT_PAYOUT": "payout",
            "FAILED_PAYOUT": "payout",
        },
    },
    # Worldline (Nordic) e-statement, the columns as Worldline merchants' help pages list them:
    # UID (the payment device), record type, payment date, brand, transaction date, amounts.
    "worldline": {
        "label": "Worldline – e-statement",
        "source": "https://golfmore.eb-help.com/help/articles/worldline-e-statement",
        "delimiter": ";",
        "decimal": ",",
        "thousands": " ",
        "date_format": "%d.%m.%Y",
        "columns": {
            "transaction_date": "Trx Date",
            "payout_date": "Paym. date",
            "type": "Type of record",
            "payment_method": "Brand",
            "store": "UID",
        },
        "money": {"gross": ["Gross Amount"], "fee": ["Comm. Amount"], "net": ["Net amount"]},
        "types": {
            "Trx": "sale",
            "Merchant Total": "skip",
            "Pos Total": "skip",
            "Mach. Total": "skip",
        },
    },
}
