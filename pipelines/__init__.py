"""Verkstad pipelines: documents → raw → staged → facts → mapping → marts."""
