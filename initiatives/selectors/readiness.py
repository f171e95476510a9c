"""Reads of the readiness matrix: the 4×4 grid of an initiative and how ready it is."""

from dataclasses import dataclass, field

from ..models import PHASE_ORDER, Component, Initiative, Phase, ReadinessItem


def readiness_percent(done: int, total: int) -> int | None:
    """Percent of items ticked, rounded down (100 only when all are done); None for no items."""
    if not total:
        return None
    return done * 100 // total


@dataclass
class Cell:
    phase: str
    component: str
    current: bool
    items: list[ReadinessItem] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.is_done)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int | None:
        return readiness_percent(self.done, self.total)


@dataclass
class Row:
    component: str
    label: str
    cells: list[Cell]


@dataclass
class ReadinessGrid:
    phases: list[tuple[str, str, bool]]  # value, label, is current
    rows: list[Row]

    def column(self, phase: str) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells if cell.phase == phase]

    def percent_of(self, phase: str) -> int | None:
        cells = self.column(phase)
        return readiness_percent(sum(c.done for c in cells), sum(c.total for c in cells))

    def open_items_of(self, phase: str) -> list[ReadinessItem]:
        return [item for cell in self.column(phase) for item in cell.items if not item.is_done]


def readiness_grid(initiative: Initiative) -> ReadinessGrid:
    """The 4×4 matrix (components × phases) with its items, in one query."""
    cells = {
        (component, phase): Cell(
            phase=phase, component=component, current=phase == initiative.phase
        )
        for component in Component.values
        for phase in PHASE_ORDER
    }
    for item in ReadinessItem.objects.filter(initiative=initiative).select_related("done_by"):
        cells[(item.component, item.phase)].items.append(item)
    return ReadinessGrid(
        phases=[(p.value, p.label, p.value == initiative.phase) for p in Phase],
        rows=[
            Row(
                component=c.value,
                label=c.label,
                cells=[cells[(c.value, phase)] for phase in PHASE_ORDER],
            )
            for c in Component
        ],
    )
