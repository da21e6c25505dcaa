"""Ingestion: fetching (with the address guard), feed parsing, discovery and scheduling.

Pure of storage: these functions take their inputs (client, bytes, times) and return results.
"""
