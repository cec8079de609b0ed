"""One analysis of one article: every layer computed once, when first asked for.

    analysis = Analysis.of_text(text)          # or Analysis(load_article())
    analysis.clusters      -> course.analysis.entities
    analysis.attributions  -> course.analysis.quotes
    analysis.sources       -> course.analysis.sources (a DataFrame)
    analysis.framing       -> course.analysis.framing
    ...

The report, the explorers and the CLI all take an `Analysis`, so opening a
second view of the same article never parses it or runs a rule again.
Each layer is a plain function of the layers below it; this class only
decides the order and keeps the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from course.analysis.entities import Aliases, EntityCluster, Mention, cluster_entities, clusters_of, raw_entities
from course.analysis.framing import FramingDevice, find_framing
from course.analysis.provenance import ProvenanceCheck, provenance_checklist
from course.analysis.quotes import Attribution, attributions_of, extract_attributions
from course.analysis.sources import sources_table
from course.analysis.translation import (
    Artefact,
    NameVariants,
    PlaceStyleCheck,
    name_variants,
    page_furniture,
    place_style_checks,
    translation_artefacts,
)
from course.core.article import Article, load_article, parse_article


@dataclass(eq=False)
class Analysis:
    """Every analysis of `article`; pass `aliases` to merge names the rules cannot."""

    article: Article
    aliases: Aliases | None = None

    @classmethod
    def of_text(cls, text: str, name: str = "text", aliases: Aliases | None = None,
                progress: bool = False) -> Analysis:
        return cls(parse_article(text, name, progress=progress), aliases)

    @classmethod
    def of_path(cls, path: str | Path | None = None, aliases: Aliases | None = None) -> Analysis:
        """The text file at `path`, or the seed article when `path` is None."""
        return cls(load_article(path), aliases)

    @property
    def text(self) -> str:
        return self.article.text

    @property
    def doc(self):
        return self.article.doc

    @cached_property
    def raw_mentions(self) -> list[Mention]:
        """Entity spans as the model gives them (the baseline to compare clusters with)."""
        return raw_entities(self.doc)

    @cached_property
    def clusters(self) -> list[EntityCluster]:
        return clusters_of(self.doc) if self.aliases is None else cluster_entities(self.doc, aliases=self.aliases)

    @cached_property
    def attributions(self) -> list[Attribution]:
        return attributions_of(self.doc) if self.aliases is None else extract_attributions(self.doc, self.clusters)

    @cached_property
    def sources(self):
        """The sources table (pandas DataFrame), one row per source."""
        return sources_table(self.doc, self.attributions, self.clusters)

    @cached_property
    def framing(self) -> list[FramingDevice]:
        return find_framing(self.doc, self.clusters, self.attributions)

    @cached_property
    def provenance(self) -> list[ProvenanceCheck]:
        return provenance_checklist(self.text)

    @cached_property
    def page_furniture(self) -> list[Artefact]:
        return page_furniture(self.text)

    @cached_property
    def translation_artefacts(self) -> list[Artefact]:
        return translation_artefacts(self.doc, self.attributions)

    @cached_property
    def name_variants(self) -> list[NameVariants]:
        return name_variants(self.clusters)

    @cached_property
    def place_styles(self) -> list[PlaceStyleCheck]:
        return place_style_checks(self.text)
