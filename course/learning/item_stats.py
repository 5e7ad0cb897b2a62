"""Item analysis: Moodle's quiz statistics for each question and for the whole quiz.

The formulas are Moodle's ("Quiz statistics calculations", Moodle developer documentation;
`question/classes/statistics/questions/calculator.php` and
`mod/quiz/report/statistics/classes/calculator.php`). With s attempts, x an item's mark, X the
attempt's total and Y = X - x the rest of the attempt (Y = X with `rest_is_total`), and every
variance and covariance over s - 1:

- facility = mean(x) / max mark; sd = SD(x) / max mark;
- discrimination = 100 cov(x, Y) / sqrt(var(x) var(Y)), the item-rest correlation;
- discriminative efficiency = 100 cov(x, Y) / covmax, where covmax is cov(x, Y) with x and Y each
  sorted ascending and paired in that order: the most an item with these marks could discriminate;
- effective weight = 100 sqrt(cov(x, X)) / the sum of sqrt(cov(x_j, X)) over the slots whose
  covariance is not negative (none for a negative one); intended weight = max mark / sum of them;
- for the quiz: mean, median, SD, skewness k3 / k2^1.5, kurtosis k4 / k2^2 (Fisher's k-statistics),
  CIC = 100 p/(p-1) (1 - sum of the p slots' var(x) / var(X)) (Cronbach's alpha, KR-20 for 0/1
  items), error ratio = 100 sqrt(1 - CIC/100) and standard error = error ratio x SD / 100.

Everything works on weighted cells, (x, X, attempts with that pair), so a service can pass rows the
database has already grouped. A value that is undefined for the data (no spread of marks, too few
attempts) is None, never an error or NaN. docs/item-analysis.md says what a trainer reads into each.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from course.content.schema import (
    Matching,
    MultipleResponse,
    Ordering,
    Question,
    SingleChoice,
    TrueFalse,
)

# (mark on this item, the attempt's total mark, attempts with that pair)
Cell = tuple[float, float, int]

# The flag thresholds (Moodle's report help and docs: "Quiz statistics report").
EFFICIENCY_FLOOR = 15.0  # percent: under it an item discriminates poorly for its spread of marks
FACILITY_LOW = 0.1  # under it almost no one gets the item right
FACILITY_HIGH = 0.9  # over it almost everyone does


class UndefinedStatistic(ValueError):
    """A statistic that the data cannot give (no spread of totals, too few items or subjects)."""


@dataclass(frozen=True)
class ItemStats:
    """One question's (or one slot's) statistics; percentages as Moodle's report shows them."""

    attempts: int
    facility: float | None  # mean(x)/max_mark, 0..1
    sd: float | None  # SD(x)/max_mark, 0..1 (s-1 denominators)
    random_guess: float | None
    covariance: float | None  # cov(x, X): feeds effective weight
    discrimination: float | None  # 100 * r(x, Y), Y = X - x (or X for rest_is_total)
    discriminative_efficiency: float | None  # 100 * cov(x, Y) / covmax
    flags: tuple[str, ...]  # sentences: why the item is dubious, empty when fine
    # Moodle's intermediate values, in marks (the columns of its qstats test data)
    mark_variance: float | None = None  # var(x): the slots' sum feeds the CIC
    rest_variance: float | None = None  # var(Y); Moodle's "othermarkvariance"
    rest_covariance: float | None = None  # cov(x, Y); Moodle's "covariance"
    covariance_max: float | None = None  # covmax; Moodle's "covariancemax"


@dataclass(frozen=True)
class TestStats:
    """The quiz's statistics over its attempts' total marks (in marks; CIC and ER in percent)."""

    __test__ = False  # a name pytest would otherwise try to collect

    attempts: int
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    cic: float | None
    error_ratio: float | None
    standard_error: float | None


# ---- per question ----


