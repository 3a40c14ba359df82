"""Payments: duty and tax assessment, payment orders and receipts, the treasury's task, port fees."""
