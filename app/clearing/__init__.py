"""Clearing: till to bank. Takings ↔ settlement lines ↔ payouts ↔ bank entries, and each clearing
account's month rolled forward (opening + sales − refunds − fees − payouts = closing)."""
