"""The demo data (`stims demo`): realistic records of every domain, from the seed articles.

It sits above every domain, so the builders may use all of them: `orgs` (the directory: units,
organizations, people, local bodies), `accounts` (the demo users, one per role), `registries`
(products, IP assets, enterprises), `sttasks` (tasks with their councils, funding and results) and
`meetings` (the six working sessions the seed articles in `demo_seeds/` report, written out by hand;
`tests/test_seed_*.py` compare them with the articles).
"""
