"""Z-reports: each posted closure's original kept (rendered when none came), on its voucher."""
