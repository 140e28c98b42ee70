"""Saving results and files: PNG mapping by the options only, all-or-none writes, and file permissions."""

import math
import os
import stat
import sys

import numpy as np
import pytest
from PIL import Image

import engine
from engine.saving import atomic_write_bytes, save_results, to_display_uint8


def png_values(path):
    return np.asarray(Image.open(path)).tolist()


def raw_reference(values):
    peak = max(abs(v) for row in values for v in row)
    return [[128 if peak == 0 else min(max(math.floor(128 + 127 * (v / peak) + 0.5), 0), 255) for v in row]
            for row in values]


def test_npy_holds_exact_values_and_png_the_raw_mapping(tmp_path):
    raw = np.array([[-2.0, 0.0], [1.0, 2.0]], dtype=np.float32)
    engine.save_result(tmp_path / "r.npy", raw, "raw")
    assert np.load(tmp_path / "r.npy").tolist() == raw.tolist()
    engine.save_result(tmp_path / "r.png", raw, "raw")
    assert png_values(tmp_path / "r.png") == [[1, 128], [192, 255]] == raw_reference(raw.tolist())
    with pytest.raises(engine.ImageError, match=".png"):
        engine.save_result(tmp_path / "r.gif", raw, "raw")


def test_raw_png_of_values_that_look_like_8_bit_pixels_is_still_scaled(tmp_path):
    # an identity kernel in raw mode gives whole numbers in 0..255; the README's mapping still applies
    values = np.array([[0.0, 10.0], [100.0, 200.0]], dtype=np.float32)
    engine.save_result(tmp_path / "r.png", values, "raw")
    assert png_values(tmp_path / "r.png") == raw_reference(values.tolist()) == [[128, 134], [192, 255]]


def test_all_zero_raw_result_is_gray_128(tmp_path):
    engine.save_result(tmp_path / "z.png", np.zeros((2, 3), np.float32), "raw")
    assert png_values(tmp_path / "z.png") == [[128] * 3] * 2


def test_clamp_png_keeps_the_values_even_when_avg_pooling_made_them_float(tmp_path):
    black = np.zeros((2, 2), np.float32)  # avg pooling of an all-black clamp result
    engine.save_result(tmp_path / "b.png", black, "clamp")
    assert png_values(tmp_path / "b.png") == [[0, 0], [0, 0]]
    avg = np.array([[0.25, 0.5, 1.5], [254.5, 255.0, 17.75]], dtype=np.float32)
    engine.save_result(tmp_path / "a.png", avg, "clamp")
    assert png_values(tmp_path / "a.png") == [[math.floor(v + 0.5) for v in row] for row in avg.tolist()]


def test_clamp_png_clips_a_lab_results_wider_integer_margin(tmp_path):
    lab = np.array([[-5, 300], [12, 255]], dtype=np.int64)
    engine.save_result(tmp_path / "l.png", lab, "clamp")
    assert png_values(tmp_path / "l.png") == [[0, 255], [12, 255]]


def test_the_mapping_depends_on_the_output_range_only():
    data = np.array([[0.0, 100.0]], dtype=np.float32)
    assert to_display_uint8(data, "clamp").tolist() == [[0, 100]]
    assert to_display_uint8(data, "raw").tolist() == [[128, 255]]
    with pytest.raises(engine.ImageError):
        to_display_uint8(data, "wide")


def test_several_outputs_are_written_all_or_none_and_the_error_names_the_users_path(tmp_path):
    (tmp_path / "folder.png").mkdir()
    (tmp_path / "c.npy").write_bytes(b"old")
    with pytest.raises(OSError) as info:
        save_results([(tmp_path / "c.npy", np.ones((2, 2), np.uint8)),
                      (tmp_path / "folder.png", np.ones((1, 1), np.uint8))], "clamp")
    assert str(tmp_path / "folder.png") in str(info.value) and ".tmp" not in str(info.value)
    assert (tmp_path / "c.npy").read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["c.npy", "folder.png"]


def test_a_failing_writer_leaves_no_temp_file_and_keeps_the_old_file(tmp_path):
    (tmp_path / "s.json").write_bytes(b"old")
    with pytest.raises(engine.ImageError, match="empty"):
        save_results([(tmp_path / "a.npy", np.ones((1, 1))), (tmp_path / "s.png", np.ones((0, 2)))], "clamp")
    assert sorted(os.listdir(tmp_path)) == ["s.json"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_new_files_get_the_mode_the_umask_gives(tmp_path, umask):
    old = os.umask(umask)
    try:
        engine.save_result(tmp_path / "c.png", np.ones((2, 2), np.uint8), "clamp")
        engine.save_result(tmp_path / "c.npy", np.ones((2, 2), np.uint8), "clamp")
        engine.save_session(tmp_path / "s.json", engine.Session(None))
        engine.save_presets(tmp_path / "p.json", [])
    finally:
        os.umask(old)
    for name in ("c.png", "c.npy", "s.json", "p.json"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o666 & ~umask, name


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_replaced_file_keeps_its_mode(tmp_path):
    path = tmp_path / "s.json"
    path.write_bytes(b"{}")
    os.chmod(path, 0o640)
    old = os.umask(0o077)
    try:
        engine.save_session(path, engine.Session(None))
        atomic_write_bytes(path, b"new")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640 and path.read_bytes() == b"new"


def test_a_write_into_a_missing_folder_or_onto_a_folder_says_so_in_words(tmp_path):
    """The window showed these errors as Python writes them ("[Errno 2] No such file or directory: '...'")."""
    from engine.saving import atomic_write_bytes

    for target, why in ((tmp_path / "missing" / "s.json", "No such file or directory"), (tmp_path, "is a folder")):
        with pytest.raises(OSError) as info:
            atomic_write_bytes(target, b"{}")
        assert str(info.value) == f"{target}: cannot be written ({why})"
