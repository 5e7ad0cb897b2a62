"""Item statistics against published reference values: Moodle's quiz 00, pingouin's alpha, LSAT.

The reference files are copied into tests/data/itemanalysis/ (GPL test data, never shipped).
"""

from __future__ import annotations

import csv
import itertools
import json
import math
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from course.content.schema import Question
from course.learning import item_stats as stats
from course.learning.grading import grade
from tests.learning.builders import MATCHING, MULTIPLE, ORDERING, SINGLE, TRUE_FALSE

DATA = Path(__file__).resolve().parents[1] / "data" / "itemanalysis"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


# ---- Moodle quiz 00: 25 attempts x 7 slots, max mark 1 each ----

MOODLE_ROWS = read_csv(DATA / "moodle" / "results00.csv")
MARKS = [[float(row[f"slots.{slot}.mark"]) for slot in range(1, 8)] for row in MOODLE_ROWS]
QSTATS = {int(row["slot"]): row for row in read_csv(DATA / "moodle" / "qstats00.csv")}
QUIZ00 = json.loads((DATA / "moodle" / "expected_quiz00.json").read_text())["quiz_00_expected"]


def moodle_item(slot: int) -> stats.ItemStats:
    """Moodle sums the step marks for the per-question totals (not the rounded summarks)."""
    return stats.item_statistics((m[slot - 1], sum(m), 1) for m in MARKS)


# (our field, qstats00 column): qstats00's sd is in marks and its facility a fraction; with a
# max mark of 1 they equal ours. Its "covariance" is cov(x, Y), our rest_covariance.
ITEM_COLUMNS = [
    ("facility", "facility"),
    ("sd", "sd"),
    ("mark_variance", "markvariance"),
    ("rest_variance", "othermarkvariance"),
    ("rest_covariance", "covariance"),
    ("discrimination", "discriminationindex"),
    ("covariance_max", "covariancemax"),
    ("discriminative_efficiency", "discriminativeefficiency"),
]


@pytest.mark.parametrize("slot", range(1, 8))
@pytest.mark.parametrize(("field", "column"), ITEM_COLUMNS)
def test_item_statistics_reproduce_moodle_quiz_00(slot: int, field: str, column: str) -> None:
    # the file gives 10 significant figures; Moodle itself allows 1e-6 to 1e-5 relative
    expected = float(QSTATS[slot][column])
    assert getattr(moodle_item(slot), field) == pytest.approx(expected, rel=1e-7)


def test_effective_weights_reproduce_moodle_quiz_00() -> None:
    weights = stats.effective_weights([moodle_item(slot).covariance for slot in range(1, 8)])
    expected = [float(QSTATS[slot]["effectiveweight"]) for slot in range(1, 8)]
    assert weights == pytest.approx(expected, rel=1e-7)
    assert math.fsum(w for w in weights if w is not None) == pytest.approx(100)


def test_moodle_quiz_00_has_each_item_flagged_for_negative_discrimination() -> None:
    # random responses: every item discriminates negatively; slot 3 is also too easy (97 %)
    for slot in range(1, 8):
        flags = moodle_item(slot).flags
        assert flags[0].startswith("Those who did well overall tended to get this wrong")
    assert moodle_item(3).flags[1].startswith("Almost everyone gets it right (facility 97 %)")


def moodle_quiz() -> stats.TestStats:
    """The quiz level uses the attempts' summarks as Moodle stores them."""
    totals = Counter(float(row["summarks"]) for row in MOODLE_ROWS)
    variances = [moodle_item(slot).mark_variance for slot in range(1, 8)]
    assert all(v is not None for v in variances)
    return stats.test_statistics(totals.items(), [v for v in variances if v is not None])


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("median", "median"),
        ("mean", "allattemptsavg"),
        ("mean", "firstattemptsavg"),
        ("attempts", "allattemptscount"),
        ("sd", "standarddeviation"),
        ("skewness", "skewness"),
        ("kurtosis", "kurtosis"),
        ("cic", "cic"),
        ("error_ratio", "errorratio"),
        ("standard_error", "standarderror"),
    ],
)
def test_test_statistics_reproduce_moodle_quiz_00(field: str, key: str) -> None:
    expected = QUIZ00[key]
    assert getattr(moodle_quiz(), field) == pytest.approx(expected, abs=abs(expected) * 1.5e-5)


