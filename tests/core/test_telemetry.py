"""Spans are recorded per HTTP request and per GraphQL operation, named after the operation."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from opentelemetry.instrumentation.django import DjangoInstrumentor


@pytest.fixture
def spans(span_exporter):
    from opentelemetry import trace

    DjangoInstrumentor().instrument(tracer_provider=trace.get_tracer_provider())
    try:
        yield span_exporter
    finally:
        DjangoInstrumentor().uninstrument()


@pytest.mark.django_db
def test_http_request_and_graphql_operation_spans(spans, channel):
    client = Client()
    response = client.post(
        "/graphql/",
        json.dumps({"query": 'query ChannelPage { channel(slug: "default-channel") { slug } }'}),
        content_type="application/json",
    )
    assert response.status_code == 200
    finished = spans.get_finished_spans()
    names = [span.name for span in finished]
    assert "graphql.query ChannelPage" in names
    operation = next(s for s in finished if s.name == "graphql.query ChannelPage")
    assert operation.attributes["graphql.operation.name"] == "ChannelPage"
    http = [
        s
        for s in finished
        if s.attributes.get("http.method") == "POST"
        or s.attributes.get("http.request.method") == "POST"
    ]
    assert http, names
    assert operation.parent is not None and operation.parent.span_id == http[0].context.span_id


def test_no_exporter_configured_means_no_provider(monkeypatch):
    from core import telemetry

    for name in (
        "OTEL_TRACES_EXPORTER",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    ):
        monkeypatch.delenv(name, raising=False)
    assert telemetry.selected_exporters() == []
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "console")
    assert telemetry.selected_exporters() == ["console"]
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "none")
    assert telemetry.selected_exporters() == []
