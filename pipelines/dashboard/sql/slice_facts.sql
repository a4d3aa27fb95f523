-- The facts of one slice, one row per source cell: the "Visa källor" table. Parameters as
-- slice_by_organisation.sql.
with final as (
    select
        organisation,
        line_item,
        year,
        measure,
        amount_sek,
        amount_fixed_sek,
        source_file,
        source_sheet,
        source_cell
    from dash_facts
    where doc_id = ?
        and document = ?
        and actor = ?
        and budget_kind = ?
        and measure = ?
        and year = ?
        and period is not distinct from ?
        and in_total
)

select * from final order by organisation, line_item, source_cell