# ---- pingouin: 15 subjects x 10 Likert items ----


def pingouin_matrix() -> list[list[float]]:
    scores: dict[int, dict[str, float]] = {}
    for row in read_csv(DATA / "pingouin" / "cronbach_alpha.csv"):
        scores.setdefault(int(row["Subj"]), {})[row["Items"]] = float(row["Scores"])
    items = [f"Q{i}" for i in range(1, 11)]
    return [[scores[subject][item] for item in items] for subject in sorted(scores)]


def test_cronbach_alpha_reproduces_pingouin() -> None:
    expected = json.loads((DATA / "pingouin" / "expected.json").read_text())["expected"]
    matrix = pingouin_matrix()
    alpha = stats.cronbach_alpha(matrix)

    assert round(alpha, 6) == expected["cronbach_alpha"]  # 0.591719
    lower, upper = stats.feldt_interval(alpha, len(matrix), len(matrix[0]))
    assert [round(lower, 3), round(upper, 3)] == expected["ci95_feldt"]  # [0.195, 0.84]


def test_cronbach_alpha_equals_the_cic_of_the_same_scores() -> None:
    matrix = pingouin_matrix()
    columns = [[(row[j], sum(row), 1) for row in matrix] for j in range(10)]
    variances = [stats.item_statistics(c).mark_variance for c in columns]
    quiz = stats.test_statistics([(sum(row), 1) for row in matrix], [v or 0.0 for v in variances])
    assert quiz.cic == pytest.approx(100 * stats.cronbach_alpha(matrix), rel=1e-12)


def test_feldt_interval_widens_with_the_level_and_holds_alpha() -> None:
    narrow = stats.feldt_interval(0.6, 15, 10, level=0.5)
    wide = stats.feldt_interval(0.6, 15, 10, level=0.99)
    assert wide[0] < narrow[0] < 0.6 < narrow[1] < wide[1]


# ---- LSAT6 and LSAT7: 5 dichotomous items, 32 patterns with counts, 1000 subjects each ----

LSAT_PATTERNS = read_csv(DATA / "lsat" / "bock.table.csv")
LSAT_EXPECTED = json.loads((DATA / "lsat" / "expected.json").read_text())
LSAT = [("lsat6_Ob6", "Ob6"), ("lsat7_Ob7", "Ob7")]


def lsat_cells(column: str, item: int) -> list[stats.Cell]:
    cells = []
    for row in LSAT_PATTERNS:
        pattern = [float(row[f"Q{i}"]) for i in range(1, 6)]
        cells.append((pattern[item], sum(pattern), int(row[column])))
    return cells


def lsat_matrix(column: str) -> list[list[float]]:
    rows = []
    for row in LSAT_PATTERNS:
        rows += [[float(row[f"Q{i}"]) for i in range(1, 6)]] * int(row[column])
    return rows


@pytest.mark.parametrize(("name", "column"), LSAT)
def test_lsat_kr20_from_grouped_patterns_and_from_the_expanded_matrix(
    name: str, column: str
) -> None:
    expected = LSAT_EXPECTED[name]
    items = [stats.item_statistics(lsat_cells(column, i)) for i in range(5)]
    totals: Counter[float] = Counter()
    for _, total, count in lsat_cells(column, 0):
        totals[total] += count
    quiz = stats.test_statistics(totals.items(), [i.mark_variance or 0.0 for i in items])

    assert quiz.attempts == expected["n"] == 1000
    assert quiz.cic is not None and round(quiz.cic / 100, 6) == expected["kr20_equals_alpha"]
    assert round(stats.cronbach_alpha(lsat_matrix(column)), 6) == expected["kr20_equals_alpha"]
    assert quiz.mean == pytest.approx(expected["mean_total"], abs=5e-4)
    assert quiz.sd is not None and round(quiz.sd**2, 6) == expected["var_total_ddof1"]
    assert [i.facility for i in items] == pytest.approx(expected["p"], abs=5e-4)


@pytest.mark.parametrize(("name", "column"), LSAT)
def test_lsat_discrimination_is_the_item_rest_correlation(name: str, column: str) -> None:
    rest = [stats.item_statistics(lsat_cells(column, i)).discrimination for i in range(5)]
    expected = LSAT_EXPECTED[name]["point_biserial_with_rest_score"]
    assert [round((d or 0) / 100, 4) for d in rest] == expected


