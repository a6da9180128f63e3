"""PDFs built with ReportLab: receipts, labels, part labels, reports (DESIGN §5)."""
