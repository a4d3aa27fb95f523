-- One slice (a document's figures for one year, measure, actor, kind and period) per
-- organisation, with its sources. Parameters: doc_id, document, actor, budget_kind,
-- measure, year, period (null for the whole year).
with picked as (
    select *
    from dash_facts
    where doc_id = ?
        and document = ?
        and actor = ?
        and budget_kind = ?
        and measure = ?
        and year = ?
        and period is not distinct from ?
        and in_total
),

final as (
    select
        organisation,
        sum(amount_sek) as amount_sek,
        sum(amount_fixed_sek) as amount_fixed_sek,
        sum(amount_per_invanare) as amount_per_invanare,
        sum(amount_fixed_per_invanare) as amount_fixed_per_invanare,
        count(*) as n_facts,
        string_agg(
            distinct concat_ws(' ', source_file, source_sheet, source_cell), '; '
        ) as sources
    from picked
    group by organisation
)

select * from final order by amount_sek desc