@pytest.mark.parametrize(("name", "column"), LSAT)
def test_lsat_rest_is_total_gives_the_correlation_with_the_total(name: str, column: str) -> None:
    cells = [lsat_cells(column, i) for i in range(5)]
    total = [stats.item_statistics(c, rest_is_total=True).discrimination for c in cells]
    expected = LSAT_EXPECTED[name]["point_biserial_with_total_including_item"]
    assert [round((d or 0) / 100, 4) for d in total] == expected


@pytest.mark.parametrize(("name", "column"), LSAT)
def test_lsat_alpha_if_item_deleted(name: str, column: str) -> None:
    matrix = lsat_matrix(column)
    dropped = [stats.cronbach_alpha([r[:i] + r[i + 1 :] for r in matrix]) for i in range(5)]
    assert [round(a, 4) for a in dropped] == LSAT_EXPECTED[name]["alpha_if_item_deleted"]


# ---- weighted cells are the expanded rows ----


def as_dict(result: Any) -> dict[str, Any]:
    return dict(vars(result))


def assert_same(grouped: Any, expanded: Any) -> None:
    a, b = as_dict(grouped), as_dict(expanded)
    assert a.keys() == b.keys()
    for key in a:
        if isinstance(a[key], float):
            assert a[key] == pytest.approx(b[key], rel=1e-12, abs=1e-12), key
        else:
            assert a[key] == b[key], key


@pytest.mark.parametrize("slot", range(1, 8))
def test_item_statistics_grouped_cells_equal_one_cell_per_attempt(slot: int) -> None:
    rows = [(m[slot - 1], sum(m)) for m in MARKS]
    grouped = Counter(rows)
    assert len(grouped) < len(rows)  # some attempts share a cell
    assert_same(
        stats.item_statistics([(x, t, n) for (x, t), n in grouped.items()]),
        stats.item_statistics([(x, t, 1) for x, t in rows]),
    )


@pytest.mark.parametrize("item", range(5))
def test_item_statistics_of_lsat_patterns_equal_the_thousand_rows(item: int) -> None:
    cells = lsat_cells("Ob6", item)
    rows = [(x, t, 1) for x, t, n in cells for _ in range(n)]
    assert len(rows) == 1000
    for rest_is_total in (False, True):
        assert_same(
            stats.item_statistics(cells, rest_is_total=rest_is_total),
            stats.item_statistics(rows, rest_is_total=rest_is_total),
        )


def test_test_statistics_grouped_totals_equal_one_per_attempt() -> None:
    totals = [float(row["summarks"]) for row in MOODLE_ROWS]
    variances = [0.2, 0.25, 0.02, 0.22, 0.1, 0.24, 0.11]
    assert_same(
        stats.test_statistics(Counter(totals).items(), variances),
        stats.test_statistics([(t, 1) for t in totals], variances),
    )


def test_item_statistics_do_not_expand_a_billion_attempts() -> None:
    # correlations and the efficiency are ratios: multiplying every count leaves them as they are
    cells = lsat_cells("Ob7", 2)
    small = stats.item_statistics(cells)
    huge = stats.item_statistics([(x, t, n * 10**9) for x, t, n in cells])
    assert huge.attempts == 1000 * 10**9
    assert huge.facility == pytest.approx(small.facility, rel=1e-12)
    assert huge.discrimination == pytest.approx(small.discrimination, rel=1e-12)
    assert huge.discriminative_efficiency == pytest.approx(small.discriminative_efficiency)


def test_item_statistics_take_decimals_and_skip_empty_cells() -> None:
    # PostgreSQL sums come back as Decimal; a cell with no attempts counts for nothing
    cells = [(Decimal("1"), Decimal("3.5"), 2), (Decimal("0"), Decimal("1.5"), 3)]
    plain = stats.item_statistics([(1.0, 3.5, 2), (0.0, 1.5, 3)])
    assert stats.item_statistics([*cells, (0.5, 2.0, 0)]) == plain  # type: ignore[list-item]


def test_item_statistics_refuse_a_negative_count() -> None:
    with pytest.raises(ValueError, match="counts are 0 or more"):
        stats.item_statistics([(1.0, 2.0, -1)])


