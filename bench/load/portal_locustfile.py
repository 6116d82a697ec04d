"""Load test of the public portal: anonymous visitors (run by bench/portal.py).

Each virtual user is a citizen: opens the front page, reads news (list, a category, an article,
a search without diacritics), the work calendar, a catalogue and its open-data download. No sign-in.
Settings from the environment: PORTAL_PATHS (a JSON file of article, category and catalogue addresses).
"""

import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, task

PATHS = json.loads(Path(os.environ["PORTAL_PATHS"]).read_text())


class Visitor(HttpUser):
    wait_time = between(1, 3)

    @task(5)
    def front_page(self):
        self.client.get("/", name="/")

    @task(5)
    def article(self):
        self.client.get(random.choice(PATHS["articles"]), name="/portal/news/[slug]/")

    @task(3)
    def news(self):
        self.client.get("/portal/news/", name="/portal/news/")

    @task(2)
    def category(self):
        self.client.get(random.choice(PATHS["categories"]), name="/portal/news/category/[slug]/")

    @task(2)
    def search(self):
        self.client.get(
            "/portal/news/?q=dinh+hoa&date_from=01/01/2023&date_to=31/12/2023", name="/portal/news/?q=…"
        )

    @task(2)
    def calendar(self):
        self.client.get("/portal/calendar/", name="/portal/calendar/")

    @task(2)
    def catalogue(self):
        self.client.get(random.choice(PATHS["catalogues"]), name="/portal/data/[key]/")

    @task(1)
    def download(self):
        self.client.get(random.choice(PATHS["downloads"]), name="/portal/data/[key].[fmt]")
