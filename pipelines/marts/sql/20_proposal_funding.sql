-- Money per proposal (the data contract's proposal_funding): the counted amounts of
-- proposal_lines (each mapped line's latest figure times its share) summed per proposal,
-- year, document and measure. Operating and investment money stay apart (budget_kind), as
-- do the actors of a budget proposal.
with final as (
    select
        proposal_id,
        year,
        document,
        measure,
        cast(sum(counted_sek) as decimal(18, 2)) as amount_sek,
        actor,
        budget_kind,
        period,
        max(doc_year) as doc_year,
        count(distinct (organisation, line_item)) as line_count
    from proposal_lines
    group by proposal_id, year, document, measure, actor, budget_kind, period
)

select * from final
