"""The conformance tests' standards: found through APHUB_STANDARDS_DIR, skipped without them, failed under CI."""

import pytest

from tests.standards import standard


def test_a_missing_standard_skips_with_where_it_comes_from(monkeypatch, tmp_path):
    monkeypatch.setenv("APHUB_STANDARDS_DIR", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        standard("oruk")
    assert "APHUB_STANDARDS_DIR" in str(skipped.value)
    assert "https://github.com/openreferral/uk-profile" in str(skipped.value)


def test_a_missing_standard_fails_under_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("APHUB_STANDARDS_DIR", str(tmp_path))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception) as failed:
        standard("ocds-1.1.5")
    assert "https://standard.open-contracting.org/schema/1__1__5/" in str(failed.value)


def test_a_standard_is_read_from_the_folder_named(monkeypatch, tmp_path):
    (tmp_path / "ocds-1.1.5").mkdir()
    (tmp_path / "ocds-1.1.5" / "release-schema.json").write_text("{}")
    monkeypatch.setenv("APHUB_STANDARDS_DIR", str(tmp_path))
    monkeypatch.setenv("CI", "true")
    assert standard("ocds-1.1.5") == tmp_path / "ocds-1.1.5"
