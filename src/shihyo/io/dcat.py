"""A machine-readable catalogue of a programme's open data (DCAT, as JSON-LD) for portals to harvest.

Each series and indicator is a `dcat:Dataset` with a CSV and a JSON `dcat:Distribution`; the bulk ZIP is one
more dataset. Publisher, licence, the municipality's code and the as-of moment are stated on each."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from shihyo.core.engine import EvaluationResult
from shihyo.io.opendata import Edition, dataset_description, datasets, licence_of

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _distribution(url: str, media_type: str, fmt: str, licence: str) -> dict[str, Any]:
    return {
        "@type": "dcat:Distribution",
        "dcat:downloadURL": {"@id": url},
        "dcat:accessURL": {"@id": url},
        "dcat:mediaType": media_type,
        "dct:format": fmt,
        "dct:license": {"@id": licence},
    }


def catalogue(result: EvaluationResult, edition: Edition, url: Callable[[str], str], *, page: str) -> dict[str, Any]:
    """The DCAT catalogue; `url(path)` makes an absolute address of a path under the programme's open data
    (``data/<code>.csv``, ``bulk.zip``, ``catalog.jsonld``); `page` is the open-data page's address."""
    p = result.programme
    found = licence_of(p)
    licence = found.url if found else ""
    publisher = {"@type": "foaf:Organization", "foaf:name": p.organisation or p.name}
    if p.municipality_code:
        publisher["dct:identifier"] = p.municipality_code
    modified = {"@value": edition.as_of.isoformat(timespec="seconds"), "@type": "xsd:dateTime"}
    items: list[dict[str, Any]] = []
    for code, _kind in datasets(result):
        info = dataset_description(p, code)
        items.append(
            {
                "@id": url(f"data/{code}.json"),
                "@type": "dcat:Dataset",
                "dct:identifier": f"{p.code}/{code}",
                "dct:title": [{"@value": info["name"], "@language": "ja"}]
                + ([{"@value": info["name_en"], "@language": "en"}] if info.get("name_en") else []),
                "dct:description": info.get("formula", "") or info["name"],
                "dct:publisher": publisher,
                "dct:license": {"@id": licence},
                "dct:modified": modified,
                "dcat:keyword": [p.organisation, p.name, info["type"]],
                "dcat:landingPage": {"@id": page},
                "dcat:distribution": [
                    _distribution(url(f"data/{code}.csv"), "text/csv", "CSV", licence),
                    _distribution(url(f"data/{code}.json"), "application/json", "JSON", licence),
                ],
            }
        )
    items.append(
        {
            "@id": url("bulk.zip"),
            "@type": "dcat:Dataset",
            "dct:identifier": f"{p.code}/all",
            "dct:title": [{"@value": f"{p.name}（すべての値）", "@language": "ja"}],
            "dct:description": "すべての系列・指標の値（CSV・JSON）と列の説明（README.md）",
            "dct:publisher": publisher,
            "dct:license": {"@id": licence},
            "dct:modified": modified,
            "dcat:landingPage": {"@id": page},
            "dcat:distribution": [_distribution(url("bulk.zip"), "application/zip", "ZIP", licence)],
        }
    )
    return {
        "@context": CONTEXT,
        "@id": url("catalog.jsonld"),
        "@type": "dcat:Catalog",
        "dct:title": [{"@value": p.name, "@language": "ja"}]
        + ([{"@value": p.name_en, "@language": "en"}] if p.name_en else []),
        "dct:publisher": publisher,
        "dct:license": {"@id": licence},
        "dct:modified": modified,
        "dct:hasVersion": edition.data_version,
        "foaf:homepage": {"@id": page},
        "dcat:dataset": items,
    }


def catalogues(items: Sequence[dict[str, Any]], url: str) -> dict[str, Any]:
    """Several programmes' catalogues as one (the site-wide /opendata/catalog.jsonld)."""
    return {
        "@context": CONTEXT,
        "@id": url,
        "@type": "dcat:Catalog",
        "dct:title": "shihyo open data",
        "dcat:catalog": [{k: v for k, v in item.items() if k != "@context"} for item in items],
    }
