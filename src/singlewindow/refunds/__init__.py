"""Export tax (VAT) refund: applications pre-filled from released exports and purchase invoices."""
