"""The users of bench/load.py (a locustfile): inspectors, reviewers, liaisons and citizens on
the portal, in the proportions of a working day. Run through bench/load.py, never alone: it
starts the server and signs the personas in (their cookies come in LOAD_COOKIES)."""

import json
import os
import random

from locust import HttpUser, between, task

COOKIES = json.loads(os.environ.get("LOAD_COOKIES", "{}"))
KEYS = json.loads(os.environ.get("LOAD_KEYS", "[]")) or [""]


class _Persona(HttpUser):
    abstract = True
    wait_time = between(3, 10)  # a person reads a page before opening the next
    persona = ""

    def on_start(self) -> None:
        if self.persona:
            self.client.cookies.set("sessionid", COOKIES[self.persona])


class Inspector(_Persona):
    weight = 5
    persona = "bench_inspector"

    @task(3)
    def work_list(self) -> None:
        self.client.get("/inspections/mine/")

    @task(1)
    def visits_api(self) -> None:
        self.client.get("/api/inspections/visits")


class Reviewer(_Persona):
    weight = 2
    persona = "bench_reviewer"

    @task(3)
    def review_queue(self) -> None:
        self.client.get("/inspections/review/")

    @task(1)
    def home(self) -> None:
        self.client.get("/")


class Liaison(_Persona):
    weight = 3
    persona = "bench_liaison"

    @task(2)
    def entity_list(self) -> None:
        self.client.get("/directory/entities/")

    @task(2)
    def search_uscc(self) -> None:
        self.client.get("/directory/entities/", params={"q": random.choice(KEYS)}, name="search")

    @task(2)
    def entity_detail(self) -> None:
        self.client.get(f"/directory/entities/{random.choice(KEYS)}/", name="entity detail")

    @task(1)
    def task_list(self) -> None:
        self.client.get("/plans/tasks/")

    @task(1)
    def batches(self) -> None:
        self.client.get("/draws/")


class Citizen(_Persona):
    weight = 10

    @task(2)
    def draws(self) -> None:
        self.client.get("/public/draws/")

    @task(2)
    def results(self) -> None:
        self.client.get("/public/results/")

    @task(1)
    def plans(self) -> None:
        self.client.get("/public/plans/")

    @task(1)
    def results_api(self) -> None:
        self.client.get("/api/public/results")
