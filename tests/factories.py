"""Small batch builders for tests (one place, so each test states only what it is about)."""

from __future__ import annotations

from datetime import date

from kpi.domain.batch import Batch, BudgetRow, FactRow, ProgramSpec
from kpi.store import Store, auth


def with_accounts(store: Store, *users: auth.User) -> Store:
    """Give a store the accounts of the people a test acts as (every write checks the account in the store)."""
    for user in users:
        auth.add_user(store, user.name, user.role, None)
    return store


def budget_batch(
    values: dict[str, tuple[int, int]],
    *,
    year: int = 2024,
    month: int = 5,
    district: str = "11560",
    name: str = "sheet.xlsx",
    by: str = "staff1",
    sample: bool = False,
) -> Batch:
    """A batch like an 예산현황 sheet: program -> (budget 원, executed 원) for one month."""
    return Batch(
        district_cd=district,
        kind="budget_table",
        filename=name,
        content=repr((values, year, month, name)).encode(),
        as_of=date(year, month, 28),
        uploaded_by=by,
        is_sample=sample,
        programs=[ProgramSpec(p, department="일자리정책과") for p in values],
        budgets=[BudgetRow(p, year, "total", b) for p, (b, _e) in values.items()],
        facts=[FactRow(p, year, month, "executed", e) for p, (_b, e) in values.items()],
    )