def item_statistics(
    cells: Iterable[Cell],
    *,
    max_mark: float = 1.0,
    random_guess: float | None = None,
    rest_is_total: bool = False,
) -> ItemStats:
    """Moodle's statistics for one item from (mark, total, attempts) cells.

    `rest_is_total=False` (Moodle's statistics of a position): Y = X - x, the rest of the attempt.
    Use it for a slot that every attempt fills, and for a question every attempt asks.
    `rest_is_total=True` (Moodle's rule for a question drawn by a random slot): Y = X. Use it for a
    question's own statistics when questions are drawn at random into slots, so it is asked in
    some attempts only and in any position. The item's own mark is then part of Y, which raises
    the discrimination a little, most on short quizzes.
    """
    kept = _cells(cells)
    attempts = sum(n for _, _, n in kept)
    if attempts == 0:
        return ItemStats(0, None, None, random_guess, None, None, None, ())
    marks = [(x, n) for x, _, n in kept]
    totals = [(total, n) for _, total, n in kept]
    rests = totals if rest_is_total else [(total - x, n) for x, total, n in kept]
    mean_x, mean_total, mean_rest = _mean(marks), _mean(totals), _mean(rests)
    facility = mean_x / max_mark if max_mark > 0 else None
    if attempts < 2:
        flags = _flags(facility, None, None)
        return ItemStats(attempts, facility, None, random_guess, None, None, None, flags)

    var_x = _covariance(marks, mean_x, marks, mean_x)
    var_rest = _covariance(rests, mean_rest, rests, mean_rest)
    cov_rest = _covariance(marks, mean_x, rests, mean_rest)
    cov_total = _covariance(marks, mean_x, totals, mean_total)
    cov_max = _paired_in_order(marks, mean_x, rests, mean_rest) / (attempts - 1)
    discrimination = 100 * cov_rest / math.sqrt(var_x * var_rest) if var_x * var_rest > 0 else None
    efficiency = 100 * cov_rest / cov_max if cov_max > 0 else None
    return ItemStats(
        attempts=attempts,
        facility=facility,
        sd=math.sqrt(var_x) / max_mark if max_mark > 0 else None,
        random_guess=random_guess,
        covariance=cov_total,
        discrimination=discrimination,
        discriminative_efficiency=efficiency,
        flags=_flags(facility, discrimination, efficiency),
        mark_variance=var_x,
        rest_variance=var_rest,
        rest_covariance=cov_rest,
        covariance_max=cov_max,
    )


def _cells(cells: Iterable[Cell]) -> list[Cell]:
    """The cells as floats and ints (a database may send Decimals), without empty ones."""
    kept: list[Cell] = []
    for mark, total, count in cells:
        if count < 0:
            raise ValueError(f"a cell counts {count} attempts: counts are 0 or more")
        if count:
            kept.append((float(mark), float(total), int(count)))
    return kept


def _mean(values: Sequence[tuple[float, int]]) -> float:
    """The weighted mean; exactly the value when all are equal, so a constant has variance 0."""
    low = min(v for v, _ in values)
    high = max(v for v, _ in values)
    if low == high:
        return low
    mean = math.fsum(v * n for v, n in values) / sum(n for _, n in values)
    return min(max(mean, low), high)


def _covariance(
    xs: Sequence[tuple[float, int]], mean_x: float, ys: Sequence[tuple[float, int]], mean_y: float
) -> float:
    """The covariance of two weighted lists that pair value by value (s - 1 denominator)."""
    terms = ((x - mean_x) * (y - mean_y) * n for (x, n), (y, _) in zip(xs, ys, strict=True))
    return math.fsum(terms) / (sum(n for _, n in xs) - 1)


def _paired_in_order(
    xs: Sequence[tuple[float, int]], mean_x: float, ys: Sequence[tuple[float, int]], mean_y: float
) -> float:
    """Sum of (x - mean_x)(y - mean_y) with x and y each sorted ascending and paired by rank.

    Walks the two sorted weighted lists at once, so a million attempts in a few cells are never
    expanded into a million rows.
    """
    left = sorted(xs)
    right = sorted(ys)
    i = j = 0
    left_count, right_count = left[0][1], right[0][1]
    terms: list[float] = []
    while True:
        taken = min(left_count, right_count)
        terms.append(taken * (left[i][0] - mean_x) * (right[j][0] - mean_y))
        left_count -= taken
        right_count -= taken
        if left_count == 0:
            i += 1
            if i == len(left):
                return math.fsum(terms)
            left_count = left[i][1]
        if right_count == 0:
            j += 1
            right_count = right[j][1]


