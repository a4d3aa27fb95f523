-- Goals of the organisations a proposal names (executing and local bodies, and a decision
-- body other than fullmäktige) or whose lines are mapped to it; the latest report's
-- assessment of each goal first. Parameters: proposal_id (twice).
with bodies as (
    select body as organisation
    from proposal_bodies
    where proposal_id = ? and not (role = 'decision' and body = 'Kommunfullmäktige')
),

mapped as (
    select distinct organisation from mapping_matches where proposal_id = ?
),

orgs as (
    select organisation from bodies
    union
    select organisation from mapped
),

ranked as (
    select
        g.*,
        row_number() over (
            partition by g.organisation, g.goal
            order by g.doc_year desc nulls last, g.period desc nulls last
        ) as recency
    from goals as g
    join orgs using (organisation)
),

final as (
    select doc_year, period, organisation, goal, assessment, analysis, source_file,
        source_sheet, source_cell, recency = 1 as is_latest
    from ranked
)

select * from final
order by is_latest desc, organisation, goal, doc_year desc, period desc
