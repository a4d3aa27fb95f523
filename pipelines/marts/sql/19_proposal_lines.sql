-- Every fact of a line mapped to a proposal (mapping_matches: one row per line and applied
-- rule), with the share it counts for. Only the latest published figure of each line counts:
-- per slice (document, actor, kind, measure, year, period), organisation and line — the
-- line's name after the crosswalk, so a renamed line is one line — the newest document that
-- states it. Budget 2025 stated in both Mål och budget 2025 and 2026 counts once, and a
-- verksamhet line that only the 2025 document details still counts when the 2026 document
-- restates just the nämnd's ram.
with docs as (
    select doc_id, period as doc_period, loaded_at from documents
),

matched as (
    select
        m.proposal_id,
        m.rule_id,
        cast(m.share as decimal(9, 4)) as share,
        m.canonical_line_item,
        f.*,
        d.doc_period,
        d.loaded_at
    from fact_rows as f
    left join docs as d using (doc_id)
    join mapping_matches as m
        on m.organisation = f.organisation
        and m.line_item is not distinct from f.line_item
        and m.document = f.document
        and m.actor = f.actor
        and m.budget_kind = f.budget_kind
        and m.year = f.year
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
    from ranked
    where doc_rank = 1
)

select * from final
