-- Money per proposal (the data contract's proposal_funding): every fact of a mapped line,
-- times the share of each rule that applies to it (mapping_matches, see pipelines/mapping).
-- Only the latest version of each slice is counted (the same ranking as dash_facts), so the
-- budget for 2025 stated in both Mål och budget 2025 and 2026 is counted once. Operating and
-- investment money stay apart (budget_kind), as do the actors of a budget proposal.
with docs as (
    select doc_id, period as doc_period, loaded_at from documents
),

facts_ranked as (
    select
        f.*,
        row_number() over (
            partition by f.document, f.actor, f.budget_kind, f.measure, f.year,
                coalesce(f.period, '')
            order by f.doc_year desc nulls last, d.doc_period desc nulls last,
                d.loaded_at desc nulls last, f.doc_id
        ) as version_rank,
        dense_rank() over (
            partition by f.document, f.actor, f.budget_kind, f.measure, f.year,
                coalesce(f.period, '')
            order by f.doc_year desc nulls last, d.doc_period desc nulls last,
                d.loaded_at desc nulls last, f.doc_id
        ) as doc_rank
    from fact_rows as f
    left join docs as d using (doc_id)
),

latest as (
    select * from facts_ranked where doc_rank = 1
),

mapped as (
    select
        m.proposal_id,
        l.year,
        l.document,
        l.measure,
        l.amount_sek * cast(m.share as decimal(9, 4)) as amount_sek,
        l.actor,
        l.budget_kind,
        l.period,
        l.doc_year,
        l.organisation,
        l.line_item
    from latest as l
    join mapping_matches as m
        on m.organisation = l.organisation
        and m.line_item is not distinct from l.line_item
        and m.document = l.document
        and m.actor = l.actor
        and m.budget_kind = l.budget_kind
        and m.year = l.year
),

final as (
    select
        proposal_id,
        year,
        document,
        measure,
        cast(sum(amount_sek) as decimal(18, 2)) as amount_sek,
        actor,
        budget_kind,
        period,
        max(doc_year) as doc_year,
        count(distinct (organisation, line_item)) as line_count
    from mapped
    group by proposal_id, year, document, measure, actor, budget_kind, period
)

select * from final