def test_max_mark_scales_facility_and_sd_but_not_discrimination() -> None:
    rows = [(m[0], sum(m), 1) for m in MARKS]
    # the item's marks doubled, so each total gains x and the rest of the attempt is unchanged
    double = stats.item_statistics([(2 * x, t + x, n) for x, t, n in rows], max_mark=2.0)
    one = stats.item_statistics(rows)
    assert double.facility == pytest.approx(one.facility)
    assert double.sd == pytest.approx(one.sd)
    assert double.discrimination == pytest.approx(one.discrimination)


def test_rest_is_total_pairs_the_item_with_the_whole_total() -> None:
    slot = moodle_item(1)
    whole = stats.item_statistics(((m[0], sum(m), 1) for m in MARKS), rest_is_total=True)
    assert whole.rest_covariance == pytest.approx(slot.covariance)  # cov(x, X)
    assert whole.covariance == slot.covariance
    totals = stats.test_statistics(Counter(sum(m) for m in MARKS).items(), [])
    assert totals.sd is not None
    assert whole.rest_variance == pytest.approx(totals.sd**2)  # var(X)


# ---- flags ----

STRONG = [(1.0, 9.0, 10), (1.0, 8.0, 10), (0.0, 2.0, 10), (0.0, 1.0, 10)]


def test_a_discriminating_item_of_middling_facility_has_no_flags() -> None:
    item = stats.item_statistics(STRONG)
    assert item.facility == 0.5
    assert item.discriminative_efficiency == pytest.approx(100)
    assert item.flags == ()


def test_negative_discrimination_is_flagged_with_advice_to_check_the_key() -> None:
    item = stats.item_statistics([(1 - x, t, n) for x, t, n in STRONG])
    assert item.discrimination is not None and item.discrimination < 0
    assert item.flags == (
        "Those who did well overall tended to get this wrong "
        f"(discrimination {item.discrimination:.0f}): check the key, then the wording.",
    )
    assert item.discriminative_efficiency is not None and item.discriminative_efficiency < 0
    assert not any("efficiency" in flag for flag in item.flags)  # said once, as discrimination


def test_weak_efficiency_is_flagged_with_its_figure() -> None:
    # the right answers are spread almost evenly over strong and weak attempts (efficiency 5 %)
    cells = [(1.0, 10.0, 10), (1.0, 2.0, 9), (0.0, 8.0, 9), (0.0, 2.0, 10)]
    item = stats.item_statistics(cells)
    assert item.discriminative_efficiency is not None
    assert 0 <= item.discriminative_efficiency < stats.EFFICIENCY_FLOOR
    assert len(item.flags) == 1
    assert item.flags[0].startswith("It barely tells stronger learners from weaker ones")
    assert "(discriminative efficiency 5 %, under 15 %)" in item.flags[0]


def test_facility_outside_a_tenth_to_nine_tenths_is_flagged() -> None:
    hard = stats.item_statistics([(1.0, 9.0, 1), (0.0, 8.0, 10), (0.0, 1.0, 10)])
    easy = stats.item_statistics([(0.0, 1.0, 1), (1.0, 8.0, 10), (1.0, 9.0, 10)])
    edge = stats.item_statistics([(1.0, 9.0, 1), (0.0, 8.0, 5), (0.0, 1.0, 4)])
    assert hard.flags[-1] == (
        "Almost no one gets it right (facility 5 %): "
        "check the key, and whether the course teaches this."
    )
    assert easy.flags[-1].startswith("Almost everyone gets it right (facility 95 %)")
    assert edge.facility == 0.1
    assert not any("facility" in flag for flag in edge.flags)


# ---- undefined values are None ----


def test_no_attempts_give_no_statistics() -> None:
    item = stats.item_statistics([], random_guess=0.25)
    assert item == stats.ItemStats(0, None, None, 0.25, None, None, None, ())
    assert stats.test_statistics([], [0.1, 0.2]) == stats.TestStats(
        0, None, None, None, None, None, None, None, None
    )


def test_one_attempt_gives_its_facility_and_nothing_that_needs_a_spread() -> None:
    item = stats.item_statistics([(1.0, 4.0, 1)])
    assert item.attempts == 1 and item.facility == 1.0
    assert (item.sd, item.covariance, item.discrimination) == (None, None, None)
    assert item.discriminative_efficiency is None
    assert item.flags == (
        "Almost everyone gets it right (facility 100 %): "
        "it says little about who has learned what.",
    )
    quiz = stats.test_statistics([(4.0, 1)], [0.1, 0.2])
    assert (quiz.mean, quiz.median) == (4.0, 4.0)
    assert (quiz.sd, quiz.skewness, quiz.kurtosis, quiz.cic) == (None, None, None, None)


