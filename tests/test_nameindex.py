"""The geoparser's name index on disk: built once, loaded warm, and rebuilt
(never trusted) when its cache file is damaged."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest

from mapapp.geo import nameindex


@pytest.fixture()
def counted_builds(tmp_path, monkeypatch):
    """A cache in ``tmp_path``; builds counted, each a copy of the real
    index (so the test does not spend 12 s per build)."""
    nameindex.load_index()  # the real cache exists
    fingerprint = nameindex._fingerprint(nameindex.ALIASES_FILE, nameindex.GEOCACHE_DIR)
    source = nameindex.cache_dir() / f"nameindex-{fingerprint}.npz"
    with np.load(source, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    builds = []

    def build(*args, **kwargs):
        builds.append(1)
        return dict(arrays)

    monkeypatch.setenv("MAPAPP_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(nameindex, "build_arrays", build)
    nameindex.load_index.cache_clear()
    yield builds, arrays
    nameindex.load_index.cache_clear()  # the next test loads the real cache again


def npz(arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def fresh_load():
    nameindex.load_index.cache_clear()
    return nameindex.load_index()


def test_built_once_then_loaded(counted_builds, tmp_path):
    builds, _ = counted_builds
    first = fresh_load()
    (cached,) = tmp_path.glob("nameindex-*.npz")
    assert len(builds) == 1
    again = fresh_load()
    assert len(builds) == 1  # from the file
    assert again.lookup("kyiv").tolist() == first.lookup("kyiv").tolist()
    assert cached.read_bytes()[:2] == b"PK"  # an .npz (a zip of arrays), no pickle


@pytest.mark.parametrize("damage", ["garbage", "truncated", "missing column",
                                    "columns disagree", "a pickle"])
def test_a_damaged_cache_is_rebuilt_not_trusted(counted_builds, tmp_path, damage):
    builds, arrays = counted_builds
    fresh_load()
    (cached,) = tmp_path.glob("nameindex-*.npz")
    good = cached.read_bytes()
    if damage == "garbage":
        cached.write_bytes(b"not an index at all")
    elif damage == "truncated":
        cached.write_bytes(good[: len(good) // 2])
    elif damage == "missing column":
        cached.write_bytes(npz({k: v for k, v in arrays.items() if k != "lat"}))
    elif damage == "columns disagree":
        cached.write_bytes(npz({**arrays, "lat": arrays["lat"][:-5]}))
    else:  # an object array would need pickle to load: refused, never unpickled
        cached.write_bytes(npz({**arrays, "kind": np.array([object()], dtype=object)}))
    index = fresh_load()
    assert len(builds) == 2  # rebuilt
    assert len(index.lookup("kyiv"))
    assert cached.read_bytes() == good  # and written again, whole


def test_only_the_most_recently_used_indexes_are_kept(counted_builds, tmp_path):
    # Each update builds a new 60 MB index: the old ones must not pile up.
    old = []
    for n in range(5):
        stale = tmp_path / f"nameindex-old{n}.npz"
        stale.write_bytes(b"PK")
        os.utime(stale, (1_000_000 + n, 1_000_000 + n))
        old.append(stale)
    fresh_load()
    kept = sorted(p.name for p in tmp_path.glob("nameindex-*.npz"))
    assert len(kept) == nameindex.KEEP_INDEXES
    assert [p.name for p in old[-2:]] == [k for k in kept if "old" in k]  # newest stale ones
    # Loading an index from the cache makes it recent again.
    (current,) = [p for p in tmp_path.glob("nameindex-*.npz") if "old" not in p.name]
    os.utime(current, (1, 1))
    fresh_load()
    assert current.stat().st_mtime > old[-1].stat().st_mtime


def test_a_read_only_cache_folder_still_gives_an_index(counted_builds, tmp_path,
                                                      monkeypatch):
    builds, _ = counted_builds
    monkeypatch.setenv("MAPAPP_CACHE_DIR", str(tmp_path / "file-not-folder"))
    (tmp_path / "file-not-folder").write_text("x")
    index = fresh_load()
    assert len(builds) == 1 and len(index.lookup("lviv"))


def test_listed_names_are_added_or_taken_away_and_a_bad_target_is_named(tmp_path):
    builder = nameindex._Builder()
    iceland = builder.add("Iceland", "country", 65.0, -18.0, country="IS",
                          source="countryinfo:IS", aliases=["Island"])
    aliases = tmp_path / "aliases.json"
    aliases.write_text('{"aliases": [{"target": "country:IS", "names": ["Republic of Iceland"]}], '
                       '"not_names": [{"target": "country:IS", "names": ["Island"]}]}',
                       encoding="utf-8")
    nameindex._add_aliases(builder, aliases, {})
    assert iceland not in builder.postings.get("island", set())
    assert iceland in builder.postings["iceland"] and iceland in builder.postings[
        "republic of iceland"]
    aliases.write_text('{"not_names": [{"target": "country:XX", "names": ["Island"]}]}',
                       encoding="utf-8")
    with pytest.raises(nameindex.DataError, match=r"not_names\[0\] target 'country:XX'"):
        nameindex._add_aliases(builder, aliases, {})
