-- The program's proposals that lines of each organisation's operating budget are mapped to.
with matched as (
    select distinct m.organisation, m.proposal_id
    from mapping_matches as m
    where m.budget_kind = 'drift'
      and m.document = 'budget'
),

final as (
    select m.organisation, m.proposal_id, p.title
    from matched as m
    join proposals as p using (proposal_id)
    order by m.organisation, p.title
)

select * from final
