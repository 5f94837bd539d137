"""docs/events.md is the catalog as generated from the models, not an older copy."""

from pathlib import Path

from contracts.catalog.markdown import DOC_COMMAND, render

DOC = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def test_the_event_catalog_page_is_current() -> None:
    assert DOC.read_text() == render(), f"docs/events.md is stale; run: {DOC_COMMAND}"


def test_the_page_describes_every_event_type() -> None:
    from contracts.envelope import all_event_classes

    text = render()
    for cls in all_event_classes():
        if not cls.topic.startswith(("test.", "bench.")):
            assert f"## {cls.event_type}\n" in text
