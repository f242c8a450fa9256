"""The columns the downloads of money share: the placement a row of money is for, and its child."""

from aphub.core.files.exports import Column


def child_name(row) -> str:
    return row.placement.pupil.full_name if row.child_shown else ""


def child_upn(row) -> str:
    return row.placement.pupil.upn if row.child_shown else ""


# The child is named only to those who may see the child: the query annotates each row's `child_shown`
# (funding.queries.lines_for, finance.queries.parts_of). Money itself is no child's record.
PLACEMENT_COLUMNS = (
    Column("Placement id", lambda row: row.placement.pk),
    Column("Pupil", child_name),
    Column("UPN", child_upn),
    Column("Provision", lambda row: row.placement.provision.name),
    Column("Route", lambda row: row.placement.route.name),
)