def test_same_marks_for_everyone_give_none_not_errors() -> None:
    # 0.1 three times: a naive mean is 0.10000000000000002 and the variance 1e-34, not 0
    item = stats.item_statistics([(0.1, 0.7, 1), (0.1, 0.7, 1), (0.1, 0.7, 1)])
    assert (item.sd, item.mark_variance, item.covariance) == (0.0, 0.0, 0.0)
    assert item.discrimination is None and item.discriminative_efficiency is None
    quiz = stats.test_statistics([(0.7, 3)], [0.0, 0.0])
    assert quiz.sd == 0.0
    assert (quiz.skewness, quiz.kurtosis, quiz.cic, quiz.error_ratio) == (None,) * 4


def test_an_item_everyone_gets_right_has_no_discrimination() -> None:
    item = stats.item_statistics([(1.0, 5.0, 4), (1.0, 2.0, 6)])
    assert item.rest_variance is not None and item.rest_variance > 0
    assert (item.discrimination, item.discriminative_efficiency) == (None, None)
    assert item.flags[0].startswith("Almost everyone gets it right (facility 100 %)")


def test_skewness_needs_three_attempts_and_kurtosis_four() -> None:
    two = stats.test_statistics([(1.0, 1), (3.0, 1)], [0.5, 0.5])
    three = stats.test_statistics([(1.0, 1), (2.0, 1), (6.0, 1)], [0.5, 0.5])
    four = stats.test_statistics([(1.0, 2), (2.0, 1), (6.0, 1)], [0.5, 0.5])
    assert two.sd == pytest.approx(math.sqrt(2)) and two.median == 2.0
    assert (two.skewness, two.kurtosis, two.cic) == (None, None, None)
    assert three.skewness is not None and three.skewness > 0 and three.kurtosis is None
    assert four.kurtosis is not None and four.median == 1.5


def test_one_slot_has_no_internal_consistency() -> None:
    quiz = stats.test_statistics([(0.0, 3), (1.0, 4)], [0.3])
    assert quiz.sd is not None and quiz.cic is None and quiz.standard_error is None


def test_effective_weights_leave_out_negative_covariances() -> None:
    assert stats.effective_weights([4.0, None, -1.0, 1.0]) == [
        pytest.approx(100 * 2 / 3),
        None,
        None,
        pytest.approx(100 / 3),
    ]
    assert stats.effective_weights([-0.5, None]) == [None, None]
    assert stats.effective_weights([]) == []


def test_intended_weights_are_shares_of_the_marks() -> None:
    assert stats.intended_weights([1.0, 1.0, 2.0]) == [25.0, 25.0, 50.0]
    assert stats.intended_weights([]) == []
    with pytest.raises(ValueError, match="one at least above 0"):
        stats.intended_weights([0.0, 0.0])


def test_cronbach_alpha_refuses_what_it_cannot_measure() -> None:
    with pytest.raises(stats.UndefinedStatistic, match="same total"):
        stats.cronbach_alpha([[1, 0], [0, 1], [1, 0]])
    with pytest.raises(stats.UndefinedStatistic, match="at least 2 subjects and 2 items"):
        stats.cronbach_alpha([[1, 0, 1]])
    with pytest.raises(ValueError, match="every item"):
        stats.cronbach_alpha([[1, 0], [1]])


def test_the_reference_names_are_not_collected_as_tests() -> None:
    assert stats.test_statistics.__test__ is False  # type: ignore[attr-defined]
    assert stats.TestStats.__test__ is False


# ---- random guess score ----


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param(SINGLE, 1 / 4, id="single-4-options"),
        pytest.param(TRUE_FALSE, 0.5, id="true-false"),
        pytest.param(MATCHING, 1 / 4, id="matching-4-pairs"),
        pytest.param(ORDERING, 1 / 4, id="ordering-4-items"),
        pytest.param(MULTIPLE, None, id="multiple-response-as-moodle"),
    ],
)
def test_random_guess_score_by_type(question: Question, expected: float | None) -> None:
    assert stats.random_guess_score(question) == expected


