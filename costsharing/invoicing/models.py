"""Invoices and payments (issue #6)."""
