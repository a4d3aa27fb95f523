-- The budget lines mapped to one proposal, latest figure of each line (the proposal_lines
-- mart), with the share counted and the cell each amount was read from.
-- Parameter: proposal_id, twice (null: every proposal).
with final as (
    select
        proposal_id,
        year,
        document,
        actor,
        budget_kind,
        measure,
        period,
        doc_year,
        doc_period,
        organisation,
        line_item,
        cast(amount_sek as double) as amount_sek,
        cast(share as double) as share,
        cast(counted_sek as double) as counted_sek,
        rule_id,
        source_file,
        source_sheet,
        source_cell
    from proposal_lines
    where ? is null or proposal_id = ?
)

select * from final
order by year desc, document, measure, organisation, line_item, source_cell
