"""Synthetic demo data: teams, staff and young people with realistic histories, in one transaction.

Every value comes from one random.Random seeded by the caller, so a seed and a date give the same
data on any machine. Rows go in through Core executemany in chunks (never one ORM object at a
time), so 100,000 young people load in about a minute on SQLite. No real person is described:
names are drawn from common given names and surnames, phone numbers from Ofcom's drama range,
emails use example.com and postcodes are random within real postcode areas.

Modules, in the order the data flows: `draws` (seeded draws and table parsers), `names` (people,
towns, streets), `staff` (teams and caseloads), `housing` (accommodation histories), `offer`
(local-offer ledgers), `maker` (one young person's rows), `writer` (bulk inserts, reference
numbers, the audit event), `generate` (the run).
"""

from careleaver_app.services.demo.generate import DemoSummary, generate_demo

__all__ = ["DemoSummary", "generate_demo"]
