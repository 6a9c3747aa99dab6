"""PDF audit reports: ordered in the portal or from the command line, built on the reports queue."""
