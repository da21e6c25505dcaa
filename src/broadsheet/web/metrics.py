"""Prometheus ``/metrics``: what the store holds (sources by status, articles, live stories,
accounts, articles waiting for story assignment and for labels) read at scrape time, plus the
process's own metrics, through prometheus-client."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from broadsheet.core import Broadsheet
from broadsheet.storage.schema import articles, sources, stories, story_articles, users

__all__ = ["router"]

router = APIRouter()
BACKLOG_CAP = 10_000


class StoreCollector(Collector):
    def __init__(self, broadsheet: Broadsheet) -> None:
        self.broadsheet = broadsheet

    def collect(self) -> Iterator[Metric]:
        with self.broadsheet.store.engine.connect() as conn:
            by_status: dict[str, int] = dict(
                conn.execute(
                    select(sources.c.status, func.count()).group_by(sources.c.status)
                ).all()
            )
            counts = {
                "articles": conn.execute(select(func.count()).select_from(articles)).scalar_one(),
                "stories": conn.execute(
                    select(func.count()).where(stories.c.merged_into.is_(None))
                ).scalar_one(),
                "users": conn.execute(select(func.count()).select_from(users)).scalar_one(),
                "placed": conn.execute(
                    select(func.count()).select_from(story_articles)
                ).scalar_one(),
            }
        waiting_labels = len(self.broadsheet.store.labels.pending(limit=BACKLOG_CAP, text_chars=0))
        status = GaugeMetricFamily("broadsheet_sources", "Sources by status", labels=["status"])
        for name in ("ok", "error", "paused"):
            status.add_metric([name], by_status.get(name, 0))
        yield status
        yield GaugeMetricFamily("broadsheet_articles", "Stored articles", value=counts["articles"])
        yield GaugeMetricFamily("broadsheet_stories", "Live stories", value=counts["stories"])
        yield GaugeMetricFamily("broadsheet_users", "Accounts", value=counts["users"])
        backlog = GaugeMetricFamily(
            "broadsheet_backlog",
            f"Stored articles waiting for a stage (labels: counted up to {BACKLOG_CAP})",
            labels=["stage"],
        )
        backlog.add_metric(["stories"], max(0, counts["articles"] - counts["placed"]))
        backlog.add_metric(["labels"], waiting_labels)
        yield backlog


def _registry(request: Request) -> CollectorRegistry:
    registry: CollectorRegistry | None = getattr(request.app.state, "metrics_registry", None)
    if registry is None:
        registry = CollectorRegistry()
        registry.register(StoreCollector(request.app.state.broadsheet))
        ProcessCollector(registry=registry)
        request.app.state.metrics_registry = registry
    return registry


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    return Response(generate_latest(_registry(request)), media_type=CONTENT_TYPE_LATEST)
