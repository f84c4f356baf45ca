"""The Chinese titles people use resolve: to a role, or through classify to a level and function."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.conftest import invoke

# The titles issue 13 lists, with the role each names where the catalogue has one.
TITLES = {
    "总经理": "general-manager",
    "董事长": "chair",
    "副董事长": "vice-chair",
    "总裁": "president",
    "副总裁": None,  # a rank (vice president), not a role: classify reads it
    "董事会秘书": "company-secretary",
    "董秘": "company-secretary",
    "财务总监": "cfo",
    "首席人力资源官": "chro",
    "首席市场官": "cmo",
    "首席法务官": "clo-legal",
    "首席数字官": "cdo-digital",
    "首席创新官": "cio-innovation",
    "首席供应链官": None,  # no source gives it for the CSCO: classify reads it
    "数据保护官": "dpo",
}


@pytest.mark.parametrize(("title", "role_id"), list(TITLES.items()))
def test_chinese_title_resolves(runner: CliRunner, title: str, role_id: str | None) -> None:
    """A lookup answers the role; otherwise classify gives a level and a function."""
    if role_id is not None:
        result = invoke(runner, title, "--json")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["id"] == role_id
    else:
        data = json.loads(invoke(runner, "classify", title, "--json").stdout)
        assert data["level"] is not None
        assert data["function"] is not None


def test_every_role_states_its_chinese_name(runner: CliRunner) -> None:
    """Every role's JSON has zh: a name, or null where no source gives one."""
    roles = json.loads(invoke(runner, "list", "--json").stdout)
    assert all("zh" in role for role in roles)
    assert sum(role["zh"] is not None for role in roles) >= 40
