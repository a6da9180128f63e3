"""PDFs built with ReportLab: receipts, labels, part labels, reports (ARCHITECTURE.md)."""