def _flags(
    facility: float | None, discrimination: float | None, efficiency: float | None
) -> tuple[str, ...]:
    """Why an item is dubious, in words a trainer can act on (empty when it is fine).

    A negative efficiency always comes with a negative discrimination: it is reported once, as
    the discrimination, whose advice is the more urgent.
    """
    flags: list[str] = []
    if discrimination is not None and discrimination < 0:
        flags.append(
            "Those who did well overall tended to get this wrong "
            f"(discrimination {discrimination:.0f}): check the key, then the wording."
        )
    elif efficiency is not None and efficiency < EFFICIENCY_FLOOR:
        flags.append(
            "It barely tells stronger learners from weaker ones "
            f"(discriminative efficiency {efficiency:.0f} %, under {EFFICIENCY_FLOOR:.0f} %): "
            "look for an ambiguous stem or a distractor that strong learners choose."
        )
    if facility is not None and facility < FACILITY_LOW:
        flags.append(
            f"Almost no one gets it right (facility {100 * facility:.0f} %): "
            "check the key, and whether the course teaches this."
        )
    elif facility is not None and facility > FACILITY_HIGH:
        flags.append(
            f"Almost everyone gets it right (facility {100 * facility:.0f} %): "
            "it says little about who has learned what."
        )
    return tuple(flags)


def effective_weights(covariances: Sequence[float | None]) -> list[float | None]:
    """Each slot's share of the spread of totals, in percent, from its cov(x, X).

    A slot with a negative (or unknown) covariance has none, as in Moodle; when no slot has a
    positive covariance, none has one.
    """
    roots = [math.sqrt(c) if c is not None and c >= 0 else None for c in covariances]
    whole = math.fsum(r for r in roots if r is not None)
    if whole <= 0:
        return [None] * len(roots)
    return [100 * r / whole if r is not None else None for r in roots]


def intended_weights(max_marks: Sequence[float]) -> list[float]:
    """Each slot's share of the quiz's marks, in percent."""
    whole = math.fsum(max_marks)
    if any(m < 0 for m in max_marks) or (max_marks and whole <= 0):
        raise ValueError("intended weights need maximum marks of 0 or more, one at least above 0")
    return [100 * m / whole for m in max_marks]


def random_guess_score(question: Question) -> float | None:
    """The mean score of a learner who answers at random, as a fraction of the question's mark.

    - single choice: the mean of the options' scores, 1/(number of options), as in Moodle;
    - true/false: 0.5;
    - matching: 1/(number of pairs), the expected share of prompts matched right when each is
      given a random answer (or the answers a random order): each prompt is right with 1/n;
    - ordering: 1/(number of items) for a random order: each of the n-1 neighbouring pairs of the
      key is kept with probability 1/n, so (n-1)/n pairs of n-1 are right on average;
    - multiple response: None, as in Moodle: how many options a guesser ticks is not defined.
    """
    if isinstance(question, SingleChoice):
        return 1 / len(question.options)
    if isinstance(question, TrueFalse):
        return 0.5
    if isinstance(question, Matching):
        return 1 / len(question.pairs)
    if isinstance(question, Ordering):
        return 1 / len(question.items)
    if isinstance(question, MultipleResponse):
        return None
    raise ValueError(f"unknown question type {type(question).__name__}")


# ---- the whole quiz ----


def test_statistics(
    totals: Iterable[tuple[float, int]], slot_variances: Sequence[float]
) -> TestStats:
    """Moodle's statistics of the attempts' totals, from (total, attempts with it) pairs.

    `slot_variances` are the slots' var(x) (`ItemStats.mark_variance`) over the same attempts.
    SD needs 2 attempts; skewness, CIC, error ratio and standard error 3 (as in Moodle); kurtosis 4;
    all but the mean, median and SD need totals that differ.
    """
    kept = [(float(total), int(count)) for total, count in totals if count]
    if any(count < 0 for _, count in kept):
        raise ValueError("a total is counted a negative number of times")
    s = sum(count for _, count in kept)
    if s == 0:
        return TestStats(0, None, None, None, None, None, None, None, None)
    mean = _mean(kept)
    median = _median(kept, s)
    if s < 2:
        return TestStats(s, mean, median, None, None, None, None, None, None)
    power2, power3, power4 = (
        math.fsum(count * (total - mean) ** k for total, count in kept) for k in (2, 3, 4)
    )
    sd = math.sqrt(power2 / (s - 1))
    k2 = power2 / (s - 1)
    if s < 3 or k2 <= 0:
        return TestStats(s, mean, median, sd, None, None, None, None, None)
    m2, m3, m4 = power2 / s, power3 / s, power4 / s
    skewness = s * s * m3 / ((s - 1) * (s - 2)) / k2**1.5
    kurtosis = None
    if s > 3:
        k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
        kurtosis = k4 / (k2 * k2)
    cic = error_ratio = standard_error = None
    p = len(slot_variances)
    if p > 1:
        cic = 100 * p / (p - 1) * (1 - math.fsum(slot_variances) / k2)
        unexplained = 1 - cic / 100
        if unexplained >= 0:  # negative only when the variances come from other attempts
            error_ratio = 100 * math.sqrt(unexplained)
            standard_error = error_ratio * sd / 100
    return TestStats(s, mean, median, sd, skewness, kurtosis, cic, error_ratio, standard_error)


