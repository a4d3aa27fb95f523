"""Official statistics: SCB Räkenskapssammandraget (PxWeb) and Kolada, as facts and indicators."""

from pipelines.statistics.importer import StatisticsImporter

__all__ = ["StatisticsImporter"]
