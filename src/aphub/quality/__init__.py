"""Quality assurance's pages, reads and nightly sweep, above placements (docs/decisions/0022-layers.md): the
scorecard's attendance and outcomes, the placements to review when an admission is suspended and the unregistered
oversight counts all read placements. Quality's records and the services that write them stay in commissioning
(commissioning/models.py, commissioning/quality/services.py and the forms that feed them), as do the pages'
templates (commissioning/templates/commissioning/quality/) and their URL names ("commissioning:quality-...")."""
