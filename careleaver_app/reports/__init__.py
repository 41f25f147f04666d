"""PDF documents: pure functions from a report DTO to PDF bytes (reportlab)."""
