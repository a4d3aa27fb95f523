"""Supplier payments: import, classification, page queries and the demo generator."""

from pipelines.payments.importer import PaymentsImporter

__all__ = ["PaymentsImporter"]