test_statistics.__test__ = False  # type: ignore[attr-defined]  # not a test, whatever its name


def _median(values: list[tuple[float, int]], s: int) -> float:
    """The middle total, or the mean of the two middle ones, from weighted totals."""
    wanted = {(s - 1) // 2, s // 2}  # 0-based ranks of the middle attempt(s)
    found: list[float] = []
    seen = 0
    for value, count in sorted(values):
        found += [value] * sum(1 for rank in wanted if seen <= rank < seen + count)
        seen += count
    return math.fsum(found) / len(found)


# ---- reliability of a matrix of scores ----


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float:
    """Cronbach's alpha of a subjects x items matrix: k/(k-1) (1 - sum of item variances / total
    variance), variances over n - 1. For 0/1 items it is KR-20.

    Raises UndefinedStatistic for fewer than 2 subjects or items, or totals that do not differ.
    """
    rows = [list(map(float, row)) for row in matrix]
    n = len(rows)
    k = len(rows[0]) if rows else 0
    if any(len(row) != k for row in rows):
        raise ValueError("every subject needs a score on every item")
    if n < 2 or k < 2:
        raise UndefinedStatistic("alpha needs at least 2 subjects and 2 items")
    item_variance = math.fsum(_variance([row[j] for row in rows]) for j in range(k))
    total_variance = _variance([math.fsum(row) for row in rows])
    if total_variance <= 0:
        raise UndefinedStatistic("alpha is undefined when every subject has the same total")
    return k / (k - 1) * (1 - item_variance / total_variance)


def _variance(values: Sequence[float]) -> float:
    mean = _mean([(v, 1) for v in values])
    return math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1)


def feldt_interval(
    alpha: float, subjects: int, items: int, level: float = 0.95
) -> tuple[float, float]:
    """Feldt's confidence interval for Cronbach's alpha (as pingouin computes it).

    With n subjects and k items, F has n-1 and (n-1)(k-1) degrees of freedom:
    lower = 1 - (1 - alpha) F.isf((1 - level)/2), upper = 1 - (1 - alpha) F.isf((1 + level)/2).
    """
    if subjects < 2 or items < 2:
        raise UndefinedStatistic("Feldt's interval needs at least 2 subjects and 2 items")
    if not 0 < level < 1:
        raise ValueError(f"a confidence level is between 0 and 1, not {level}")
    df1 = subjects - 1
    df2 = df1 * (items - 1)
    tail = (1 - level) / 2
    lower = 1 - (1 - alpha) * f_quantile(1 - tail, df1, df2)
    upper = 1 - (1 - alpha) * f_quantile(tail, df1, df2)
    return lower, upper


def f_quantile(p: float, df1: float, df2: float) -> float:
    """The value the F(df1, df2) distribution falls below with probability p (its ppf).

    P(F <= x) = I_t(df1/2, df2/2) with t = df1 x / (df1 x + df2); bisection finds t in (0, 1)
    to machine precision, then x = df2 t / (df1 (1 - t)).
    """
    if not 0 < p < 1:
        raise ValueError(f"a probability for a quantile is between 0 and 1, not {p}")
    if df1 <= 0 or df2 <= 0:
        raise ValueError("degrees of freedom are positive")
    low, high = 0.0, 1.0
    while True:
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if incomplete_beta(df1 / 2, df2 / 2, middle) < p:
            low = middle
        else:
            high = middle
    return df2 * middle / (df1 * (1 - middle))


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), by its continued fraction
    (Numerical Recipes, betai and betacf), using I_x(a, b) = 1 - I_(1-x)(b, a) where that
    converges faster."""
    if a <= 0 or b <= 0:
        raise ValueError("the beta function's parameters are positive")
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction for I_x(a, b), by the modified Lentz method (Numerical Recipes)."""
    tiny = 1e-300
    c = 1.0
    d = 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    # converges in O(sqrt(max(a, b))) steps: 10,000 covers a hundred million degrees of freedom
    for m in range(1, 10_001):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return h