def mean_grade(question: Question, responses: list[dict[str, Any]]) -> float:
    return math.fsum(grade(question, r) for r in responses) / len(responses)


def test_random_guess_scores_are_the_mean_grade_of_every_guess() -> None:
    # exhaustive: every option, every order, every way of answering each prompt
    assert stats.random_guess_score(SINGLE) == mean_grade(
        SINGLE, [{"choice": o.id} for o in SINGLE.options]
    )
    assert stats.random_guess_score(TRUE_FALSE) == mean_grade(
        TRUE_FALSE, [{"value": True}, {"value": False}]
    )
    items = [i.id for i in ORDERING.items]
    orders = [{"order": list(p)} for p in itertools.permutations(items)]
    # grades are kept to 4 decimals (1/3 is 0.3333), so the mean is 1/4 to 1e-4
    assert stats.random_guess_score(ORDERING) == pytest.approx(
        mean_grade(ORDERING, orders), abs=1e-4
    )
    pairs = [p.id for p in MATCHING.pairs]
    any_answer = [
        {"matches": dict(zip(pairs, answers, strict=True))}
        for answers in itertools.product(pairs, repeat=len(pairs))
    ]
    each_once = [
        {"matches": dict(zip(pairs, p, strict=True))} for p in itertools.permutations(pairs)
    ]
    assert stats.random_guess_score(MATCHING) == pytest.approx(mean_grade(MATCHING, any_answer))
    assert stats.random_guess_score(MATCHING) == pytest.approx(mean_grade(MATCHING, each_once))


# ---- the F distribution behind Feldt's interval ----


@pytest.mark.parametrize(
    ("p", "df1", "df2", "table"),
    [
        (0.95, 1, 1, 161.45),  # printed F tables, upper 5 % points
        (0.95, 2, 10, 4.10),
        (0.95, 10, 20, 2.35),
        (0.95, 4, 30, 2.69),
        (0.99, 5, 10, 5.64),  # upper 1 % points
        (0.99, 12, 60, 2.50),
    ],
)
def test_f_quantile_matches_printed_tables(p: float, df1: int, df2: int, table: float) -> None:
    assert round(stats.f_quantile(p, df1, df2), 2) == table


@pytest.mark.parametrize("p", [0.025, 0.3, 0.5, 0.95, 0.999])
@pytest.mark.parametrize("df2", [1, 2, 7, 126])
def test_f_quantile_with_two_numerator_degrees_has_a_closed_form(p: float, df2: int) -> None:
    # F(2, d) has P(F <= x) = 1 - (1 + 2x/d)^(-d/2)
    expected = df2 / 2 * ((1 - p) ** (-2 / df2) - 1)
    assert stats.f_quantile(p, 2, df2) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("p", [0.05, 0.5, 0.975])
def test_f_quantile_one_and_one_is_a_squared_cauchy(p: float) -> None:
    assert stats.f_quantile(p, 1, 1) == pytest.approx(math.tan(math.pi * p / 2) ** 2, rel=1e-9)


@pytest.mark.parametrize(("df1", "df2"), [(14, 126), (3, 8), (40, 5)])
def test_f_quantile_of_the_reciprocal_swaps_the_degrees(df1: int, df2: int) -> None:
    assert stats.f_quantile(0.025, df1, df2) == pytest.approx(
        1 / stats.f_quantile(0.975, df2, df1), rel=1e-9
    )


@pytest.mark.parametrize("x", [0.01, 0.3, 0.5, 0.77, 0.999])
def test_incomplete_beta_matches_its_closed_forms(x: float) -> None:
    assert stats.incomplete_beta(1, 1, x) == pytest.approx(x, rel=1e-12)
    assert stats.incomplete_beta(3.5, 1, x) == pytest.approx(x**3.5, rel=1e-12)
    assert stats.incomplete_beta(1, 6, x) == pytest.approx(1 - (1 - x) ** 6, rel=1e-12)
    assert stats.incomplete_beta(2.5, 40, x) == pytest.approx(
        1 - stats.incomplete_beta(40, 2.5, 1 - x), abs=1e-14
    )
    assert stats.incomplete_beta(7.5, 7.5, 0.5) == pytest.approx(0.5, rel=1e-12)


def test_f_quantile_refuses_a_probability_outside_zero_to_one() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        stats.f_quantile(1.0, 3, 4)
