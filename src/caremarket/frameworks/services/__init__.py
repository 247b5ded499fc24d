"""Writes to frameworks: new rates from a fee review, entry-window applications and their
evaluation, price revisions. Each in a transaction, refusing with ``core.errors``."""
