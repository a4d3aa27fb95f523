-- Every proposal with the money mapped to it: how many lines, in which documents, and the
-- largest yearly amount per document; `has_money` is false for proposals no line funds.
with lines as (
    select proposal_id, count(distinct (organisation, line_item, document, actor, budget_kind))
        as line_count
    from mapping_matches
    group by proposal_id
),

funding as (
    select
        proposal_id,
        list(distinct document order by document) as documents,
        max(amount_sek) filter (where document = 'budget' and measure = 'budget')
            as max_budget_sek,
        max(amount_sek) filter (where document = 'forslag' and measure = 'budget')
            as max_forslag_sek,
        max(abs(amount_sek)) as max_amount_sek
    from proposal_funding
    group by proposal_id
),

final as (
    select
        p.proposal_id,
        p.section,
        p.title,
        p.level,
        coalesce(l.line_count, 0) as line_count,
        coalesce(f.documents, []) as documents,
        f.max_budget_sek,
        f.max_forslag_sek,
        coalesce(f.max_amount_sek, 0) > 0 as has_money
    from proposals as p
    left join funding as f using (proposal_id)
    left join lines as l using (proposal_id)
)

select * from final
