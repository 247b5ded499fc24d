"""The pure-Python core of caremarket.

Nothing in this package may import Django or any web-layer module: an import-linter
contract (run by ``make test``) enforces it. Functions here take plain data
(dataclasses, Decimals, dates) and return plain data, so they can be tested, benchmarked
and reused (CLI, batch jobs) without a database.
"""
