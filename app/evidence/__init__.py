"""Evidence an auditor accepts: an unbroken Z-chain, VAT that ties out, the books as SIE."""
