"""Who may manage a group room's lines (bot/core/permissions.py): power levels, and room version 12's
creators who outrank everyone without being listed."""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.permissions import can_manage, creators_outrank, user_level

ALICE = "@alice:x"  # the room's creator
BOB = "@bob:x"  # an additional creator (v12)
CAROL = "@carol:x"  # a moderator
DAVE = "@dave:x"  # nobody in particular

OLD = [str(v) for v in range(1, 12)]
NEW = ["12", "13", "99", "org.example.future-room-version"]


# --- room versions ----------------------------------------------------------------------------


@pytest.mark.parametrize("version", OLD)
def test_versions_1_to_11_do_not_give_creators_any_rank(version: str) -> None:
    assert not creators_outrank(version)


@pytest.mark.parametrize("version", NEW)
def test_version_12_and_unknown_future_versions_let_creators_outrank(version: str) -> None:
    assert creators_outrank(version)


def test_an_unknown_room_version_is_not_treated_as_12() -> None:
    assert not creators_outrank(None)


# --- old versions: power_levels only -----------------------------------------------------------


@pytest.mark.parametrize("version", [*OLD, None])
def test_old_versions_use_power_levels_only(version: str | None) -> None:
    users = {ALICE: 100, CAROL: 50}
    kw = dict(users=users, creators=(ALICE, BOB), room_version=version)
    assert user_level(ALICE, **kw) == 100
    assert user_level(CAROL, **kw) == 50
    # A creator not listed in users has the default level like anyone else.
    assert user_level(BOB, **kw) == 0
    assert can_manage(ALICE, required=50, **kw)
    assert can_manage(CAROL, required=50, **kw)
    assert not can_manage(BOB, required=50, **kw)
    assert not can_manage(DAVE, required=50, **kw)


@pytest.mark.parametrize("version", OLD)
def test_old_versions_a_creator_demoted_in_power_levels_is_demoted(version: str) -> None:
    kw = dict(users={ALICE: 0, CAROL: 100}, creators=(ALICE,), room_version=version)
    assert user_level(ALICE, **kw) == 0
    assert not can_manage(ALICE, required=50, **kw)


# --- version 12 and later: creators outrank everyone ---------------------------------------------


@pytest.mark.parametrize("version", NEW)
def test_v12_creators_have_top_rank_even_when_not_listed(version: str) -> None:
    kw = dict(users={CAROL: 50}, creators=(ALICE, BOB), room_version=version)
    assert user_level(ALICE, **kw) == math.inf
    assert user_level(BOB, **kw) == math.inf  # an additional creator
    assert user_level(CAROL, **kw) == 50
    assert user_level(DAVE, **kw) == 0
    for required in (0, 50, 100, 1_000_000):
        assert can_manage(ALICE, required=required, **kw)
        assert can_manage(BOB, required=required, **kw)
    assert can_manage(CAROL, required=50, **kw)
    assert not can_manage(CAROL, required=51, **kw)
    assert not can_manage(DAVE, required=50, **kw)


@pytest.mark.parametrize("version", NEW)
def test_v12_creators_outrank_even_a_stale_zero_in_users(version: str) -> None:
    # A v12 power_levels event should not list creators; if it does, it does not demote them.
    kw = dict(users={ALICE: 0}, users_default=0, creators=(ALICE,), room_version=version)
    assert user_level(ALICE, **kw) == math.inf
    assert can_manage(ALICE, required=100, **kw)


def test_v12_without_known_creators_is_power_levels_only() -> None:
    kw = dict(users={CAROL: 100}, creators=(), room_version="12")
    assert user_level(ALICE, **kw) == 0
    assert not can_manage(ALICE, required=50, **kw)
    assert can_manage(CAROL, required=50, **kw)


# --- users_default and thresholds ----------------------------------------------------------------


def test_users_default_applies_to_unlisted_users_only() -> None:
    kw = dict(users={CAROL: 10}, users_default=50, room_version="10")
    assert user_level(DAVE, **kw) == 50
    assert can_manage(DAVE, required=50, **kw)
    # A listed user's own level wins, even when lower than the default.
    assert user_level(CAROL, **kw) == 10
    assert not can_manage(CAROL, required=50, **kw)


def test_thresholds_are_inclusive() -> None:
    users = {CAROL: 50, DAVE: 49}
    assert can_manage(CAROL, required=50, users=users)
    assert not can_manage(DAVE, required=50, users=users)
    assert can_manage(DAVE, required=49, users=users)
    # Required 0: everyone with the default level 0 may manage.
    assert can_manage("@anyone:x", required=0, users={})
    # Negative levels exist in the wild: below a required 0.
    assert not can_manage(DAVE, required=0, users={DAVE: -1})


def test_defaults_of_the_keyword_arguments() -> None:
    # No creators, no version: plain power levels with users_default 0.
    assert user_level(DAVE, users={}) == 0
    assert not can_manage(DAVE, required=1, users={})


# --- properties ------------------------------------------------------------------------------------

_levels = st.integers(min_value=-100, max_value=1_000_000)
_users = st.dictionaries(st.sampled_from([ALICE, BOB, CAROL, DAVE]), _levels, max_size=4)
_versions = st.sampled_from([None, *OLD, *NEW])
_creators = st.frozensets(st.sampled_from([ALICE, BOB, CAROL, DAVE]), max_size=3)


@given(
    users=_users,
    user=st.sampled_from([ALICE, BOB, CAROL, DAVE]),
    level=_levels,
    raise_by=st.integers(min_value=0, max_value=1_000_000),
    required=_levels,
    users_default=_levels,
    creators=_creators,
    version=_versions,
)
def test_raising_a_users_level_never_removes_permission(
    users: dict[str, int], user: str, level: int, raise_by: int, required: int, users_default: int,
    creators: frozenset[str], version: str | None,
) -> None:
    common = dict(required=required, users_default=users_default, creators=creators, room_version=version)
    before = can_manage(user, users={**users, user: level}, **common)
    after = can_manage(user, users={**users, user: level + raise_by}, **common)
    assert after or not before


@given(users=_users, user=st.sampled_from([ALICE, BOB, CAROL, DAVE]), required=_levels,
       users_default=_levels, creators=_creators, version=_versions)
def test_can_manage_is_exactly_level_at_least_required(
    users: dict[str, int], user: str, required: int, users_default: int, creators: frozenset[str],
    version: str | None,
) -> None:
    kw = dict(users=users, users_default=users_default, creators=creators, room_version=version)
    level = user_level(user, **kw)
    assert can_manage(user, required=required, **kw) == (level >= required)
    if user in creators and creators_outrank(version):
        assert level == math.inf
    else:
        assert level == users.get(user, users_default)


@given(users=_users, required=_levels, users_default=_levels, version=_versions, user=st.sampled_from([ALICE, BOB, CAROL, DAVE]))
def test_being_a_creator_never_removes_permission(
    users: dict[str, int], required: int, users_default: int, version: str | None, user: str
) -> None:
    kw = dict(required=required, users=users, users_default=users_default, room_version=version)
    if can_manage(user, creators=(), **kw):
        assert can_manage(user, creators=(user,), **kw)
