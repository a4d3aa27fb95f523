-- The budget lines mapped to one proposal (mapping_matches), latest version of each
-- document, with the share counted and the cell each amount was read from.
-- Parameter: proposal_id, twice (null: every proposal).
with matches as (
    select organisation, line_item, document, actor, budget_kind, year, rule_id, share,
        proposal_id
    from mapping_matches
    where ? is null or proposal_id = ?
),

final as (
    select
        m.proposal_id,
        f.year,
        f.document,
        f.actor,
        f.budget_kind,
        f.measure,
        f.period,
        f.doc_year,
        f.doc_period,
        f.organisation,
        f.line_item,
        f.amount_sek,
        m.share,
        f.amount_sek * m.share as counted_sek,
        m.rule_id,
        f.source_file,
        f.source_sheet,
        f.source_cell
    from dash_facts as f
    join matches as m
        on f.organisation = m.organisation
        and f.line_item = m.line_item
        and f.document = m.document
        and f.actor = m.actor
        and f.budget_kind = m.budget_kind
        and f.year = m.year
    where f.is_latest
)

select * from final
order by year desc, document, measure, organisation, line_item, source_cell
