"""Locust users for ``bench/load_web.py``: mixed traffic on the web app, one runaway query.

Run by bench/load_web.py (headless, bounded in time and count); the paths come from the JSON
file named by ``IMPACTKG_LOAD_PLAN`` (written by the runner from what the server lists), the
request cap from ``IMPACTKG_LOAD_MAX_REQUESTS``. Request names group the statistics by kind:
``search``, ``ask``, ``resource``, ``sparql``, ``canned``, ``runaway``.

A web user waits 0.5–1.5 s between requests, as a person clicking through does; the runaway
user sends one SPARQL query that can only end at the time limit every few seconds, and it
counts as answered when the server stops it with its 400 ``query_timeout``.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, constant, events, task

PLAN = json.loads(Path(os.environ["IMPACTKG_LOAD_PLAN"]).read_text(encoding="utf-8"))
MAX_REQUESTS = int(os.environ.get("IMPACTKG_LOAD_MAX_REQUESTS", "100000"))
JSON = {"Accept": "application/json"}
SPARQL_JSON = {"Accept": "application/sparql-results+json"}
RUNAWAY_QUERY = """SELECT (COUNT(*) AS ?n) WHERE {
  ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h .
}"""


@events.request.add_listener
def stop_at_the_cap(context: object = None, **_: object) -> None:
    """Bound the run by count as well as time: stop every user once the cap is reached."""
    environment = stop_at_the_cap.environment  # type: ignore[attr-defined]
    if environment and environment.stats.total.num_requests >= MAX_REQUESTS and environment.runner:
        environment.runner.quit()


@events.init.add_listener
def remember_environment(environment: object, **_: object) -> None:
    stop_at_the_cap.environment = environment  # type: ignore[attr-defined]


class WebUser(HttpUser):
    """A visitor: searches most, opens resource pages, asks, runs SPARQL and canned queries."""

    wait_time = between(0.5, 1.5)

    @task(5)
    def search(self) -> None:
        words = PLAN.get("new_query_words")
        query = "+".join(random.sample(words, 3)) if words else random.choice(PLAN["search"])
        path = random.choice(("/zoeken?q=", "/api/search?q=")) + query
        self.client.get(path, name="search", headers=JSON if path.startswith("/api") else None)

    @task(1)
    def ask(self) -> None:
        self.client.get("/api/ask?q=" + random.choice(PLAN["ask"]), name="ask", headers=JSON)

    @task(3)
    def resource(self) -> None:
        self.client.get(random.choice(PLAN["resource"]), name="resource")

    @task(2)
    def sparql(self) -> None:
        self.client.post("/sparql", data={"query": random.choice(PLAN["sparql"])}, name="sparql",
                         headers=SPARQL_JSON)

    @task(1)
    def canned(self) -> None:
        self.client.get(random.choice(PLAN["canned"]), name="canned", headers=JSON)


class RunawayUser(HttpUser):
    """One client that keeps sending a query only the time limit can stop."""

    fixed_count = 1
    wait_time = constant(5)

    @task
    def runaway(self) -> None:
        with self.client.post("/sparql", data={"query": RUNAWAY_QUERY}, name="runaway",
                              headers=SPARQL_JSON, catch_response=True) as response:
            if response.status_code == 400 and "query_timeout" in response.text:
                response.success()
            elif response.status_code != 200:
                response.failure(f"runaway query: {response.status_code} {response.text[:200]}")
