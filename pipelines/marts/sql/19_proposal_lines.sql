-- Every fact of a line mapped to a proposal (mapping_matches: one row per line and applied
-- rule), with the share it counts for. Only the latest published figure of each line counts:
-- per slice (document, actor, kind, measure, year, period), organisation and line — the
-- line's name after the crosswalk, so a renamed line is one line — the newest document that
-- states it. Budget 2025 stated in both Mål och budget 2025 and 2026 counts once, and a
-- verksamhet line that only the 2025 document details still counts when the 2026 document
-- restates just the nämnd's ram.
-- Ranking every mapped fact is a sort of them all; only (slice, organisation) groups that more
-- than one document (or doc_year) states can have a line whose figure is not the latest, so
-- the rest are taken as they are and only the contested ones are ranked.
with docs as (
    select doc_id, period as doc_period, loaded_at from documents
),

contested as (
    select document, actor, budget_kind, measure, year, period_key, organisation
    from (
        select distinct
            document, actor, budget_kind, measure, year, coalesce(period, '') as period_key,
            organisation, doc_year, doc_id
        from fact_rows
        -- only organisations with mapped lines matter (none: no scan of the facts at all)
        semi join (select distinct organisation from mapping_matches) using (organisation)
    )
    group by all
    having count(*) > 1
),

matched as (
    select
        m.proposal_id,
        m.rule_id,
        cast(m.share as decimal(9, 4)) as share,
        m.canonical_line_item,
        f.*,
        d.doc_period,
        d.loaded_at,
        c.organisation is not null as is_contested
    from fact_rows as f
    left join docs as d using (doc_id)
    join mapping_matches as m
        on m.organisation = f.organisation
        and m.line_item is not distinct from f.line_item
        and m.document = f.document
        and m.actor = f.actor
        and m.budget_kind = f.budget_kind
        and m.year = f.year
    left join contested as c
        on c.document = f.document
        and c.actor = f.actor
        and c.budget_kind = f.budget_kind
        and c.measure = f.measure
        and c.year = f.year
        and c.period_key = coalesce(f.period, '')
        and c.organisation = f.organisation
),

ranked as (
    select
        *,
        dense_rank() over (
            partition by document, actor, budget_kind, measure, year, coalesce(period, ''),
                organisation, canonical_line_item
            order by doc_year desc nulls last, doc_period desc nulls last,
                loaded_at desc nulls last, doc_id
        ) as doc_rank
    from matched
    where is_contested
),

latest as (
    select * exclude (doc_rank) from ranked where doc_rank = 1
    union all
    select * from matched where not is_contested
),

final as (
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
        amount_sek,
        share,
        amount_sek * share as counted_sek,
        rule_id,
        source_file,
        source_sheet,
        source_cell
    from latest
)

select * from final
