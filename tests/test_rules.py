"""The rule engine: first match wins, every table ends with a catch-all, explain names the deciding rule."""

from __future__ import annotations

import pytest

from normalize.explain import explain_line
from normalize.records.exclusions import EXCLUSION_RULES
from normalize.records.lines import LINE_KIND_RULES
from normalize.records.materials import MATERIAL_RULES
from normalize.records.steps import ACTOR_RULES, STEP_RULES
from normalize.records.timeframes import STATUS_RULES
from normalize.rules import Rule, always, first_match

TABLES = {
    "STEP_RULES": STEP_RULES, "ACTOR_RULES": ACTOR_RULES, "LINE_KIND_RULES": LINE_KIND_RULES,
    "STATUS_RULES": STATUS_RULES, "MATERIAL_RULES": MATERIAL_RULES, "EXCLUSION_RULES": EXCLUSION_RULES,
}


def test_first_match_wins() -> None:
    # two rules hold: the earlier row decides
    table = (Rule("small", lambda n: n < 10, "small"), Rule("even", lambda n: n % 2 == 0, "even"), Rule("any", always, "other"))
    assert [first_match(table, n).name for n in (4, 12, 13)] == ["small", "even", "any"]


def test_a_table_without_catch_all_fails_loudly() -> None:
    # a context no row covers is a bug in the table, not a silent default
    with pytest.raises(LookupError):
        first_match((Rule("never", lambda _: False, "x"),), 1)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_ends_with_a_catch_all_and_has_unique_names(name: str) -> None:
    # the last row always applies, and explain's names are unambiguous
    table = TABLES[name]
    assert table[-1].applies is always
    assert len({rule.name for rule in table}) == len(table)


@pytest.mark.parametrize(
    ("line", "block", "expected"),
    [
        ("工作人员审核材料并办理变更手续。", "办理流程", "step rule: actor-action"),  # an office acts in a procedure
        ("登录APP,点击参保地变更。", "办理流程", "step rule: instruction"),  # a plain instruction
        ("身份证、户口簿。", "所需材料", "material rule: material-list"),  # a documents list
        ("种植牙、烤瓷牙不在报销范围内。", "报销范围", "exclusion rule: negation-subject"),  # a negated subject
        ("转移时间已由原来的45个工作日压缩至15个工作日。", "办理时限", "timeframe status rule: superseded, current"),
    ],
)
def test_explain_line_names_the_deciding_rule(line: str, block: str, expected: str) -> None:
    assert expected in explain_line(line, "西宁医保参保地怎么变更?", block)
