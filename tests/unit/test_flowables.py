"""The plain-text flowables shared by the score sheet and the consolidated report."""

from __future__ import annotations

from tic_desktop.reports.flowables import Grid, Line, lines
from tic_desktop.reports.pdftext import break_lines, width
from tic_desktop.reports.qr import styles


def test_an_opening_bracket_never_ends_a_line() -> None:
    font = styles().font
    text = "2026年第1批 综合性技术创新中心建设方案论证（TJTIC-2026-01）"
    avail = width("2026年第1批 综合性技术创新中心建设方案论证（TJT", font, 9.5)
    got = break_lines(text, avail, font, 9.5)
    assert "".join(got) == text
    assert all(not line.endswith("（") for line in got)
    assert got[1].startswith("（TJTIC-2026-01")  # the code stays whole, with its bracket


def test_a_cell_in_two_styles_is_as_tall_as_its_lines() -> None:
    font = styles().font
    guidance = lines("等级：优 9–10；良 7.5–<9\n评定：良", 100, font, 8, 10.5)
    comment = lines("评语：技术路线清楚", 100, font, 9.5, 13.5)
    grid = Grid([["1.1", guidance + comment]], [30, 110], font, 9.5, pad_y=5.5)
    assert grid.heights == [2 * 10.5 + 13.5 + 5.5]
    assert all(isinstance(x, Line) for x in guidance + comment)


def test_a_split_grid_repeats_its_header_and_keeps_cell_settings() -> None:
    font = styles().font
    rows = [["序号", "指标"]] + [[str(i), f"第{i}项"] for i in range(40)]
    grid = Grid(rows, [30, 100], font, 9.5, header=1, aligns={(1, 5): "right"}, h_align="CENTER")
    first, rest = grid.split(130, 200)
    assert first.rows[0] == rest.rows[0] == ["序号", "指标"]
    assert len(first.rows) + len(rest.rows) == len(rows) + 1
    assert rest.hAlign == "CENTER" and first.aligns == {(1, 5): "right"}
